"""A dossier from the desk to the late result: staff registers it (logged after the
fact from paper), prints the receipt, starts it; the principal issues the apology; staff
completes it late; the parent opens the tracking QR on a phone."""
import datetime

import pytest
from django.utils import timezone

from core import workdays
from dossiers.models import Apology, Dossier
from tests.dossiers.conftest import reference_fields  # noqa: F401 - fixture
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory


def _local(dt):
    """As a Vietnamese desk types it: dd/mm/yyyy hh:mm."""
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M")


@pytest.mark.django_db(transaction=True)
def test_dossier_journey_from_intake_to_late_result_with_apology(
    live_server, desktop, phone, login, screenshot, reference_fields
):
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng", first_name="Lan", last_name="Nguyễn Thị")
    principal = PrincipalFactory(unit=staff.unit, first_name="Hạnh", last_name="Trần Thị Mỹ")
    procedure = ProcedureFactory(
        unit=staff.unit, code="MN-HP-01", name="Miễn, giảm học phí đối với trẻ mầm non", processing_days=5,
        required_documents=["Đơn đề nghị miễn, giảm học phí", "Bản sao giấy chứng nhận hộ nghèo"],
    )
    now = timezone.localtime()
    received = (now - datetime.timedelta(days=14)).replace(hour=9, minute=0, second=0, microsecond=0)

    # 1. The desk registers the dossier received on paper two weeks ago.
    login(desktop, staff)
    desktop.goto(f"{live_server.url}/dossiers/new/")
    desktop.select_option("select[name=procedure]", str(procedure.pk))
    desktop.check(f"#doc_{procedure.pk}_0")
    desktop.check(f"#doc_{procedure.pk}_1")
    desktop.fill("input[name=applicant_name]", "Phạm Thị Thu")
    desktop.fill("input[name=applicant_phone]", "0908 765 432")
    desktop.fill("input[name=applicant_address]", "25 Nguyễn Du, Quận 1")
    desktop.fill("input[name=received_at]", _local(received))
    screenshot(desktop, "dossiers-intake-desktop")
    desktop.click("#intake-form button[type=submit]")
    desktop.wait_for_load_state()
    dossier = Dossier.objects.get()
    assert desktop.url.endswith(f"/dossiers/{dossier.code}/")
    assert dossier.documents[1]["name"] == "Bản sao giấy chứng nhận hộ nghèo"

    # 2. The receipt (form 01) with its two QR codes.
    desktop.click("#print-receipt")
    desktop.wait_for_load_state()
    assert desktop.locator("#receipt-code").inner_text() == dossier.code
    assert desktop.locator(".qr-code svg").count() == 2
    screenshot(desktop, "dossiers-receipt-form01")
    desktop.go_back()

    # 3. Start handling, logged after the fact the next morning.
    started = received + datetime.timedelta(days=1)
    desktop.click("#action-start summary")
    desktop.fill("#at-start", _local(started))
    desktop.click("#action-start button[type=submit]")
    desktop.wait_for_load_state()
    assert desktop.locator("#dossier-status").inner_text() == "Đang giải quyết"

    # 4. The principal signs the apology with a new return date, before the due date.
    dossier.refresh_from_db()
    apology_day = workdays.previous_working_day(dossier.due_date)
    new_date = workdays.add_working_days(dossier.due_date, 5)
    login(desktop, principal)
    desktop.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    desktop.click("#action-apologize summary")
    desktop.fill("#reason-apologize", "Cần xác minh hộ nghèo với Ủy ban nhân dân phường.")
    desktop.fill("#new-due-apologize", new_date.strftime("%d/%m/%Y"))
    desktop.fill("#at-apologize", _local(timezone.make_aware(datetime.datetime.combine(apology_day, datetime.time(10, 0)))))
    desktop.click("#action-apologize button[type=submit]")
    desktop.wait_for_load_state()
    apology = Apology.objects.get(dossier=dossier)
    assert apology.timely and apology.new_due_date == new_date
    screenshot(desktop, "dossiers-detail-with-apology")
    desktop.goto(f"{live_server.url}/dossiers/{dossier.code}/print/apology/")
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN" in desktop.content()  # form 04 of Thông tư 03/2025
    screenshot(desktop, "dossiers-apology-form04")

    # 5. Staff completes it today: late against the legal due date.
    login(desktop, staff)
    desktop.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    desktop.click("#action-complete summary")
    desktop.click("#action-complete button[type=submit]")
    desktop.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == "completed" and dossier.timeliness == "late"
    assert "Quá hạn" in desktop.content()
    screenshot(desktop, "dossiers-completed-late")

    # 6. The parent scans the tracking QR on a phone: status, dates, initials only.
    phone.goto(f"{live_server.url}/track/{dossier.code}/?s={dossier.tracking_secret}")
    assert "Đã có kết quả" in phone.locator("#track-status").inner_text()
    assert phone.locator("#track-initials").inner_text() == "P.T.T."
    html = phone.content()
    assert "Phạm Thị Thu" not in html and "0908 765 432" not in html
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "dossiers-tracking-phone")
