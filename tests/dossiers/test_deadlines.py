"""The deadline engine: marks once, warns once, watches the apology's promise; set-based
and idempotent, also with two sweeps at once and through a real Celery worker."""
import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Notification
from dossiers import deadlines
from dossiers.models import Apology, Dossier, DossierEvent
from dossiers.services import dossier_transition
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, dossier_in

RECEIVED = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))  # Monday; 5 days -> due Mon 9/3 17:00


def _at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _setup(status="processing"):
    staff = StaffFactory()
    principal = PrincipalFactory(unit=staff.unit)
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    dossier = dossier_in(status, procedure=procedure, received_at=RECEIVED, actor=staff)
    return staff, principal, dossier


@pytest.mark.django_db
def test_overdue_is_marked_once_with_an_event():
    _staff, _principal, dossier = _setup()
    assert deadlines.sweep(_at(datetime.date(2026, 3, 9), 16))["dossiers_overdue"] == 0
    now = _at(datetime.date(2026, 3, 9), 18)
    assert deadlines.sweep(now)["dossiers_overdue"] == 1
    assert deadlines.sweep(now + datetime.timedelta(hours=1))["dossiers_overdue"] == 0
    dossier.refresh_from_db()
    assert dossier.overdue_at == now
    assert DossierEvent.objects.filter(dossier=dossier, action="overdue").count() == 1


@pytest.mark.django_db
def test_closed_dossiers_and_those_awaiting_a_supplement_are_never_marked():
    for status in ("completed", "returned", "rejected", "withdrawn", "awaiting_supplement"):
        _setup(status)
    assert deadlines.sweep(_at(datetime.date(2026, 4, 1)))["dossiers_overdue"] == 0


@pytest.mark.django_db
def test_warning_goes_to_the_assigned_staff_and_the_principal_one_working_day_before():
    staff, principal, dossier = _setup()
    # Thursday 5/3: the due date (Monday) is two working days away.
    assert deadlines.sweep(_at(datetime.date(2026, 3, 5)))["dossiers_warned"] == 0
    # Friday 6/3: Monday is the next working day.
    assert deadlines.sweep(_at(datetime.date(2026, 3, 6)))["dossiers_warned"] == 1
    assert deadlines.sweep(_at(datetime.date(2026, 3, 6), 15))["dossiers_warned"] == 0
    notices = Notification.objects.filter(kind="dossier_apology_warning", subject_key=f"dossier:{dossier.pk}@09/03/2026")
    assert {n.user for n in notices} == {staff, principal}
    assert dossier.code in notices.first().title
    assert "xin lỗi" in notices.first().title
    assert DossierEvent.objects.filter(dossier=dossier, action="apology_warning").count() == 1


@pytest.mark.django_db
def test_no_warning_when_an_apology_was_already_issued():
    _staff, principal, dossier = _setup()
    dossier_transition(dossier=dossier, action="apologize", actor=principal, at=_at(datetime.date(2026, 3, 4)),
                       reason="Cần xác minh", new_due_date=datetime.date(2026, 3, 13))
    assert deadlines.sweep(_at(datetime.date(2026, 3, 6)))["dossiers_warned"] == 0


@pytest.mark.django_db
def test_the_apology_new_date_is_watched_as_a_promise():
    staff, principal, dossier = _setup()
    dossier_transition(dossier=dossier, action="apologize", actor=principal, at=_at(datetime.date(2026, 3, 4)),
                       reason="Cần xác minh", new_due_date=datetime.date(2026, 3, 13))
    assert deadlines.sweep(_at(datetime.date(2026, 3, 13), 16))["promises_overdue"] == 0
    assert deadlines.sweep(_at(datetime.date(2026, 3, 13), 18))["promises_overdue"] == 1
    assert deadlines.sweep(_at(datetime.date(2026, 3, 16)))["promises_overdue"] == 0
    assert Apology.objects.get(dossier=dossier).promise_overdue_at is not None
    assert Notification.objects.filter(kind="dossier_promise_overdue").count() == 2
    assert DossierEvent.objects.filter(dossier=dossier, action="promise_overdue").count() == 1


