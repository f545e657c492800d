"""Public verification: POST /api/v1/verify/, GET /api/v1/trust/, /verify/ and
/verify/<code>/ — clear answers for every file, never a 500, no personal data."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers import signatures, verification
from tests.signing.conftest import issue_test_document, write_p12

pytestmark = pytest.mark.django_db
API = "/api/v1/verify/"


def read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def signed(school):
    issued = issue_test_document(school["dossier"], form="04")
    return signatures.document_sign(document=issued, actor=school["principal"])


def upload(client, data: bytes, name="van-ban.pdf", url=API):
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_api_finds_a_signed_document_valid_and_names_it(client, signed, school):
    answer = upload(client, read(signed))
    assert answer.status_code == 200
    body = answer.json()
    assert {k: body[k] for k in ("valid", "intact", "trusted", "status")} == {
        "valid": True, "intact": True, "trusted": True, "status": "valid"}
    assert body["signer"] == "Trần Thị Mỹ Hạnh (test)" and body["signed_at"].startswith(str(signed.signed_at.year))
    assert body["document"] == {"code": signed.code, "form": "04", "unit": school["unit"].name}


def test_api_on_one_byte_changed(client, signed):
    data = bytearray(read(signed))
    data[len(data) // 3] ^= 0x01
    body = upload(client, bytes(data)).json()
    assert body["valid"] is False and body["document"] is None and body["status"] in ("tampered", "invalid", "damaged")


def test_api_on_an_unknown_certificate(client, school, keys, stranger_authority, settings):
    from core import signing

    write_p12(keys, stranger_authority, "user-stranger", "Người lạ")
    issued = issue_test_document(school["dossier"], form="04")
    forged = signing.sign_pdf(read(issued), signer="user-stranger", reason="x", location="x", stamp_text="x",
                              qr_url="http://x/", field_name="x")
    body = upload(client, forged).json()
    assert (body["valid"], body["intact"], body["trusted"], body["status"]) == (False, True, False, "untrusted")
    assert body["message"].startswith("Tệp còn nguyên vẹn")


def test_api_on_an_issued_but_unsigned_document_finds_it_and_says_unsigned(client, school, keys):
    issued = issue_test_document(school["dossier"], form="04")
    body = upload(client, read(issued)).json()
    assert body["status"] == "unsigned" and body["valid"] is False and body["document"]["code"] == issued.code


def test_api_on_a_file_that_is_not_a_pdf(client, keys):
    body = upload(client, "Xin chào".encode(), name="thu.txt").json()
    assert body["status"] == "not_pdf" and body["message"] == "Tệp này không phải là tệp PDF."


def test_api_refuses_a_50_mb_upload_before_reading_it(client, keys):
    answer = upload(client, b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024))
    assert answer.status_code == 413 and answer.json()["status"] == "too_large"


def test_api_without_a_file_says_which_field(client, keys):
    answer = client.post(API, {})
    assert answer.status_code == 400 and "file" in answer.json()


def test_api_is_rate_limited_per_address(client, keys, base_pdf, monkeypatch):
    monkeypatch.setattr(verification, "UPLOAD_LIMITS", ((600, 2),))
    statuses = [upload(client, base_pdf).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    other = upload(client, base_pdf).status_code  # same address: still limited
    assert other == 429


def test_api_needs_no_account_and_ignores_a_session(client, signed, school):
    client.force_login(school["staff"])
    assert upload(client, read(signed)).json()["valid"] is True


def test_trust_endpoint_serves_the_roots_as_pem_and_json(client, keys, authority):
    answer = client.get("/api/v1/trust/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/plain")
    assert answer.content.decode().strip() == authority.pem.decode().strip()
    as_json = client.get("/api/v1/trust/", HTTP_ACCEPT="application/json")
    assert as_json.json()["pem"].strip() == authority.pem.decode().strip()


def test_openapi_schema_describes_verify_and_trust_with_examples(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    verify = schema["paths"]["/api/v1/verify/"]["post"]
    assert "multipart/form-data" in verify["requestBody"]["content"]
    examples = verify["responses"]["200"]["content"]["application/json"]["examples"]
    assert {"SignedAndIntact", "OneByteChanged", "NotAPDF"} <= set(examples)
    assert verify["security"] == [{}]  # no account needed
    assert "/api/v1/trust/" in schema["paths"]


# --- Pages ----------------------------------------------------------------------------------
def test_verify_page_answers_in_vietnamese_for_a_valid_file(client, signed, school):
    page = client.get(reverse("dossiers:verify"))
    assert page.status_code == 200 and "Kiểm tra văn bản đã ký số" in page.content.decode()
    result = upload(client, read(signed), url=reverse("dossiers:verify"))
    html = result.content.decode()
    assert result.status_code == 200 and 'data-status="valid"' in html
    assert "Chữ ký số hợp lệ" in html and signed.code in html and school["unit"].name in html


@pytest.mark.parametrize("data,status", [
    (b"not a pdf at all", "not_pdf"),
    (b"%PDF-1.7\n" + b"\xff" * 3000, "damaged"),
])
def test_verify_page_gives_a_clear_answer_for_bad_files(client, keys, data, status):
    result = upload(client, data, url=reverse("dossiers:verify"))
    assert result.status_code == 200 and f'data-status="{status}"' in result.content.decode()


def test_verify_page_refuses_a_50_mb_upload(client, keys):
    result = upload(client, b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024), url=reverse("dossiers:verify"))
    assert result.status_code == 413 and "Tệp quá lớn" in result.content.decode()


def test_verify_page_keeps_csrf_protection(keys, base_pdf):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert upload(strict, base_pdf, url=reverse("dossiers:verify")).status_code == 403


def test_qr_page_shows_the_document_and_no_personal_data(client, signed, school):
    dossier = school["dossier"]
    page = client.get(reverse("dossiers:verify-document", args=[signed.code]))
    html = page.content.decode()
    assert page.status_code == 200
    for shown in (school["unit"].name, signed.code, "Trần Thị Mỹ Hạnh", "Đã ký số", "Mẫu số 04", signed.sha256):
        assert shown in html, shown
    assert dossier.applicant_name not in html and dossier.applicant_phone not in html
    assert "N.V.A." in html


def test_qr_page_for_an_unknown_code_is_a_friendly_404(client, keys):
    page = client.get(reverse("dossiers:verify-document", args=["KHONG-CO-MA-NAY"]))
    assert page.status_code == 404 and "Không có văn bản nào" in page.content.decode()


def test_hostile_file_names_contents_and_codes_never_fail_or_leak(client, keys, base_pdf, monkeypatch):
    from tests.security.nasty import NASTY, leaks

    monkeypatch.setattr(verification, "UPLOAD_LIMITS", ((600, 10**6),))
    problems = []
    for value in NASTY:
        name = (value[:200] or "x") + ".pdf"
        for url in (reverse("dossiers:verify"), API):
            for data in (base_pdf, value.encode("utf-8", "replace"), b"%PDF-1.7\n" + value.encode("utf-8", "replace")):
                response = upload(client, data, name=name.replace("\x00", ""), url=url)
                if response.status_code >= 500 or leaks(response):
                    problems.append(f"{url} {value[:30]!r}: {response.status_code}")
        code = value[:200].replace("/", "-").replace("\x00", "") or "x"
        response = client.get(reverse("dossiers:verify-document", args=[code.strip() or "x"]))
        if response.status_code >= 500 or leaks(response):
            problems.append(f"code {value[:30]!r}: {response.status_code}")
    assert not problems, "\n".join(problems)
