"""The Excel report the supervising office files (docs/interfaces.md "Excel report").

Written with openpyxl's write-only workbook: rows stream from database cursors
(``.iterator()``) to temporary files, so memory stays flat however long the register
is. Every sheet prints (``core.xlsx``: title block, A4 landscape fitted to the width,
header row repeated, page numbers). The indicator sheet reads ``kpi.selectors`` — the
same numbers as the API; the register sheet is written by the one register writer
(``dossiers.export``)."""
from collections.abc import Callable

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from core.xlsx import DATETIME, PERCENT, PrintableSheet, title_block
from dossiers.export import register_heading, write_register
from dossiers.models import Dossier
from feedback.models import Feedback
from kpi import selectors
from kpi.indicators import INDICATORS, Period

SHEET_INDICATORS = "Chỉ tiêu"
SHEET_REGISTER = "Sổ theo dõi hồ sơ"
SHEET_SURVEYS = "Khảo sát"
SHEET_FEEDBACK = "PAKN"
SHEET_UNITS = "Đơn vị"
CHUNK = 2000

SIPAS_VI = {
    "overall": "đánh giá chung", "access": "tiếp cận dịch vụ", "procedure": "thủ tục hành chính",
    "staff": "công chức, viên chức phục vụ", "result": "kết quả giải quyết", "feedback_handling": "tiếp nhận, xử lý ý kiến",
}
FEEDBACK_KIND_VI = {"phan-anh": "Phản ánh", "kien-nghi": "Kiến nghị", "gop-y": "Góp ý"}
FEEDBACK_STATUS_VI = {
    "new": "Mới tiếp nhận", "in_progress": "Đang xử lý", "answered": "Đã trả lời", "published": "Đã công khai",
    "closed": "Đã đóng",
}


def register_queryset(units, period: Period):
    """The register of the report: dossiers received in the period (form 06)."""
    return Dossier.objects.filter(selectors.in_scope(units=units, period=period, dated=selectors.dated_at(field="received_at")))


def feedback_queryset(units, period: Period):
    return Feedback.objects.filter(selectors.in_scope(units=units, period=period, dated=selectors.dated_at(field="received_at")))


def register_size(units, period: Period) -> int:
    return register_queryset(units, period).count()


def _fraction(percent_value):
    return None if percent_value is None else round(percent_value / 100, 6)


def _met_text(met):
    return "" if met is None else ("Đạt" if met else "Chưa đạt")


def scope_name(user, unit) -> str:
    """Whose report it is, for the title block: the unit, or the office reading every unit."""
    if unit is not None:
        return unit.name
    office = getattr(user, "office", None)
    return office.name if office is not None else _("every unit you read")


def period_text(period: Period) -> str:
    return f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"


