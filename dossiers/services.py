"""Every write to a dossier goes through here (HackSoft style: keyword-only, typed,
atomic). The lifecycle transitions are added beside ``dossier_receive``."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import action_time, workdays
from core.sequences import next_daily_number, next_yearly_number
from dossiers.models import Apology, DailySequence, Document, Dossier, DossierEvent, Procedure, RegisterSequence
from dossiers.signals import dossier_event


class TransitionError(Exception):
    """A transition the dossier's state does not allow (HTTP 409 in the API)."""


def next_sequence(*, unit, day: datetime.date) -> int:
    """The next dossier number of ``unit`` on ``day`` (gap-free, concurrency-safe)."""
    return next_daily_number(DailySequence, unit=unit, day=day)


def dossier_code(*, unit, day: datetime.date, number: int) -> str:
    """``<unit code>-<yyMMdd>-<4-digit sequence>``, as in 000.00.01.H29-260310-0420."""
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


@transaction.atomic
def dossier_receive(
    *,
    unit,
    procedure: Procedure,
    applicant_name: str,
    applicant_phone: str,
    received_at: datetime.datetime | None = None,
    actor=None,
    **details,
) -> Dossier:
    """Form 01: register a dossier, give it its code and promised return date.

    ``details`` are further Dossier fields (applicant_email, applicant_id_number,
    applicant_address, representative_name, request_summary, documents, sets_count,
    result_delivery, register_book, register_line, assigned_to)."""
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ValueError("received_at is in the future")
    if procedure.unit_id != unit.pk:
        raise ValueError("procedure of another unit")
    day = timezone.localdate(received_at)
    number = next_sequence(unit=unit, day=day)
    # A 0-day procedure received on a day off or after closing time is due on the next
    # working day (docs/domain/counting-and-words.md).
    due_date = workdays.intake_due_date(received_at, procedure.processing_days, unit.closing_time)
    if not details.get("register_line"):
        # The register's line is the number printed on the receipt: the next of the year
        # unless the desk wrote the dossier in a paper book first and gives its line.
        details["register_line"] = next_yearly_number(RegisterSequence, unit=unit, year=day.year)
    dossier = Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        field_id=procedure.field_id,
        code=dossier_code(unit=unit, day=day, number=number),
        applicant_name=applicant_name,
        applicant_phone=applicant_phone,
        processing_days=procedure.processing_days,
        received_at=received_at,
        received_by=actor,
        due_date=due_date,
        due_at=workdays.due_at(due_date, unit.closing_time),
        **details,
    )
    event = DossierEvent.objects.create(
        dossier=dossier, action="receive", from_status="", to_status=dossier.status,
        at=received_at, recorded_at=now, actor=actor,
    )
    dossier_event.send(sender=Dossier, dossier=dossier, event=event, action="receive")
    return dossier


# --- Lifecycle (docs/domain/lifecycle.md) -----------------------------------------
S = Dossier.Status

# action -> (states it is allowed from, state it leads to; None = the state does not change)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "start": ((S.RECEIVED,), S.PROCESSING),
    "request_supplement": ((S.PROCESSING,), S.AWAITING_SUPPLEMENT),
    "resume": ((S.AWAITING_SUPPLEMENT,), S.PROCESSING),
    "complete": ((S.PROCESSING,), S.COMPLETED),
    "return": ((S.COMPLETED,), S.RETURNED),
    "reject": ((S.RECEIVED, S.PROCESSING), S.REJECTED),
    "withdraw": (tuple(Dossier.OPEN_STATUSES), S.WITHDRAWN),
    # Thông tư 03/2025/TT-VPCP form 05: the unit stops handling the dossier.
    "stop": (tuple(Dossier.OPEN_STATUSES), S.STOPPED),
    "apologize": ((S.RECEIVED, S.PROCESSING, S.AWAITING_SUPPLEMENT, S.COMPLETED), None),
}
ACTIONS = tuple(TRANSITIONS)


def allowed_actions(*, dossier: Dossier) -> list[str]:
    """The actions the dossier's state allows (the buttons a page shows)."""
    actions = [a for a, (sources, _to) in TRANSITIONS.items() if dossier.status in sources]
    if "apologize" in actions and _has_apology(dossier):
        actions.remove("apologize")
    return actions


def _has_apology(dossier: Dossier) -> bool:
    try:
        return dossier.apology is not None
    except Apology.DoesNotExist:
        return False


def timeliness_of(*, completed_on: datetime.date, due_date: datetime.date) -> str:
    """Early before the due date, on time on it, late after it (docs/domain/lifecycle.md)."""
    if completed_on < due_date:
        return Dossier.Timeliness.EARLY
    if completed_on == due_date:
        return Dossier.Timeliness.ON_TIME
    return Dossier.Timeliness.LATE


