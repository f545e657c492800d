"""Electronic results: attached or generated (WeasyPrint, A4, the unit's heading), coded
<dossier>-KQ<n> with their SHA-256, never overwritten, in the dossier JSON, and
downloaded by the parent through the private tracking link only."""
import hashlib
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from dossiers.models import Document
from dossiers.services import TransitionError, result_issue
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, dossier_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff():
    return StaffFactory(unit__name="Trường mầm non Tuổi Hồng")


def completed(staff, **kwargs):
    procedure = ProcedureFactory(unit=staff.unit, name="Miễn, giảm học phí")
    return dossier_in("completed", procedure=procedure, actor=staff, applicant_name="Phạm Thị Thu", **kwargs)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "kq.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_generated_result_is_an_a4_pdf_with_the_unit_heading_and_its_code(staff, tmp_path):
    PrincipalFactory(unit=staff.unit, first_name="Hạnh", last_name="Trần Thị Mỹ")
    dossier = completed(staff)
    document = result_issue(dossier=dossier, file_bytes=None, actor=staff, text="Cháu được miễn 100% học phí năm học 2026-2027.")
    data = document.file.read()
    assert document.code == f"{dossier.code}-KQ1" and document.kind == "result" and document.form == "KQ"
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.size == len(data)
    text = pdf_text(data, tmp_path)
    for expected in ("TRƯỜNG MẦM NON TUỔI HỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "KẾT QUẢ GIẢI QUYẾT",
                     dossier.code, "Phạm Thị Thu", "miễn 100% học phí", "Trần Thị Mỹ Hạnh", document.code):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(tmp_path / "kq.pdf")], capture_output=True, text=True, check=True).stdout
    assert "pts (A4)" in info


def test_a_changed_result_is_a_new_code_that_supersedes_the_old_one(staff):
    dossier = completed(staff)
    first = result_issue(dossier=dossier, file_bytes=PDF, actor=staff)
    second = result_issue(dossier=dossier, file_bytes=PDF + b"% changed\n", actor=staff)
    assert (first.code, second.code) == (f"{dossier.code}-KQ1", f"{dossier.code}-KQ2")
    assert second.supersedes == first
    first.refresh_from_db()
    assert first.file.read() == PDF  # never overwritten
    assert list(dossier.events.filter(action="issue_result").values_list("note", flat=True)) == [first.code, second.code]


def test_a_result_needs_a_completed_dossier_and_a_pdf(staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(TransitionError):
        result_issue(dossier=dossier_in("processing", actor=staff, procedure=ProcedureFactory(unit=staff.unit)),
                     file_bytes=PDF, actor=staff)
    with pytest.raises(ValidationError):
        result_issue(dossier=completed(staff), file_bytes=b"#!/bin/sh\necho\n", actor=staff)
    assert not Document.objects.exists()


def test_completing_with_an_attached_result_from_the_dossier_page(client, staff):
    dossier = dossier_in("processing", procedure=ProcedureFactory(unit=staff.unit), actor=staff)
    client.force_login(staff)
    client.post(f"/dossiers/{dossier.code}/act/", {
        "action": "complete", "result_file": SimpleUploadedFile("ket-qua.pdf", PDF, "application/pdf")})
    dossier.refresh_from_db()
    assert dossier.status == "completed"
    document = Document.objects.get(dossier=dossier)
    assert document.code == f"{dossier.code}-KQ1" and document.sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_script_renamed_pdf_as_result_leaves_the_dossier_as_it_was(client, staff):
    dossier = dossier_in("processing", procedure=ProcedureFactory(unit=staff.unit), actor=staff)
    client.force_login(staff)
    response = client.post(f"/dossiers/{dossier.code}/act/", {
        "action": "complete", "result_file": SimpleUploadedFile("ket-qua.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf")},
        follow=True)
    dossier.refresh_from_db()
    assert dossier.status == "processing" and not Document.objects.exists()
    assert "không phải là tài liệu PDF" in response.content.decode()


def test_the_dossier_json_lists_results_with_a_url_serving_the_same_bytes(staff):
    dossier = completed(staff)
    document = result_issue(dossier=dossier, file_bytes=PDF, actor=staff)
    client = APIClient()
    client.force_authenticate(staff)
    data = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert data["results"] == [{"code": document.code, "url": data["results"][0]["url"], "sha256": document.sha256}]
    path = data["results"][0]["url"].split("://", 1)[1].split("/", 1)[1]
    served = client.get("/" + path)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    listed = client.get(f"/api/v1/dossiers/?unit={staff.unit.slug}").json()["results"]
    assert listed[0]["results"][0]["sha256"] == document.sha256
    assert APIClient().get("/" + path).status_code in (401, 403)


def test_the_parent_downloads_the_result_through_the_private_link_only(client, staff):
    dossier = completed(staff, applicant_phone="0908765432")
    document = result_issue(dossier=dossier, file_bytes=PDF, actor=staff)
    page = client.get(f"/track/{dossier.code}/", {"s": dossier.tracking_secret}).content.decode()
    link = f"/track/{dossier.code}/results/{document.code}/?s={dossier.tracking_secret}"
    assert link in page
    served = client.get(link)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf" and "attachment" in served["Content-Disposition"]
    assert client.get(f"/track/{dossier.code}/results/{document.code}/").status_code == 404
    assert client.get(f"/track/{dossier.code}/results/{document.code}/", {"s": "doan-bua"}).status_code == 404
    typed = client.post("/track/", {"code": dossier.code, "phone": "5432"}).content.decode()
    assert "/results/" not in typed and "đường liên kết riêng" in typed
