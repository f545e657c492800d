"""In-portal notifications and their e-mail delivery.

Notices are rows first (one per person, kind and subject, so a re-run never notifies
twice); e-mail goes out from a separate task after the transaction commits, claiming
each row with a conditional update so that two workers never send the same notice."""
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.models import Notification

log = logging.getLogger(__name__)


def notify(*, users, unit, kind, subject_key, title, body="", link="") -> int:
    """Create one notice per user (skipping those that already have it); returns how
    many were new. E-mail delivery is scheduled after commit."""
    rows = [
        Notification(user=u, unit=unit, kind=kind, subject_key=subject_key, title=title[:255], body=body, link=link)
        for u in users
        if u is not None and u.is_active
    ]
    if not rows:
        return 0
    before = Notification.objects.filter(kind=kind, subject_key=subject_key).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = Notification.objects.filter(kind=kind, subject_key=subject_key).count() - before
    if created:
        transaction.on_commit(schedule_delivery)
    return created


def schedule_delivery():
    from core.tasks import enqueue, send_notifications

    enqueue(send_notifications)


def deliver_pending(limit: int = 500) -> int:
    """E-mail the notices not sent yet; returns how many were sent by this call."""
    sent = 0
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True)
        .select_related("user", "unit")
        .order_by("id")[:limit]
    )
    for notice in pending:
        # Claim the row: only one worker wins it.
        claimed = Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if not claimed:
            continue
        if not notice.user.email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            message = render_to_string("core/email/notification.txt", {"n": notice, "SITE_URL": settings.SITE_URL})
        try:
            send_mail(f"[CCHC] {notice.title}", message, None, [notice.user.email])
            sent += 1
        except Exception:  # noqa: BLE001 - a failed mail is retried by releasing the claim
            log.exception("could not e-mail notification %s", notice.pk)
            Notification.objects.filter(pk=notice.pk).update(emailed_at=None)
    return sent
