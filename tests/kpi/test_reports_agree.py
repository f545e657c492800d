"""The API, the dashboard and the Excel file give the same numbers for the same query;
scope and permissions of each."""
import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token

from kpi.models import ExportJob
from kpi.services import plan_create
from tests.sheets import table
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    StaffFactory,
    UnitFactory,
    apologise_for_test,
    feedback_for_test,
    field,
    finish_dossier_for_test,
    receive_dossier,
    survey_response_for_test,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


def at(day):
    return datetime.datetime(2026, 3, day, 9, tzinfo=VN)


@pytest.fixture
def data():
    unit = UnitFactory(slug="mn-a")
    other = UnitFactory(slug="mn-b", office=unit.office)
    plan_create(unit=unit, year=2026)
    for u in (unit, other):
        procedure = ProcedureFactory(unit=u, field=field("xu-ly-don"), processing_days=5)
        finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(2)), completed_at=at(4), timeliness="early")
        late = finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(2)), completed_at=at(20), timeliness="late")
        finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(3)), completed_at=at(25), timeliness="late")
        apologise_for_test(late)
        survey_response_for_test(unit=u, overall=5, submitted_at=at(5))
        survey_response_for_test(unit=u, overall=2, submitted_at=at(5), area_key="xu-ly-don", source="dossier")
        feedback_for_test(unit=u, received_at=at(6), answered_at=at(7), published_at=at(8))
        feedback_for_test(unit=u, received_at=at(6))
    return unit, other


