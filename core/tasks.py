import logging

from celery import shared_task

log = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """Send a task to the broker; when the broker is down, log and carry on: the
    work is kept as rows and the next deadline-engine run catches up."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
        return True
    except Exception:  # noqa: BLE001 - the broker being down must not break a page
        log.warning("broker unavailable, %s left for the next engine run", task.name)
        return False


@shared_task(ignore_result=True)
def run_deadline_engine():
    """What Celery beat runs (schedule kept in django-celery-beat): every registered sweep."""
    from core import engine

    return engine.describe(engine.run())


@shared_task(ignore_result=True)
def send_notifications():
    from core.notify import deliver_pending

    return deliver_pending()


@shared_task(bind=True, ignore_result=True, max_retries=None)
def deliver_outbox_message(self, label: str, pk: int):
    """Send one outbox row (an applicant's notice, a feedback answer); a passing failure
    comes back after the delay the row asks for, until NOTIFY_MAX_ATTEMPTS."""
    from core.notify import deliver_outbox_row

    delay = deliver_outbox_row(label, pk)
    if delay is not None:
        raise self.retry(countdown=delay)


@shared_task(ignore_result=True)
def clear_expired_sessions():
    """Delete the sessions past their expiry (Django's ``clearsessions``, nightly from
    django-celery-beat): nothing else removes a session nobody signed out of."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
