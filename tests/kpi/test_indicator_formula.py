"""The indicator formula (kpi.selectors.fractions): the one place counts become rates."""
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.selectors import fractions, percent


def test_late_apology_rate_counts_late_and_overdue_dossiers_with_a_timely_apology():
    figures = fractions(dossiers={"on_time": 8, "completed": 10, "late": 2, "overdue": 3,
                                  "late_no_apology": 1, "overdue_no_apology": 1,
                                  "late_timely_apology": 1, "overdue_timely_apology": 1, "overdue_late_apology": 1})
    assert figures["dossier_on_time_rate"] == (8, 10)
    assert figures["late_apology_rate"] == (2, 5)  # the apology signed too late does not count
    assert percent(*figures["late_apology_rate"]) == 40.0


def test_missing_counts_are_zero_and_a_rate_of_nothing_is_none():
    figures = fractions(feedback={"fb_received": 4, "fb_answered": 3, "fb_answered_on_time": 2},
                        monthly={"e_payment_rate": {"n": None, "d": None}})
    assert figures["feedback_answered_rate"] == (3, 4)
    assert figures["feedback_on_time_rate"] == (2, 3)
    assert figures["satisfaction_rate"] == (0, 0) and percent(*figures["satisfaction_rate"]) is None
    assert percent(2, 3) == 66.67  # rounded half up to two decimals


@settings(max_examples=2000, deadline=None)
@given(numerator=st.integers(min_value=0, max_value=10**9), denominator=st.integers(min_value=1, max_value=10**9))
def test_a_rate_of_counts_is_rounded_as_the_decimal_rule_rounds_it(numerator, denominator):
    exact = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert percent(numerator, denominator) == float(exact)


def test_ties_round_up_and_other_numbers_take_the_decimal_rule():
    assert percent(1, 8) == 12.5 and percent(1, 800) == 0.13 and percent(1, 1600) == 0.06  # .125 up, .0625 down
    assert percent(Decimal("1"), Decimal("3")) == 33.33
    assert percent(-1, 800) == -0.13  # ROUND_HALF_UP is away from zero; floor(x + 1/2) would give -0.12
