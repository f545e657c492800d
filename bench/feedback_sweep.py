"""Time the feedback deadline sweep over many open rows.

    DATABASE_URL=... .venv/bin/python bench/feedback_sweep.py [N]

Creates a throw-away unit with a principal and a staff member, and N open feedback items
(half overdue, half due tomorrow; every other one assigned to the staff member, so each
item has one or two people to tell), runs the sweep twice (the second run must find
nothing), prints the figures, and removes everything it created."""
import datetime
import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from core.models import Office, Unit, User  # noqa: E402
from feedback.deadlines import sweep  # noqa: E402
from feedback.models import Feedback  # noqa: E402


def _remove_leftovers():
    """What an interrupted earlier run left behind."""
    from core.models import Notification

    for unit in Unit.objects.filter(slug="bench-feedback"):
        Feedback.objects.filter(unit=unit).delete()
        Notification.objects.filter(unit=unit).delete()
        User.objects.filter(unit=unit).delete()
        unit.delete()


def main(n: int):
    _remove_leftovers()
    office, _ = Office.objects.get_or_create(code="bench-office", defaults={"name": "Bench"})
    unit = Unit.objects.create(office=office, slug="bench-feedback", code="BENCH.FB", name="Bench")
    principal = User.objects.create(username="bench-fb-principal", role=User.Role.PRINCIPAL, unit=unit)
    staff = User.objects.create(username="bench-fb-staff", role=User.Role.STAFF, unit=unit)
    try:
        now = timezone.now()
        rows = []
        for i in range(n):
            due = now + datetime.timedelta(hours=(-48 if i % 2 else 20))
            rows.append(Feedback(
                unit=unit, code=f"BENCH.FB-{i:07d}", kind="gop-y", subject="s", content="c", received_at=now,
                due_date=timezone.localdate(due), due_at=due, assigned_to=staff if i % 4 < 2 else None,
            ))
        t = time.perf_counter()
        Feedback.objects.bulk_create(rows, batch_size=2000)
        print(f"created {n} open rows in {time.perf_counter() - t:.2f}s")
        # Once per worker process, not per sweep: the URLconf (for the notices' links) and
        # the catalogue; timed apart so that "sweep run 1" is the sweep itself.
        t = time.perf_counter()
        with translation.override(settings.LANGUAGE_CODE):
            reverse("feedback:detail", args=["BENCH"])
        print(f"warm-up (URLconf, catalogue; once per process): {time.perf_counter() - t:.2f}s")
        for run in (1, 2):
            t = time.perf_counter()
            with transaction.atomic():
                result = sweep(now)
            print(f"sweep run {run}: {time.perf_counter() - t:.2f}s {result}")
    finally:
        Feedback.objects.filter(unit=unit).delete()
        from core.models import Notification

        Notification.objects.filter(unit=unit).delete()
        User.objects.filter(pk__in=[principal.pk, staff.pk]).delete()
        unit.delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
