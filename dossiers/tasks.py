"""What Celery beat runs: the deadline engine (schedule kept in django-celery-beat)."""
from celery import shared_task


@shared_task(ignore_result=True)
def check_deadlines():
    from core import engine

    return engine.describe(engine.run())
