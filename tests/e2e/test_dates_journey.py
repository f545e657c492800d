"""Dates typed dd/mm/yyyy are saved as meant, in a browser whose own locale is US English
(where <input type="date"> would show and expect mm/dd/yyyy)."""
import datetime

import pytest
from django.utils import timezone

from core import workdays
from dossiers.models import Apology
from tests.dossiers.conftest import reference_fields  # noqa: F401 - fixture
from tests.factories import PrincipalFactory, ProcedureFactory, dossier_in


@pytest.mark.django_db(transaction=True)
def test_a_date_typed_day_first_is_saved_correctly_whatever_the_browsers_locale(
    live_server, browser, login, screenshot, reference_fields
):
    principal = PrincipalFactory()
    procedure = ProcedureFactory(unit=principal.unit, processing_days=10)
    dossier = dossier_in("processing", procedure=procedure, received_at=timezone.now() - datetime.timedelta(hours=2))
    # A day whose day-of-month is at most 12, so that mm/dd would give another valid date.
    new_date = workdays.add_working_days(dossier.due_date, 1)
    while new_date.day > 12 or new_date.day == new_date.month:
        new_date = workdays.add_working_days(new_date, 1)

    context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        login(page, principal)
        page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
        page.click("#action-apologize summary")
        field = page.locator("#new-due-apologize")
        assert field.get_attribute("type") == "text" and field.get_attribute("placeholder") == "dd/mm/yyyy"
        page.fill("#reason-apologize", "Cần xác minh thêm với Ủy ban nhân dân phường.")
        field.fill(new_date.strftime("%d/%m/%Y"))
        page.click("#action-apologize button[type=submit]")
        page.wait_for_load_state()
        assert Apology.objects.get(dossier=dossier).new_due_date == new_date
        assert new_date.strftime("%d/%m/%Y") in page.content()
        screenshot(page, "dates-apology-typed-day-first")

        # The KPI period picker: typed day first, shown day first.
        page.goto(f"{live_server.url}/kpi/")
        page.fill("#period-from", "01/02/2026")
        page.fill("#period-to", "10/03/2026")
        page.click("[data-testid=period-picker] button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#period-from").input_value() == "01/02/2026"
        assert page.locator("#period-to").input_value() == "10/03/2026"
        assert "from=2026-02-01" in page.content().replace("&amp;", "&")
    finally:
        context.close()
