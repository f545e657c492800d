"""Workbooks that print (openpyxl write-only mode, so memory stays flat): every sheet
starts with a title block (unit, period, when it was produced), then its header row,
which is frozen on screen and repeated on every printed page; pages are A4 landscape,
fitted to the page width, numbered in the footer. Used by every workbook the portal
writes (the register, the KPI report, the office's consolidated workbook)."""
import datetime

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(italic=True)
THIN = Border(bottom=Side(style="thin", color="999999"))
PERCENT = "0.00%"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
PAPER_A4 = "9"


def local(value):
    """openpyxl cannot store time zones: write local wall-clock times."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


class PrintableSheet:
    """A write-only sheet: ``title_block`` lines (the first one large), a blank row, the
    header row (styled, frozen, repeated on printed pages, filtered), set column widths
    and number formats per column."""

    def __init__(self, workbook, title: str, columns: list[tuple[str, float]], *, title_block: list[str] = ()):
        self.ws = ws = workbook.create_sheet(title)
        self.columns = columns
        for index, (_header, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "&P / &N"
        ws.oddFooter.right.text = "&A"
        # Everything before <sheetData> must be set before the first row is written.
        self.header_row = len(title_block) + (1 if title_block else 0) + 1
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.freeze_panes = f"A{self.header_row + 1}"
        for n, line in enumerate(title_block):
            cell = WriteOnlyCell(ws, value=str(line))
            cell.font = TITLE_FONT if n == 0 else HEADING_FONT
            ws.append([cell])
        if title_block:
            ws.append([])
        # Headers wrap on up to four lines (the register's are long): the row gets its height
        # here, because a spreadsheet does not recompute it when the file is opened.
        ws.row_dimensions[self.header_row].height = 15 * min(4, max(1, *(len(str(n)) // max(int(w), 1) + 1 for n, w in columns)))
        header = []
        for name, _width in columns:
            cell = WriteOnlyCell(ws, value=str(name))
            cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, THIN
            header.append(cell)
        ws.append(header)
        self.rows = self.header_row
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
        values = list(values)
        for index, cell in self._formats.items():
            if values[index] is not None:
                cell.value = values[index]
                values[index] = cell
        self.ws.append(values)
        self.rows += 1

    def close(self):
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{max(self.rows, self.header_row)}"
        self.ws.print_area = f"A1:{last}{max(self.rows, self.header_row)}"


def title_block(title: str, *, unit: str, period: str, produced_at=None) -> list[str]:
    """The lines above a sheet's table: what, whose, which period, when produced."""
    from django.utils.translation import gettext as _

    produced_at = timezone.localtime(produced_at or timezone.now())
    return [
        title,
        _("Unit: %(unit)s") % {"unit": unit},
        _("Period: %(period)s") % {"period": period},
        _("Produced at %(time)s") % {"time": f"{produced_at:%H:%M %d/%m/%Y}"},
    ]
