from celery import shared_task


@shared_task(ignore_result=True)
def send_dossier_invitation(dossier_id: int):
    """E-mail the applicant the survey link after the result is returned (Surveys issue)."""
    return None
