"""Browser journey of the written reports: the principal writes the narrative, previews
and submits the yearly report; the office sees it submitted and downloads the ZIP."""
import zipfile

import pytest
from django.utils import timezone

from kpi.services import plan_create, plan_task_save
from tests.e2e.test_kpi_journey import _activity, _fields  # noqa: F401 - the reference fields fixture
from tests.factories import OfficeUserFactory, PrincipalFactory, UnitFactory


@pytest.mark.django_db(transaction=True)
def test_principal_writes_and_submits_the_report_and_the_office_downloads_it(
        live_server, desktop, browser, login, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    year = timezone.localdate().year
    unit = UnitFactory(name="Trường mầm non Tuổi Hồng", slug="mn-tuoi-hong-bc", abbreviation="MNTH",
                       parent_body="Ủy ban nhân dân phường Bến Thành", place_name="Bến Thành")
    UnitFactory(name="Trường mầm non Hoa Mai", office=unit.office)
    plan = plan_create(unit=unit, year=year)
    plan_task_save(plan=plan, group="procedures", title="Công khai đầy đủ thủ tục hành chính", in_charge="Tổ văn phòng")
    _activity(unit)
    principal = PrincipalFactory(unit=unit, first_name="Bắc", last_name="Vũ Thị Ngọc")

    login(desktop, principal)
    desktop.goto(f"{live_server.url}/kpi/")
    desktop.click('[data-testid="reports-link"]')
    desktop.wait_for_load_state()
    desktop.click('[data-testid="new-year"]')
    desktop.wait_for_load_state()
    narrative = "Nhà trường đã niêm yết, công khai đầy đủ 100% thủ tục hành chính tại bộ phận một cửa."
    desktop.fill("textarea[name=narrative_procedures]", narrative)
    desktop.fill("textarea[name=difficulties]", "Phần mềm một cửa còn chậm vào đầu năm học.")
    desktop.click('[data-testid="save-report"]')
    desktop.wait_for_load_state()
    preview = desktop.locator('[data-testid="report-preview"]')
    assert narrative in preview.inner_text() and "Số:" in preview.inner_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in preview.inner_text()
    screenshot(desktop, "report-preview")
    desktop.click('[data-testid="submit-report"]')
    desktop.wait_for_load_state()
    assert "Số: 01/BC-MNTH" in desktop.locator('[data-testid="report-status"]').inner_text()
    assert desktop.locator('[data-testid="submit-report"]').count() == 0
    screenshot(desktop, "report-submitted")

    office_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN",
                                         timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    office_page = office_context.new_page()
    login(office_page, OfficeUserFactory(office=unit.office))
    office_page.goto(f"{live_server.url}/kpi/")
    office_page.click('[data-testid="reports-office-link"]')
    office_page.wait_for_load_state()
    office_page.select_option("select[name=kind]", "year")
    office_page.fill("input[name=year]", str(year))
    office_page.click('[data-testid="office-period"] button[type=submit]')
    office_page.wait_for_load_state()
    assert office_page.locator(f'[data-testid="unit-{unit.slug}"]').get_attribute("data-status") == "submitted"
    screenshot(office_page, "reports-office")
    with office_page.expect_download() as info:
        office_page.click('[data-testid="download-zip"]')
    path = tmp_path / "reports.zip"
    info.value.save_as(path)
    names = zipfile.ZipFile(path).namelist()
    assert sorted(names) == [f"{unit.slug}-so-1-v1.docx", f"{unit.slug}-so-1-v1.pdf"]
    office_context.close()
