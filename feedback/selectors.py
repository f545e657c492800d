"""Reads that feed the feedback pages, the public page, the feed and the API."""
import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from core import access, workdays
from feedback.models import Feedback

S = Feedback.Status
# What a public page may load of a published item: never the sender's details or notes.
PUBLIC_FIELDS = ("id", "unit_id", "code", "kind", "public_subject", "public_content", "public_answer", "published_at")

# The sets behind the KPI feedback indicators (DESIGN.md "KPI and reports"), read by
# kpi.selectors and by the inbox's filters so a dashboard number and its list agree.
ANSWERED = Q(answered_at__isnull=False)
ANSWERED_ON_TIME = ANSWERED & Q(answered_at__lte=F("due_at"))
PUBLISHABLE = ANSWERED & Q(publishable=True)
PUBLISHED = PUBLISHABLE & Q(published_at__isnull=False)


def received_between(*, start: datetime.date | None = None, end: datetime.date | None = None) -> Q:
    """Feedback received on local dates ``start`` to ``end``, both included (either may be open)."""
    return workdays.on_local_dates("received_at", start=start, end=end)


def narrowed(*, queryset, received_from: datetime.date | None = None, received_to: datetime.date | None = None,
             answered: bool = False, on_time: bool = False, publishable: bool = False, published: bool = False):
    """``queryset`` narrowed to the sets the KPI feedback indicators count: received in a
    range of dates, answered, answered by the deadline, answered and publishable,
    published (each of the last four implies answered)."""
    if received_from or received_to:
        queryset = queryset.filter(received_between(start=received_from, end=received_to))
    for wanted, condition in ((answered, ANSWERED), (on_time, ANSWERED_ON_TIME),
                              (publishable, PUBLISHABLE), (published, PUBLISHED)):
        if wanted:
            queryset = queryset.filter(condition)
    return queryset


def inbox_items(*, unit, status: str = "", overdue: bool = False, assigned: str = "", user=None, now=None, **narrow):
    """The unit's feedback for the staff inbox, filtered (``narrow``: see ``narrowed``),
    newest first."""
    now = now or timezone.now()
    qs = narrowed(queryset=_of_unit(unit, user), **narrow)
    qs = qs.select_related("assigned_to").annotate(note_count=Count("notes"))
    if status in S.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=Feedback.OPEN_STATUSES, due_at__lt=now)
    if assigned == "me" and user is not None:
        qs = qs.filter(assigned_to=user)
    elif assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("-received_at", "-id")


def _of_unit(unit, user=None):
    """The unit's feedback; for an office account only what was received while it
    supervised the unit (docs/domain/supervision.md)."""
    qs = Feedback.objects.filter(unit=unit)
    return access.scoped(qs, user) if user is not None and user.is_office else qs


def status_counts(*, unit, now=None, user=None, **narrow) -> dict:
    """How many items of the unit (within ``narrow``) are in each state, and how many are
    overdue: one query."""
    now = now or timezone.now()
    counts = narrowed(queryset=_of_unit(unit, user), **narrow).aggregate(
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
    start, end = workdays.year_bounds(year)
    answered = Q(answered_at__isnull=False)
    return Feedback.objects.filter(unit=unit, received_at__gte=start, received_at__lt=end).aggregate(
        received=Count("id"),
        answered=Count("id", filter=answered),
        published=Count("id", filter=Q(published_at__isnull=False)),
    )


def answer_rating(*, feedback):
    """The sender's rating of the answer, or None."""
    from feedback.models import AnswerRating

    return AnswerRating.objects.filter(feedback=feedback).first()


# The sender's rating of the answer (feedback_satisfaction_rate): rated, and rated 4 or 5.
RATED = Q(rating__isnull=False)
RATED_SATISFIED = Q(rating__score__gte=4)
