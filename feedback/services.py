"""Every write to feedback goes through here (HackSoft style: keyword-only, typed,
atomic). Pages, the API and the demo data all call these functions; nothing else
sets ``Feedback.status``."""
import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import action_time, workdays
from core.sequences import next_daily_number
from feedback.models import AnswerRating, Feedback, FeedbackAttachment, FeedbackEvent, FeedbackNote, FeedbackSequence
from feedback.uploads import CheckedUpload

S = Feedback.Status

# action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "start": ((S.NEW,), S.IN_PROGRESS),
    "answer": ((S.NEW, S.IN_PROGRESS), S.ANSWERED),
    "publish": ((S.ANSWERED,), S.PUBLISHED),
    "close": ((S.NEW, S.IN_PROGRESS, S.ANSWERED, S.PUBLISHED), S.CLOSED),
}
ACTIONS = tuple(TRANSITIONS)


class TransitionError(Exception):
    """A transition the feedback's state does not allow (HTTP 409 in the API)."""


class ConversionError(Exception):
    """A feedback item that cannot be turned into a complaint dossier."""


def _next_number(*, unit, day: datetime.date) -> int:
    return next_daily_number(FeedbackSequence, unit=unit, day=day)


def feedback_code(*, unit, day: datetime.date, number: int) -> str:
    """``<unit code>-PA-<yyMMdd>-<3-digit sequence>``: PA for phản ánh, kiến nghị."""
    return f"{unit.code}-PA-{day:%y%m%d}-{number:03d}"


@transaction.atomic
def feedback_receive(
    *,
    unit,
    kind: str,
    subject: str,
    content: str,
    name: str = "",
    phone: str = "",
    email: str = "",
    consent_publish: bool = True,
    attachments: list[CheckedUpload] = (),
    received_at: datetime.datetime | None = None,
) -> Feedback:
    """Register feedback sent by anyone: its tracking code and answer deadline
    (``unit.feedback_days`` working days after the day of receipt)."""
    now = timezone.now()
    received_at = received_at or now
    day = timezone.localdate(received_at)
    due_date = workdays.add_working_days(day, unit.feedback_days)
    feedback = Feedback.objects.create(
        unit=unit,
        code=feedback_code(unit=unit, day=day, number=_next_number(unit=unit, day=day)),
        kind=kind,
        subject=subject.strip(),
        content=content.strip(),
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        consent_publish=consent_publish,
        publishable=consent_publish,
        received_at=received_at,
        due_date=due_date,
        due_at=workdays.due_at(due_date, unit.closing_time),
    )
    for upload in attachments:
        attachment = FeedbackAttachment(
            feedback=feedback, original_name=upload.original_name[:255],
            content_type=upload.content_type, size=upload.size,
        )
        # A random stored name: the sender's file name never reaches the file system.
        attachment.file.save(f"{uuid.uuid4().hex}.{upload.extension}", upload.file, save=True)
    _event(feedback, "receive", S.NEW, at=received_at, recorded_at=now, from_status="")
    return feedback


def _event(feedback, action, to_status, *, at, actor=None, note="", recorded_at=None, from_status=None):
    return FeedbackEvent.objects.create(
        feedback=feedback, unit_id=feedback.unit_id, action=action,
        from_status=feedback.status if from_status is None else from_status, to_status=to_status,
        at=at, recorded_at=recorded_at or timezone.now(), actor=actor, note=note,
    )


def _effective_time(feedback, at: datetime.datetime | None) -> datetime.datetime:
    """core/action_time.py: past allowed, never future nor before the previous event
    (ValidationError on "at")."""
    previous = feedback.events.order_by("-at").values_list("at", flat=True).first() or feedback.received_at
    return action_time.effective_time(at=at, now=timezone.now(), previous=previous)


@transaction.atomic
def feedback_transition(
    *,
    feedback: Feedback,
    action: str,
    actor=None,
    at: datetime.datetime | None = None,
    answer: str = "",
    public_subject: str | None = None,
    public_content: str | None = None,
    public_answer: str | None = None,
    notify_sender: bool = True,
) -> Feedback:
    """Move ``feedback`` one step: start, answer, publish or close. An answer is sent to
    the sender with the rating link (``notify_sender=False``: demo history only).

    The row is locked and its state re-read, so two staff clicking at once cannot both
    move it; a step the state does not allow raises TransitionError."""
    if action not in TRANSITIONS:
        raise TransitionError(_("Unknown action: %(action)s.") % {"action": action})
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    allowed_from, to_status = TRANSITIONS[action]
    if feedback.status not in allowed_from:
        raise TransitionError(
            _refusal(action) % {"status": feedback.get_status_display()}
        )
    at = _effective_time(feedback, at)
    updates = {}
    if action == "answer":
        answer = (answer or "").strip()
        if not answer:
            raise TransitionError(_("Write the answer before sending it."))
        updates = {"answer": answer, "answered_at": at, "answered_by": actor}
    elif action == "publish":
        if not feedback.consent_publish or not feedback.publishable:
            raise TransitionError(_("The sender did not agree to publication: this feedback cannot be published."))
        updates = {
            "public_subject": (public_subject if public_subject is not None else feedback.subject).strip(),
            "public_content": (public_content if public_content is not None else feedback.content).strip(),
            "public_answer": (public_answer if public_answer is not None else feedback.answer).strip(),
            "published_at": at,
        }
        if not updates["public_subject"] or not updates["public_answer"]:
            raise TransitionError(_("A published item needs a subject and an answer."))
    elif action == "close":
        updates = {"closed_at": at}
    _event(feedback, action, to_status, at=at, actor=actor)
    for name, value in updates.items():
        setattr(feedback, name, value)
    feedback.status = to_status
    feedback.save(update_fields=[*updates, "status", "updated_at"])
    if action == "answer" and notify_sender:
        from feedback.notices import queue_answer_notices

        queue_answer_notices(feedback)  # the answer and the rating link, sent after commit
    return feedback


