import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import workdays
from core.models import CalendarDay

D = datetime.date

# (start, working days, expected due date, why) — around every Tết and swap of 2023–2026.
CASES = [
    (D(2023, 1, 19), 1, D(2023, 1, 27), "Tết 2023: 20/01–26/01 off"),
    (D(2023, 1, 18), 2, D(2023, 1, 27), "Tết 2023 from Wednesday"),
    (D(2023, 1, 2), 1, D(2023, 1, 3), "New Year 2023 observed on Monday 02/01"),
    (D(2023, 4, 28), 1, D(2023, 5, 4), "Hùng Kings and 30/4 observed 02–03/05/2023"),
    (D(2023, 8, 31), 1, D(2023, 9, 5), "National Day 2023: 01/09 and 04/09 off"),
    (D(2024, 2, 7), 1, D(2024, 2, 15), "Tết 2024: 08/02–14/02 off"),
    (D(2024, 4, 26), 1, D(2024, 5, 2), "29/04/2024 swapped off, 30/04, 01/05"),
    (D(2024, 5, 3), 1, D(2024, 5, 4), "Saturday 04/05/2024 is a make-up working day"),
    (D(2024, 5, 3), 2, D(2024, 5, 6), "make-up Saturday counts, Sunday does not"),
    (D(2024, 8, 30), 1, D(2024, 9, 4), "National Day 2024: 02–03/09 off"),
    (D(2025, 1, 24), 1, D(2025, 2, 3), "Tết 2025: 27/01–31/01 off"),
    (D(2025, 4, 25), 1, D(2025, 4, 26), "Saturday 26/04/2025 is a make-up working day"),
    (D(2025, 4, 29), 1, D(2025, 5, 5), "30/04, 01/05 and swapped 02/05/2025 off"),
    (D(2025, 8, 29), 1, D(2025, 9, 3), "National Day 2025: 01–02/09 off"),
    (D(2026, 2, 13), 1, D(2026, 2, 23), "Tết 2026: 16/02–20/02 off"),
    (D(2026, 2, 13), 5, D(2026, 2, 27), "five days across Tết 2026"),
    (D(2026, 4, 24), 1, D(2026, 4, 28), "Hùng Kings 2026 observed Monday 27/04"),
    (D(2026, 4, 29), 1, D(2026, 5, 4), "30/04 and 01/05/2026 off"),
    (D(2026, 8, 21), 1, D(2026, 8, 22), "Saturday 22/08/2026 is a make-up working day"),
    (D(2026, 8, 28), 1, D(2026, 9, 3), "31/08 swapped off, 01–02/09/2026"),
    (D(2025, 12, 31), 1, D(2026, 1, 5), "New Year 2026: 01–04/01 off (CV 12729/VPCP-KGVX)"),
    (D(2026, 1, 9), 1, D(2026, 1, 10), "Saturday 10/01/2026 is the make-up working day for 02/01"),
    (D(2026, 11, 23), 1, D(2026, 11, 24), "24/11/2026 is only proposed as a holiday, not law"),
    (D(2026, 11, 29), 1, D(2026, 11, 30), "received on Sunday: counting starts on Monday"),
    (D(2026, 11, 28), 0, D(2026, 11, 28), "0 days: the result is given the same day"),
    (D(2026, 11, 27), 1, D(2026, 11, 30), "Friday + 1 is Monday"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_due_date_across_holidays_and_swaps(start, days, expected, why):
    assert workdays.add_working_days(start, days) == expected, why


@pytest.mark.django_db
def test_every_swapped_day_off_has_its_make_up_saturday():
    import holidays

    for year in (2023, 2024, 2025, 2026):
        for day, name in holidays.VN(years=year).items():
            if "substituted from" in name:
                source = datetime.datetime.strptime(name.split("from ")[1].rstrip(")"), "%m/%d/%Y").date()
                assert workdays.is_working_day(source), f"{source} must be a make-up working day"
                assert not workdays.is_working_day(day)


@pytest.mark.django_db
def test_a_day_the_administrator_adds_changes_the_answer_at_once():
    assert workdays.add_working_days(D(2026, 11, 30), 1) == D(2026, 12, 1)
    CalendarDay.objects.create(date=D(2026, 12, 1), kind="holiday", name="Nghỉ đột xuất")
    assert workdays.add_working_days(D(2026, 11, 30), 1) == D(2026, 12, 2)
    CalendarDay.objects.create(date=D(2026, 12, 5), kind="working", name="Làm bù")
    assert workdays.add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 5)


@pytest.mark.django_db
def test_removing_a_make_up_saturday_makes_it_a_day_off_again():
    CalendarDay.objects.filter(date=D(2024, 5, 4)).delete()
    assert workdays.add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 6)


@pytest.mark.django_db
def test_an_administrator_can_cancel_a_package_holiday():
    CalendarDay.objects.create(date=D(2026, 9, 1), kind="working", name="Đi làm")
    assert workdays.is_working_day(D(2026, 9, 1))


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        workdays.WorkCalendar().add_working_days(D(2026, 1, 5), -1)


starts = st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31))
hyp = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
@hyp
@given(start=starts, days=st.integers(min_value=1, max_value=60))
def test_result_is_a_working_day_with_exactly_n_working_days_after_start(start, days):
    due = workdays.add_working_days(start, days)
    assert due > start
    assert workdays.is_working_day(due)
    assert workdays.working_days_between(start, due) == days
    # ...and one day earlier there were fewer than N.
    assert workdays.working_days_between(start, due - datetime.timedelta(days=1)) == days - 1


@pytest.mark.django_db
@hyp
@given(start=starts, days=st.integers(min_value=0, max_value=40), more=st.integers(min_value=0, max_value=20))
def test_more_days_never_give_an_earlier_date(start, days, more):
    assert workdays.add_working_days(start, days + more) >= workdays.add_working_days(start, days)


@pytest.mark.django_db
def test_days_that_differ_lists_swaps_and_weekday_holidays():
    days = {d["date"]: d for d in workdays.days_that_differ(2024)}
    assert days[D(2024, 5, 4)]["kind"] == "working"
    assert days[D(2024, 4, 29)]["kind"] == "holiday"
    assert days[D(2024, 2, 12)]["kind"] == "holiday"
    assert D(2024, 2, 10) not in days  # Tết on a Saturday does not differ from the rule
