"""A signed apology letter from the principal's button to a parent's phone: the principal
signs it on the dossier page, downloads it; the parent uploads the file at /verify/ and
opens the QR code's page."""
import pytest

from dossiers.models import Document
from tests.dossiers.conftest import reference_fields  # noqa: F401 - fixture
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, receive_dossier
from tests.signing.conftest import authority, issue_test_document, keys, write_p12  # noqa: F401 - fixtures


@pytest.mark.django_db(transaction=True)
def test_principal_signs_and_a_parent_verifies_on_a_phone(
    live_server, desktop, phone, login, screenshot, keys, authority, reference_fields  # noqa: F811
):
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng")
    principal = PrincipalFactory(unit=staff.unit, username="hieutruong", first_name="Hạnh", last_name="Trần Thị Mỹ")
    write_p12(keys, authority, "user-hieutruong", "Trần Thị Mỹ Hạnh (DEMO)")
    dossier = receive_dossier(procedure=ProcedureFactory(unit=staff.unit), actor=staff,
                              applicant_name="Phạm Thị Thu", applicant_phone="0908765432")
    issued = issue_test_document(dossier, form="04", title="Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")

    # 1. The principal signs from the dossier page.
    login(desktop, principal)
    desktop.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    row = desktop.locator(f"[id='document-{issued.code}']")
    assert "Chưa ký" in row.inner_text()
    row.locator("button").click()
    desktop.wait_for_load_state()
    row = desktop.locator(f"[id='document-{issued.code}']")
    assert "Đã ký bởi Trần Thị Mỹ Hạnh" in row.inner_text()
    screenshot(desktop, "signing-dossier-page-desktop")
    signed = Document.objects.filter(code=issued.code).order_by("-version").first()
    pdf = desktop.request.get(live_server.url + row.locator("a").get_attribute("href")).body()
    assert signed.version == 2 and len(pdf) == signed.size

    # 2. A parent checks the file on a phone, then opens the QR code's page.
    phone.goto(f"{live_server.url}/verify/")
    phone.set_input_files("#verify-file", files=[{"name": "xin-loi.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    phone.click("main form button[type=submit]")
    phone.wait_for_selector("#verdict")
    assert phone.locator("#verdict").get_attribute("data-status") == "valid"
    assert "Chữ ký số hợp lệ" in phone.locator("#verdict").inner_text()
    assert issued.code in phone.locator("#verdict-document").inner_text()
    screenshot(phone, "signing-verify-phone")
    phone.click("#verdict-document a")
    phone.wait_for_load_state()
    assert "Đã ký số" in phone.locator("#document-signed").inner_text()
    page = phone.content()
    assert "P.T.T." in page and "Phạm Thị Thu" not in page and "0908765432" not in page
    screenshot(phone, "signing-qr-page-phone")
