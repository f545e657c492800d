"""Written reports: the API of docs/interfaces.md, the DOCX and the PDF (heading, number, period,
annex numbers equal to the API's), frozen at submission, corrections as new versions,
and the office's view of a period with its ZIP and consolidated workbook."""
import datetime
import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from kpi.models import Report
from kpi.services import plan_create, plan_task_save
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    StaffFactory,
    UnitFactory,
    field,
    finish_dossier_for_test,
    receive_dossier,
    survey_response_for_test,
)
from tests.sheets import table

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = {"unit": None, "kind": "quarter", "year": 2026, "quarter": 1}


def at(month, day, year=2026):
    return datetime.datetime(year, month, day, 9, tzinfo=VN)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def unit():
    unit = UnitFactory(slug="mn-tuoi-hong", name="Trường mầm non Tuổi Hồng", abbreviation="MNTH",
                       parent_body="Ủy ban nhân dân phường Bến Thành", place_name="Bến Thành")
    plan = plan_create(unit=unit, year=2026, number="16/KH-MNTH")
    plan_task_save(plan=plan, group="procedures", title="Công khai đầy đủ thủ tục hành chính", in_charge="Tổ văn phòng",
                   deadline=datetime.date(2026, 3, 31))
    procedure = ProcedureFactory(unit=unit, field=field("xac-nhan"))
    # 15/12/2025 – 14/3/2026: two in the quarter (one early, one late), one after it
    finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(12, 16, 2025)), completed_at=at(12, 18, 2025),
                            timeliness="early")
    finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(3, 2)), completed_at=at(3, 13), timeliness="late")
    finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(3, 16)), completed_at=at(3, 17), timeliness="on_time")
    survey_response_for_test(unit=unit, overall=5, submitted_at=at(1, 10))
    return unit


@pytest.fixture
def principal(unit):
    return PrincipalFactory(unit=unit, first_name="Bắc", last_name="Vũ Thị Ngọc")


def create(client, unit, **overrides):
    return client.post("/api/v1/reports/", {**Q1, "unit": unit.slug, **overrides}, content_type="application/json")


def submit(client, report_id):
    return client.post(f"/api/v1/reports/{report_id}/actions/", {"action": "submit"}, content_type="application/json")


def fetch(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_principal_creates_a_draft_submits_it_once_and_it_is_numbered(client, unit, principal):
    client.force_login(principal)
    response = create(client, unit)
    assert response.status_code == 201
    draft = response.json()
    assert {k: draft[k] for k in ("kind", "year", "quarter", "from", "to", "number", "status", "submitted_at")} == {
        "kind": "quarter", "year": 2026, "quarter": 1, "from": "2025-12-15", "to": "2026-03-14", "number": None,
        "status": "draft", "submitted_at": None}
    assert draft["docx_url"].endswith(f"/kpi/reports/{draft['id']}/bao-cao.docx") and draft["pdf_url"].endswith(".pdf")
    assert create(client, unit).status_code == 409  # one draft per period

    submitted = submit(client, draft["id"])
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["number"]) == ("submitted", 1)
    assert submitted.json()["submitted_at"]
    assert submit(client, draft["id"]).status_code == 409

    half = create(client, unit, kind="half", quarter=None).json()
    assert half["quarter"] is None and (half["from"], half["to"]) == ("2025-12-15", "2026-06-14")
    assert submit(client, half["id"]).json()["number"] == 2  # per unit and year, no gap
    listed = client.get("/api/v1/reports/", {"unit": unit.slug, "year": 2026}).json()
    assert listed["count"] == 2 and {r["number"] for r in listed["results"]} == {1, 2}


