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
    from dossiers.tasks import check_deadlines

    check_deadlines.delay()
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
