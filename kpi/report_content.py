"""What a written report says, built once and printed twice (DOCX and PDF), with the
presentation of Nghị định 30/2020/NĐ-CP (docs/legal/reporting.md). An official document
is written in Vietnamese whatever the reader's interface language.

A draft reads live data; a submitted report reads what was frozen when it was submitted
(``Report.frozen``), so its files never change when records change later."""
import datetime

from django.utils import timezone, translation

from kpi import selectors
from kpi.indicators import Period
from kpi.models import PlanTask, Report, YearPlan
from kpi.periods import period_title

ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def document_date(day: datetime.date) -> str:
    """"ngày 05 tháng 02 năm 2026": a day below 10 and the months 1 and 2 take a leading
    zero (Nghị định 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def abbreviation_of(unit) -> str:
    return unit.abbreviation or unit.slug.upper()


def number_line(report: Report) -> str:
    """"Số: 05/BC-MNTH": numbers below 10 with a leading zero (docs/legal/documents.md)."""
    number = f"{report.number:02d}" if report.number else "\u2003\u2003"
    return f"Số: {number}/BC-{abbreviation_of(report.unit)}"


def period_of(report: Report) -> Period:
    return Period(report.period_start, report.period_end, plan_year=report.year)


def _rows_for_print(rows: list[dict]) -> list[dict]:
    return [
        {"name": r["name"], "key": r["key"], "field": r["field"], "target": r["target"], "value": r["value"],
         "numerator": r["numerator"], "denominator": r["denominator"], "met": r["met"]}
        for r in rows
    ]


def live_figures(report: Report, now=None) -> list[dict]:
    """The indicator rows of the report's period from the one KPI selector (the API's numbers)."""
    from core.models import Unit

    with translation.override("vi"):
        rows = selectors.indicator_rows(units=Unit.objects.filter(pk=report.unit_id), period=period_of(report), now=now)
        return _rows_for_print(rows)


def live_tasks(report: Report) -> list[dict]:
    plan = YearPlan.objects.filter(unit=report.unit_id, year=report.year).first()
    tasks = plan.tasks.order_by("position", "id") if plan else PlanTask.objects.none()
    return [
        {"group": t.group, "title": t.title, "in_charge": t.in_charge, "progress": t.progress,
         "deadline": t.deadline.isoformat() if t.deadline else None, "note": t.progress_note}
        for t in tasks
    ]


def plan_reference(report: Report) -> dict:
    plan = YearPlan.objects.filter(unit=report.unit_id, year=report.year).first()
    return {"number": plan.number, "title": plan.title} if plan else {}


def signer_of(user, unit) -> dict:
    """The signature block: the head signs in their title; a deputy signs "KT." for the head."""
    head = (unit.head_title or "Hiệu trưởng").upper()
    name = (user.get_full_name() if user else "") or unit.head_name
    if user is not None and user.is_deputy_head:
        return {"lines": [f"KT. {head}", (user.job_title or "Phó Hiệu trưởng").upper()], "name": name}
    return {"lines": [head], "name": name}


def freeze(report: Report, *, actor, now) -> dict:
    """Everything the printed report reads from other records, as of ``now``."""
    return {
        "figures": live_figures(report, now=now),
        "tasks": live_tasks(report),
        "plan": plan_reference(report),
        "signer": signer_of(actor, report.unit),
        "date": timezone.localdate(now).isoformat(),
    }


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _percent(value) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",") + "%"


def build(report: Report, *, actor=None) -> dict:
    """The content of the report, for the DOCX, the PDF and the preview page."""
    frozen = report.frozen if report.status == Report.Status.SUBMITTED else freeze(
        report, actor=actor or report.created_by, now=timezone.now())
    unit = report.unit
    day = datetime.date.fromisoformat(frozen["date"])
    with translation.override("vi"):
        period_name = period_title(report.kind, report.year, report.quarter)
        groups = PlanTask.Group.choices
        sections = []
        for n, (key, name) in enumerate(groups, start=1):
            tasks = [t for t in frozen["tasks"] if t["group"] == key]
            sections.append({
                "heading": f"{n}. {name}",
                "narrative": _paragraphs(report.narrative.get(key, "")),
                "tasks": [dict(t, deadline_text=datetime.date.fromisoformat(t["deadline"]).strftime("%d/%m/%Y")
                               if t["deadline"] else "") for t in tasks],
            })
    plan = frozen.get("plan") or {}
    intro = (f"Thực hiện Kế hoạch số {plan['number']} của {unit.name} về thực hiện công tác cải cách hành chính "
             f"năm {report.year}, " if plan else "")
    intro += f"{unit.name} báo cáo kết quả thực hiện công tác cải cách hành chính {period_name} như sau:"
    replaces = None
    if report.replaces_id:
        old = report.replaces
        replaces = (f"Báo cáo này thay thế Báo cáo {number_line(old).removeprefix('Số: ')} "
                    f"ngày {old.submitted_at and timezone.localtime(old.submitted_at):%d/%m/%Y}.")
    recipients = _paragraphs(report.recipients) or [unit.office.name]
    annex = [
        dict(r, n=i, target_text=_percent(r["target"]), value_text=_percent(r["value"]),
             met_text="" if r["met"] is None else ("Đạt" if r["met"] else "Chưa đạt"))
        for i, r in enumerate(frozen["figures"], start=1)
    ]
    return {
        "parent_body": (unit.parent_body or unit.office.name).upper(),
        "unit_name": unit.name.upper(),
        "number_line": number_line(report),
        "place_date": f"{unit.place_name or '……'}, {document_date(day)}",
        "title": "BÁO CÁO",
        "subtitle": f"Kết quả thực hiện công tác cải cách hành chính {period_name}",
        "period_line": (f"(Số liệu tính từ ngày {report.period_start:%d/%m/%Y} "
                        f"đến ngày {report.period_end:%d/%m/%Y})"),
        "replaces": replaces,
        "intro": intro,
        "part_tasks": f"{ROMAN[0]}. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM",
        "sections": sections,
        "part_figures": f"{ROMAN[1]}. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "figures_intro": ("Kết quả thực hiện các chỉ tiêu của kế hoạch trong kỳ báo cáo được tổng hợp tại "
                          "Phụ lục kèm theo báo cáo này."),
        "part_difficulties": f"{ROMAN[2]}. KHÓ KHĂN, VƯỚNG MẮC",
        "difficulties": _paragraphs(report.difficulties) or ["Không."],
        "part_proposals": f"{ROMAN[3]}. ĐỀ XUẤT, KIẾN NGHỊ",
        "proposals": _paragraphs(report.proposals) or ["Không."],
        "closing": (f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {period_name} "
                    f"của {unit.name}./."),
        "signer": frozen["signer"],
        "recipients": [f"- {r.rstrip(';')};" for r in recipients] + [f"- Lưu: VT, {abbreviation_of(unit)}."],
        "annex_title": "PHỤ LỤC",
        "annex_subtitle": (f"Kết quả thực hiện chỉ tiêu {period_name} "
                           f"(từ ngày {report.period_start:%d/%m/%Y} đến ngày {report.period_end:%d/%m/%Y})"),
        "annex_attached": f"(Kèm theo Báo cáo {number_line(report).removeprefix('Số: ')})",
        "annex": annex,
        "annex_columns": ["STT", "Chỉ tiêu", "Kế hoạch", "Kết quả", "Tử số", "Mẫu số", "Đánh giá"],
    }