@pytest.mark.django_db
def test_staff_cannot_write_or_submit_and_the_office_reads_only_submitted_reports(client, unit, principal):
    client.force_login(StaffFactory(unit=unit))
    assert create(client, unit).status_code == 403
    client.force_login(principal)
    draft = create(client, unit).json()
    client.force_login(StaffFactory(unit=unit))
    assert submit(client, draft["id"]).status_code == 403
    office = OfficeUserFactory(office=unit.office)
    client.force_login(office)
    assert client.get("/api/v1/reports/").json()["count"] == 0
    assert client.get(draft["pdf_url"]).status_code == 404
    assert create(client, unit).status_code == 403
    client.force_login(principal)
    submit(client, draft["id"])
    client.force_login(office)
    assert [r["id"] for r in client.get("/api/v1/reports/").json()["results"]] == [draft["id"]]
    other = StaffFactory()
    client.force_login(other)
    assert client.get(draft["pdf_url"]).status_code == 404


@pytest.mark.django_db
def test_docx_and_pdf_carry_heading_number_period_and_the_apis_numbers(client, unit, principal):
    client.force_login(principal)
    report = create(client, unit).json()
    client.post(f"/kpi/reports/{report['id']}/", {
        "narrative_procedures": "Đã công khai 100% thủ tục hành chính trên trang thông tin điện tử.",
        "difficulties": "Phần mềm một cửa còn chậm.", "proposals": "Đề nghị tập huấn chữ ký số.",
        "recipients": "Ủy ban nhân dân phường Bến Thành"})
    report = submit(client, report["id"]).json()
    api = client.get("/api/v1/kpi/", {"unit": unit.slug, "from": report["from"], "to": report["to"]}).json()["indicators"]
    on_time = next(r for r in api if r["key"] == "dossier_on_time_rate" and r["field"] is None)
    assert (on_time["numerator"], on_time["denominator"]) == (1, 2)

    document = Document(io.BytesIO(fetch(client, report["docx_url"])))
    text = "\n".join(p.text for p in document.paragraphs)
    heading = document.tables[0]
    assert "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH" in heading.cell(0, 0).text and "TRƯỜNG MẦM NON TUỔI HỒNG" in heading.cell(0, 0).text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading.cell(0, 1).text and "Độc lập - Tự do - Hạnh phúc" in heading.cell(0, 1).text
    assert heading.cell(1, 0).text == "Số: 01/BC-MNTH" and heading.cell(1, 1).text.startswith("Bến Thành, ngày ")
    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026" in text
    assert "từ ngày 15/12/2025 đến ngày 14/03/2026" in text
    assert "3. Cải cách thủ tục hành chính" in text and "Đã công khai 100% thủ tục hành chính" in text
    assert "Phần mềm một cửa còn chậm." in text and "Đề nghị tập huấn chữ ký số." in text
    signature = document.tables[1]
    assert "Nơi nhận:" in signature.cell(0, 0).text and "Ủy ban nhân dân phường Bến Thành;" in signature.cell(0, 0).text
    assert "- Lưu: VT, MNTH." in signature.cell(0, 0).text
    assert "HIỆU TRƯỞNG" in signature.cell(0, 1).text and "Vũ Thị Ngọc Bắc" in signature.cell(0, 1).text
    annex = document.tables[2]
    rows = [[c.text for c in row.cells] for row in annex.rows[1:]]
    assert len(rows) == len(api)
    for row, api_row in zip(rows, api):
        assert (int(row[4]), int(row[5])) == (api_row["numerator"], api_row["denominator"])
        value = None if row[3] == "—" else float(row[3].rstrip("%").replace(",", "."))
        assert value == api_row["value"]

    pdf_bytes = fetch(client, report["pdf_url"])
    artifacts = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "written-report.pdf").write_bytes(pdf_bytes)  # for a person to look at
    pdf = PdfReader(io.BytesIO(pdf_bytes))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 01/BC-MNTH", "BÁO CÁO", "quý I năm 2026",
                   "15/12/2025", "14/03/2026", "Nơi nhận:", "PHỤ LỤC", "Cải cách thủ tục hành chính"):
        assert needle in pdf_text, needle
    assert "50,00%" in pdf_text  # the on-time rate of the quarter, as the API gives it


