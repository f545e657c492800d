import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def send_dossier_invitation(dossier_id: int):
    """E-mail the applicant the survey link after the result is returned, when they
    left an address and have not answered yet. A re-delivered task (acks_late) does
    not e-mail twice while the cache remembers the first send."""
    from dossiers.models import Dossier
    from surveys.links import dossier_survey_url

    dossier = Dossier.objects.select_related("unit", "procedure").filter(pk=dossier_id).first()
    if dossier is None or not dossier.applicant_email or dossier.survey_answered_at is not None:
        return False
    key = f"survey-invitation:{dossier.pk}"
    try:
        if not cache.add(key, 1, timeout=30 * 24 * 3600):
            return False
    except Exception:  # noqa: BLE001 - no cache: better one mail too many than none
        log.warning("cache unavailable; sending the survey invitation of dossier %s anyway", dossier.pk)
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("[%(unit)s] How satisfied are you? Dossier %(code)s") % {
            "unit": dossier.unit.name, "code": dossier.code,
        }
        body = render_to_string("surveys/email/invitation.txt", {"dossier": dossier, "url": dossier_survey_url(dossier)})
    try:
        send_mail(subject, body, None, [dossier.applicant_email])
    except Exception:
        try:
            cache.delete(key)  # let a retry send it
        except Exception:  # noqa: BLE001
            pass
        raise
    return True
