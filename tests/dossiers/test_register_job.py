"""A register longer than KPI_EXPORT_ASYNC_ROWS is not written inside the request: the
download hands it to the KPI app's export job (core.registry.large_export), whose page
shows the dossiers written and then the file, with the page's filters kept."""
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from kpi.models import ExportJob
from kpi.services import export_job_run
from tests.factories import ProcedureFactory, StaffFactory, dossier_in
from tests.sheets import table

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(staff):
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    for name in ("Lê Văn Cường", "Lê Thị Hoa", "Phạm Minh Tuấn"):
        dossier_in("processing", procedure=procedure, applicant_name=name)
    return procedure


@override_settings(KPI_EXPORT_ASYNC_ROWS=1)
def test_a_long_register_is_written_by_an_export_job_with_the_filters_kept(
    client, staff, register, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("core.tasks.enqueue", lambda task, *args: sent.append((task.name, args)))
    page = client.get(reverse("dossiers:register"), {"q": "le"}).content.decode()
    assert 'data-testid="export-in-background"' in page and "tệp Excel được ghi trong nền" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("dossiers:register-export"), {"q": "le"})  # without marks: Lê, twice
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.rows_total == 2 and job.params == {"kind": "register", "query": "q=le"}
    assert sent == [("kpi.tasks.export_report", (job.pk,))]
    page = client.get(response["Location"]).content.decode()
    assert "<h1 class=\"h3\">Sổ theo dõi hồ sơ</h1>" in page and "Sổ có 2 hồ sơ nên tệp Excel được ghi trong nền." in page
    assert "Đang chờ đến lượt…" in page and f'href="{reverse("dossiers:register")}?q=le"' in page
    assert 'nav-link active" href="/dossiers/">' in page  # the Dossiers menu item, not the targets'

    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 2 and job.file.name.endswith(".xlsx")
    status = client.get(f"/reports/jobs/{job.pk}/status/").content.decode()
    assert "Sổ theo dõi hồ sơ đã sẵn sàng." in status
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Sổ theo dõi hồ sơ"]
    _header, rows = table(sheet)
    assert sorted(row[4] for row in rows) == ["Lê Thị Hoa", "Lê Văn Cường"]
    assert sheet["A1"].value == "Sổ theo dõi hồ sơ (mẫu số 07, Thông tư 03/2025/TT-VPCP)"

    client.force_login(StaffFactory(unit=staff.unit))  # a colleague does not get another person's file
    assert client.get(f"/reports/jobs/{job.pk}/download/").status_code == 404


@override_settings(KPI_EXPORT_ASYNC_ROWS=1)
def test_a_register_within_the_limit_downloads_at_once(client, staff, register):
    page = client.get(reverse("dossiers:register"), {"q": "Tuấn"}).content.decode()
    assert 'data-testid="result-count">1<' in page and 'data-testid="export-in-background"' not in page
    response = client.get(reverse("dossiers:register-export"), {"q": "Tuấn"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith('attachment; filename="so-theo-doi-ho-so-')
    _header, rows = table(load_workbook(io.BytesIO(response.content))["Sổ theo dõi hồ sơ"])
    assert [row[4] for row in rows] == ["Phạm Minh Tuấn"] and not ExportJob.objects.exists()


@override_settings(KPI_EXPORT_ASYNC_ROWS=1)
def test_a_failed_register_job_says_so_in_vietnamese(client, staff, register, monkeypatch):
    monkeypatch.setattr("core.tasks.enqueue", lambda task, *args: None)
    client.get(reverse("dossiers:register-export"))
    job = ExportJob.objects.get()
    monkeypatch.setattr("dossiers.export.write_register", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        export_job_run(job_id=job.pk)
    assert "Không ghi được sổ theo dõi hồ sơ." in client.get(f"/reports/jobs/{job.pk}/status/").content.decode()


@pytest.mark.celery_worker
@override_settings(KPI_EXPORT_ASYNC_ROWS=1)
def test_a_real_worker_writes_the_long_register_and_the_page_offers_it(celery_worker_process, client):
    import time

    staff = StaffFactory()
    client.force_login(staff)
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    for name in ("Lê Văn Cường", "Lê Thị Hoa"):
        dossier_in("processing", procedure=procedure, applicant_name=name)
    job_page = client.get(reverse("dossiers:register-export"))["Location"]
    job = ExportJob.objects.get()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and ExportJob.objects.get().status in ("pending", "running"):
        time.sleep(0.2)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 2, job.error
    assert "Tải tệp Excel" in client.get(job_page).content.decode()
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    _header, rows = table(load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Sổ theo dõi hồ sơ"])
    assert sorted(row[4] for row in rows) == ["Lê Thị Hoa", "Lê Văn Cường"]


@override_settings(KPI_EXPORT_ASYNC_ROWS=1)
def test_another_units_register_is_refused_before_any_job(client, staff, register):
    from tests.factories import UnitFactory

    other = UnitFactory()
    assert client.get(reverse("dossiers:register-export"), {"unit": other.slug}).status_code == 404
    assert client.get(reverse("dossiers:register"), {"unit": other.slug}).status_code == 404
    assert not ExportJob.objects.exists()