@pytest.mark.django_db
def test_a_submitted_report_does_not_change_when_new_dossiers_arrive(client, unit, principal):
    client.force_login(principal)
    report = submit(client, create(client, unit).json()["id"]).json()
    pdf, docx = fetch(client, report["pdf_url"]), fetch(client, report["docx_url"])
    frozen = Report.objects.get(pk=report["id"]).frozen["figures"]
    procedure = unit.procedures.first()
    for day in (3, 5, 9):
        finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(3, day)), completed_at=at(3, day + 1),
                                timeliness="early")
    assert fetch(client, report["pdf_url"]) == pdf and fetch(client, report["docx_url"]) == docx
    assert Report.objects.get(pk=report["id"]).frozen["figures"] == frozen
    api = client.get("/api/v1/kpi/", {"unit": unit.slug, "from": report["from"], "to": report["to"]}).json()["indicators"]
    assert next(r for r in api if r["key"] == "dossier_on_time_rate" and r["field"] is None)["denominator"] == 5
    assert next(r for r in frozen if r["key"] == "dossier_on_time_rate" and r["field"] is None)["denominator"] == 2

    correction = create(client, unit).json()
    assert (correction["version"], correction["replaces"]) == (2, report["id"])
    correction = submit(client, correction["id"]).json()
    assert correction["number"] == 2
    text = "\n".join(p.text for p in Document(io.BytesIO(fetch(client, correction["docx_url"]))).paragraphs)
    assert "Báo cáo này thay thế Báo cáo 01/BC-MNTH" in text


@pytest.mark.django_db
def test_office_sees_who_submitted_who_is_late_and_downloads_the_period(client, unit, principal):
    late_unit = UnitFactory(office=unit.office, name="Trường mầm non Hoa Mai")
    office = OfficeUserFactory(office=unit.office)
    client.force_login(office)
    response = client.post("/kpi/reports/office/deadline/", {"kind": "quarter", "year": 2026, "quarter": 1,
                                                             "due_date": "20/03/2026"})
    assert response.status_code == 302
    # Before any unit has sent its report: no ZIP to download, and the page says why.
    page = client.get("/kpi/reports/office/", {"kind": "quarter", "year": 2026, "quarter": 1}).content.decode()
    assert 'data-testid="download-zip"' not in page and 'data-testid="download-zip-none"' in page
    assert "Chưa đơn vị nào gửi báo cáo kỳ này" in page
    # Quarters are picked by the numerals their reports are named with ("quý I năm 2026").
    assert '<option value="1" selected>I</option>' in page and '<option value="4">IV</option>' in page
    client.force_login(principal)
    submit(client, create(client, unit).json()["id"])
    Report.objects.filter(unit=unit).update(submitted_at=at(3, 18))  # as if sent two days before the deadline

    client.force_login(office)
    page = client.get("/kpi/reports/office/", {"kind": "quarter", "year": 2026, "quarter": 1}).content.decode()
    assert f'data-testid="unit-{unit.slug}" data-status="submitted"' in page
    assert f'data-testid="unit-{late_unit.slug}" data-status="late"' in page
    assert 'data-testid="download-zip"' in page and "Chưa đơn vị nào gửi" not in page
    archive = zipfile.ZipFile(io.BytesIO(fetch(client, "/kpi/reports/office/bao-cao.zip?kind=quarter&year=2026&quarter=1")))
    assert sorted(archive.namelist()) == [f"{unit.slug}-so-1-v1.docx", f"{unit.slug}-so-1-v1.pdf"]
    assert archive.read(f"{unit.slug}-so-1-v1.pdf") == Report.objects.get(unit=unit).pdf.read()
    book = openpyxl.load_workbook(io.BytesIO(fetch(client, "/kpi/reports/office/bao-cao.xlsx?kind=quarter&year=2026&quarter=1")))
    assert book.sheetnames == ["Tổng hợp", "Chỉ tiêu các đơn vị"]
    header, rows = table(book["Tổng hợp"])
    by_unit = {r[1]: r for r in rows}
    assert by_unit[unit.name][2] == "01/BC-MNTH" and by_unit[late_unit.name][2] == "Chưa gửi"
    assert by_unit[late_unit.name][6] == "Quá hạn" and not by_unit[unit.name][6]
    on_time = header.index("Dossiers resolved on time") if "Dossiers resolved on time" in header else None
    assert on_time is None or by_unit[unit.name][on_time] == 0.5


