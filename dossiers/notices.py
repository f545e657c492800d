"""Notices to the applicant (docs/notices.md): when their dossier is received, when a
supplement is asked for, when it is stopped or refused, when an apology sets a new
date, and when the result is ready — by every channel they gave (e-mail, SMS, Zalo),
in Vietnamese, with the private tracking link.

The rows are written inside the transaction of the event (``dossier_event``), one per
(dossier, event, channel); each is sent after commit by its own Celery task
(``core.notify.deliver_outbox_row``)."""
from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import notify
from dossiers.models import ApplicantNotice, Apology, Dossier
from dossiers.qr import tracking_url
from dossiers.signals import dossier_event

# The events the applicant hears about (the others are the unit's own business).
NOTIFIED = ("receive", "request_supplement", "stop", "reject", "apologize", "complete")
SMS_NOTE_LIMIT = 120  # characters of a reason in an SMS


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _reason(event, limit: int | None = None) -> str:
    """The reason the control sheet keeps ("reason — note"), as a sentence; cut to
    ``limit`` characters for an SMS (the link has it all)."""
    reason = (event.note or "").split(" — ")[0].strip()
    if limit and len(reason) > limit:
        reason = reason[:limit].rstrip() + "…"
    if reason and reason[-1] not in ".!?…":
        reason += "."
    return reason


def compose(*, dossier: Dossier, action: str, event) -> dict:
    """The notice in Vietnamese: ``{"subject", "email", "sms", "params"}`` — the e-mail's
    text with the unit's signature, a short text for SMS, and the values of the Zalo
    template (docs/notices.md)."""
    values = {
        "name": dossier.applicant_name, "unit": dossier.unit.name, "code": dossier.code,
        "procedure": dossier.procedure.name, "due": _date(dossier.due_date), "url": tracking_url(dossier),
    }
    date = values["due"]
    texts = {}
    with translation.override(settings.LANGUAGE_CODE):
        for channel, limit in (("email", None), ("sms", SMS_NOTE_LIMIT)):
            values["reason"] = _reason(event, limit)
            if action == "receive":
                subject = _("Dossier %(code)s received") % values
                text = (_("%(unit)s received your dossier %(code)s (%(procedure)s). The result is promised for %(due)s.")
                        if channel == "email" else
                        _("%(unit)s received your dossier %(code)s. The result is promised for %(due)s.")) % values
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
                values["new_due"] = date = _date(Apology.objects.get(dossier=dossier).new_due_date)
                subject = _("Dossier %(code)s: apology and new return date") % values
                text = _("%(unit)s apologises: dossier %(code)s will not be ready on the promised date. "
                         "The new return date is %(new_due)s.") % values
            else:  # complete
                subject = _("Dossier %(code)s: the result is ready") % values
                text = _("The result of dossier %(code)s is ready.") % values
                date = _date(timezone.localdate(event.at))
            texts[channel] = text
        greeting = _("Dear Mr/Ms %(name)s,") % values
        follow = _("Follow your dossier: %(url)s") % values
    unit = dossier.unit
    signature = "\n".join(part for part in (unit.name, " · ".join(p for p in (unit.address, unit.phone) if p)) if part)
    return {
        "subject": f"[{unit.name}] {subject}",
        "email": f"{greeting}\n\n{texts['email']}\n\n{follow}\n\n{signature}\n",
        "sms": f"{greeting} {texts['sms']} {follow}",
        "params": {"name": dossier.applicant_name[:30], "code": dossier.code, "status": subject[:100], "date": date,
                   "note": _reason(event, 100), "url": values["url"]},
    }


@receiver(dossier_event, dispatch_uid="dossiers.notices.queue_applicant_notices")
def queue_applicant_notices(sender, dossier, event, action, **kwargs):
    """One outbox row per channel the applicant gave; sent after commit."""
    if action not in NOTIFIED:
        return
    targets = notify.recipients(email=dossier.applicant_email, phone=dossier.applicant_phone)
    if not targets:
        return
    notice = compose(dossier=dossier, action=action, event=event)
    rows = [
        ApplicantNotice(
            dossier=dossier, unit_id=dossier.unit_id, event=event, action=action, channel=channel, to=to,
            subject=notice["subject"], body=notice["email" if channel == "email" else "sms"], params=notice["params"],
        )
        for channel, to in targets
    ]
    notify.queue_outbox(rows, event_id=event.pk)



def tell_staff_of_failure(*, notice_id: int) -> None:
    """A notice that failed for good: the dossier's handler (or who received it) gets an
    in-portal notification, so the parent is told another way."""
    notice = ApplicantNotice.objects.select_related("dossier__unit", "dossier__assigned_to", "dossier__received_by").get(
        pk=notice_id)
    dossier = notice.dossier
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Notice to the applicant of %(code)s not delivered (%(channel)s)") % {
            "code": dossier.code, "channel": notice.get_channel_display()}
        body = _("%(event)s: %(error)s. Tell the applicant another way (phone call).") % {
            "event": notice.label, "error": notice.last_error}
    notify.notify(users=[dossier.assigned_to or dossier.received_by], unit=dossier.unit, kind="applicant_notice_failed",
                  subject_key=f"applicant_notice:{notice.pk}", title=title, body=body,
                  link=reverse("dossiers:detail", args=[dossier.code]))
