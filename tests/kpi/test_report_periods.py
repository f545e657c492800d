"""Reporting periods of Nghị định 09/2019/NĐ-CP art. 12 (15th of the month before to the
14th), compared with the targets of the plan year they report on; hand-entered monthly
figures counted once per period, never twice in two reports that follow each other."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.models import Unit
from kpi import selectors
from kpi.indicators import Period
from kpi.models import MonthlyFigure, Target
from kpi.periods import HALF, NINE_MONTHS, QUARTER, YEAR, PeriodError, periods_of_year, report_period
from kpi.services import plan_create

D = datetime.date


def months_of(period):
    (y, m), last = period.figure_months()
    out = []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_periods_follow_the_decree():
    assert report_period(QUARTER, 2026, 1) == Period(D(2025, 12, 15), D(2026, 3, 14), plan_year=2026)
    assert report_period(QUARTER, 2026, 2) == Period(D(2026, 3, 15), D(2026, 6, 14), plan_year=2026)
    assert report_period(QUARTER, 2026, 4) == Period(D(2026, 9, 15), D(2026, 12, 14), plan_year=2026)
    assert report_period(HALF, 2026) == Period(D(2025, 12, 15), D(2026, 6, 14), plan_year=2026)
    assert report_period(NINE_MONTHS, 2026) == Period(D(2025, 12, 15), D(2026, 9, 14), plan_year=2026)
    assert report_period(YEAR, 2026) == Period(D(2025, 12, 15), D(2026, 12, 14), plan_year=2026)
    with pytest.raises(PeriodError):
        report_period(QUARTER, 2026, 5)


@given(year=st.integers(min_value=2001, max_value=2099))
def test_quarters_tile_the_reporting_year_and_months_are_never_shared(year):
    quarters = [report_period(QUARTER, year, q) for q in (1, 2, 3, 4)]
    whole = report_period(YEAR, year)
    assert quarters[0].start == whole.start and quarters[-1].end == whole.end
    months = []
    for before, after in zip(quarters, quarters[1:]):
        assert after.start == before.end + datetime.timedelta(days=1)
    for q in quarters:
        months += months_of(q)
        assert q.year == year
    assert sorted(set(months)) == sorted(months) == [(year, m) for m in range(1, 13)]
    assert whole.figure_months() == ((year, 1), (year, 12))


@given(start=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
       lengths=st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=5))
def test_any_periods_that_follow_each_other_never_share_a_figure_month(start, lengths):
    periods = []
    for length in lengths:
        end = start + datetime.timedelta(days=length)
        periods.append(Period(start, end))
        start = end + datetime.timedelta(days=1)
    seen = [month for p in periods for month in months_of(p)]
    assert len(seen) == len(set(seen))


def test_a_period_from_mid_december_belongs_to_the_next_plan_year():
    assert Period(D(2025, 12, 15), D(2026, 3, 14)).year == 2026
    assert Period(D(2025, 12, 1), D(2026, 3, 14)).year == 2025
    assert [p.year for _k, _q, p in periods_of_year(2026)] == [2026] * 7


@pytest.mark.django_db
def test_quarter_reports_use_the_targets_of_their_plan_year_and_count_each_month_once():
    from tests.factories import UnitFactory

    unit = UnitFactory()
    plan_create(unit=unit, year=2025)
    plan_2026 = plan_create(unit=unit, year=2026)
    Target.objects.filter(plan=plan_2026, key="e_payment_rate", field_key="").update(value=90)
    for year, month, n in ((2025, 12, 1), (2026, 1, 10), (2026, 3, 100), (2026, 4, 1000)):
        MonthlyFigure.objects.create(unit=unit, key="e_payment_rate", year=year, month=month, numerator=n, denominator=n)
    units = Unit.objects.filter(pk=unit.pk)

    def row(period):
        return next(r for r in selectors.indicator_rows(units=units, period=period) if r["key"] == "e_payment_rate")

    q1, q2 = row(report_period(QUARTER, 2026, 1)), row(report_period(QUARTER, 2026, 2))
    assert q1["target"] == 90.0  # 2026's target, though the period starts in December 2025
    assert q1["denominator"] == 110 and q2["denominator"] == 1000
    assert row(report_period(HALF, 2026))["denominator"] == q1["denominator"] + q2["denominator"]


@pytest.mark.django_db
def test_the_period_picker_offers_the_reporting_periods_begun_so_far(client):
    from kpi.forms import report_period_presets
    from tests.factories import PrincipalFactory

    presets = report_period_presets(today=D(2026, 4, 1))
    assert [(str(label), start, end) for label, start, end in presets] == [
        ("Quý I", D(2025, 12, 15), D(2026, 3, 14)), ("Quý II", D(2026, 3, 15), D(2026, 6, 14)),
        ("6 tháng", D(2025, 12, 15), D(2026, 6, 14))]
    client.force_login(PrincipalFactory())
    html = client.get("/kpi/").content.decode()
    assert 'data-testid="report-periods"' in html
