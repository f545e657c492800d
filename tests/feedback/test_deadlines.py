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


OVERDUE_RECEIVED = RECEIVED - datetime.timedelta(days=7)  # due Monday 2 March: overdue by Friday 6 March
FRIDAY = datetime.datetime(2026, 3, 6, 9, 0, tzinfo=VN)  # warns what is due Monday 9 March


def _due_items(n, staff):
    """``n`` open items at FRIDAY: half overdue, half to be warned; all assigned to ``staff``."""
    items = [send_feedback(unit=staff.unit, received_at=OVERDUE_RECEIVED if i % 2 else RECEIVED) for i in range(n)]
    Feedback.objects.filter(pk__in=[f.pk for f in items]).update(assigned_to=staff)
    return items


@pytest.mark.django_db
def test_the_sweep_issues_the_same_few_queries_for_5_and_for_50_due_items(team):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    staff, _ = team
    counts = {}
    for n in (5, 50):
        with transaction.atomic():
            _due_items(n, staff)
            with CaptureQueriesContext(connection) as queries:
                result = sweep(FRIDAY)
            transaction.set_rollback(True)  # the next size starts from the same empty state
        assert result["feedback_overdue"] + result["feedback_warned"] == n
        assert result["feedback_notified"] == 2 * n  # assignee and principal
        counts[n] = len(queries)
    assert counts[5] == counts[50] <= 10, counts  # one statement per rule (SQLite: three)


@pytest.mark.django_db
def test_new_notices_schedule_one_e_mail_delivery_after_commit(team, django_capture_on_commit_callbacks):
    from core.notify import schedule_delivery

    staff, _ = team
    _due_items(4, staff)
    with django_capture_on_commit_callbacks() as callbacks:
        assert sweep(FRIDAY)["feedback_notified"] == 8
    assert callbacks == [schedule_delivery]
    with django_capture_on_commit_callbacks() as callbacks:
        assert sweep(FRIDAY + datetime.timedelta(minutes=15))["feedback_notified"] == 0
    assert callbacks == []


@pytest.mark.django_db
def test_notices_read_like_the_catalogue_with_the_item_spliced_in(team):
    staff, principal = team
    late, soon = send_feedback(unit=staff.unit, received_at=OVERDUE_RECEIVED), send_feedback(unit=staff.unit, received_at=RECEIVED)
    sweep(FRIDAY)
    overdue = Notification.objects.get(kind="feedback_overdue", user=principal)
    assert overdue.subject_key == f"feedback:{late.pk}"
    assert overdue.title == f"Phản ánh, kiến nghị {late.code} đã quá hạn trả lời"
    assert overdue.body == f"Hạn trả lời là ngày 02/03/2026: “{late.subject}”."
    assert overdue.link == f"/feedback/inbox/{late.code}/"
    warning = Notification.objects.get(kind="feedback_warning", user=principal)
    assert warning.title == f"Phản ánh, kiến nghị {soon.code} phải được trả lời trước hạn 09/03/2026"
    assert warning.body.endswith("hạn trả lời là 17:00 09/03/2026.")


@pytest.mark.django_db
def test_a_translation_holding_percent_signs_and_quotes_does_not_break_the_sweep(team, monkeypatch):
    from feedback import deadlines

    staff, principal = team
    late = send_feedback(unit=staff.unit, received_at=OVERDUE_RECEIVED)
    catalogue = {
        "Feedback %(code)s is overdue": "PAKN %(code)s quá hạn: 100% trễ, 'nhắc' lần %%1; %(unknown)s",
        "The answer was due on %(date)s: “%(subject)s”.": "%(date)s — %% %s ); DROP TABLE x; --",
    }
    monkeypatch.setattr(deadlines, "_", lambda msgid: catalogue.get(msgid, msgid))
    assert sweep(FRIDAY)["feedback_overdue"] == 1
    notice = Notification.objects.get(kind="feedback_overdue", user=principal)
    assert notice.title == f"PAKN {late.code} quá hạn: 100% trễ, 'nhắc' lần %1; %(unknown)s"
    assert notice.body == "02/03/2026 — % %s ); DROP TABLE x; --"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_started_together_mark_warn_and_notify_once(team):
    import threading

    from django.db import connection

    staff, principal = team
    _due_items(12, staff)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run(now):
        try:
            barrier.wait()
            results.append(sweep(now))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(FRIDAY + datetime.timedelta(minutes=i),)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(r["feedback_overdue"] for r in results) == 6
    assert sum(r["feedback_warned"] for r in results) == 6
    assert sum(r["feedback_notified"] for r in results) == Notification.objects.count() == 24
    assert FeedbackEvent.objects.filter(action__in=["overdue", "warning"]).count() == 12
    for kind in ("feedback_overdue", "feedback_warning"):
        users = Notification.objects.filter(kind=kind).values_list("user", flat=True)
        assert sorted(set(users)) == sorted([staff.pk, principal.pk]) and len(users) == 12
