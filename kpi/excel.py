"""The Excel report the supervising office files (docs/interfaces.md "Excel report").

Written with openpyxl's write-only workbook: rows stream from database cursors
(``.iterator()``) to temporary files, so memory stays flat however long the register
is. The indicator sheet reads ``kpi.selectors`` — the same numbers as the API."""
from collections.abc import Callable

from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dossiers.models import Dossier
from feedback.models import Feedback
from kpi import selectors
from kpi.indicators import INDICATORS, Period

SHEET_INDICATORS = "Chỉ tiêu"
SHEET_REGISTER = "Sổ theo dõi hồ sơ"
SHEET_SURVEYS = "Khảo sát"
SHEET_FEEDBACK = "PAKN"
SHEET_UNITS = "Đơn vị"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Border(bottom=Side(style="thin", color="999999"))
PERCENT = "0.00%"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
CHUNK = 2000

REGISTER_COLUMNS = [
    # form 06 (Thông tư 01/2018/TT-VPCP): the register of dossiers
    ("STT", 6), ("Mã hồ sơ", 28), ("Thủ tục", 40), ("Lĩnh vực", 24), ("Người nộp", 26),
    ("Ngày tiếp nhận", 17), ("Ngày hẹn trả", 13), ("Ngày trả kết quả", 17), ("Tình trạng / đúng hạn", 26),
    ("Hình thức nhận kết quả", 18),
]

STATUS_VI = {
    "received": "Đã tiếp nhận", "processing": "Đang giải quyết", "awaiting_supplement": "Chờ bổ sung",
    "completed": "Đã có kết quả", "returned": "Đã trả kết quả", "rejected": "Từ chối", "withdrawn": "Rút hồ sơ", "stopped": "Dừng giải quyết",
}
SIPAS_VI = {
    "overall": "đánh giá chung", "access": "tiếp cận dịch vụ", "procedure": "thủ tục hành chính",
    "staff": "công chức, viên chức phục vụ", "result": "kết quả giải quyết", "feedback_handling": "tiếp nhận, xử lý ý kiến",
}
TIMELINESS_VI = {"early": "trước hạn", "on_time": "đúng hạn", "late": "quá hạn"}
DELIVERY_VI = {"desk": "Tại bộ phận một cửa", "post": "Qua bưu điện", "online": "Trực tuyến"}
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


