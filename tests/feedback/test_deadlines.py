import datetime
from zoneinfo import ZoneInfo

import pytest

from core import engine
from core.models import Notification
from feedback.deadlines import sweep
from feedback.models import Feedback, FeedbackEvent
from feedback.services import feedback_assign, feedback_transition
from tests.factories import PrincipalFactory, StaffFactory, send_feedback

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday; 5 working days -> due Monday 9 March 17:00


@pytest.fixture
def team():
    staff = StaffFactory()
    principal = PrincipalFactory(unit=staff.unit)
    return staff, principal


@pytest.mark.django_db
def test_warns_assignee_and_principal_one_working_day_before_due_once(team):
    staff, principal = team
    feedback = send_feedback(unit=staff.unit, received_at=RECEIVED)
    feedback_assign(feedback=feedback, assignee=staff, at=RECEIVED)
    assert feedback.due_date == datetime.date(2026, 3, 9)
    assert sweep(datetime.datetime(2026, 3, 5, 9, 0, tzinfo=VN))["feedback_warned"] == 0  # Thursday: too early
    # Friday is one working day before Monday's due date.
    result = sweep(datetime.datetime(2026, 3, 6, 9, 0, tzinfo=VN))
    assert (result["feedback_warned"], result["feedback_notified"]) == (1, 2)
    notices = Notification.objects.filter(kind="feedback_warning")
    assert set(notices.values_list("user", flat=True)) == {staff.pk, principal.pk}
    assert feedback.code in notices.first().title
    again = sweep(datetime.datetime(2026, 3, 6, 9, 15, tzinfo=VN))
    assert (again["feedback_warned"], again["feedback_notified"]) == (0, 0)
    assert FeedbackEvent.objects.filter(feedback=feedback, action="warning").count() == 1


@pytest.mark.django_db
def test_marks_overdue_once_with_an_event_after_due_time(team):
    staff, principal = team
    feedback = send_feedback(unit=staff.unit, received_at=RECEIVED)
    assert sweep(datetime.datetime(2026, 3, 9, 16, 59, tzinfo=VN))["feedback_overdue"] == 0
    assert sweep(datetime.datetime(2026, 3, 9, 17, 1, tzinfo=VN))["feedback_overdue"] == 1
    assert sweep(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=VN))["feedback_overdue"] == 0
    feedback.refresh_from_db()
    assert feedback.overdue_at is not None
    event = FeedbackEvent.objects.get(feedback=feedback, action="overdue")
    assert event.at == feedback.due_at
    assert Notification.objects.filter(kind="feedback_overdue", user=principal).count() == 1


@pytest.mark.django_db
def test_answered_feedback_is_neither_warned_nor_overdue(team):
    staff, _ = team
    feedback = send_feedback(unit=staff.unit, received_at=RECEIVED)
    feedback_transition(feedback=feedback, action="answer", answer="Đã trả lời.", at=RECEIVED + datetime.timedelta(hours=1))
    result = sweep(datetime.datetime(2026, 3, 20, 9, 0, tzinfo=VN))
    assert (result["feedback_warned"], result["feedback_overdue"]) == (0, 0)
    assert not Feedback.objects.filter(overdue_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_engine_runs_the_feedback_sweep(team):
    staff, _ = team
    send_feedback(unit=staff.unit, received_at=RECEIVED)
    run = engine.run(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=VN))
    assert run.summary["feedback_overdue"] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_never_mark_or_notify_twice(team):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, transaction

    staff, _ = team
    for _ in range(10):
        send_feedback(unit=staff.unit, received_at=RECEIVED)
    now = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=VN)

    def run(_):
        try:
            with transaction.atomic():
                return sweep(now)["feedback_overdue"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=3) as pool:
        marked = list(pool.map(run, range(3)))
    assert sum(marked) == 10
    assert FeedbackEvent.objects.filter(action="overdue").count() == 10
    assert Notification.objects.filter(kind="feedback_overdue").count() == 10  # one principal, no assignee
