"""The parent's online submission: the public pages, the uploads judged by content,
consent, honeypot and per-address limits — and nothing kept when an upload is bad."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Submission, SubmissionFile
from tests.dossiers.online_helpers import PDF, PNG, SCRIPT, online_procedure, person, submit, two_documents


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    folder = media / "submissions"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.django_db
def test_the_list_shows_only_procedures_open_online(client):
    procedure = online_procedure(name="Miễn, giảm học phí")
    online_procedure(unit=procedure.unit, online="none", name="Xác nhận học sinh")
    online_procedure(unit=procedure.unit, online="partial", name="Chuyển trường")
    response = client.get(f"/u/{procedure.unit.slug}/nop-ho-so/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Miễn, giảm học phí" in text and "Chuyển trường" in text and "Xác nhận học sinh" not in text


@pytest.mark.django_db
def test_a_procedure_not_open_online_has_no_form(client):
    procedure = online_procedure(online="none")
    assert client.get(f"/u/{procedure.unit.slug}/nop-ho-so/{procedure.code}/").status_code == 404


@pytest.mark.django_db
def test_the_form_has_one_upload_per_required_document(client):
    procedure = online_procedure(required_documents=["Đơn đề nghị", "Giấy khai sinh", "Sổ hộ nghèo"])
    text = client.get(f"/u/{procedure.unit.slug}/nop-ho-so/{procedure.code}/").content.decode()
    for n in (1, 2, 3):
        assert f'name="document_{n}"' in text
    assert 'name="document_4"' not in text
    assert "Sổ hộ nghèo" in text and 'name="consent"' in text


@pytest.mark.django_db
def test_a_parent_submits_and_gets_a_reference_and_a_private_link(client, media):
    procedure = online_procedure()
    response = submit(client, procedure)
    assert response.status_code == 200
    submission = Submission.objects.get()
    text = response.content.decode()
    assert submission.reference in text
    assert f"/track/online/{submission.reference}/?s={submission.secret}" in text
    assert submission.status == "new" and submission.applicant_email == "thu@example.com"
    files = list(submission.files.order_by("position"))
    assert [(f.position, f.name, f.content_type) for f in files] == [
        (1, "Đơn đề nghị", "application/pdf"), (2, "Bản sao giấy khai sinh", "image/png")]
    assert (media / files[1].file.name).read_bytes() == PNG
    assert "giay khai sinh" not in files[1].file.name  # a random stored name


@pytest.mark.django_db
@pytest.mark.parametrize("name,content,message", [
    ("ghi-chu.txt", b"Xin chao, day la van ban thuong.\n" * 10, "chỉ nhận ảnh JPEG, PNG, WebP, HEIC và tệp PDF"),
    ("don.pdf", SCRIPT, "chỉ nhận ảnh JPEG, PNG, WebP, HEIC và tệp PDF"),
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "chỉ nhận ảnh JPEG, PNG, WebP, HEIC và tệp PDF"),
])
def test_a_file_that_is_not_a_photo_or_pdf_is_refused_and_nothing_is_kept(client, media, name, content, message):
    procedure = online_procedure()
    files = two_documents()
    files["document_2"] = SimpleUploadedFile(name, content, "application/pdf")
    response = submit(client, procedure, files=files)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_file_too_large_is_refused_with_the_limit_and_nothing_is_kept(client, media, settings):
    settings.SUBMISSION_MAX_FILE_MB = 1
    procedure = online_procedure()
    files = two_documents()
    files["document_1"] = SimpleUploadedFile("don.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    response = submit(client, procedure, files=files)
    text = response.content.decode()
    assert response.status_code == 400
    assert "quá lớn" in text and "1,0\xa0MB" in text
    assert not Submission.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_documents_too_large_together_are_refused(client, media, settings):
    settings.SUBMISSION_MAX_TOTAL_MB = 1
    procedure = online_procedure()
    big = PDF + b"0" * (600 * 1024)
    files = {"document_1": SimpleUploadedFile("a.pdf", big, "application/pdf"),
             "document_2": SimpleUploadedFile("b.pdf", big, "application/pdf")}
    response = submit(client, procedure, files=files)
    assert response.status_code == 400
    assert "tổng cộng" in response.content.decode()
    assert not Submission.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_a_missing_document_and_no_consent_are_explained(client):
    procedure = online_procedure()
    response = submit(client, procedure, data=person(consent=""), files={"document_1": two_documents()["document_1"]})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng đính kèm giấy tờ này" in text and "Vui lòng xác nhận" in text
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_kept(client, media):
    procedure = online_procedure()
    response = submit(client, procedure, data=person(website="http://spam.example"))
    assert response.status_code == 200
    assert not Submission.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.redis
def test_one_address_may_send_five_dossiers_in_ten_minutes(client):
    procedure = online_procedure()
    statuses = [submit(client, procedure, address="10.9.9.9").status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert Submission.objects.count() == 5
    assert submit(client, procedure, address="10.9.9.10").status_code == 200


@pytest.mark.django_db
def test_the_private_link_shows_the_state_and_the_refusal_reason(client):
    from dossiers.submissions import submission_refuse
    from tests.factories import StaffFactory

    procedure = online_procedure()
    submit(client, procedure)
    submission = Submission.objects.get()
    url = f"/track/online/{submission.reference}/"
    assert client.get(url).status_code == 404
    assert client.get(url, {"s": "wrong"}).status_code == 404
    assert "đang chờ đơn vị kiểm tra" in client.get(url, {"s": submission.secret}).content.decode()
    submission_refuse(submission=submission, reason="Ảnh giấy khai sinh bị mờ.", actor=StaffFactory(unit=procedure.unit))
    text = client.get(url, {"s": submission.secret}).content.decode()
    assert "Ảnh giấy khai sinh bị mờ." in text


@pytest.mark.django_db
def test_once_accepted_the_private_link_leads_to_the_dossier_tracking_page(client):
    from dossiers.submissions import submission_accept
    from tests.factories import StaffFactory

    procedure = online_procedure()
    submit(client, procedure)
    submission = submission_accept(submission=Submission.objects.get(), actor=StaffFactory(unit=procedure.unit))
    response = client.get(f"/track/online/{submission.reference}/", {"s": submission.secret}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/track/{submission.dossier.code}/?s={submission.secret}"
    assert submission.dossier.code in response.content.decode()


@pytest.mark.django_db
def test_the_online_applicant_opens_the_receipt_through_the_private_link(client, tmp_path):
    import subprocess

    from dossiers.submissions import submission_accept
    from tests.factories import StaffFactory

    procedure = online_procedure()
    submit(client, procedure)
    submission = submission_accept(submission=Submission.objects.get(), actor=StaffFactory(unit=procedure.unit))
    code = submission.dossier.code
    track = client.get(f"/track/{code}/", {"s": submission.secret}).content.decode()
    assert f"/track/{code}/receipt/?s={submission.secret}" in track
    receipt = client.get(f"/track/{code}/receipt/", {"s": submission.secret})
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    path = tmp_path / "receipt.pdf"
    path.write_bytes(receipt.content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text and code in text and "Đơn đề nghị" in text
    assert client.get(f"/track/{code}/receipt/").status_code == 404
    assert client.get(f"/track/{code}/receipt/", {"s": "x"}).status_code == 404
