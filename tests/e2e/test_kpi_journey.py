"""Browser journeys of the KPI app: the principal reads the dashboard and follows a red
card to the records behind it; the office compares its units and downloads the Excel file."""
import datetime
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.utils import timezone

from kpi.services import plan_create
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    UnitFactory,
    apologise_for_test,
    feedback_for_test,
    field,
    finish_dossier_for_test,
    receive_dossier,
    survey_response_for_test,
)
from tests.sheets import table


@pytest.fixture(autouse=True)
def _fields():
    """Transactional tests flush the tables, the reference fields of core's data migration too."""
    from core.fields_data import FIELDS
    from core.models import Field

    for position, (key, name, name_en, target, procedures, area) in enumerate(FIELDS):
        Field.objects.get_or_create(key=key, defaults={
            "name": name, "name_en": name_en, "default_target": target, "has_procedures": procedures,
            "is_survey_area": area, "position": position})


def _activity(unit):
    """A few weeks of this year's work: some late dossiers without an apology."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime(today.year, max(today.month - 2, 1), 3, 9, 0))
    procedure = ProcedureFactory(unit=unit, field=field("xu-ly-don"), processing_days=3)
    for i in range(6):
        dossier = receive_dossier(procedure=procedure, received_at=start + datetime.timedelta(days=i))
        timeliness = "late" if i % 3 == 0 else "on_time"
        finish_dossier_for_test(dossier, completed_at=start + datetime.timedelta(days=i + 10), timeliness=timeliness)
        if i == 3:
            apologise_for_test(dossier)
    for i in range(8):
        survey_response_for_test(unit=unit, overall=5 if i % 4 else 3, submitted_at=start + datetime.timedelta(days=i))
    feedback_for_test(unit=unit, received_at=start, answered_at=start + datetime.timedelta(days=2),
                      published_at=start + datetime.timedelta(days=3))


@pytest.mark.django_db(transaction=True)
def test_principal_follows_a_red_card_to_the_records(live_server, desktop, phone, login, screenshot):
    unit = UnitFactory(name="Trường mầm non Tuổi Hồng", slug="mn-tuoi-hong-e2e")
    plan_create(unit=unit, year=timezone.localdate().year)
    _activity(unit)
    principal = PrincipalFactory(unit=unit)

    login(desktop, principal)
    desktop.goto(f"{live_server.url}/kpi/")
    card = desktop.locator('[data-testid="kpi-card-dossier_on_time_rate"]')
    assert card.get_attribute("data-status") == "missed"
    assert "Chưa đạt" in card.inner_text()  # words, not only colour
    assert desktop.locator("canvas.kpi-chart").count() == 3
    desktop.wait_for_function("document.querySelector('canvas.kpi-chart').width > 0")
    screenshot(desktop, "kpi-dashboard-desktop")

    apology_card = desktop.locator('[data-testid="kpi-card-late_apology_rate"]')
    assert apology_card.get_attribute("data-status") == "missed"
    link = apology_card.locator('[data-testid="late-no-apology"]')
    assert link.inner_text().startswith("1 ")
    link.click()
    desktop.wait_for_load_state()
    query = parse_qs(urlparse(desktop.url).query)
    assert urlparse(desktop.url).path == "/dossiers/register/"
    assert query["timeliness"] == ["late"] and query["apology"] == ["none"] and "completed_from" in query
    screenshot(desktop, "kpi-red-card-target")

    login(phone, principal)
    phone.goto(f"{live_server.url}/kpi/")
    assert phone.locator('[data-testid="kpi-cards"]').is_visible()
    screenshot(phone, "kpi-dashboard-phone", full_page=False)


@pytest.mark.django_db(transaction=True)
def test_office_compares_units_and_downloads_the_excel_file(live_server, desktop, login, screenshot, tmp_path):
    unit = UnitFactory(name="Trường mầm non Tuổi Hồng")
    UnitFactory(name="Trường mầm non Hoa Mai", office=unit.office)
    plan_create(unit=unit, year=timezone.localdate().year)
    _activity(unit)
    office = OfficeUserFactory(office=unit.office)

    login(desktop, office)
    desktop.goto(f"{live_server.url}/kpi/")
    assert desktop.locator('[data-testid="unit-row"]').count() == 2
    assert desktop.locator('[data-testid="missing-targets"]').count() == 1
    desktop.click('[data-testid="sort-dossier_on_time_rate"]')
    desktop.wait_for_load_state()
    screenshot(desktop, "kpi-office-comparison")

    with desktop.expect_download() as info:
        desktop.click('[data-testid="export-link"]')
    path = tmp_path / "report.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Chỉ tiêu", "Sổ theo dõi hồ sơ", "Khảo sát", "PAKN", "Đơn vị"]
    api = desktop.request.get(f"{live_server.url}/api/v1/kpi/").json()
    excel = {(r[1], r[7] or None): r for r in table(book["Chỉ tiêu"])[1]}
    for row in api["indicators"]:
        assert (excel[(row["key"], row["field"])][4], excel[(row["key"], row["field"])][5]) == (row["numerator"], row["denominator"])

    desktop.click(f'text={unit.name}')
    desktop.wait_for_load_state()
    assert desktop.locator('[data-testid="kpi-cards"]').is_visible()
    screenshot(desktop, "kpi-office-drill")