def _local(value):
    """openpyxl cannot store time zones: write local wall-clock times."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


class _Sheet:
    """A write-only sheet with a styled, frozen, filtered header row and set widths."""

    def __init__(self, workbook, title, columns):
        self.ws = workbook.create_sheet(title)
        self.columns = columns
        for index, (_header, width) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        header = []
        for name, _width in columns:
            cell = WriteOnlyCell(self.ws, value=name)
            cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, THIN
            header.append(cell)
        self.ws.append(header)
        self.rows = 1
        self._formats = {}

    def formats(self, **by_column):
        """Number formats by 0-based column index: ``formats(**{"3": PERCENT})``."""
        self._formats = {}
        for index, number_format in by_column.items():
            cell = WriteOnlyCell(self.ws)
            cell.number_format = number_format
            self._formats[int(index)] = cell
        return self

    def append(self, values):
        # A write-only sheet serialises a row as soon as it is appended, so one styled
        # cell per column can be reused row after row instead of styling a new cell.
        for index, cell in self._formats.items():
            if values[index] is not None:
                cell.value = values[index]
                values[index] = cell
        self.ws.append(values)
        self.rows += 1

    def close(self):
        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{max(self.rows, 1)}"


def _fraction(percent_value):
    return None if percent_value is None else round(percent_value / 100, 6)


def _met_text(met):
    return "" if met is None else ("Đạt" if met else "Chưa đạt")


def write_report(
    destination, *, units, period: Period, office: bool, now=None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the report of ``units`` for ``period`` to ``destination`` (a path or a
    binary file); returns the number of register rows. ``progress(rows_done)`` is
    called every ``CHUNK`` register rows (the Celery task records it)."""
    now = now or timezone.now()
    rows = selectors.indicator_rows(units=units, period=period, now=now)
    workbook = Workbook(write_only=True)

    # 1. Chỉ tiêu: overall rows first (the chart reads them), then the breakdowns.
    sheet = _Sheet(workbook, SHEET_INDICATORS, [
        ("Mã chỉ tiêu", 26), ("Tên chỉ tiêu", 60), ("Chỉ tiêu (%)", 12), ("Kết quả (%)", 12),
        ("Tử số", 10), ("Mẫu số", 10), ("Đạt", 10), ("Lĩnh vực", 20),
    ]).formats(**{"2": PERCENT, "3": PERCENT})
    ordered = [r for r in rows if r["field"] is None] + [r for r in rows if r["field"] is not None]
    for r in ordered:
        sheet.append([r["key"], r["name"], _fraction(r["target"]), _fraction(r["value"]), r["numerator"],
                      r["denominator"], _met_text(r["met"]), r["field"] or ""])
    sheet.close()
    overall_count = sum(1 for r in rows if r["field"] is None)
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"Kết quả thực hiện chỉ tiêu {period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.height, chart.width = 9 + overall_count * 0.4, 22
    data = Reference(sheet.ws, min_col=3, max_col=4, min_row=1, max_row=1 + overall_count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=2, min_row=2, max_row=1 + overall_count))
    sheet.ws.add_chart(chart, "J2")

    # 2. Sổ theo dõi hồ sơ (form 06), streamed.
    columns = list(REGISTER_COLUMNS) + ([("Đơn vị", 30)] if office else [])
    sheet = _Sheet(workbook, SHEET_REGISTER, columns).formats(**{"5": DATETIME, "6": DATE, "7": DATETIME})
    register = (
        register_queryset(units, period)
        .order_by("received_at", "id")
        .values_list(
            "code", "procedure__name", "field__name", "applicant_name", "received_at", "due_date", "returned_at",
            "completed_at", "status", "timeliness", "result_delivery", "due_at", "unit__name",
        )
    )
    done = 0
    for (code, procedure, field_name, applicant, received_at, due_date, returned_at, completed_at, status,
         timeliness, delivery, due_at, unit_name) in register.iterator(chunk_size=CHUNK):
        done += 1
        state = STATUS_VI.get(status, status)
        if timeliness:
            state = f"{state} – {TIMELINESS_VI[timeliness]}"
        elif status in Dossier.CLOCK_RUNNING_STATUSES and due_at < now:
            state = f"{state} – quá hạn"
        values = [done, code, procedure, field_name, applicant, _local(received_at), due_date,
                  _local(returned_at or completed_at), state, DELIVERY_VI.get(delivery, delivery)]
        if office:
            values.append(unit_name)
        sheet.append(values)
        if progress and done % CHUNK == 0:
            progress(done)
    sheet.close()

    # 3. Khảo sát: satisfaction per service area, from the same rows as the API.
    sheet = _Sheet(workbook, SHEET_SURVEYS, [
        ("Lĩnh vực / khảo sát", 50), ("Số phiếu", 10), ("Hài lòng", 10), ("Tỷ lệ hài lòng", 14), ("Chỉ tiêu", 10),
        ("Đạt", 10),
    ]).formats(**{"3": PERCENT, "4": PERCENT})
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
    sheet = _Sheet(workbook, SHEET_FEEDBACK, [
        ("STT", 6), ("Mã PAKN", 24), ("Loại", 12), ("Nội dung", 50), ("Ngày tiếp nhận", 17), ("Hạn trả lời", 17),
        ("Ngày trả lời", 17), ("Trả lời đúng hạn", 14), ("Ngày công khai", 17), ("Tình trạng", 16),
    ] + ([("Đơn vị", 30)] if office else [])).formats(**{"4": DATETIME, "5": DATETIME, "6": DATETIME, "8": DATETIME})
    items = (
        feedback_queryset(units, period)
        .order_by("received_at", "id")
        .annotate(unit_name=F("unit__name"))
        .values_list("code", "kind", "subject", "received_at", "due_at", "answered_at", "published_at", "status", "unit_name")
    )
    for index, (code, kind, subject, received_at, due_at, answered_at, published_at, status, unit_name) in enumerate(
        items.iterator(chunk_size=CHUNK), start=1
    ):
        on_time = "" if answered_at is None else ("Có" if answered_at <= due_at else "Không")
        values = [index, code, FEEDBACK_KIND_VI.get(kind, kind), subject, _local(received_at), _local(due_at),
                  _local(answered_at), on_time, _local(published_at), FEEDBACK_STATUS_VI.get(status, status)]
        if office:
            values.append(unit_name)
        sheet.append(values)
    sheet.close()

    # 5. Đơn vị (office): one row per unit, its main indicators side by side.
    if office:
        keys = [i for i in INDICATORS if i.main]
        sheet = _Sheet(workbook, SHEET_UNITS, [("Đơn vị", 36), ("Có đủ chỉ tiêu", 12)] + [(str(i.name), 18) for i in keys])
        sheet.formats(**{str(2 + n): PERCENT for n in range(len(keys))})
        for entry in selectors.unit_comparison(units=units, period=period, now=now):
            sheet.append([entry["unit"].name, "Có" if entry["has_targets"] else "Thiếu"]
                         + [_fraction(entry["rows"][i.key]["value"]) for i in keys])
        sheet.close()

    workbook.save(destination)
    if progress:
        progress(done)
    return done


def filename(unit, period: Period) -> str:
    scope = unit.slug if unit else "tat-ca-don-vi"
    return f"bao-cao-chi-tieu-{scope}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
