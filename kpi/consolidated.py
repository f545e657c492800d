"""What the office downloads for a period: every submitted report's files in one ZIP, and
one consolidated workbook (one row per unit, then every unit's frozen indicator rows) —
the numbers the units submitted, not today's."""
import tempfile
import zipfile

from django.utils import timezone

from core.xlsx import DATE, DATETIME, PERCENT, XLSX, PrintableSheet, local, title_block
from kpi.indicators import INDICATORS
from kpi.periods import period_title
from kpi.report_content import number_line

SHEET_SUMMARY = "Tổng hợp"
SHEET_FIGURES = "Chỉ tiêu các đơn vị"
__all__ = ["XLSX", "filename", "write_workbook", "write_zip"]


def filename(kind: str, year: int, quarter: int | None) -> str:
    return f"bao-cao-cchc-{year}-{kind}{quarter or ''}"


def write_zip(reports) -> tempfile.SpooledTemporaryFile:
    """The stored DOCX and PDF of each report (as submitted, byte for byte)."""
    handle = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for report in reports:
            base = f"{report.unit.slug}-so-{report.number}-v{report.version}"
            for ext in ("pdf", "docx"):
                with getattr(report, ext).open("rb") as stored:
                    archive.writestr(f"{base}.{ext}", stored.read())
    handle.seek(0)
    return handle


def _fraction(value):
    return None if value is None else round(value / 100, 6)


def write_workbook(rows, *, deadline, kind: str, year: int, quarter: int | None, office_name: str):
    """``rows``: ``kpi.report_selectors.UnitStatus`` of the period."""
    from openpyxl import Workbook

    now = timezone.now()
    name = period_title(kind, year, quarter)
    submitted = [r for r in rows if r.report]
    period = (f"{name} ({submitted[0].report.period_start:%d/%m/%Y} – {submitted[0].report.period_end:%d/%m/%Y})"
              if submitted else name)
    workbook = Workbook(write_only=True)
    heading = title_block(f"Tổng hợp báo cáo kết quả thực hiện công tác cải cách hành chính {name}",
                          unit=office_name or "—", period=period, produced_at=now)
    main = [i for i in INDICATORS if i.main]
    sheet = PrintableSheet(workbook, SHEET_SUMMARY, [
        ("STT", 6), ("Đơn vị", 34), ("Số báo cáo", 16), ("Phiên bản", 9), ("Ngày gửi", 16), ("Hạn gửi", 12),
        ("Quá hạn", 9),
    ] + [(str(i.name), 15) for i in main], title_block=heading)
    sheet.formats(**{"4": DATETIME, "5": DATE}, **{str(7 + n): PERCENT for n in range(len(main))})
    for n, row in enumerate(rows, start=1):
        report = row.report
        figures = {r["key"]: r for r in (report.frozen.get("figures", []) if report else []) if r["field"] is None}
        sheet.append([
            n, row.unit.name, number_line(report).removeprefix("Số: ") if report else "Chưa gửi",
            report.version if report else None, local(report.submitted_at) if report else None,
            deadline.due_date if deadline else None, "Quá hạn" if row.late else "",
        ] + [_fraction(figures.get(i.key, {}).get("value")) for i in main])
    sheet.close()

    sheet = PrintableSheet(workbook, SHEET_FIGURES, [
        ("Đơn vị", 30), ("Tên chỉ tiêu", 50), ("Mã chỉ tiêu", 22), ("Lĩnh vực", 16), ("Chỉ tiêu (%)", 11),
        ("Kết quả (%)", 11), ("Tử số", 9), ("Mẫu số", 9), ("Đạt", 9),
    ], title_block=heading).formats(**{"4": PERCENT, "5": PERCENT})
    for row in submitted:
        for r in row.report.frozen.get("figures", []):
            met = "" if r["met"] is None else ("Đạt" if r["met"] else "Chưa đạt")
            sheet.append([row.unit.name, r["name"], r["key"], r["field"] or "", _fraction(r["target"]),
                          _fraction(r["value"]), r["numerator"], r["denominator"], met])
    sheet.close()
    handle = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(handle)
    handle.seek(0)
    return handle
