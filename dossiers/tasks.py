"""What Celery runs for dossiers: sealing a receipt after intake (dossiers.signatures)."""
from celery import shared_task


@shared_task(ignore_result=True)
def seal_receipt_task(dossier_id):
    """Seal the receipt of a dossier just received."""
    from dossiers.signatures import seal_receipt

    seal_receipt(dossier_id)
