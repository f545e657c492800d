"""The register's line is the number printed on the receipt (form 07 of Thông tư 03/2025,
form 06 of Thông tư 01/2018): given at intake, one after the other in a year, restarting
every year; a line the desk wrote in a paper book first is kept."""
import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dossiers import documents
from tests.factories import ProcedureFactory, StaffFactory, receive_dossier

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=7))


def test_lines_follow_each_other_in_a_year_and_restart_the_next():
    procedure = ProcedureFactory()
    first, second = (receive_dossier(procedure=procedure, received_at=datetime.datetime(2025, 12, 30, 9, i, tzinfo=TZ))
                     for i in range(2))
    paper = receive_dossier(procedure=procedure, register_line=57,
                            received_at=datetime.datetime(2025, 12, 31, 9, tzinfo=TZ))
    new_year = receive_dossier(procedure=procedure, received_at=datetime.datetime(2026, 1, 5, 9, tzinfo=TZ))
    assert (first.register_line, second.register_line, paper.register_line, new_year.register_line) == (1, 2, 57, 1)
    other_unit = receive_dossier(received_at=datetime.datetime(2026, 1, 5, 9, tzinfo=TZ))
    assert other_unit.register_line == 1


def test_the_receipt_and_the_register_download_show_the_same_line(client):
    staff = StaffFactory()
    procedure = ProcedureFactory(unit=staff.unit)
    receive_dossier(procedure=procedure, actor=staff)
    dossier = receive_dossier(procedure=procedure, actor=staff)
    assert dossier.register_line == 2

    text = " ".join(PdfReader(io.BytesIO(documents.render_form_pdf(dossier=dossier, form="01"))).pages[0]
                    .extract_text().split())
    assert "Vào Sổ theo dõi hồ sơ, Số: 2" in text

    client.force_login(staff)
    response = client.get("/dossiers/register.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                     else response.content), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and dossier.code in row]
    assert len(rows) == 1 and rows[0][0] == 2
