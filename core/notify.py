"""In-portal notifications and their e-mail delivery.

Notices are rows first (one per person, kind and subject, so a re-run never notifies
twice); e-mail goes out from a separate task after the transaction commits, claiming
each row with a conditional update so that two workers never send the same notice.

The second half is the one adapter for people without an account (applicants,
feedback senders): e-mail, SMS and Zalo, with the same outbox-and-lease discipline."""
import dataclasses
import datetime
import json
import logging
import socket
import urllib.error
import urllib.request

from django.apps import apps
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


# --- Messages to people without an account: e-mail, SMS, Zalo (docs/notices.md) ----------
#
# One adapter, ``send(channel, message)``, in front of one backend per channel, chosen by
# settings (EMAIL_NOTICE_BACKEND, SMS_BACKEND, ZALO_BACKEND): "console" in development,
# "off" for a channel the unit has not contracted. Messages are rows first (an app's
# subclass of core.models.OutboxMessage, one per subject and channel); each row is sent
# by its own Celery task after commit, so a channel that fails or hangs never holds up
# another, and a re-run never sends a row twice.



@dataclasses.dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    params: dict = dataclasses.field(default_factory=dict)
    reference: str = ""


class DeliveryError(Exception):
    """A message that could not be sent. ``permanent`` when trying again cannot help
    (HTTP 4xx, a refused number); otherwise it is retried."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class ConsoleBackend:
    """Development: the message goes to the log, as Django's console e-mail backend."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message: Message) -> str:
        log.info("[%s → %s] %s %s", self.channel, message.to, message.subject, message.body)
        return "console"


class EmailBackend:
    """Django's mail (EMAIL_URL / EMAIL_BACKEND), with EMAIL_TIMEOUT on the SMTP connection."""

    def send(self, message: Message) -> str:
        from django.core.mail import EmailMessage

        try:
            EmailMessage(message.subject, message.body, None, [message.to]).send()
        except (OSError, socket.timeout) as error:
            raise DeliveryError(f"e-mail: {error}") from error
        return ""


def _post_json(url: str, payload: dict, headers: dict) -> dict:
    """POST ``payload`` as JSON with the notice timeout; the answer's JSON (or {})."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(f"not an HTTP address: {url[:40]}", permanent=True)
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_HTTP_TIMEOUT) as response:  # noqa: S310 - http(s) only
            raw = response.read(65536)
    except urllib.error.HTTPError as error:
        # 4xx: the gateway refused this message, trying again will not help (429 aside).
        permanent = 400 <= error.code < 500 and error.code != 429
        raise DeliveryError(f"HTTP {error.code}", permanent=permanent) from error
    except (urllib.error.URLError, TimeoutError, socket.timeout, OSError) as error:
        raise DeliveryError(f"{type(error).__name__}: {getattr(error, 'reason', error)}") from error
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {}


def international_phone(phone: str) -> str:
    """0912 345 678 → 84912345678 (the form SMS gateways and Zalo expect)."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits


class HttpSmsBackend:
    """A generic SMS gateway: ``POST SMS_GATEWAY_URL`` with
    ``{"to", "text", "sender", "reference"}`` and ``Authorization: Bearer SMS_GATEWAY_KEY``;
    any 2xx is accepted. Answers ``{"id": ...}`` or ``{"message_id": ...}`` are kept."""

    def send(self, message: Message) -> str:
        if not settings.SMS_GATEWAY_URL:
            raise DeliveryError("SMS_GATEWAY_URL is not set", permanent=True)
        headers = {"Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}"} if settings.SMS_GATEWAY_KEY else {}
        answer = _post_json(settings.SMS_GATEWAY_URL, {
            "to": international_phone(message.to), "text": message.body, "sender": settings.SMS_SENDER,
            "reference": message.reference,
        }, headers)
        return str(answer.get("id") or answer.get("message_id") or "")[:100]


class ZaloZnsBackend:
    """Zalo Official Account, ZNS template message: ``POST ZALO_ZNS_URL`` with the header
    ``access_token`` and ``{"phone", "template_id", "template_data", "tracking_id"}``;
    Zalo answers ``{"error": 0, "data": {"msg_id": ...}}`` (a non-zero error is a refusal)."""

    def send(self, message: Message) -> str:
        if not (settings.ZALO_OA_ACCESS_TOKEN and settings.ZALO_ZNS_TEMPLATE_ID):
            raise DeliveryError("ZALO_OA_ACCESS_TOKEN or ZALO_ZNS_TEMPLATE_ID is not set", permanent=True)
        answer = _post_json(settings.ZALO_ZNS_URL, {
            "phone": international_phone(message.to), "template_id": settings.ZALO_ZNS_TEMPLATE_ID,
            "template_data": message.params, "tracking_id": message.reference,
        }, {"access_token": settings.ZALO_OA_ACCESS_TOKEN})
        error = answer.get("error", 0)
        if error not in (0, "0", None):
            # Negative codes are Zalo's refusals (number not on Zalo, template, quota).
            raise DeliveryError(f"Zalo error {error}: {answer.get('message', '')}"[:500], permanent=True)
        return str((answer.get("data") or {}).get("msg_id") or "")[:100]


def backend_name(channel: str) -> str:
    return {
        "email": settings.EMAIL_NOTICE_BACKEND,
        "sms": settings.SMS_BACKEND,
        "zalo": settings.ZALO_BACKEND,
    }[channel]