class RatingError(Exception):
    """A rating that cannot be taken (shown to the sender)."""


@transaction.atomic
def feedback_rate(*, feedback: Feedback, score: int, comment: str = "") -> AnswerRating:
    """The sender rates the answer, once (the row is locked, so two taps count once)."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.answered_at is None:
        raise RatingError(_("This feedback has not been answered yet."))
    if AnswerRating.objects.filter(feedback=feedback).exists():
        raise RatingError(_("This answer has already been rated. Thank you: a rating is counted once."))
    if not 1 <= int(score) <= 5:
        raise RatingError(_("Choose a rating from 1 to 5."))
    return AnswerRating.objects.create(feedback=feedback, unit_id=feedback.unit_id, score=int(score),
                                       comment=(comment or "").strip()[:2000])


def _refusal(action: str) -> str:
    return {
        "start": _("Cannot start handling feedback whose status is “%(status)s”."),
        "answer": _("Cannot answer feedback whose status is “%(status)s”."),
        "publish": _("Cannot publish feedback whose status is “%(status)s”."),
        "close": _("Cannot close feedback whose status is “%(status)s”."),
    }[action]


@transaction.atomic
def feedback_assign(*, feedback: Feedback, assignee, actor=None, at: datetime.datetime | None = None) -> Feedback:
    """Give the feedback to one person of its unit (or to nobody)."""
    if assignee is not None and assignee.unit_id != feedback.unit_id:
        raise ValueError("assignee of another unit")
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    feedback.assigned_to = assignee
    feedback.save(update_fields=["assigned_to", "updated_at"])
    who = assignee.get_full_name() or assignee.username if assignee else ""
    _event(feedback, "assign", feedback.status, at=_effective_time(feedback, at), actor=actor, note=who)
    return feedback


@transaction.atomic
def feedback_add_note(*, feedback: Feedback, body: str, author=None) -> FeedbackNote:
    """An internal note: staff only, never on a public page, in the feed or the API's
    public fields."""
    body = (body or "").strip()
    if not body:
        raise ValueError("empty note")
    note = FeedbackNote.objects.create(feedback=feedback, author=author, body=body)
    _event(feedback, "note", feedback.status, at=note.created_at, actor=author)
    return note


COMPLAINT_FIELD = "khieu-nai-to-cao"


def complaint_procedures(*, unit):
    from dossiers.models import Procedure

    return Procedure.objects.filter(unit=unit, field__key=COMPLAINT_FIELD, is_active=True).order_by("code")


@transaction.atomic
def feedback_to_dossier(*, feedback: Feedback, actor=None, procedure=None):
    """Turn feedback that is really a formal complaint or denunciation into a dossier
    of the field ``khieu-nai-to-cao``; both are linked (Feedback.dossier and the
    dossier's ``feedback`` relation)."""
    from dossiers.services import dossier_receive

    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.dossier_id:
        raise ConversionError(_("This feedback is already dossier %(code)s.") % {"code": feedback.dossier.code})
    candidates = complaint_procedures(unit=feedback.unit)
    if procedure is None:
        procedure = candidates.first()
    elif not candidates.filter(pk=procedure.pk).exists():
        procedure = None
    if procedure is None:
        raise ConversionError(
            _("The unit has no procedure in use in the field of complaints and denunciations; "
              "ask the administrator to add one to the catalogue.")
        )
    summary = _("From feedback %(code)s: %(subject)s") % {"code": feedback.code, "subject": feedback.subject}
    dossier = dossier_receive(
        unit=feedback.unit, procedure=procedure,
        applicant_name=feedback.name or _("Sender of feedback %(code)s") % {"code": feedback.code},
        applicant_phone=feedback.phone, applicant_email=feedback.email, actor=actor,
        request_summary=f"{summary}\n\n{feedback.content}",
    )
    feedback.dossier = dossier
    feedback.save(update_fields=["dossier", "updated_at"])
    _event(feedback, "to_dossier", feedback.status, at=timezone.now(), actor=actor, note=dossier.code)
    return dossier