def write_report(
    destination, *, units, period: Period, office: bool, now=None, unit_name: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the report of ``units`` for ``period`` to ``destination`` (a path or a
    binary file); returns the number of register rows. ``progress(rows_done)`` is
    called as the register is written (``dossiers.export.write_register``: at most once a
    second, and at its end); the Celery task records it."""
    now = now or timezone.now()
    if not unit_name:
        names = list(units.values_list("name", flat=True)[:2]) if hasattr(units, "values_list") else [u.name for u in units]
        unit_name = names[0] if len(names) == 1 else _("every unit you read")
    rows = selectors.indicator_rows(units=units, period=period, now=now)
    workbook = Workbook(write_only=True)

    def heading(title):
        return title_block(title, unit=unit_name, period=period_text(period), produced_at=now)

    # 1. Chỉ tiêu: the indicator's Vietnamese name before its key; overall rows first
    # (the chart reads them), then the breakdowns.
    sheet = PrintableSheet(workbook, SHEET_INDICATORS, [
        ("Tên chỉ tiêu", 58), ("Mã chỉ tiêu", 24), ("Chỉ tiêu (%)", 11), ("Kết quả (%)", 11),
        ("Tử số", 9), ("Mẫu số", 9), ("Đạt", 10), ("Lĩnh vực", 20),
    ], title_block=heading("Kết quả thực hiện chỉ tiêu cải cách hành chính")).formats(**{"2": PERCENT, "3": PERCENT})
    ordered = [r for r in rows if r["field"] is None] + [r for r in rows if r["field"] is not None]
    for r in ordered:
        sheet.append([r["name"], r["key"], _fraction(r["target"]), _fraction(r["value"]), r["numerator"],
                      r["denominator"], _met_text(r["met"]), r["field"] or ""])
    sheet.close()
    overall_count = sum(1 for r in rows if r["field"] is None)
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"Kết quả thực hiện chỉ tiêu {period_text(period)}"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.height, chart.width = 9 + overall_count * 0.4, 22
    first = sheet.header_row
    chart.add_data(Reference(sheet.ws, min_col=3, max_col=4, min_row=first, max_row=first + overall_count),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first + 1, max_row=first + overall_count))
    # Below the table and outside the print area: the printed pages hold the table alone.
    sheet.ws.add_chart(chart, f"A{sheet.rows + 3}")

    # 2. Sổ theo dõi hồ sơ: the one register writer, streamed.
    register = register_queryset(units, period).order_by("received_at", "id")
    done = write_register(workbook, register, heading=register_heading(unit_name=unit_name, period=period_text(period)),
                          unit_column=office, now=now, progress=progress)

    # 3. Khảo sát: satisfaction per service area, from the same rows as the API.
    sheet = PrintableSheet(workbook, SHEET_SURVEYS, [
        ("Lĩnh vực / khảo sát", 50), ("Số phiếu", 10), ("Hài lòng", 10), ("Tỷ lệ hài lòng", 14), ("Chỉ tiêu", 10),
        ("Đạt", 10),
    ], title_block=heading("Kết quả khảo sát sự hài lòng")).formats(**{"3": PERCENT, "4": PERCENT})
    for r in rows:
        if r["key"] in ("satisfaction_rate", "dossier_satisfaction_rate"):
            sheet.append([r["name"], r["denominator"], r["numerator"], _fraction(r["value"]), _fraction(r["target"]),
                          _met_text(r["met"])])
    # SIPAS: the index of each factor and their mean, beside "overall" (same selector as the API).
    sipas = selectors.sipas_indices(units=units, period=period)
    for r in (sipas["overall"], *sipas["factors"]):
        sheet.append([f"Chỉ số hài lòng — {SIPAS_VI.get(r['key'], r['name'])}", r["denominator"], r["numerator"],
                      _fraction(r["value"]), None, ""])
    sheet.append(["Chỉ số hài lòng — trung bình 5 yếu tố (SIPAS)", None, None, _fraction(sipas["mean"]), None, ""])
    sheet.close()

    # 4. PAKN: the feedback received in the period, without the senders' details.
    sheet = PrintableSheet(workbook, SHEET_FEEDBACK, [
        ("STT", 6), ("Mã PAKN", 24), ("Loại", 12), ("Nội dung", 50), ("Ngày tiếp nhận", 16), ("Hạn trả lời", 16),
        ("Ngày trả lời", 16), ("Trả lời đúng hạn", 12), ("Ngày công khai", 16), ("Tình trạng", 16),
    ] + ([("Đơn vị", 30)] if office else []), title_block=heading("Tiếp nhận, xử lý phản ánh, kiến nghị"))
    sheet.formats(**{"4": DATETIME, "5": DATETIME, "6": DATETIME, "8": DATETIME})
    items = (
        feedback_queryset(units, period)
        .order_by("received_at", "id")
        .annotate(unit_name=F("unit__name"))
        .values_list("code", "kind", "subject", "received_at", "due_at", "answered_at", "published_at", "status", "unit_name")
    )
    for index, (code, kind, subject, received_at, due_at, answered_at, published_at, status, item_unit) in enumerate(
        items.iterator(chunk_size=CHUNK), start=1
    ):
        on_time = "" if answered_at is None else ("Có" if answered_at <= due_at else "Không")
        values = [index, code, FEEDBACK_KIND_VI.get(kind, kind), subject, received_at, due_at, answered_at, on_time,
                  published_at, FEEDBACK_STATUS_VI.get(status, status)]
        if office:
            values.append(item_unit)
        sheet.append(values)
    sheet.close()

    # 5. Đơn vị (office): one row per unit, its main indicators side by side.
    if office:
        keys = [i for i in INDICATORS if i.main]
        sheet = PrintableSheet(workbook, SHEET_UNITS, [("Đơn vị", 36), ("Có đủ chỉ tiêu", 12)]
                               + [(str(i.name), 16) for i in keys], title_block=heading("So sánh các đơn vị"))
        sheet.formats(**{str(2 + n): PERCENT for n in range(len(keys))})
        for entry in selectors.unit_comparison(units=units, period=period, now=now):
            sheet.append([entry["unit"].name, "Có" if entry["has_targets"] else "Thiếu"]
                         + [_fraction(entry["rows"][i.key]["value"]) for i in keys])
        sheet.close()

    workbook.save(destination)
    return done


def filename(unit, period: Period) -> str:
    scope = unit.slug if unit else "tat-ca-don-vi"
    return f"bao-cao-chi-tieu-{scope}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
