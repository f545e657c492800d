"""The deadline engine: one run applies every sweep the apps registered
(core/registry.py), delivers the notices they queued, then records the run.

Each sweep is set-based and idempotent (docs/architecture.md, "How a deadline sweep flows"); this
module only runs them and keeps the record that /healthz shows."""
import datetime

from django.db import transaction
from django.utils import timezone

from core import registry
from core.models import EngineRun


def run(now: datetime.datetime | None = None) -> EngineRun:
    started = timezone.now()
    now = now or started
    summary: dict[str, int] = {}
    for sweep in registry.deadline_sweeps():
        with transaction.atomic():
            summary.update(sweep(now))
    from core.notify import deliver_pending

    summary["emails_sent"] = deliver_pending()
    from core.notify import deliver_due_outbox

    summary["outbox_sent"] = deliver_due_outbox()
    return EngineRun.objects.create(started_at=started, finished_at=timezone.now(), now=now, summary=summary)


def describe(run: EngineRun) -> str:
    parts = ", ".join(f"{k}={v}" for k, v in sorted(run.summary.items()))
    return f"deadline engine: now={run.now.isoformat()} {parts}".strip()
