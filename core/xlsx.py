"""Workbooks that print (openpyxl write-only mode, so memory stays flat): every sheet
starts with a title block (unit, period, when it was produced), then its header row,
which is frozen on screen and repeated on every printed page; pages are A4 landscape,
fitted to the page width, numbered in the footer. Used by every workbook the portal
writes (the register, the KPI report, the office's consolidated workbook).

Data rows are the long part (a province's register holds a million), so ``PrintableSheet``
writes them as XML text itself, straight into the sheet's file, instead of one openpyxl
cell object and one lxml element per value: the same ``<c>`` elements openpyxl writes
(inline strings, numbers, dates as serial numbers with the column's number format), at a
fraction of the cost (docs/decisions/xlsx-rows.md). Two differences, both on purpose: text
is always text (a citizen's name starting with "=" is not a formula to run on the office's
computer), and control characters XML cannot hold are dropped instead of failing the whole
export. A row holding anything else (a styled cell, a time) goes through openpyxl's own
path."""
import datetime
import re
from decimal import Decimal

from django.utils import timezone
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.compat.strings import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml import LXML
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

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
MAX_TEXT = 32767  # characters in a cell
PENDING_ROWS = 500  # rows' XML gathered before a write to the sheet's file
PRESERVE = ' xml:space="preserve"'
# What XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, and the non-characters), and
# what a text must escape (a carriage return too, which a parser would turn into a newline).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
    and number formats per column. ``append`` takes plain values (text, numbers, dates,
    datetimes — aware ones are written in the current time zone)."""

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
        self._zone = timezone.get_current_timezone()
        self._fast, self._epoch = LXML and not workbook.iso_dates, workbook.epoch
        self._zoned_epoch = self._epoch.replace(tzinfo=self._zone)
        self.formats()
        self._open_stream()
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

    def formats(self, **by_column):
        """Number formats by 0-based column index: ``formats(**{"3": PERCENT})``."""
        self._formats = {int(index): number_format for index, number_format in by_column.items()}
        # The style of each column, registered once in the workbook (its "s" attribute).
        # Each column's start of a <c> element: its reference, and its style (the number
        # format registered once in the workbook).
        self._cells = []
        for index in range(len(self.columns)):
            start = f'<c r="{get_column_letter(index + 1)}'
            number_format = self._formats.get(index)
            if number_format is None:
                self._cells.append((start, "", False))
                continue
            cell = WriteOnlyCell(self.ws)
            cell.number_format = number_format
            self._cells.append((start, f' s="{cell.style_id}"', is_date_format(number_format)))
        return self

    def append(self, values):
        self._stream.send(values if isinstance(values, (list, tuple)) else list(values))
        self.rows += 1

    def close(self):
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{max(self.rows, self.header_row)}"
        self.ws.print_area = f"A1:{last}{max(self.rows, self.header_row)}"

    # --- the rows' XML ---------------------------------------------------------------------

    def _open_stream(self):
        """Take over the sheet's row stream (``WriteOnlyWorksheet._write_rows`` of openpyxl
        3.1, pinned in requirements.txt): the same ``<sheetData>`` element, each row written
        as XML text by ``_row_xml`` or, when it returns None, by openpyxl; ``ws.close()``
        ends it."""
        ws = self.ws
        if self._fast:
            ws._writer = _SheetWriter(ws)
            ws._writer.write_top()
        else:
            ws._get_writer()
        ws._rows = self._stream = self._write_rows()
        next(self._stream)

    def _write_rows(self):
        ws = self.ws
        writer = ws._writer
        xf = writer.xf.send(True)
        pending = []  # rows' XML not yet in the file

        def write_pending():
            xf.flush()  # what openpyxl wrote before goes first
            writer.file.write("".join(pending).encode())
            pending.clear()

        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    values = yield
                    xml = self._row_xml(values, row_idx) if self._fast else None
                    if xml is None:
                        if pending:
                            write_pending()
                        writer.write_row(xf, ws._values_to_row(self._openpyxl_values(values), row_idx), row_idx)
                    else:
                        pending.append(xml)
                        if len(pending) >= PENDING_ROWS:
                            write_pending()
                    row_idx += 1
            except GeneratorExit:
                pass
            if pending:
                write_pending()
        writer.xf.send(None)

    def _row_xml(self, values, row_idx):
        """``<row>`` with a ``<c>`` for each value that is not None, as openpyxl writes them;
        None when a value is of a kind left to openpyxl (a cell, a time, a date in a column
        without a date format)."""
        if len(values) > len(self._cells) or row_idx in self.ws.row_dimensions:
            return None
        n = str(row_idx)
        parts = [f'<row r="{n}">']
        epoch, zone, zoned_epoch, windows = self._epoch, self._zone, self._zoned_epoch, self._epoch == WINDOWS_EPOCH
        for (start, style, dated), value in zip(self._cells, values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    parts.append(f'{start}{n}"{style} t="inlineStr"/>')
                    continue
                if len(value) > MAX_TEXT:
                    value = value[:MAX_TEXT]
                if _SPECIAL.search(value):
                    value = _ILLEGAL.sub("", value)
                    space = PRESERVE if value and (value[0].isspace() or value[-1].isspace()) else ""
                    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
                else:
                    space = PRESERVE if value[0].isspace() or value[-1].isspace() else ""
                parts.append(f'{start}{n}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
                continue
            if kind is int or kind is float or kind is Decimal:
                text = safe_string(value)
            elif kind is bool:
                parts.append(f'{start}{n}"{style} t="b"><v>{1 if value else 0}</v></c>')
                continue
            elif kind is datetime.datetime and dated:
                # openpyxl's to_excel, in the local time of aware values, inline: a
                # register has four dates a row.
                if value.tzinfo is None:
                    days = (value - epoch).days
                else:
                    value = value.astimezone(zone)
                    days = (value - zoned_epoch).days  # same tzinfo: wall-clock difference
                if 0 < days <= 60 and windows:
                    days -= 1
                text = "%.16g" % (days + (value.hour * 3600 + value.minute * 60 + value.second
                                          + value.microsecond / 10**6) / 86400)
            elif kind is datetime.date and dated:
                text = safe_string(to_excel(value, epoch))
            else:
                return None
            parts.append(f'{start}{n}"{style} t="n"><v>{text}</v></c>')
        parts.append("</row>")
        return "".join(parts)

    def _openpyxl_values(self, values):
        """The row for openpyxl's own path: formatted columns as styled cells, local times."""
        values = [local(v) if isinstance(v, datetime.datetime) and v.tzinfo is not None else v for v in values]
        for index, number_format in self._formats.items():
            if index < len(values) and values[index] is not None and not isinstance(values[index], Cell):
                cell = WriteOnlyCell(self.ws, value=values[index])
                cell.number_format = number_format
                values[index] = cell
        return values


class _SheetWriter(WorksheetWriter):
    """openpyxl's writer of a write-only sheet with its XML stream (``get_stream``, the same
    as openpyxl 3.1's) on a file object of its own, which ``PrintableSheet`` also writes
    finished rows into."""

    def get_stream(self):
        with open(self.out, "wb") as self.file, xmlfile(self.file) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = (yield)
                        if el is True:
                            yield xf
                        elif el is None:
                            continue
                        else:
                            xf.write(el)
                except GeneratorExit:
                    pass


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
