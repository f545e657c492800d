"""Working days: the one place every deadline in the portal is counted.

A day is a working day when
1. the administrator's calendar (``CalendarDay``) says so, for the days it lists;
2. otherwise, it is Monday to Friday and not a public holiday of the ``holidays``
   package (country VN, which lists Tết and the swapped days off, not the make-up
   working Saturdays — those are rows of ``CalendarDay``, seeded by a migration).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.utils import timezone

# Make-up working Saturdays declared by the government for civil servants and public
# employees, each swapped for a weekday off that the holidays package already lists
# ("Day off (substituted from ...)"). Seeded into CalendarDay by core/migrations/0002.
MAKEUP_WORKING_DAYS = {
    datetime.date(2024, 5, 4): "Làm bù cho ngày nghỉ thứ Hai 29/04/2024 (Công văn 2450/VPCP-KGVX)",
    datetime.date(2025, 4, 26): "Làm bù cho ngày nghỉ thứ Sáu 02/05/2025 (Thông báo 6150/TB-BLĐTBXH)",
    datetime.date(2026, 8, 22): "Làm bù cho ngày nghỉ thứ Hai 31/08/2026",
}

# How far past the start a search for N working days may look: Tết plus swaps never
# remove more than ~12 working days in a row, so 3 calendar weeks per 10 days is ample.
_MAX_SPAN_PER_DAY = 3


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


@dataclass
class WorkCalendar:
    """The working days of a date range, with the administrator's overrides loaded
    once: one query, then pure arithmetic (fast enough for bulk use)."""

    overrides: dict[datetime.date, bool] = field(default_factory=dict)  # date -> is working
    names: dict[datetime.date, str] = field(default_factory=dict)

    @classmethod
    def load(cls, start: datetime.date, end: datetime.date) -> WorkCalendar:
        from core.models import CalendarDay

        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind", "name")
        return cls(
            overrides={d: kind == CalendarDay.Kind.WORKING for d, kind, _ in rows},
            names={d: name for d, _, name in rows},
        )

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts);
        0 gives ``start`` (the result is given the same day)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        left = days
        while left:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days lie after ``start`` up to and including ``end``."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        day -= datetime.timedelta(days=1)
        while not self.is_working_day(day):
            day -= datetime.timedelta(days=1)
        return day

    def name_of(self, day: datetime.date) -> str:
        return self.names.get(day) or _public_holidays(day.year).get(day, "")


def calendar_for(start: datetime.date, days: int = 0) -> WorkCalendar:
    """A calendar covering ``start`` and the next ``days`` working days."""
    end = start + datetime.timedelta(days=max(days, 1) * _MAX_SPAN_PER_DAY + 30)
    return WorkCalendar.load(start - datetime.timedelta(days=30), end)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` — DESIGN.md "Working days"."""
    return calendar_for(start, days).add_working_days(start, days)


def is_working_day(day: datetime.date) -> bool:
    return calendar_for(day).is_working_day(day)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    cal = WorkCalendar.load(start, end)
    return cal.working_days_between(start, end)


def previous_working_day(day: datetime.date) -> datetime.date:
    return WorkCalendar.load(day - datetime.timedelta(days=40), day).previous_working_day(day)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of ``day`` in the portal's time zone: a period's dates ``start``
    to ``end`` (both included) are ``local_midnight(start) <= t < local_midnight(end + 1 day)``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of ``year`` and of the next one, in the portal's time zone."""
    return local_midnight(datetime.date(year, 1, 1)), local_midnight(datetime.date(year + 1, 1, 1))


def due_at(due_date: datetime.date, closing_time: datetime.time) -> datetime.datetime:
    """The aware datetime at which a deadline falls: the unit's closing time on the due date."""
    return timezone.make_aware(datetime.datetime.combine(due_date, closing_time))


def days_that_differ(year: int) -> list[dict]:
    """Days of ``year`` that differ from plain Monday-to-Friday: weekday holidays and
    weekend working days, administrator rows winning over the package."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    cal = WorkCalendar.load(start, end)
    candidates = set(cal.overrides) | {d for d in _public_holidays(year) if d.weekday() < 5}
    result = []
    for day in sorted(candidates):
        working = cal.is_working_day(day)
        if working != (day.weekday() < 5):
            result.append({"date": day, "kind": "working" if working else "holiday", "name": cal.name_of(day)})
    return result