def excel_rows(content):
    """The indicator sheet by (key, field); columns: name, key, target, value, numerator,
    denominator, met, field."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    header, rows = table(book["Chỉ tiêu"])
    assert header[:2] == ["Tên chỉ tiêu", "Mã chỉ tiêu"]  # the Vietnamese name before the key
    return book, {(row[1], row[7] or None): row for row in rows}


@pytest.mark.django_db
def test_api_dashboard_and_excel_agree_for_the_principal(client, data):
    unit, _ = data
    principal = PrincipalFactory(unit=unit)
    client.force_login(principal)
    api = client.get("/api/v1/kpi/", {**QUERY, "unit": unit.slug}).json()
    assert api["unit"] == unit.slug and (api["from"], api["to"]) == ("2026-03-01", "2026-03-31")
    by_key = {(r["key"], r["field"]): r for r in api["indicators"]}
    on_time = by_key[("dossier_on_time_rate", None)]
    assert (on_time["value"], on_time["numerator"], on_time["denominator"], on_time["met"]) == (33.33, 1, 3, False)
    assert by_key[("late_apology_rate", None)]["value"] == 50.0

    page = client.get("/kpi/", QUERY)
    cards = {row["key"]: row for row in page.context["cards"]}
    html = page.content.decode()
    for key, row in cards.items():
        assert row["value"] == by_key[(key, None)]["value"]
        assert f'data-testid="kpi-card-{key}"' in html
    assert 'data-status="missed"' in html and "33,33%" in html

    response = client.get("/reports/kpi.xlsx", QUERY)
    assert response.status_code == 200
    book, rows = excel_rows(b"".join(response.streaming_content))
    assert book.sheetnames == ["Chỉ tiêu", "Sổ theo dõi hồ sơ", "Khảo sát", "PAKN"]
    for (key, field_key), api_row in by_key.items():
        x = rows[(key, field_key)]
        assert (x[4], x[5]) == (api_row["numerator"], api_row["denominator"])
        assert (None if x[3] is None else round(x[3] * 100, 2)) == api_row["value"]
        assert (None if x[2] is None else round(x[2] * 100, 2)) == api_row["target"]
    header, register = table(book["Sổ theo dõi hồ sơ"])
    assert header[:3] == ["Số thứ tự", "Mã hồ sơ", "Tên thủ tục hành chính"] and len(register) == 3
    assert "Hình thức tiếp nhận" in header and {r[header.index("Hình thức tiếp nhận")] for r in register} == {"Trực tiếp tại bộ phận một cửa"}
    sheet = book["Chỉ tiêu"]
    assert sheet["A1"].font.bold and unit.name in sheet["A2"].value and "01/03/2026 – 31/03/2026" in sheet["A3"].value
    assert sheet.freeze_panes == "A7" and sheet.auto_filter.ref.startswith("A6:H")
    assert sheet.print_title_rows == "$6:$6" and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["D7"].number_format == "0.00%" and sheet["F6"].font.bold
    assert "&P" in sheet.oddFooter.center.text
    assert len(sheet._charts) == 1


@pytest.mark.django_db
def test_office_sees_every_unit_together_and_one_row_per_unit(client, data):
    unit, other = data
    office_user = OfficeUserFactory(office=unit.office)
    client.force_login(office_user)
    api = client.get("/api/v1/kpi/", QUERY).json()
    assert api["unit"] is None
    on_time = next(r for r in api["indicators"] if r["key"] == "dossier_on_time_rate" and r["field"] is None)
    assert (on_time["numerator"], on_time["denominator"]) == (2, 6)

    page = client.get("/kpi/", QUERY)
    html = page.content.decode()
    assert html.count('data-testid="unit-row"') == 2 and 'data-testid="missing-targets"' in html
    assert [e["unit"].slug for e in page.context["comparison"]] == sorted(["mn-a", "mn-b"], key=lambda s: {u.slug: u.name for u in (unit, other)}[s])

    content = b"".join(client.get("/reports/kpi.xlsx", QUERY).streaming_content)
    book, rows = excel_rows(content)
    assert book.sheetnames == ["Chỉ tiêu", "Sổ theo dõi hồ sơ", "Khảo sát", "PAKN", "Đơn vị"]
    assert (rows[("dossier_on_time_rate", None)][4], rows[("dossier_on_time_rate", None)][5]) == (2, 6)
    assert book["Chỉ tiêu"]["A2"].value == f"Đơn vị: {unit.office.name}"  # the office's own report
    units = table(book["Đơn vị"])[1]
    assert sorted(u[0] for u in units) == sorted([unit.name, other.name])
    assert {u[0]: u[1] for u in units}[other.name] == "Thiếu"

    drill = client.get("/kpi/", {**QUERY, "unit": other.slug})
    assert drill.status_code == 200 and drill.context["unit"] == other


@pytest.mark.django_db
def test_units_of_other_offices_are_not_found(client, data):
    stranger_unit = UnitFactory()
    client.force_login(PrincipalFactory(unit=data[0]))
    assert client.get("/api/v1/kpi/", {"unit": stranger_unit.slug}).status_code == 404
    assert client.get("/api/v1/kpi/", {"unit": data[1].slug}).status_code == 404
    assert client.get("/reports/kpi.xlsx", {"unit": data[1].slug}).status_code == 404
    client.force_login(OfficeUserFactory())
    assert client.get("/api/v1/kpi/", {"unit": data[0].slug}).status_code == 404


@pytest.mark.django_db
def test_token_auth_and_bad_periods(client, data):
    staff = StaffFactory(unit=data[0])
    token = Token.objects.create(user=staff)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/v1/kpi/", QUERY, **auth).json()["unit"] == data[0].slug
    assert client.get("/reports/kpi.xlsx", QUERY, **auth).status_code == 200
    bad = client.get("/api/v1/kpi/", {"from": "2026-04-01", "to": "2026-03-01"}, **auth)
    assert bad.status_code == 400 and "to" in bad.json()
    assert client.get("/api/v1/kpi/", {"from": "01/03/2026"}, **auth).status_code == 400
    assert client.get("/api/v1/kpi/").status_code in (401, 403)


@pytest.mark.django_db
def test_empty_period_answers_null_values(client, data):
    client.force_login(PrincipalFactory(unit=data[0]))
    api = client.get("/api/v1/kpi/", {"from": "2025-01-01", "to": "2025-01-31"}).json()
    assert all(r["value"] is None and r["met"] is None for r in api["indicators"])


@pytest.mark.django_db
@override_settings(KPI_EXPORT_ASYNC_ROWS=2)
def test_large_register_goes_to_an_export_job(client, data, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("core.tasks.enqueue", lambda task, *args: sent.append(args))
    client.force_login(PrincipalFactory(unit=data[0]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/reports/kpi.xlsx", QUERY, HTTP_ACCEPT="text/html")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/jobs/{job.pk}/"
    assert sent == [(job.pk,)] and job.rows_total == 3
    page = client.get(response["Location"])
    assert b"<progress" in page.content and b'hx-trigger="every 1s"' in page.content

    from kpi.services import export_job_run

    export_job_run(job_id=job.pk)
    export_job_run(job_id=job.pk)  # a second delivery does nothing
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 3
    assert b"export-ready" in client.get(f"/reports/jobs/{job.pk}/status/").content
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    book, rows = excel_rows(b"".join(download.streaming_content))
    api = client.get("/api/v1/kpi/", QUERY).json()
    assert rows[("dossier_on_time_rate", None)][5] == next(r["denominator"] for r in api["indicators"] if r["key"] == "dossier_on_time_rate")
    client.force_login(StaffFactory(unit=data[0]))
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.django_db
@override_settings(KPI_EXPORT_ASYNC_ROWS=2)
def test_the_export_job_records_its_progress_while_writing(client, data, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("core.tasks.enqueue", lambda task, *args: None)
    monkeypatch.setattr("dossiers.export.CHUNK", 1)
    monkeypatch.setattr("dossiers.export.PROGRESS_SECONDS", 0)
    client.force_login(PrincipalFactory(unit=data[0]))
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/reports/kpi.xlsx", QUERY, HTTP_ACCEPT="text/html")
    job = ExportJob.objects.get()
    status_url = f"/reports/jobs/{job.pk}/status/"
    pages = []

    from kpi import excel
    from kpi.services import export_job_run

    write_report = excel.write_report

    def watched(destination, *, progress, **kwargs):
        pages.append(client.get(status_url).content.decode())  # before the register

        def recorded(done):
            progress(done)
            pages.append(client.get(status_url).content.decode())

        return write_report(destination, progress=recorded, **kwargs)

    monkeypatch.setattr("kpi.excel.write_report", watched)
    export_job_run(job_id=job.pk)
    # what the page polled: the indicators first, each dossier as it was written, then the rest of the file
    assert "Đang tính các chỉ tiêu" in pages[0]
    assert ['value="1"' in pages[1], 'value="2"' in pages[2], 'value="3"' in pages[3]] == [True] * 3
    assert "Đã ghi 1/3 hồ sơ" in pages[1] and "Đã ghi đủ 3 hồ sơ; đang hoàn tất" in pages[3]
    assert len(pages) == 4 and "export-ready" in client.get(status_url).content.decode()