@pytest.mark.django_db
def test_a_failed_submission_gives_its_number_back_and_a_deputy_signs_for_the_head(unit, principal, monkeypatch):
    from kpi import report_documents
    from kpi.report_services import report_create, report_submit

    deputy = PrincipalFactory(unit=unit, first_name="Lan", last_name="Trần Thị", is_deputy_head=True,
                              job_title="Phó Hiệu trưởng")
    report = report_create(unit=unit, kind="quarter", year=2026, quarter=1, actor=deputy)

    def broken(content):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(report_documents, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        report_submit(report=report, actor=deputy)
    report.refresh_from_db()
    assert (report.status, report.number) == ("draft", None)
    monkeypatch.undo()
    report = report_submit(report=report, actor=deputy)
    assert report.number == 1
    signature = Document(report.docx.open("rb")).tables[1].cell(0, 1).text
    assert "KT. HIỆU TRƯỞNG" in signature and "PHÓ HIỆU TRƯỞNG" in signature and "Trần Thị Lan" in signature


@pytest.mark.django_db
def test_the_database_holds_one_draft_per_period_even_without_a_quarter(unit):
    from django.db import IntegrityError, transaction

    from kpi.report_services import report_create

    report = report_create(unit=unit, kind="year", year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(unit=unit, kind="year", year=2026, period_start=report.period_start,
                              period_end=report.period_end, version=2)


@pytest.mark.django_db
def test_a_province_lists_the_reports_it_waits_for_by_status_fifty_to_a_page(client, unit, principal):
    """A thousand schools report to a province: the list filters by status, with how many in
    each, and shows fifty at a time; the period and the filter stay on every page."""
    for i in range(55):
        UnitFactory(office=unit.office, name=f"Trường mầm non Z {i:02d}")
    office = OfficeUserFactory(office=unit.office)
    client.force_login(principal)
    submit(client, create(client, unit).json()["id"])
    client.force_login(office)
    client.post("/kpi/reports/office/deadline/", {"kind": "quarter", "year": 2026, "quarter": 1, "due_date": "20/03/2026"})
    period = {"kind": "quarter", "year": 2026, "quarter": 1}

    everyone = client.get("/kpi/reports/office/", period).content.decode()
    assert everyone.count('<tr data-testid="unit-') == 50 and "Đơn vị 1–50 trên tổng số 56" in everyone
    assert "Tất cả đơn vị (56)" in everyone and "Đã gửi (1)" in everyone and "Quá hạn, chưa gửi (55)" in everyone
    assert "Chưa gửi (0)" in everyone
    assert "1/56 đơn vị đã gửi báo cáo." in everyone  # the summary counts them all

    late = client.get("/kpi/reports/office/", {**period, "status": "late", "page": 2}).content.decode()
    assert late.count('data-status="late"') == 5 and 'data-status="submitted"' not in late
    assert "1/56 đơn vị đã gửi báo cáo." in late
    assert 'href="?kind=quarter&amp;year=2026&amp;quarter=1&amp;status=late&amp;page=1"' in late
    submitted = client.get("/kpi/reports/office/", {**period, "status": "submitted"}).content.decode()
    assert f'data-testid="unit-{unit.slug}" data-status="submitted"' in submitted
    assert submitted.count('<tr data-testid="unit-') == 1
    waiting = client.get("/kpi/reports/office/", {**period, "status": "waiting"}).content.decode()
    assert "Không có đơn vị nào trong danh sách này." in waiting


@pytest.mark.django_db
def test_an_office_with_no_unit_in_the_period_is_told_so_without_filters(client):
    client.force_login(OfficeUserFactory())
    page = client.get("/kpi/reports/office/", {"kind": "quarter", "year": 2026, "quarter": 3}).content.decode()
    assert "Trong kỳ này, cơ quan chưa quản lý đơn vị nào." in page
    assert 'data-testid="status-filter"' not in page and '<tr data-testid="unit-' not in page
