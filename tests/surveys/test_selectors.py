import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.models import Field
from surveys import selectors
from tests.factories import ResponseFactory, UnitFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime.datetime(2026, 1, 1, tzinfo=VN)
END = datetime.datetime(2027, 1, 1, tzinfo=VN)


def at(month, day=15, hour=9):
    return datetime.datetime(2026, month, day, hour, tzinfo=VN)


@pytest.mark.django_db
@pytest.mark.parametrize(("overall", "satisfied"), [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)])
def test_a_response_is_satisfied_from_an_overall_4(overall, satisfied):
    unit = UnitFactory()
    ResponseFactory(unit=unit, overall=overall, submitted_at=at(3))
    [row] = selectors.satisfaction_by_area(units=[unit], start=START, end=END)
    assert row == {"area_key": "cham-soc-giao-duc", "responses": 1, "satisfied": satisfied}


@pytest.mark.django_db
def test_the_rate_at_the_boundaries_3_4_5():
    unit = UnitFactory()
    for overall in (3, 4, 5):
        ResponseFactory(unit=unit, overall=overall, submitted_at=at(3))
    summary = selectors.satisfaction_summary(units=[unit], start=START, end=END)
    assert (summary["satisfied"], summary["responses"], summary["rate"]) == (2, 3, Decimal("66.67"))


def test_the_rate_is_none_without_responses_and_rounds_half_up():
    assert selectors.rate(0, 0) is None
    assert selectors.rate(1, 8) == Decimal("12.50")
    assert selectors.rate(2, 3) == Decimal("66.67")
    assert selectors.rate(99, 100) == Decimal("99.00")


@pytest.mark.django_db
def test_by_area_counts_only_the_units_period_and_source_asked_for():
    unit, other = UnitFactory(), UnitFactory()
    inclusive = Field.objects.get(key="giao-duc-hoa-nhap")
    ResponseFactory(unit=unit, area=inclusive, overall=5, submitted_at=at(2))
    ResponseFactory(unit=unit, area=inclusive, overall=2, submitted_at=at(2), source="dossier")
    ResponseFactory(unit=unit, overall=4, submitted_at=at(2))
    ResponseFactory(unit=unit, overall=4, submitted_at=datetime.datetime(2025, 12, 31, 23, tzinfo=VN))
    ResponseFactory(unit=other, overall=1, submitted_at=at(2))
    rows = selectors.satisfaction_by_area(units=[unit], start=START, end=END)
    assert rows == [
        {"area_key": "cham-soc-giao-duc", "responses": 1, "satisfied": 1},
        {"area_key": "giao-duc-hoa-nhap", "responses": 2, "satisfied": 1},
    ]
    assert selectors.satisfaction_by_area(units=[unit], start=START, end=END, source="dossier") == [
        {"area_key": "giao-duc-hoa-nhap", "responses": 1, "satisfied": 0},
    ]


@pytest.mark.django_db
def test_area_rows_list_every_survey_area_even_unanswered():
    unit = UnitFactory()
    ResponseFactory(unit=unit, submitted_at=at(2))
    rows = {r["area_key"]: r for r in selectors.area_rows(units=[unit], start=START, end=END)}
    assert set(rows) == set(Field.objects.filter(is_survey_area=True).values_list("key", flat=True))
    assert rows["cham-soc-giao-duc"]["rate"] == Decimal("100.00")
    assert rows["tuyen-sinh"]["responses"] == 0 and rows["tuyen-sinh"]["rate"] is None


@pytest.mark.django_db
def test_factor_averages_leave_blank_answers_out():
    unit = UnitFactory()
    ResponseFactory(unit=unit, staff=5, feedback_handling=None, overall=5, submitted_at=at(2))
    ResponseFactory(unit=unit, staff=2, feedback_handling=3, overall=3, submitted_at=at(2))
    factors = {f["key"]: f for f in selectors.factor_averages(units=[unit], start=START, end=END)}
    assert list(factors) == ["access", "procedure", "staff", "result", "feedback_handling", "overall"]
    assert (factors["staff"]["average"], factors["staff"]["answers"]) == (3.5, 2)
    assert (factors["feedback_handling"]["average"], factors["feedback_handling"]["answers"]) == (3.0, 1)
    assert factors["overall"]["average"] == 4.0


@pytest.mark.django_db
def test_the_monthly_trend_has_every_month_in_local_time():
    unit = UnitFactory()
    ResponseFactory(unit=unit, overall=5, submitted_at=at(1, 10))
    ResponseFactory(unit=unit, overall=2, submitted_at=at(1, 20))
    # 1 March 00:30 in Hồ Chí Minh City is still February in UTC: it counts in March
    ResponseFactory(unit=unit, overall=4, submitted_at=datetime.datetime(2026, 3, 1, 0, 30, tzinfo=VN))
    trend = selectors.monthly_trend(units=[unit], start=START, end=END)
    assert [r["month"] for r in trend] == [datetime.date(2026, m, 1) for m in range(1, 13)]
    assert (trend[0]["responses"], trend[0]["satisfied"], trend[0]["rate"], trend[0]["average"]) == (2, 1, Decimal("50.00"), 3.5)
    assert trend[1]["responses"] == 0 and trend[1]["rate"] is None
    assert trend[2]["responses"] == 1


@pytest.mark.django_db
def test_comments_to_handle_and_handled():
    unit = UnitFactory()
    open_one = ResponseFactory(unit=unit, comment="Cần thêm chỗ để xe", submitted_at=at(4))
    ResponseFactory(unit=unit, comment="", submitted_at=at(4))
    done = ResponseFactory(unit=unit, comment="Đã sửa", submitted_at=at(3), comment_handled_at=at(3, 20))
    assert list(selectors.comments(units=[unit], start=START, end=END)) == [open_one]
    assert list(selectors.comments(units=[unit], start=START, end=END, state="handled")) == [done]
    assert len(selectors.comments(units=[unit], start=START, end=END, state="all")) == 2