def channel_backend(channel: str):
    """The backend that sends ``channel``, or None when the channel is off."""
    name = backend_name(channel)
    if name == "off":
        return None
    if name == "console":
        return ConsoleBackend(channel)
    return {"email": EmailBackend, "sms": HttpSmsBackend, "zalo": ZaloZnsBackend}[channel]()


def recipients(*, email: str = "", phone: str = "") -> list[tuple[str, str]]:
    """``[(channel, address)]``: every channel the person gave that the portal can use —
    e-mail when they gave an address, SMS and Zalo when they gave a phone."""
    out = []
    if email and backend_name("email") != "off":
        out.append(("email", email))
    if phone and international_phone(phone):
        out += [(channel, phone) for channel in ("sms", "zalo") if backend_name(channel) != "off"]
    return out


def send(channel: str, message: Message) -> str:
    """The adapter: send ``message`` by ``channel``; the provider's reference. Raises
    DeliveryError."""
    backend = channel_backend(channel)
    if backend is None:
        raise DeliveryError(f"channel {channel} is off", permanent=True)
    return backend.send(message)


def mask_address(value: str) -> str:
    """What an API or a page shows of an address: 091****678, ng***@example.vn."""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:2]}***@{domain}"
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) < 7:
        return "***"
    return f"{digits[:3]}{'*' * (len(digits) - 6)}{digits[-3:]}"


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed ones (doubling)."""
    return settings.NOTIFY_RETRY_SECONDS * (2 ** max(attempts - 1, 0))


def queue_outbox(rows: list, **subject) -> None:
    """Insert outbox ``rows`` (one model; a row already there is skipped by its unique
    constraint) and, after commit, enqueue the pending rows matching ``subject``."""
    if not rows:
        return
    model = type(rows[0])
    model.objects.bulk_create(rows, ignore_conflicts=True)

    def schedule():
        ids = model.objects.filter(status=model.Status.PENDING, **subject).values_list("pk", flat=True)
        schedule_outbox(model._meta.label, list(ids))

    transaction.on_commit(schedule)


def schedule_outbox(label: str, ids) -> None:
    """Enqueue one task per outbox row (call after commit)."""
    from core.tasks import deliver_outbox_message, enqueue

    for pk in ids:
        enqueue(deliver_outbox_message, label, pk)


def deliver_outbox_row(label: str, pk: int, now=None) -> int | None:
    """Send one outbox row if it is still due; returns the seconds after which it should
    be tried again, or None when there is nothing more to do (sent, failed for good,
    held by another worker, or not found).

    At least once, never twice for one run: the row is claimed with a conditional
    update (a lease); only the worker whose claim changed the row sends it."""
    model = apps.get_model(label)
    now = now or timezone.now()
    row = model.objects.filter(pk=pk, status=model.Status.PENDING).first()
    if row is None:
        return None
    if row.next_attempt_at and row.next_attempt_at > now:
        return max(int((row.next_attempt_at - now).total_seconds()) + 1, 1)
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    if not model.objects.filter(free, pk=pk, status=model.Status.PENDING).update(claimed_at=now):
        return None
    message = Message(to=row.to, subject=row.subject, body=row.body, params=row.params, reference=f"{label}:{pk}")
    attempts = row.attempts + 1
    try:
        reference = send(row.channel, message)
    except DeliveryError as error:
        log.warning("%s %s by %s: attempt %s failed: %s", label, pk, row.channel, attempts, error)
        give_up = error.permanent or attempts >= settings.NOTIFY_MAX_ATTEMPTS
        delay = None if give_up else retry_delay(attempts)
        model.objects.filter(pk=pk).update(
            attempts=attempts, last_error=str(error)[:1000], claimed_at=None,
            status=model.Status.FAILED if give_up else model.Status.PENDING,
            failed_at=timezone.now() if give_up else None,
            next_attempt_at=None if give_up else timezone.now() + datetime.timedelta(seconds=delay),
        )
        if give_up and hasattr(model, "delivery_failed"):
            try:
                model.delivery_failed(pk)  # the app tells its staff (e.g. to phone the parent)
            except Exception:  # noqa: BLE001 - the row already shows the failure
                log.exception("%s %s: could not tell staff of the failure", label, pk)
        return delay
    except Exception as error:  # noqa: BLE001 - an unexpected bug: keep the row, try later
        log.exception("%s %s by %s: unexpected error", label, pk, row.channel)
        model.objects.filter(pk=pk).update(attempts=attempts, last_error=repr(error)[:1000], claimed_at=None,
                                           next_attempt_at=timezone.now() + datetime.timedelta(seconds=retry_delay(attempts)))
        return retry_delay(attempts)
    model.objects.filter(pk=pk).update(
        status=model.Status.SENT, sent_at=timezone.now(), attempts=attempts, provider_ref=reference,
        claimed_at=None, last_error="",
    )
    return None


def deliver_due_outbox(limit: int = 500) -> int:
    """The catch-up the deadline engine runs: every outbox row that is due and not
    held (broker down when it was made, worker killed mid-send); how many were sent."""
    from core import registry

    sent = 0
    now = timezone.now()
    for model in registry.outboxes():
        label = model._meta.label
        due = (
            model.objects.filter(status=model.Status.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
            .order_by("id")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in list(due):
            deliver_outbox_row(label, pk)
            sent += model.objects.filter(pk=pk, status=model.Status.SENT).exists()
    return sent