def apology_is_timely(*, issued_on: datetime.date, due_date: datetime.date) -> bool:
    # form 04: sent no later than one working day before the due date
    return issued_on <= workdays.previous_working_day(due_date)


@transaction.atomic
def dossier_transition(
    *,
    dossier: Dossier,
    action: str,
    actor=None,
    at: datetime.datetime | None = None,
    note: str = "",
    reason: str = "",
    new_due_date: datetime.date | None = None,
) -> Dossier:
    """Apply one lifecycle action; every page, the API and the admin go through here.

    Raises TransitionError when the state does not allow ``action`` (HTTP 409),
    ValidationError for bad input (HTTP 400), PermissionDenied when an apology is not
    signed by the head of the unit."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": [_("Unknown action.")]})
    now = timezone.now()
    # Lock the row: two desks acting on one dossier apply one after the other.
    dossier = Dossier.objects.select_for_update().select_related("unit", "procedure").get(pk=dossier.pk)
    sources, target = TRANSITIONS[action]
    if dossier.status not in sources:
        raise TransitionError(
            _("A dossier that is “%(status)s” cannot be “%(action)s”.")
            % {"status": dossier.get_status_display(), "action": action_label(action=action)}
        )
    previous = dossier.events.order_by("-at").values_list("at", flat=True).first()
    at = action_time.effective_time(at=at, now=now, previous=previous)
    reason = (reason or "").strip()
    note = (note or "").strip()
    day = timezone.localdate(at)
    from_status = dossier.status
    changed = ["status", "updated_at"]

    if action == "apologize":
        return _apologize(dossier=dossier, actor=actor, at=at, now=now, reason=reason, new_due_date=new_due_date, note=note)
    if action == "reject" and not reason:
        raise ValidationError({"reason": [_("Give the reason for the rejection (form 03).")]})
    if action == "stop" and not reason:
        raise ValidationError({"reason": [_("Give the reason for stopping the handling (form 05).")]})
    if action == "request_supplement" and not (reason or note):
        raise ValidationError({"reason": [_("List what the applicant must supplement (form 02).")]})

    if action == "start" and dossier.assigned_to_id is None and actor is not None:
        dossier.assigned_to = actor
        changed.append("assigned_to")
    elif action == "request_supplement":
        if dossier.procedure.clock_on_supplement == Procedure.SupplementClock.PAUSE:
            # The clock stops: keep the working days that were left.
            dossier.remaining_days = workdays.working_days_between(day, dossier.due_date) if day < dossier.due_date else 0
            changed.append("remaining_days")
    elif action == "resume":
        if dossier.procedure.clock_on_supplement == Procedure.SupplementClock.PAUSE and dossier.remaining_days is not None:
            days = dossier.remaining_days
        else:
            # Restart: the full processing time from the day the complete dossier came back.
            days = dossier.processing_days
        dossier.due_date = workdays.add_working_days(day, days)
        dossier.due_at = workdays.due_at(dossier.due_date, dossier.unit.closing_time)
        dossier.remaining_days = None
        # A new deadline: the engine watches it afresh (warning, then overdue mark).
        dossier.overdue_at = None
        dossier.warned_at = None
        changed += ["due_date", "due_at", "remaining_days", "overdue_at", "warned_at"]
    elif action == "complete":
        dossier.completed_at = at
        dossier.timeliness = timeliness_of(completed_on=day, due_date=dossier.due_date)
        changed += ["completed_at", "timeliness"]
    elif action == "return":
        dossier.returned_at = at
        changed.append("returned_at")

    dossier.status = target
    dossier.save(update_fields=changed)
    event = DossierEvent.objects.create(
        dossier=dossier, action=action, from_status=from_status, to_status=target,
        at=at, recorded_at=now, actor=actor, note=" — ".join(part for part in (reason, note) if part),
    )
    dossier_event.send(sender=Dossier, dossier=dossier, event=event, action=action)  # e.g. the survey invitation
    return dossier


def _apologize(*, dossier, actor, at, now, reason, new_due_date, note) -> Dossier:
    """Form 04: apology and new return date, signed by the head of the unit, once."""
    from core import access

    if actor is not None and not access.can_manage(actor, dossier.unit):
        raise PermissionDenied(_("Only the head of the unit signs an apology letter."))
    if Apology.objects.filter(dossier=dossier).exists():
        raise TransitionError(_("This dossier already has an apology letter: the new date is set only once."))
    errors = {}
    if not reason:
        errors["reason"] = [_("Give the reason for the delay.")]
    if new_due_date is None:
        errors["new_due_date"] = [_("Give the new return date.")]
    elif new_due_date <= dossier.due_date:
        errors["new_due_date"] = [_("The new return date must be after the promised date (%(date)s).") % {
            "date": dossier.due_date.strftime("%d/%m/%Y")}]
    elif not workdays.is_working_day(new_due_date):
        errors["new_due_date"] = [_("The new return date must be a working day: %(date)s is a day off.") % {
            "date": new_due_date.strftime("%d/%m/%Y")}]
    elif new_due_date < timezone.localdate(at):
        errors["new_due_date"] = [_("The new return date cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    Apology.objects.create(
        dossier=dossier, unit=dossier.unit, issued_at=at, recorded_at=now, reason=reason,
        new_due_date=new_due_date, new_due_at=workdays.due_at(new_due_date, dossier.unit.closing_time),
        timely=apology_is_timely(issued_on=timezone.localdate(at), due_date=dossier.due_date), signed_by=actor,
    )
    event = DossierEvent.objects.create(
        dossier=dossier, action="apologize", from_status=dossier.status, to_status=dossier.status,
        at=at, recorded_at=now, actor=actor, note=f"{reason} — {new_due_date:%d/%m/%Y}" + (f" — {note}" if note else ""),
    )
    dossier_event.send(sender=Dossier, dossier=dossier, event=event, action="apologize")
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=now)
    return dossier


ACTION_LABELS = {
    "receive": _("Received"),
    "start": _("Start handling"),
    "request_supplement": _("Request a supplement"),
    "resume": _("Supplement received, resume"),
    "complete": _("Complete"),
    "return": _("Return the result"),
    "reject": _("Reject"),
    "withdraw": _("Withdraw"),
    "stop": _("Stop handling"),
    "apologize": _("Issue an apology letter"),
    "overdue": _("Marked overdue"),
    "apology_warning": _("Apology warning sent"),
    "promise_overdue": _("New return date missed"),
    "sign": _("Document signed"),
    "issue_result": _("Electronic result issued"),
}


def action_label(*, action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# --- Electronic results (Nghị định 45/2020/NĐ-CP art. 14; docs/domain/online-services.md) ---
RESULT_STATUSES = (S.COMPLETED, S.RETURNED)


@transaction.atomic
def result_issue(*, dossier: Dossier, file_bytes: bytes | None, actor, text: str = "") -> Document:
    """Issue the electronic result of a completed dossier: the PDF staff attach
    (``file_bytes``) or one generated from the template (``text`` is its content).
    Coded ``<dossier code>-KQ<n>``; a changed result is a new KQ<n+1> that supersedes
    the last, never an overwrite."""
    import hashlib

    import filetype
    from django.core.files.base import ContentFile

    from dossiers.results import render_result_pdf

    dossier = Dossier.objects.select_for_update().select_related("unit", "procedure").get(pk=dossier.pk)
    if dossier.status not in RESULT_STATUSES:
        raise TransitionError(_("A result is issued when the dossier is completed."))
    previous = (Document.objects.filter(dossier=dossier, kind=Document.Kind.RESULT)
                .order_by("-issued_at", "-version", "-pk").first())
    number = Document.objects.filter(dossier=dossier, kind=Document.Kind.RESULT).values("code").distinct().count() + 1
    code = f"{dossier.code}-KQ{number}"
    if file_bytes is None:
        file_bytes = render_result_pdf(dossier=dossier, code=code, text=text)
    else:
        kind = filetype.guess(file_bytes[:8192])
        if kind is None or kind.mime != "application/pdf":
            raise ValidationError({"result_file": [_("The result must be a PDF document.")]})
    now = timezone.now()
    document = Document(
        dossier=dossier, unit=dossier.unit, kind=Document.Kind.RESULT, form="KQ", code=code, version=1,
        title=str(_("Result of dossier %(code)s") % {"code": dossier.code}), sha256=hashlib.sha256(file_bytes).hexdigest(),
        size=len(file_bytes), issued_at=now, issued_by=actor, supersedes=previous,
    )
    document.file.save(f"{code}.pdf", ContentFile(file_bytes), save=False)
    document.save()
    last = dossier.events.order_by("-at").values_list("at", flat=True).first()
    event = DossierEvent.objects.create(
        dossier=dossier, action="issue_result", from_status=dossier.status, to_status=dossier.status,
        at=max(now, last) if last else now, recorded_at=now, actor=actor, note=code,
    )
    dossier_event.send(sender=Dossier, dossier=dossier, event=event, action="issue_result")
    return document


# --- Catalogue ---------------------------------------------------------------------------
@transaction.atomic
def procedure_save(*, unit, procedure: Procedure | None = None, **values) -> Procedure:
    """Create or change a procedure of ``unit``'s catalogue."""
    procedure = procedure or Procedure(unit=unit)
    for name, value in values.items():
        setattr(procedure, name, value)
    procedure.unit = unit
    procedure.full_clean()
    procedure.save()
    return procedure
