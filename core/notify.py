"""In-portal notifications and their e-mail delivery.

Notices are rows first (one per person, kind and subject, so a re-run never notifies
twice); e-mail goes out from a separate task after the transaction commits, claiming
each row with a conditional update so that two workers never send the same notice."""
import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
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


# How long a worker may hold a notice before another worker sends it instead.
CLAIM_LEASE = datetime.timedelta(minutes=10)


def deliver_pending(limit: int = 500) -> int:
    """E-mail the notices not sent yet; returns how many were sent by this call.

    At least once: a notice is claimed (a lease), sent, then marked sent. Two workers
    never hold the same lease; a lease left by a killed worker expires and the notice
    is sent by the next run."""
    sent = 0
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    pending = list(
        Notification.objects.filter(free, emailed_at__isnull=True).select_related("user", "unit").order_by("id")[:limit]
    )
    for notice in pending:
        claimed = Notification.objects.filter(free, pk=notice.pk, emailed_at__isnull=True).update(claimed_at=now)
        if not claimed:
            continue
        if notice.user.email:
            with translation.override(settings.LANGUAGE_CODE):
                message = render_to_string("core/email/notification.txt", {"n": notice, "SITE_URL": settings.SITE_URL})
            try:
                send_mail(f"[CCHC] {notice.title}", message, None, [notice.user.email])
            except Exception:  # noqa: BLE001 - released: the next run tries again
                log.exception("could not e-mail notification %s", notice.pk)
                Notification.objects.filter(pk=notice.pk).update(claimed_at=None)
                continue
            sent += 1
        Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return sent
