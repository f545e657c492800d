"""What Celery runs for dossiers: the deadline engine (beat, schedule kept in
django-celery-beat) and sealing a receipt after intake."""
from celery import shared_task


@shared_task(ignore_result=True)
def check_deadlines():
    from core import engine

    return engine.describe(engine.run())


@shared_task(ignore_result=True)
def seal_receipt_task(dossier_id):
    """Seal the receipt of a dossier just received (dossiers.signatures)."""
    from dossiers.signatures import seal_receipt

    seal_receipt(dossier_id)
