"""``manage.py rebuild_kpi_rollup [--check]``: recount the daily rollup of the indicators
from the records (after a bulk load, a restore or an upgrade; docs/kpi/rollup.md), or with
``--check`` compare it with the live counts for every unit and month without writing."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Unit
from kpi import live, rollup


class Command(BaseCommand):
    help = "Recount the daily rollup of the KPI counts from the records (or --check it)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare with the live counts, write nothing")
        parser.add_argument("--year", type=int, help="with --check: the year to compare (default: this year)")

    def handle(self, *args, check=False, year=None, **options):
        if check:
            return self._check(year or timezone.localdate().year)
        started = time.monotonic()
        result = rollup.rebuild(say=lambda text: self.stdout.write(text))
        self.stdout.write(self.style.SUCCESS(
            _("Rollup rebuilt: %(days)s daily rows, %(months)s monthly rows in %(seconds).1f s")
            % {**result, "seconds": time.monotonic() - started}))

    def _check(self, year):
        import datetime

        now = timezone.now()
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        units = Unit.objects.all()
        got = rollup.sums(units=units, start=start, end=end, now=now, by="unit")
        want = live.sums(units=units, start=start, end=end, now=now, by="unit")
        if got != want:
            wrong = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            raise CommandError(_("The rollup differs from the records for %(n)s unit(s), e.g. unit ids %(ids)s; "
                                 "run manage.py rebuild_kpi_rollup") % {"n": len(wrong), "ids": wrong[:5]})
        # A year reads month rows; a period's edges read day rows: those must add up to the months.
        if connection.vendor == "postgresql" and (unlike := rollup.months_unlike_their_days()):
            raise CommandError(_("Daily rows do not add up to their monthly row, e.g. (unit, field, month) %(rows)s; "
                                 "run manage.py rebuild_kpi_rollup") % {"rows": "; ".join(
                f"({unit}, {field if field is not None else '—'}, {month:%m/%Y})" for unit, field, month in unlike)})
        self.stdout.write(self.style.SUCCESS(_("The rollup agrees with the records for %(year)s") % {"year": year}))
