"""Notices to the applicant (docs/notices.md): when their dossier is received, when a
supplement is asked for, when it is stopped or refused, when an apology sets a new
date, and when the result is ready — by every channel they gave (e-mail, SMS, Zalo),
in Vietnamese, with the private tracking link.

The rows are written inside the transaction of the event (``dossier_event``), one per
(dossier, event, channel); each is sent after commit by its own Celery task
(``core.notify.deliver_outbox_row``)."""
from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import notify
from dossiers.models import ApplicantNotice, Apology, Dossier
from dossiers.qr import tracking_url
from dossiers.signals import dossier_event

# The events the applicant hears about (the others are the unit's own business).
NOTIFIED = ("receive", "request_supplement", "stop", "reject", "apologize", "complete")
SMS_NOTE_LIMIT = 120  # a reason longer than this is cut in an SMS; the link has it all


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _reason(event) -> str:
    # The control sheet keeps "reason — note"; the applicant reads the reason.
    return (event.note or "").split(" — ")[0].strip()


def compose(*, dossier: Dossier, action: str, event) -> tuple[str, str, dict]:
    """``(subject, text, template params)`` of the notice, in Vietnamese."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": dossier.applicant_name, "unit": dossier.unit.name, "code": dossier.code,
            "procedure": dossier.procedure.name, "due": _date(dossier.due_date), "reason": _reason(event),
            "url": tracking_url(dossier),
        }
        date = values["due"]
        if action == "receive":
            subject = _("Dossier %(code)s received") % values
            text = _("%(unit)s received your dossier %(code)s (%(procedure)s). "
                     "The result is promised for %(due)s.") % values
        elif action == "request_supplement":
            subject = _("Dossier %(code)s: please supplement it") % values
            text = _("%(unit)s asks you to supplement dossier %(code)s: %(reason)s") % values
            date = ""
        elif action == "stop":
            subject = _("Dossier %(code)s: handling stopped") % values
            text = _("%(unit)s stopped handling dossier %(code)s. Reason: %(reason)s") % values
            date = ""
        elif action == "reject":
            subject = _("Dossier %(code)s refused") % values
            text = _("%(unit)s refused dossier %(code)s. Reason: %(reason)s") % values
            date = ""
        elif action == "apologize":
            apology = Apology.objects.get(dossier=dossier)
            values["new_due"] = date = _date(apology.new_due_date)
            subject = _("Dossier %(code)s: apology and new return date") % values
            text = _("%(unit)s apologises: dossier %(code)s will not be ready on the promised date. "
                     "The new return date is %(new_due)s.") % values
        else:  # complete
            subject = _("Dossier %(code)s: the result is ready") % values
            text = _("The result of dossier %(code)s is ready.") % values
            date = _date(timezone.localdate(event.at))
        greeting = _("Dear Mr/Ms %(name)s,") % values
        follow = _("Follow your dossier: %(url)s") % values
    body = f"{greeting} {text} {follow}"
    params = {
        "name": dossier.applicant_name[:30], "code": dossier.code, "status": subject[:100], "date": date,
        "note": values["reason"][:100], "url": values["url"],
    }
    return f"[{dossier.unit.name}] {subject}", body, params


def _sms_text(body: str, reason: str) -> str:
    if len(reason) > SMS_NOTE_LIMIT:
        return body.replace(reason, reason[:SMS_NOTE_LIMIT].rstrip() + "…")
    return body


@receiver(dossier_event, dispatch_uid="dossiers.notices.queue_applicant_notices")
def queue_applicant_notices(sender, dossier, event, action, **kwargs):
    """One outbox row per channel the applicant gave; sent after commit."""
    if action not in NOTIFIED:
        return
    targets = notify.recipients(email=dossier.applicant_email, phone=dossier.applicant_phone)
    if not targets:
        return
    subject, body, params = compose(dossier=dossier, action=action, event=event)
    rows = [
        ApplicantNotice(
            dossier=dossier, unit_id=dossier.unit_id, event=event, action=action, channel=channel, to=to,
            subject=subject, body=_sms_text(body, _reason(event)) if channel == "sms" else body, params=params,
        )
        for channel, to in targets
    ]
    notify.queue_outbox(rows, event_id=event.pk)

