import time

import pytest

from core.models import EngineRun, Notification
from tests.factories import StaffFactory


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.celery_worker
def test_a_real_worker_runs_the_deadline_engine_task(celery_worker_process):
    from core.tasks import run_deadline_engine

    run_deadline_engine.delay()
    assert _wait_for(lambda: EngineRun.objects.exists()), "the worker did not run the engine"


@pytest.mark.celery_worker
def test_notifications_are_emailed_once_by_the_worker(celery_worker_process):
    from core.notify import notify

    staff = StaffFactory()
    created = notify(users=[staff], unit=staff.unit, kind="test", subject_key="x:1", title="Hồ sơ sắp đến hạn")
    again = notify(users=[staff], unit=staff.unit, kind="test", subject_key="x:1", title="Hồ sơ sắp đến hạn")
    assert (created, again) == (1, 0)
    from core.tasks import send_notifications

    send_notifications.delay()
    assert _wait_for(lambda: Notification.objects.filter(emailed_at__isnull=False).count() == 1)
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_notice_claimed_by_a_killed_worker_is_sent_once_its_lease_expires(mailoutbox):
    import datetime

    from django.utils import timezone

    from core.notify import CLAIM_LEASE, deliver_pending, notify

    staff = StaffFactory()
    notify(users=[staff], unit=staff.unit, kind="test", subject_key="x:2", title="Hồ sơ quá hạn")
    # A worker claimed it a moment ago and is still sending: nobody else sends it.
    Notification.objects.update(claimed_at=timezone.now())
    assert deliver_pending() == 0
    # That worker died: after the lease the notice goes out, once.
    Notification.objects.update(claimed_at=timezone.now() - CLAIM_LEASE - datetime.timedelta(seconds=1))
    assert deliver_pending() == 1
    assert deliver_pending() == 0
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [staff.email]
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db
def test_a_failed_send_is_retried_by_the_next_run(mailoutbox, monkeypatch):
    from core import notify as notify_module

    staff = StaffFactory()
    notify_module.notify(users=[staff], unit=staff.unit, kind="test", subject_key="x:3", title="Cảnh báo")

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(notify_module, "send_mail", broken)
    assert notify_module.deliver_pending() == 0
    monkeypatch.undo()
    assert notify_module.deliver_pending() == 1
    assert len(mailoutbox) == 1
