import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.models import Feedback
from feedback.services import TransitionError, feedback_add_note, feedback_assign, feedback_transition
from tests.factories import StaffFactory, UnitFactory, answered_feedback, send_feedback

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_code_is_unit_pa_date_and_daily_sequence():
    unit = UnitFactory(code="000.00.01.H29")
    at = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=VN)
    first, second = send_feedback(unit=unit, received_at=at), send_feedback(unit=unit, received_at=at)
    next_day = send_feedback(unit=unit, received_at=at + datetime.timedelta(days=1))
    assert (first.code, second.code) == ("000.00.01.H29-PA-260310-001", "000.00.01.H29-PA-260310-002")
    assert next_day.code == "000.00.01.H29-PA-260311-001"
    assert first.tracking_secret != second.tracking_secret


@pytest.mark.django_db
def test_due_date_counts_the_units_working_days_across_tet():
    unit = UnitFactory(feedback_days=5)
    feedback = send_feedback(unit=unit, received_at=datetime.datetime(2026, 2, 13, 10, 0, tzinfo=VN))
    # Tết 2026: 16-20 Feb off, so the 5th working day after Friday 13 Feb is Friday 27 Feb.
    assert feedback.due_date == datetime.date(2026, 2, 27)
    assert feedback.due_at == datetime.datetime(2026, 2, 27, 17, 0, tzinfo=VN)


@pytest.mark.django_db
def test_whole_flow_records_one_event_per_step():
    staff = StaffFactory()
    feedback = send_feedback(unit=staff.unit)
    assert feedback.status == "new"
    feedback_assign(feedback=feedback, assignee=staff, actor=staff)
    feedback = feedback_transition(feedback=feedback, action="start", actor=staff)
    feedback = feedback_transition(feedback=feedback, action="answer", actor=staff, answer="  Đã xử lý.  ")
    assert (feedback.status, feedback.answer, feedback.answered_by) == ("answered", "Đã xử lý.", staff)
    feedback = feedback_transition(feedback=feedback, action="publish", actor=staff)
    assert feedback.status == "published"
    assert (feedback.public_subject, feedback.public_answer) == (feedback.subject, "Đã xử lý.")
    feedback = feedback_transition(feedback=feedback, action="close", actor=staff)
    assert feedback.closed_at is not None
    actions = list(feedback.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("receive", "", "new"), ("assign", "new", "new"), ("start", "new", "in_progress"),
        ("answer", "in_progress", "answered"), ("publish", "answered", "published"), ("close", "published", "closed"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("status_path,action", [
    ([], "publish"),
    (["start"], "start"),
    (["start", "answer"], "answer"),
    (["close"], "start"),
    (["close"], "close"),
])
def test_steps_out_of_order_are_refused_and_change_nothing(status_path, action):
    feedback = send_feedback()
    for step in status_path:
        feedback = feedback_transition(feedback=feedback, action=step, answer="Trả lời")
    before = feedback.status
    with pytest.raises(TransitionError):
        feedback_transition(feedback=feedback, action=action, answer="Trả lời")
    assert Feedback.objects.get(pk=feedback.pk).status == before


@pytest.mark.django_db
def test_an_answer_needs_text_and_publication_needs_consent():
    feedback = send_feedback()
    with pytest.raises(TransitionError, match="nội dung trả lời"):
        feedback_transition(feedback=feedback, action="answer", answer="   ")
    private = answered_feedback(consent_publish=False)
    with pytest.raises(TransitionError):
        feedback_transition(feedback=private, action="publish")
    assert Feedback.objects.get(pk=private.pk).status == "answered"


@pytest.mark.django_db
def test_effective_time_may_be_past_but_not_future_nor_before_previous_step():
    received = timezone.now() - datetime.timedelta(days=3)
    feedback = send_feedback(received_at=received)
    with pytest.raises(ValidationError) as future:  # the same rule and message as dossiers (core/action_time.py)
        feedback_transition(feedback=feedback, action="start", at=timezone.now() + datetime.timedelta(hours=1))
    assert future.value.message_dict == {"at": ["Thời điểm thực hiện không được ở tương lai."]}
    with pytest.raises(ValidationError) as before:
        feedback_transition(feedback=feedback, action="start", at=received - datetime.timedelta(hours=1))
    assert list(before.value.message_dict) == ["at"]
    at = received + datetime.timedelta(hours=2)
    feedback = feedback_transition(feedback=feedback, action="start", at=at)
    event = feedback.events.get(action="start")
    assert event.at == at and event.recorded_at > at


@pytest.mark.django_db
def test_notes_are_kept_apart_from_the_feedback():
    staff = StaffFactory()
    feedback = send_feedback(unit=staff.unit)
    feedback_add_note(feedback=feedback, body="Gọi lại cho phụ huynh", author=staff)
    assert list(feedback.notes.values_list("body", flat=True)) == ["Gọi lại cho phụ huynh"]
    assert feedback.events.get(action="note").note == ""


@pytest.mark.django_db
def test_assignee_must_belong_to_the_unit():
    feedback = send_feedback()
    with pytest.raises(ValueError):
        feedback_assign(feedback=feedback, assignee=StaffFactory())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_codes_stay_unique_when_parents_send_at_the_same_time():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    unit = UnitFactory()
    at = timezone.now()

    def send(_):
        try:
            return send_feedback(unit=unit, received_at=at).code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(send, range(12)))
    assert len(set(codes)) == 12
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 13))
