"""This app's sweep of the deadline engine (see core/engine.py): feedback answer
deadlines (DESIGN.md "Deadline engine", rule 3).

Set-based and idempotent: candidate rows are claimed with ``SELECT … FOR UPDATE SKIP
LOCKED`` and flipped by a conditional UPDATE (``… WHERE overdue_at IS NULL``); the
events have a unique constraint and notices one row per (person, kind, item), so two
workers or a re-run never mark or notify twice."""
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import workdays
from core.models import User
from core.notify import notify
from feedback.models import Feedback, FeedbackEvent


def _claim(queryset, **updates) -> list[Feedback]:
    """Lock the rows of ``queryset`` that no other sweeper holds, flip them with one
    conditional UPDATE, and return them (with unit and assignee)."""
    ids = list(queryset.select_for_update(skip_locked=True).values_list("id", flat=True))
    if not ids:
        return []
    flag = next(iter(updates))
    Feedback.objects.filter(id__in=ids, **{f"{flag}__isnull": True}).update(**updates)
    return list(Feedback.objects.filter(id__in=ids).select_related("unit", "assigned_to"))


def _principals(unit_ids) -> dict[int, list]:
    result: dict[int, list] = {}
    for user in User.objects.filter(unit_id__in=unit_ids, role=User.Role.PRINCIPAL, is_active=True):
        result.setdefault(user.unit_id, []).append(user)
    return result


def _notify_each(items, *, kind, title, body) -> int:
    principals = _principals({f.unit_id for f in items})
    sent = 0
    for feedback in items:
        people = {u.pk: u for u in [feedback.assigned_to, *principals.get(feedback.unit_id, [])] if u is not None}
        if not people:
            continue
        sent += notify(
            users=people.values(), unit=feedback.unit, kind=kind, subject_key=f"feedback:{feedback.pk}",
            title=title(feedback), body=body(feedback), link=reverse("feedback:detail", args=[feedback.code]),
        )
    return sent


def sweep(now):
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        # 1. Open feedback past its due time: marked overdue once, with an event.
        overdue = _claim(
            Feedback.objects.filter(status__in=Feedback.OPEN_STATUSES, overdue_at__isnull=True, due_at__lt=now),
            overdue_at=now,
        )
        FeedbackEvent.objects.bulk_create(
            [
                FeedbackEvent(feedback=f, unit_id=f.unit_id, action="overdue", from_status=f.status, to_status=f.status, at=f.due_at)
                for f in overdue
            ],
            ignore_conflicts=True,
        )
        notified = _notify_each(
            overdue, kind="feedback_overdue",
            title=lambda f: _("Feedback %(code)s is overdue") % {"code": f.code},
            body=lambda f: _("The answer was due on %(date)s: “%(subject)s”.") % {
                "date": f"{f.due_date:%d/%m/%Y}", "subject": f.subject[:120]},
        )
        # 2. One working day before the due date: warn the assignee and the principal.
        warn_until = workdays.add_working_days(today, 1)
        warned = _claim(
            Feedback.objects.filter(
                status__in=Feedback.OPEN_STATUSES, warned_at__isnull=True, due_date__lte=warn_until, due_at__gte=now,
            ),
            warned_at=now,
        )
        FeedbackEvent.objects.bulk_create(
            [
                FeedbackEvent(feedback=f, unit_id=f.unit_id, action="warning", from_status=f.status, to_status=f.status, at=now)
                for f in warned
            ],
            ignore_conflicts=True,
        )
        notified += _notify_each(
            warned, kind="feedback_warning",
            title=lambda f: _("Feedback %(code)s must be answered by %(date)s") % {
                "code": f.code, "date": f"{f.due_date:%d/%m/%Y}"},
            body=lambda f: _("“%(subject)s” is still waiting for an answer; the deadline is %(time)s.") % {
                "subject": f.subject[:120], "time": f"{timezone.localtime(f.due_at):%H:%M %d/%m/%Y}"},
        )
    return {"feedback_overdue": len(overdue), "feedback_warned": len(warned), "feedback_notified": notified}
