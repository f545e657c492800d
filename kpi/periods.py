"""Reporting periods of Nghị định 09/2019/NĐ-CP, art. 12 (docs/legal/reporting.md): data
are cut off on the 14th, so a quarter runs from the 15th of the month before it to the
14th of its last month, six months from 15/12 of the year before to 14/6, nine months to
14/9 (art. 12 has no nine-month report: by analogy, as docs/legal/reporting.md notes), and
the year from 15/12 of the year before to 14/12. Each belongs to the plan year it reports
on, even though it starts in December of the year before."""
import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kpi.indicators import Period

QUARTER, HALF, NINE_MONTHS, YEAR = "quarter", "half", "nine_months", "year"
KINDS = (QUARTER, HALF, NINE_MONTHS, YEAR)
KIND_NAMES = {
    QUARTER: _("quarter"),
    HALF: _("six months"),
    NINE_MONTHS: _("nine months"),
    YEAR: _("year"),
}
# The last month of each kind of period (a quarter's depends on the quarter).
LAST_MONTH = {HALF: 6, NINE_MONTHS: 9, YEAR: 12}
# Quarters are named in Roman numerals in the reports and on their pages ("Quý IV năm 2026").
QUARTER_NUMERALS = ("I", "II", "III", "IV")


class PeriodError(ValueError):
    """A kind, year or quarter that names no reporting period."""


def report_period(kind: str, year: int, quarter: int | None = None) -> Period:
    """The period of a report of ``kind`` on ``year`` (``quarter`` 1–4 for a quarter)."""
    if kind == QUARTER:
        if quarter not in (1, 2, 3, 4):
            raise PeriodError("quarter must be 1..4")
        last = 3 * quarter
        start = datetime.date(year - 1, 12, 15) if quarter == 1 else datetime.date(year, last - 3, 15)
        return Period(start, datetime.date(year, last, 14), plan_year=year)
    if kind not in LAST_MONTH:
        raise PeriodError(f"unknown kind {kind}")
    return Period(datetime.date(year - 1, 12, 15), datetime.date(year, LAST_MONTH[kind], 14), plan_year=year)


def period_title(kind: str, year: int, quarter: int | None = None) -> str:
    """How the report's title names its period: "quý I năm 2026", "6 tháng đầu năm 2026"…"""
    if kind == QUARTER:
        return gettext("quarter %(q)s of %(year)s") % {"q": QUARTER_NUMERALS[quarter - 1], "year": year}
    if kind == HALF:
        return gettext("the first six months of %(year)s") % {"year": year}
    if kind == NINE_MONTHS:
        return gettext("the first nine months of %(year)s") % {"year": year}
    return gettext("the year %(year)s") % {"year": year}


def periods_of_year(year: int) -> list[tuple[str, int | None, Period]]:
    """Every reporting period of ``year``, in the order they fall due."""
    return [
        (QUARTER, 1, report_period(QUARTER, year, 1)),
        (QUARTER, 2, report_period(QUARTER, year, 2)),
        (HALF, None, report_period(HALF, year)),
        (QUARTER, 3, report_period(QUARTER, year, 3)),
        (NINE_MONTHS, None, report_period(NINE_MONTHS, year)),
        (QUARTER, 4, report_period(QUARTER, year, 4)),
        (YEAR, None, report_period(YEAR, year)),
    ]
