import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Feedback, FeedbackAttachment
from feedback.uploads import MAX_SIZE
from tests.factories import OfficeUserFactory, StaffFactory, UnitFactory

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def send(client, unit, *files):
    data = {"kind": "phan-anh", "subject": "Ảnh sân chơi", "content": "Sân chơi có gạch vỡ, xem ảnh.", "consent_publish": "on",
            "attachments": list(files)}
    return client.post(f"/feedback/new/?unit={unit.slug}", data)


@pytest.mark.django_db
def test_images_and_pdf_are_kept_privately_under_a_random_name(client, media):
    unit = UnitFactory()
    response = send(client, unit, SimpleUploadedFile("ảnh của tôi.png", PNG, "image/png"),
                    SimpleUploadedFile("don.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    rows = list(FeedbackAttachment.objects.order_by("id").values("original_name", "content_type", "size", "file"))
    assert [(r["original_name"], r["content_type"], r["size"]) for r in rows] == [
        ("ảnh của tôi.png", "image/png", len(PNG)), ("don.pdf", "application/pdf", len(PDF)),
    ]
    assert all("ảnh" not in r["file"] and r["file"].startswith("feedback/") for r in rows)
    assert (media / rows[0]["file"]).read_bytes() == PNG


@pytest.mark.django_db
@pytest.mark.parametrize("name,ctype", [("anh.jpg", "image/jpeg"), ("don.pdf", "application/pdf"), ("setup.exe", "application/octet-stream")])
def test_an_executable_is_refused_whatever_its_name(client, name, ctype):
    unit = UnitFactory()
    response = send(client, unit, SimpleUploadedFile(name, EXE, ctype))
    assert response.status_code == 400
    assert "không phải ảnh hoặc tài liệu PDF" in response.content.decode()
    assert not Feedback.objects.exists() and not FeedbackAttachment.objects.exists()


@pytest.mark.django_db
def test_an_oversize_file_and_too_many_files_are_refused(client):
    unit = UnitFactory()
    big = SimpleUploadedFile("to.png", PNG + b"\x00" * MAX_SIZE, "image/png")
    response = send(client, unit, big)
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    many = [SimpleUploadedFile(f"{i}.png", PNG, "image/png") for i in range(4)]
    response = send(client, unit, *many)
    assert response.status_code == 400 and "tối đa 3 tệp" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_attachments_are_served_only_to_the_units_staff(client):
    staff = StaffFactory()
    send(client, staff.unit, SimpleUploadedFile("a.png", PNG, "image/png"))
    feedback = Feedback.objects.get()
    url = f"/feedback/inbox/{feedback.code}/attachments/{feedback.attachments.get().pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(StaffFactory())  # another unit
    assert client.get(url).status_code == 404
    client.force_login(OfficeUserFactory(office=staff.unit.office))
    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
