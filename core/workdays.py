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

# Days the government moved for civil servants and public employees (swapped days off and
# their make-up working Saturdays), and package holidays that are not law: each with the
# text that decided it (docs/legal/calendar.md). Seeded into CalendarDay, ``source`` kept
# beside each row, by core/migrations/0006_calendar_sources.py. 2023 has no swapped day:
# 02/01, 02/05, 03/05 and 04/09/2023 are days off by the Labour Code itself (art. 112(3),
# a holiday on a weekly rest day is taken on the next working day), listed by the package.
# date -> (kind, name, source)
OFFICIAL_DAYS = {
    datetime.date(2024, 4, 29): ("holiday", "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)",
                                 "Công văn 2450/VPCP-KGVX ngày 12/4/2024"),
    datetime.date(2024, 5, 4): ("working", "Làm bù cho ngày nghỉ thứ Hai 29/04/2024",
                                "Công văn 2450/VPCP-KGVX ngày 12/4/2024"),
    datetime.date(2025, 4, 26): ("working", "Làm bù cho ngày nghỉ thứ Sáu 02/05/2025",
                                 "Thông báo 6150/TB-BLĐTBXH (theo Công văn 8726/VPCP-KGVX ngày 26/11/2024)"),
    datetime.date(2025, 5, 2): ("holiday", "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)",
                                "Thông báo 6150/TB-BLĐTBXH (theo Công văn 8726/VPCP-KGVX ngày 26/11/2024)"),
    datetime.date(2026, 1, 2): ("holiday", "Tết Dương lịch: nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)",
                                "Công văn 12729/VPCP-KGVX ngày 25/12/2025"),
    datetime.date(2026, 1, 10): ("working", "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026",
                                 "Công văn 12729/VPCP-KGVX ngày 25/12/2025"),
    datetime.date(2026, 8, 22): ("working", "Làm bù cho ngày nghỉ thứ Hai 31/08/2026",
                                 "Thông báo 9441/TB-BNV ngày 16/10/2025"),
    datetime.date(2026, 8, 31): ("holiday", "Quốc khánh: nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)",
                                 "Thông báo 9441/TB-BNV ngày 16/10/2025"),
    # The holidays package lists 24/11 ("Ngày Văn hóa Việt Nam") from 2026, but it is only a
    # policy (Nghị quyết 80-NQ/TW) and a task to amend art. 112 of the Labour Code
    # (Nghị quyết 30/NQ-CP, 2026): not a day off until the amended Code is in force.
    datetime.date(2026, 11, 24): ("working", "Ngày Văn hóa Việt Nam — chưa là ngày nghỉ theo luật",
                                  "Chỉ là đề xuất sửa Điều 112 Bộ luật Lao động (Nghị quyết 30/NQ-CP); "
                                  "Bộ luật Lao động 2019 chưa được sửa"),
    datetime.date(2027, 11, 24): ("working", "Ngày Văn hóa Việt Nam — chưa là ngày nghỉ theo luật",
                                  "Chỉ là đề xuất sửa Điều 112 Bộ luật Lao động (Nghị quyết 30/NQ-CP); "
                                  "Bộ luật Lao động 2019 chưa được sửa"),
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

    def intake_due_date(self, received_local: datetime.datetime, days: int, closing_time: datetime.time) -> datetime.date:
        """The due date of a dossier received at local time ``received_local``: ``days``
        working days after the day of receipt. A 0-day procedure is answered the same day
        only when it was received on a working day before closing time; otherwise on the
        next working day."""
        day = received_local.date()
        if days == 0 and (not self.is_working_day(day) or received_local.time() >= closing_time):
            return self.add_working_days(day, 1)
        return self.add_working_days(day, days)

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


def intake_due_date(received_at: datetime.datetime, days: int, closing_time: datetime.time) -> datetime.date:
    """``WorkCalendar.intake_due_date`` for an aware ``received_at`` (local time of the portal)."""
    local = timezone.localtime(received_at)
    return calendar_for(local.date(), max(days, 1)).intake_due_date(local.replace(tzinfo=None), days, closing_time)


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


def on_local_dates(field: str, *, start: datetime.date | None = None, end: datetime.date | None = None):
    """Q: the time ``field`` falls on local dates ``start`` to ``end``, both included
    (either may be open)."""
    from django.db.models import Q

    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": local_midnight(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": local_midnight(end + datetime.timedelta(days=1))})
    return q


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of ``year`` and of the next one, in the portal's time zone."""
    return local_midnight(datetime.date(year, 1, 1)), local_midnight(datetime.date(year + 1, 1, 1))


def due_at(due_date: datetime.date, closing_time: datetime.time) -> datetime.datetime:
    """The aware datetime at which a deadline falls: the unit's closing time on the due date."""
    return timezone.make_aware(datetime.datetime.combine(due_date, closing_time))


def package_holiday_name(day: datetime.date) -> str:
    """The name the ``holidays`` package gives ``day``, or "" if it lists no holiday then."""
    return _public_holidays(day.year).get(day, "")


def package_holidays(year: int) -> list[dict]:
    """The ``holidays`` package's days of ``year``, each with the administrator's row for
    that date if there is one (``override``: its kind, or None), for the calendar admin."""
    from core.models import CalendarDay

    rows = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    return [
        {"date": day, "name": name, "weekday": day.weekday(), "override": rows.get(day)}
        for day, name in sorted(_public_holidays(year).items())
    ]


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
