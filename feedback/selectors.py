"""Reads that feed the feedback pages, the public page, the feed and the API."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from feedback.models import Feedback

S = Feedback.Status
# What a public page may load of a published item: never the sender's details or notes.
PUBLIC_FIELDS = ("id", "unit_id", "code", "kind", "public_subject", "public_content", "public_answer", "published_at")


def inbox_items(*, unit, status: str = "", overdue: bool = False, assigned: str = "", user=None, now=None):
    """The unit's feedback for the staff inbox, filtered; open items first by deadline."""
    now = now or timezone.now()
    qs = Feedback.objects.filter(unit=unit).select_related("assigned_to").annotate(note_count=Count("notes"))
    if status in S.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=Feedback.OPEN_STATUSES, due_at__lt=now)
    if assigned == "me" and user is not None:
        qs = qs.filter(assigned_to=user)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("-received_at", "-id")


def status_counts(*, unit, now=None) -> dict:
    """How many items of the unit are in each state, and how many are overdue: one query."""
    now = now or timezone.now()
    counts = Feedback.objects.filter(unit=unit).aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(status__in=Feedback.OPEN_STATUSES, due_at__lt=now)),
        **{status: Count("id", filter=Q(status=status)) for status in S.values},
    )
    return counts


def published_items(*, unit):
    """Published answers of ``unit``, newest first, with public fields only."""
    # Closing a published item archives it; its answer stays public.
    return (
        Feedback.objects.filter(unit=unit, published_at__isnull=False)
        .only(*PUBLIC_FIELDS)
        .order_by("-published_at", "-id")
    )


def published_item(*, unit, code: str) -> Feedback | None:
    return published_items(unit=unit).filter(code=code).first()


def year_figures(*, unit, year: int) -> dict:
    """Target 3 of the plan for the public page: received, answered, published this year."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    answered = Q(answered_at__isnull=False)
    return Feedback.objects.filter(unit=unit, received_at__gte=start, received_at__lt=end).aggregate(
        received=Count("id"),
        answered=Count("id", filter=answered),
        published=Count("id", filter=Q(published_at__isnull=False)),
    )
