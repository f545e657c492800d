"""Each indicator's formula on hand-built data, per field and per area, office scope,
empty periods and a query count that does not grow with the data."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Unit
from kpi import selectors
from kpi.indicators import Period
from kpi.models import MonthlyFigure
from kpi.services import plan_create
from tests.factories import (
    ProcedureFactory,
    UnitFactory,
    apologise_for_test,
    feedback_for_test,
    field,
    finish_dossier_for_test,
    receive_dossier,
    set_dossier_status_for_test,
    survey_response_for_test,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
NOW = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=VN)


def at(day, hour=9):
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=VN)


def rows_of(units, period=MARCH, now=NOW):
    return {(r["key"], r["field"]): r for r in selectors.indicator_rows(units=units, period=period, now=now)}


def only(unit):
    return Unit.objects.filter(pk=unit.pk)


@pytest.fixture
def unit():
    return UnitFactory()


@pytest.fixture
def petitions(unit):
    return ProcedureFactory(unit=unit, field=field("xu-ly-don"), processing_days=5)


@pytest.mark.django_db
def test_on_time_rate_counts_completed_dossiers_by_completion_time(unit, petitions):
    plan_create(unit=unit, year=2026)
    early = receive_dossier(procedure=petitions, received_at=at(2))
    on_time = receive_dossier(procedure=petitions, received_at=at(2))
    late = receive_dossier(procedure=petitions, received_at=at(2))
    finish_dossier_for_test(early, completed_at=at(5), timeliness="early")
    finish_dossier_for_test(on_time, completed_at=at(9), timeliness="on_time", status="returned")
    finish_dossier_for_test(late, completed_at=at(20), timeliness="late")
    # completed in April: another period
    april = receive_dossier(procedure=petitions, received_at=at(30))
    finish_dossier_for_test(april, completed_at=datetime.datetime(2026, 4, 2, 9, tzinfo=VN), timeliness="early")
    # withdrawn: counts in neither numerator nor denominator
    set_dossier_status_for_test(receive_dossier(procedure=petitions, received_at=at(3)), "withdrawn")

    rows = rows_of(only(unit))
    overall = rows[("dossier_on_time_rate", None)]
    assert (overall["numerator"], overall["denominator"], overall["value"]) == (2, 3, 66.67)
    assert overall["target"] == 100.0 and overall["met"] is False
    petition_row = rows[("dossier_on_time_rate", "xu-ly-don")]
    assert (petition_row["numerator"], petition_row["denominator"], petition_row["target"]) == (2, 3, 98.0)
    assert rows[("dossier_on_time_rate", "khieu-nai-to-cao")]["target"] == 95.0
    assert rows[("dossier_on_time_rate", "tuyen-sinh")]["value"] is None


@pytest.mark.django_db
def test_late_apology_rate_counts_late_and_open_overdue_dossiers(unit, petitions):
    late_apologised = finish_dossier_for_test(
        receive_dossier(procedure=petitions, received_at=at(2)), completed_at=at(20), timeliness="late")
    apologise_for_test(late_apologised)
    finish_dossier_for_test(receive_dossier(procedure=petitions, received_at=at(2)), completed_at=at(20), timeliness="late")
    # open and overdue: due in March (received 2 March + 5 working days), now is April
    overdue = receive_dossier(procedure=petitions, received_at=at(2))
    overdue_apologised = receive_dossier(procedure=petitions, received_at=at(3))
    apologise_for_test(overdue_apologised, timely=False)  # a late apology is not "kịp thời": not counted
    # open, due in March, but judged before its due time: not overdue
    withdrawn = set_dossier_status_for_test(receive_dossier(procedure=petitions, received_at=at(2)), "withdrawn")
    assert overdue.due_date.month == 3 and withdrawn.status == "withdrawn"

    row = rows_of(only(unit))[("late_apology_rate", None)]
    assert (row["numerator"], row["denominator"], row["value"]) == (1, 4, 25.0)
    breakdown = selectors.dossier_breakdown(units=only(unit), period=MARCH, now=NOW)
    assert (breakdown["late_no_apology"], breakdown["overdue_no_apology"]) == (1, 1)
    assert selectors.late_apologies(counts=breakdown) == 1
    # Before the due time nothing is overdue yet.
    early_now = datetime.datetime(2026, 3, 3, 9, tzinfo=VN)
    assert rows_of(only(unit), now=early_now)[("late_apology_rate", None)]["denominator"] == 2


@pytest.mark.django_db
def test_open_overdue_dossier_counts_in_the_period_it_fell_due(unit):
    slow = ProcedureFactory(unit=unit, processing_days=20)
    receive_dossier(procedure=slow, received_at=at(20))  # due in April
    assert rows_of(only(unit))[("late_apology_rate", None)]["denominator"] == 0
    april = Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    late = datetime.datetime(2026, 5, 5, 9, tzinfo=VN)
    assert rows_of(only(unit), period=april, now=late)[("late_apology_rate", None)]["denominator"] == 1


@pytest.mark.django_db
def test_satisfaction_overall_per_area_and_dossier_surveys(unit):
    plan_create(unit=unit, year=2026)
    for overall in (5, 4, 2):
        survey_response_for_test(unit=unit, area_key="cham-soc-giao-duc", overall=overall, submitted_at=at(10))
    survey_response_for_test(unit=unit, area_key="giao-duc-hoa-nhap", overall=5, submitted_at=at(11))
    survey_response_for_test(unit=unit, area_key="xac-nhan", overall=3, submitted_at=at(12), source="dossier")
    survey_response_for_test(unit=unit, area_key="xac-nhan", overall=4, submitted_at=at(12), source="dossier")
    survey_response_for_test(unit=unit, area_key="xac-nhan", overall=1, submitted_at=datetime.datetime(2026, 4, 1, tzinfo=VN))

    rows = rows_of(only(unit))
    assert (rows[("satisfaction_rate", None)]["numerator"], rows[("satisfaction_rate", None)]["denominator"]) == (4, 6)
    assert rows[("satisfaction_rate", None)]["value"] == 66.67
    assert rows[("satisfaction_rate", "cham-soc-giao-duc")]["value"] == 66.67
    inclusive = rows[("satisfaction_rate", "giao-duc-hoa-nhap")]
    assert (inclusive["value"], inclusive["target"], inclusive["met"]) == (100.0, 99.0, True)
    assert rows[("dossier_satisfaction_rate", None)]["value"] == 50.0


@pytest.mark.django_db
def test_feedback_rates_by_received_time_and_publishable(unit):
    due = at(10, 17)
    feedback_for_test(unit=unit, received_at=at(2), due_at=due, answered_at=at(5), published_at=at(6))
    feedback_for_test(unit=unit, received_at=at(2), due_at=due, answered_at=at(12), publishable=False)
    feedback_for_test(unit=unit, received_at=at(3), due_at=due, answered_at=at(9))
    feedback_for_test(unit=unit, received_at=at(4), due_at=due)
    feedback_for_test(unit=unit, received_at=datetime.datetime(2026, 2, 27, tzinfo=VN), answered_at=at(2))

    rows = rows_of(only(unit))
    answered = rows[("feedback_answered_rate", None)]
    assert (answered["numerator"], answered["denominator"], answered["value"]) == (3, 4, 75.0)
    on_time = rows[("feedback_on_time_rate", None)]
    assert (on_time["numerator"], on_time["denominator"]) == (2, 3)
    published = rows[("feedback_published_rate", None)]
    assert (published["numerator"], published["denominator"], published["value"]) == (1, 2, 50.0)


@pytest.mark.django_db
def test_monthly_figures_add_up_over_the_months_of_the_period(unit):
    MonthlyFigure.objects.create(unit=unit, key="e_payment_rate", year=2026, month=2, numerator=50, denominator=50)
    MonthlyFigure.objects.create(unit=unit, key="e_payment_rate", year=2026, month=3, numerator=45, denominator=50)
    quarter = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert rows_of(only(unit))[("e_payment_rate", None)]["value"] == 90.0
    assert rows_of(only(unit), period=quarter)[("e_payment_rate", None)]["value"] == 95.0


@pytest.mark.django_db
def test_empty_period_gives_null_values_and_no_verdict(unit):
    plan_create(unit=unit, year=2026)
    for row in selectors.indicator_rows(units=only(unit), period=MARCH, now=NOW):
        assert row["value"] is None and row["denominator"] == 0 and row["met"] is None, row["key"]


@pytest.mark.django_db
def test_office_scope_takes_every_unit_together_and_per_unit(petitions, unit):
    other = UnitFactory(office=unit.office)
    plan_create(unit=unit, year=2026)
    finish_dossier_for_test(receive_dossier(procedure=petitions, received_at=at(2)), completed_at=at(4), timeliness="early")
    other_procedure = ProcedureFactory(unit=other)
    finish_dossier_for_test(receive_dossier(procedure=other_procedure, received_at=at(2)), completed_at=at(30), timeliness="late")
    units = Unit.objects.filter(office=unit.office)

    overall = rows_of(units)[("dossier_on_time_rate", None)]
    assert (overall["numerator"], overall["denominator"]) == (1, 2)
    comparison = {c["unit"].pk: c for c in selectors.unit_comparison(units=units, period=MARCH, now=NOW)}
    assert comparison[unit.pk]["rows"]["dossier_on_time_rate"]["value"] == 100.0
    assert comparison[other.pk]["rows"]["dossier_on_time_rate"]["value"] == 0.0
    assert comparison[unit.pk]["has_targets"] and not comparison[other.pk]["has_targets"]


def _populate(unit, procedure, n):
    for i in range(n):
        d = receive_dossier(procedure=procedure, received_at=at(2 + i % 20))
        if i % 2:
            finish_dossier_for_test(d, completed_at=at(25), timeliness="late" if i % 3 else "early")
        survey_response_for_test(unit=unit, overall=1 + i % 5, submitted_at=at(3))
        feedback_for_test(unit=unit, received_at=at(4), answered_at=at(5) if i % 2 else None)
    MonthlyFigure.objects.get_or_create(unit=unit, key="e_document_rate", year=2026, month=3, defaults={"numerator": 1, "denominator": 2})


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(unit, petitions):
    plan_create(unit=unit, year=2026)
    counts = []
    for n in (2, 30):
        _populate(unit, petitions, n)
        with CaptureQueriesContext(connection) as single:
            selectors.indicator_rows(units=only(unit), period=MARCH, now=NOW)
        with CaptureQueriesContext(connection) as per_unit:
            selectors.unit_comparison(units=Unit.objects.filter(office=unit.office), period=MARCH, now=NOW)
        with CaptureQueriesContext(connection) as series:
            selectors.monthly_series(units=only(unit), period=MARCH, now=NOW)
        counts.append((len(single), len(per_unit), len(series)))
    # The rollup (kpi.rollup): the units' ids, month rows (a whole month: no day rows), today's due dossiers.
    assert counts[0] == counts[1] == (6, 6, 4)
