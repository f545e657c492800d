"""The deadline engine: one run applies every app's sweep, then records the run.

Each sweep is set-based and idempotent (DESIGN.md "Deadline engine"); this module
only orders them and keeps the record that /healthz shows."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import EngineRun

SWEEPS = (
    "dossiers.deadlines.sweep",
    "feedback.deadlines.sweep",
)


def run(now: datetime.datetime | None = None) -> EngineRun:
    started = timezone.now()
    now = now or started
    summary: dict[str, int] = {}
    for path in SWEEPS:
        with transaction.atomic():
            summary.update(import_string(path)(now))
    from core.notify import deliver_pending

    summary["emails_sent"] = deliver_pending()
    from core.notify import deliver_due_outbox

    summary["outbox_sent"] = deliver_due_outbox()
    return EngineRun.objects.create(started_at=started, finished_at=timezone.now(), now=now, summary=summary)


def describe(run: EngineRun) -> str:
    parts = ", ".join(f"{k}={v}" for k, v in sorted(run.summary.items()))
    return f"deadline engine: now={run.now.isoformat()} {parts}".strip()
