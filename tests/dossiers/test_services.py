"""The lifecycle service: every transition allowed and refused, clock rules, timeliness,
apology rules, event times."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import workdays
from dossiers.models import Apology, Dossier, DossierEvent
from dossiers.services import TRANSITIONS, TransitionError, allowed_actions, dossier_transition
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, dossier_in, receive_dossier

pytestmark = pytest.mark.django_db
STATUSES = [s.value for s in Dossier.Status]
ALLOWED = {
    "start": {"received"},
    "request_supplement": {"processing"},
    "resume": {"awaiting_supplement"},
    "complete": {"processing"},
    "return": {"completed"},
    "reject": {"received", "processing"},
    "withdraw": {"received", "processing", "awaiting_supplement"},
    "stop": {"received", "processing", "awaiting_supplement"},
    "apologize": {"received", "processing", "awaiting_supplement", "completed"},
}
TARGET = {"start": "processing", "request_supplement": "awaiting_supplement", "resume": "processing",
          "complete": "completed", "return": "returned", "reject": "rejected", "withdraw": "withdrawn",
          "stop": "stopped"}


def _args(action, dossier):
    return {
        "reason": "Lý do" if action in ("reject", "request_supplement", "apologize", "stop") else "",
        "new_due_date": dossier.due_date + datetime.timedelta(days=7) if action == "apologize" else None,
    }


def test_the_transition_table_is_the_designed_lifecycle():
    assert {a: set(src) for a, (src, _to) in TRANSITIONS.items()} == ALLOWED


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_each_action_is_allowed_exactly_from_its_states(status, action):
    principal = PrincipalFactory()
    procedure = ProcedureFactory(unit=principal.unit)
    dossier = dossier_in(status, procedure=procedure, actor=principal)
    events_before = dossier.events.count()
    if status in ALLOWED[action]:
        result = dossier_transition(dossier=dossier, action=action, actor=principal, **_args(action, dossier))
        assert result.status == TARGET.get(action, status)
        last = DossierEvent.objects.filter(dossier=dossier).latest("id")
        assert (last.action, last.from_status, last.to_status) == (action, status, result.status)
        assert dossier.events.count() == events_before + 1
    else:
        with pytest.raises(TransitionError):
            dossier_transition(dossier=dossier, action=action, actor=principal, **_args(action, dossier))
        dossier.refresh_from_db()
        assert dossier.status == status
        assert dossier.events.count() == events_before


def test_allowed_actions_are_the_buttons_of_the_state():
    dossier = dossier_in("processing")
    assert set(allowed_actions(dossier=dossier)) == {"request_supplement", "complete", "reject", "withdraw", "stop", "apologize"}
    assert allowed_actions(dossier=dossier_in("returned")) == []


def test_unknown_action_is_bad_input():
    with pytest.raises(ValidationError):
        dossier_transition(dossier=dossier_in("received"), action="teleport")


def test_rejection_needs_a_reason():
    dossier = dossier_in("received")
    with pytest.raises(ValidationError) as error:
        dossier_transition(dossier=dossier, action="reject")
    assert "reason" in error.value.message_dict


# --- event times ------------------------------------------------------------------------
def test_an_action_logged_after_the_fact_keeps_both_times():
    dossier = dossier_in("received", received_at=timezone.now() - datetime.timedelta(days=3))
    at = timezone.now() - datetime.timedelta(days=2)
    dossier_transition(dossier=dossier, action="start", at=at)
    event = dossier.events.get(action="start")
    assert event.at == at
    assert event.recorded_at > at + datetime.timedelta(days=1)


def test_an_action_cannot_be_in_the_future():
    dossier = dossier_in("received")
    with pytest.raises(ValidationError) as error:
        dossier_transition(dossier=dossier, action="start", at=timezone.now() + datetime.timedelta(minutes=5))
    assert "at" in error.value.message_dict


def test_an_action_cannot_be_before_the_previous_event():
    received = timezone.now() - datetime.timedelta(days=2)
    dossier = dossier_in("received", received_at=received)
    with pytest.raises(ValidationError):
        dossier_transition(dossier=dossier, action="start", at=received - datetime.timedelta(minutes=1))
    dossier_transition(dossier=dossier, action="start", at=received)  # same instant is in order
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"


# --- timeliness at the boundaries ---------------------------------------------------------
RECEIVED = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))  # Monday


@pytest.mark.parametrize(("offset", "expected"), [(-1, "early"), (0, "on_time"), (1, "late")])
def test_timeliness_on_the_day_before_on_and_after_the_due_date(offset, expected):
    procedure = ProcedureFactory(processing_days=5)
    dossier = dossier_in("processing", procedure=procedure, received_at=RECEIVED)
    assert dossier.due_date == datetime.date(2026, 3, 9)
    day = dossier.due_date + datetime.timedelta(days=offset)
    done = dossier_transition(dossier=dossier, action="complete", at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 59))))
    assert done.timeliness == expected
    assert done.completed_at.date() == day


def test_late_the_minute_after_closing_on_the_due_date_is_still_on_the_due_date():
    dossier = dossier_in("processing", procedure=ProcedureFactory(processing_days=5), received_at=RECEIVED)
    at = timezone.make_aware(datetime.datetime(2026, 3, 9, 17, 30))
    assert dossier_transition(dossier=dossier, action="complete", at=at).timeliness == "on_time"


def test_withdrawal_counts_neither_on_time_nor_late():
    assert dossier_in("withdrawn").timeliness is None


# --- supplement: restart or pause ----------------------------------------------------------
def test_supplement_restarts_the_clock_from_the_resume_day():
    procedure = ProcedureFactory(processing_days=5, clock_on_supplement="restart")
    dossier = dossier_in("awaiting_supplement", procedure=procedure, received_at=RECEIVED)
    resume = timezone.make_aware(datetime.datetime(2026, 3, 12, 10, 0))  # Thursday
    dossier = dossier_transition(dossier=dossier, action="resume", at=resume)
    assert dossier.status == "processing"
    assert dossier.due_date == workdays.add_working_days(datetime.date(2026, 3, 12), 5) == datetime.date(2026, 3, 19)
    assert dossier.due_at == workdays.due_at(dossier.due_date, dossier.unit.closing_time)


def test_supplement_pauses_the_clock_when_the_procedure_says_so():
    procedure = ProcedureFactory(processing_days=5, clock_on_supplement="pause")
    dossier = receive_dossier(procedure=procedure, received_at=RECEIVED)  # due Mon 9/3
    dossier_transition(dossier=dossier, action="start", at=RECEIVED + datetime.timedelta(hours=1))
    # Supplement asked on Wed 4/3: Thu, Fri, Mon = 3 working days left.
    dossier = dossier_transition(dossier=dossier, action="request_supplement", reason="Thiếu giấy khai sinh",
                                 at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0)))
    assert dossier.remaining_days == 3
    dossier = dossier_transition(dossier=dossier, action="resume", at=timezone.make_aware(datetime.datetime(2026, 3, 16, 9, 0)))
    assert dossier.due_date == datetime.date(2026, 3, 19)  # Mon 16/3 + 3 working days
    assert dossier.remaining_days is None


# --- apology (form 04) -----------------------------------------------------------------
def _apologise(dossier, principal, on: datetime.date, **kwargs):
    kwargs.setdefault("new_due_date", dossier.due_date + datetime.timedelta(days=7))
    kwargs.setdefault("reason", "Cần xác minh thêm")
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
    return dossier_transition(dossier=dossier, action="apologize", actor=principal, at=at, **kwargs)


@pytest.mark.parametrize(("day", "timely"), [
    (datetime.date(2026, 3, 5), True),   # Thursday: two working days before
    (datetime.date(2026, 3, 6), True),   # Friday: the working day before Monday's due date
    (datetime.date(2026, 3, 9), False),  # on the due date: too late to be timely
    (datetime.date(2026, 3, 10), False),  # after it: an apology, but not a timely one
])
def test_apology_is_timely_only_one_working_day_before_the_due_date(day, timely):
    principal = PrincipalFactory()
    dossier = dossier_in("processing", procedure=ProcedureFactory(unit=principal.unit, processing_days=5), received_at=RECEIVED)
    _apologise(dossier, principal, day)
    apology = Apology.objects.get(dossier=dossier)
    assert apology.timely is timely
    assert apology.signed_by == principal
    assert dossier.events.filter(action="apologize").count() == 1


def test_the_new_date_is_set_only_once():
    principal = PrincipalFactory()
    dossier = dossier_in("processing", procedure=ProcedureFactory(unit=principal.unit), received_at=RECEIVED)
    _apologise(dossier, principal, datetime.date(2026, 3, 5))
    with pytest.raises(TransitionError):
        _apologise(dossier, principal, datetime.date(2026, 3, 6), new_due_date=datetime.date(2026, 4, 1))
    assert Apology.objects.get(dossier=dossier).new_due_date == datetime.date(2026, 3, 16)
    assert "apologize" not in allowed_actions(dossier=Dossier.objects.get(pk=dossier.pk))


def test_the_new_date_does_not_move_the_due_date():
    principal = PrincipalFactory()
    dossier = dossier_in("processing", procedure=ProcedureFactory(unit=principal.unit), received_at=RECEIVED)
    _apologise(dossier, principal, datetime.date(2026, 3, 5))
    dossier.refresh_from_db()
    assert dossier.due_date == datetime.date(2026, 3, 9)
    done = dossier_transition(dossier=dossier, action="complete", at=timezone.make_aware(datetime.datetime(2026, 3, 12, 9)))
    assert done.timeliness == "late"


def test_apology_needs_reason_and_a_later_new_date():
    principal = PrincipalFactory()
    dossier = dossier_in("processing", procedure=ProcedureFactory(unit=principal.unit), received_at=RECEIVED)
    with pytest.raises(ValidationError) as error:
        _apologise(dossier, principal, datetime.date(2026, 3, 5), reason="", new_due_date=dossier.due_date)
    assert set(error.value.message_dict) == {"reason", "new_due_date"}
    assert not Apology.objects.exists()


def test_only_the_head_of_the_unit_signs_an_apology():
    staff = StaffFactory()
    dossier = dossier_in("processing", procedure=ProcedureFactory(unit=staff.unit), received_at=RECEIVED)
    with pytest.raises(PermissionDenied):
        _apologise(dossier, staff, datetime.date(2026, 3, 5))


def test_return_sends_the_survey_invitation_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("core.tasks.enqueue", lambda task, *args: sent.append((task.name, args)))
    dossier = dossier_in("completed")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, action="return")
    assert sent == [("surveys.tasks.send_dossier_invitation", (dossier.pk,))]
    assert Dossier.objects.get(pk=dossier.pk).returned_at is not None
