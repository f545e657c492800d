"""Printable sheets (core.xlsx): the data rows ``PrintableSheet`` writes as XML itself are the
rows openpyxl writes, cell for cell; text stays text; rows keep their order when some of them
go through openpyxl."""
import datetime
import io
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
from lxml import etree
from openpyxl import Workbook

from core.xlsx import DATE, DATETIME, PERCENT, PrintableSheet

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COLUMNS = [("Văn bản", 20), ("Số", 8), ("Tỷ lệ", 8), ("Ngày", 12), ("Lúc", 16), ("Ghi chú", 20)]
ROWS = [
    ["Nguyễn Văn An", 1, 0.5, datetime.datetime(2026, 3, 2, 9, 13, 27), datetime.datetime(2026, 3, 2, 9, 0, tzinfo=VN), ""],
    ["  leading and trailing  ", -5, Decimal("12.50"), datetime.date(2026, 3, 31),
     datetime.datetime(2026, 3, 2, 2, 0, 0, 123456, tzinfo=datetime.timezone.utc), None],
    ["a & b < c > d", 2**40, 1 / 3, datetime.datetime(1900, 2, 1, 12), None, "tab\tinside"],
    ["line 1\r\nline 2\nline 3", True, False, None, datetime.datetime(2025, 12, 31, 23, 59, 59), "x" * 40000],
    ["", 0, 0.0, datetime.datetime(2026, 11, 30, 0, 0, tzinfo=VN), datetime.date(2026, 1, 1), "Trả kết quả – đúng hạn"],
    [None, None, None, None, None, None],
    [],
]


def sheet_bytes(rows, **formats) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = PrintableSheet(workbook, "Sheet", COLUMNS, title_block=["Tiêu đề", "Đơn vị: X"])
    sheet.formats(**formats)
    for row in rows:
        sheet.append(row)
    sheet.close()
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


def sheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.tostring(etree.fromstring(archive.read("xl/worksheets/sheet1.xml")), method="c14n")


def test_data_rows_are_the_xml_openpyxl_writes(monkeypatch, settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    formats = {"2": PERCENT, "3": DATE, "4": DATETIME, "5": DATE}
    fast = sheet_bytes(ROWS, **formats)
    monkeypatch.setattr("core.xlsx.LXML", False)  # every row through openpyxl's cells
    slow = sheet_bytes(ROWS, **formats)
    assert sheet_xml(fast) == sheet_xml(slow)
    book = openpyxl.load_workbook(io.BytesIO(fast))
    sheet = book["Sheet"]
    assert sheet["A5"].value == "Nguyễn Văn An" and sheet["D5"].number_format == DATE
    assert sheet["E5"].value == datetime.datetime(2026, 3, 2, 9, 0)  # local wall-clock time
    assert sheet["E6"].value.replace(microsecond=0) == datetime.datetime(2026, 3, 2, 9, 0)  # read back to the ms
    assert sheet["A8"].value == "line 1\r\nline 2\nline 3" and sheet["B8"].value is True
    assert len(sheet["F8"].value) == 32767


def test_text_is_never_a_formula_and_control_characters_do_not_break_the_file():
    content = sheet_bytes([['=HYPERLINK("http://example.invalid","Bấm vào")', "#N/A", "Nguyễn\x0bVăn\x00An"]])
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Sheet"]
    assert sheet["A5"].value == '=HYPERLINK("http://example.invalid","Bấm vào")' and sheet["A5"].data_type == "s"
    assert sheet["B5"].value == "#N/A" and sheet["B5"].data_type == "s"
    assert sheet["C5"].value == "NguyễnVănAn"


def test_rows_keep_their_order_when_some_go_through_openpyxl():
    # A time of day is left to openpyxl; 1,200 rows cross the batches the sheet writes at once.
    odd = {0, 1, 499, 500, 501, 1000, 1199}
    rows = [[f"dòng {n}", n, datetime.time(8, n % 60) if n in odd else None] for n in range(1200)]
    content = sheet_bytes(rows)
    values = list(openpyxl.load_workbook(io.BytesIO(content))["Sheet"].iter_rows(min_row=5, values_only=True))
    assert [v[1] for v in values] == list(range(1200))
    assert [v[0] for v in values[:3]] == ["dòng 0", "dòng 1", "dòng 2"]
    assert {n for n, v in enumerate(values) if v[2] is not None} == odd
    assert values[501][2] == datetime.time(8, 21)