@pytest.mark.django_db
def test_check_deadlines_command_prints_one_summary_line():
    from io import StringIO

    from django.core.management import call_command

    _setup()
    out = StringIO()
    call_command("check_deadlines", "--now", "2026-03-10T08:00:00+07:00", stdout=out)
    assert "dossiers_overdue=1" in out.getvalue()
    assert out.getvalue().count("\n") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_mark_and_notify_once(reference_fields):
    dossiers = [_setup()[2] for _ in range(5)]
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run(now):
        try:
            barrier.wait()
            results.append(deadlines.sweep(now))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(_at(datetime.date(2026, 3, 6), 10 + i),)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r["dossiers_warned"] for r in results) == 5
    assert Notification.objects.filter(kind="dossier_apology_warning").count() == 10  # staff + principal each
    assert DossierEvent.objects.filter(action="apology_warning").count() == 5
    threads = [threading.Thread(target=run, args=(_at(datetime.date(2026, 3, 10), 8 + i),)) for i in range(2)]
    barrier.reset()
    results.clear()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["dossiers_overdue"] for r in results) == 5
    assert DossierEvent.objects.filter(action="overdue").count() == len(dossiers)


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_engine_through_a_real_celery_worker_marks_and_notifies_once(celery_worker_process, reference_fields):
    """Two beat ticks delivered to a real worker at once (plus a re-run) mark and notify once."""
    import time

    from core.models import EngineRun
    from core.tasks import run_deadline_engine

    # Due yesterday: overdue now. Due by the next working day: warned now.
    staff = StaffFactory()
    principal = PrincipalFactory(unit=staff.unit)
    now = timezone.now()
    late = dossier_in("processing", procedure=ProcedureFactory(unit=staff.unit, processing_days=1),
                      received_at=now - datetime.timedelta(days=10), actor=staff)
    soon = dossier_in("processing", procedure=ProcedureFactory(unit=staff.unit, processing_days=0),
                      received_at=now - datetime.timedelta(hours=2), actor=staff)
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + datetime.timedelta(hours=20))
    for _ in range(3):
        run_deadline_engine.delay()
    deadline = time.monotonic() + 40
    while EngineRun.objects.count() < 3 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert EngineRun.objects.count() == 3
    assert DossierEvent.objects.filter(dossier=late, action="overdue").count() == 1
    assert DossierEvent.objects.filter(dossier=soon, action="apology_warning").count() == 1
    notices = Notification.objects.filter(kind="dossier_apology_warning", subject_key__startswith=f"dossier:{soon.pk}@")
    assert sorted(n.user_id for n in notices) == sorted([staff.pk, principal.pk])
    assert sum(run.summary.get("dossiers_overdue", 0) for run in EngineRun.objects.all()) == 1


@pytest.mark.django_db
def test_a_translation_holding_percent_signs_and_quotes_does_not_break_the_sweep(monkeypatch):
    staff, principal, dossier = _setup()
    catalogue = {
        "Dossier %(code)s is due on %(date)s: issue an apology letter if it will be late":
            "Hồ sơ %(code)s đến hạn %(date)s: 100% phải ký 'phiếu xin lỗi' (%%) %s",
    }
    monkeypatch.setattr(deadlines, "_", lambda msgid: catalogue.get(msgid, msgid))
    assert deadlines.sweep(_at(datetime.date(2026, 3, 6)))["dossiers_warned"] == 1
    notice = Notification.objects.get(kind="dossier_apology_warning", user=principal)
    assert notice.title == f"Hồ sơ {dossier.code} đến hạn 09/03/2026: 100% phải ký 'phiếu xin lỗi' (%) %s"
    assert dossier.applicant_name in notice.body


@pytest.mark.django_db
def test_the_sweep_issues_the_same_few_queries_for_5_and_for_50_due_dossiers():
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for n in (5, 50):
        with transaction.atomic():
            staff = StaffFactory()
            PrincipalFactory(unit=staff.unit)
            procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
            for _ in range(n):
                dossier_in("processing", procedure=procedure, received_at=RECEIVED, actor=staff)
            with CaptureQueriesContext(connection) as queries:
                assert deadlines.sweep(_at(datetime.date(2026, 3, 6)))["dossiers_warned"] == n
            transaction.set_rollback(True)
        counts[n] = len(queries)
    assert counts[5] == counts[50] <= 10, counts  # one statement per rule (SQLite: three)


@pytest.mark.django_db
def test_a_restarted_clock_is_warned_and_marked_again_for_its_new_deadline():
    staff, principal, dossier = _setup()
    assert deadlines.sweep(_at(datetime.date(2026, 3, 6)))["dossiers_warned"] == 1  # due Mon 9/3
    assert deadlines.sweep(_at(datetime.date(2026, 3, 9), 18))["dossiers_overdue"] == 1
    dossier_transition(dossier=dossier, action="request_supplement", actor=staff, at=_at(datetime.date(2026, 3, 10)),
                       reason="Bổ sung bản sao giấy khai sinh")
    dossier.refresh_from_db()
    dossier_transition(dossier=dossier, action="resume", actor=staff, at=_at(datetime.date(2026, 3, 16)))
    dossier.refresh_from_db()
    assert dossier.due_date == datetime.date(2026, 3, 23)  # restart: 5 working days from Mon 16/3
    assert dossier.overdue_at is None and dossier.warned_at is None
    # Friday 20/3: the new due date is the next working day -> a warning for that date.
    assert deadlines.sweep(_at(datetime.date(2026, 3, 20)))["dossiers_warned"] == 1
    keys = set(Notification.objects.filter(kind="dossier_apology_warning", user=principal).values_list("subject_key", flat=True))
    assert keys == {f"dossier:{dossier.pk}@09/03/2026", f"dossier:{dossier.pk}@23/03/2026"}
    assert deadlines.sweep(_at(datetime.date(2026, 3, 23), 18))["dossiers_overdue"] == 1
    assert deadlines.sweep(_at(datetime.date(2026, 3, 24)))["dossiers_overdue"] == 0
