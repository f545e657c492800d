"""The calendar as the official texts set it (docs/legal/calendar.md): every swapped day
of 2023–2026 with its source, a proposed holiday that is not law, and the administrator's
view of the package's holidays with a way to cancel one."""
import datetime

import holidays
import pytest
from django.urls import reverse

from core import workdays
from core.models import CalendarDay
from core.services import cancel_package_holiday
from tests.factories import UserFactory

D = datetime.date
pytestmark = pytest.mark.django_db

# Every day moved for civil servants 2023–2026, as the government announced it.
SWAPS = {
    D(2024, 4, 29): ("holiday", "2450/VPCP-KGVX"),
    D(2024, 5, 4): ("working", "2450/VPCP-KGVX"),
    D(2025, 5, 2): ("holiday", "6150/TB-BLĐTBXH"),
    D(2025, 4, 26): ("working", "6150/TB-BLĐTBXH"),
    D(2026, 1, 2): ("holiday", "12729/VPCP-KGVX"),
    D(2026, 1, 10): ("working", "12729/VPCP-KGVX"),
    D(2026, 8, 31): ("holiday", "9441/TB-BNV"),
    D(2026, 8, 22): ("working", "9441/TB-BNV"),
}


def test_new_year_2026_is_four_days_off_with_saturday_10_january_worked():
    assert [workdays.is_working_day(D(2026, 1, d)) for d in range(1, 6)] == [False, False, False, False, True]
    assert workdays.is_working_day(D(2026, 1, 10))
    assert workdays.add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 6)


@pytest.mark.parametrize("day", sorted(SWAPS), ids=str)
def test_each_swapped_day_is_a_calendar_row_with_its_official_source(day):
    kind, number = SWAPS[day]
    row = CalendarDay.objects.get(date=day)
    assert row.kind == kind
    assert number in row.source
    assert workdays.is_working_day(day) is (kind == "working")


def test_2023_has_no_swapped_day_only_the_labour_codes_compensatory_days():
    assert not CalendarDay.objects.filter(date__year=2023).exists()
    for day in (D(2023, 1, 2), D(2023, 5, 2), D(2023, 5, 3), D(2023, 9, 4)):
        assert not workdays.is_working_day(day)


def test_a_holiday_only_proposed_is_not_a_day_off_until_it_is_law():
    assert D(2026, 11, 24) in holidays.country_holidays("VN", years=2026)  # the package lists it
    row = CalendarDay.objects.get(date=D(2026, 11, 24))
    assert row.kind == "working" and "Bộ luật Lao động" in row.source
    assert workdays.is_working_day(D(2026, 11, 24))


def test_cancelling_a_package_holiday_keeps_the_reason():
    day = cancel_package_holiday(date=D(2027, 9, 3), reason="Thử: ngày chưa được công bố")
    assert day.kind == "working" and day.source == "Thử: ngày chưa được công bố"
    assert workdays.is_working_day(D(2027, 9, 3))


@pytest.fixture
def admin_client(client):
    admin = UserFactory(role="admin", unit=None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_calendar_admin_lists_the_package_holidays_beside_the_overrides(admin_client):
    page = admin_client.get(reverse("admin:core_calendarday_package") + "?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "17/02/2026" in text  # Tết, from the package
    assert "24/11/2026" in text and "Nghị quyết 30/NQ-CP" in text  # cancelled by a local row, with why
    assert "10/01/2026" in text and "12729/VPCP-KGVX" in text  # a local row the package does not list
    list_page = admin_client.get(reverse("admin:core_calendarday_changelist"))
    assert "12729/VPCP-KGVX" in list_page.content.decode()


def test_the_administrator_cancels_a_package_holiday_from_the_calendar_admin(admin_client):
    url = reverse("admin:core_calendarday_package") + "?year=2027"
    response = admin_client.post(url, {"date": "2027-09-03", "reason": "Không áp dụng tại đơn vị"})
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=D(2027, 9, 3))
    assert (row.kind, row.source) == ("working", "Không áp dụng tại đơn vị")
    assert workdays.is_working_day(D(2027, 9, 3))


def test_cancelling_needs_a_reason_and_saves_nothing_without_one(admin_client):
    url = reverse("admin:core_calendarday_package") + "?year=2027"
    response = admin_client.post(url, {"date": "2027-09-03", "reason": " "})
    assert response.status_code == 200
    assert not CalendarDay.objects.filter(date=D(2027, 9, 3)).exists()


def test_the_migrations_frozen_days_are_the_code_table():
    from importlib import import_module

    frozen = {D(y, m, d): (kind, name, source) for y, m, d, kind, name, source in
              import_module("core.migrations.0006_calendar_sources").DAYS}
    assert frozen == workdays.OFFICIAL_DAYS
