"""How the deadline engine's dossier sweep touches storage (docs/domain/deadline-engine.md,
"Heap-only updates"): it writes only its marking columns, the partial indexes it runs on
name none of them, so its marks are heap-only updates, and the planner does use them."""
import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from core import sweeps
from dossiers import deadlines
from dossiers.models import Apology, Dossier
from dossiers.services import dossier_transition
from tests import plans
from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, dossier_in

RECEIVED = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))  # Monday; 5 days -> due Mon 9/3 17:00
WARNED_AT = timezone.make_aware(datetime.datetime(2026, 3, 6, 12, 0))  # Friday: due the next working day
OVERDUE_AT = timezone.make_aware(datetime.datetime(2026, 3, 10, 8, 0))
MARKING_COLUMNS = {"overdue_at", "warned_at"}


def _dossiers(n, status="processing"):
    staff = StaffFactory()
    PrincipalFactory(unit=staff.unit)
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    return [dossier_in(status, procedure=procedure, received_at=RECEIVED, actor=staff) for _ in range(n)]


def _row(dossier):
    return Dossier.objects.filter(pk=dossier.pk).values().get()


@pytest.mark.django_db
def test_the_sweep_changes_no_column_but_its_marks():
    """Nothing the KPIs count (status, dates, timeliness) moves: the KPI rollup never needs
    the sweep."""
    dossier, = _dossiers(1)
    before = _row(dossier)
    assert deadlines.sweep(WARNED_AT)["dossiers_warned"] == 1
    warned = _row(dossier)
    assert {key for key in before if before[key] != warned[key]} == {"warned_at"}
    assert deadlines.sweep(OVERDUE_AT)["dossiers_overdue"] == 1
    marked = _row(dossier)
    assert {key for key in warned if warned[key] != marked[key]} == {"overdue_at"}


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_index_on_dossiers_names_a_column_the_sweep_sets():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                       "WHERE indrelid = 'dossiers_dossier'::regclass")
        definitions = dict(cursor.fetchall())
    assert "dossier_running_due" in definitions and "dossier_running_due_date" in definitions
    naming = {name: text for name, text in definitions.items() if any(column in text for column in MARKING_COLUMNS)}
    assert naming == {}


@pytest.mark.postgres
@pytest.mark.django_db
def test_dossier_pages_keep_room_for_heap_only_updates():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = 'dossiers_dossier'::regclass")
        assert "fillfactor=90" in cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_warnings_and_overdue_marks_are_heap_only_updates():
    # A heap-only update needs room on the row's page as well as no indexed column changed.
    # Earlier tests' rolled-back rows fill pages at random; the table emptied in this
    # transaction (rolled back with it) puts the three dossiers on a fresh page with its
    # fillfactor's room, so what is tested is the second condition.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE dossiers_dossier CASCADE")
    _dossiers(3)

    def counted():
        with connection.cursor() as cursor:
            # This transaction's own counts: exact, unlike pg_stat_user_tables, which
            # backends flush now and then.
            cursor.execute("SELECT pg_stat_get_xact_tuples_updated('dossiers_dossier'::regclass), "
                           "pg_stat_get_xact_tuples_hot_updated('dossiers_dossier'::regclass)")
            return cursor.fetchone()

    updated, hot = counted()
    assert deadlines.sweep(WARNED_AT)["dossiers_warned"] == 3
    assert deadlines.sweep(OVERDUE_AT)["dossiers_overdue"] == 3
    after_updated, after_hot = counted()
    assert (after_updated - updated, after_hot - hot) == (6, 6)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("action, index", [("overdue", "dossier_running_due"),
                                           ("apology_warning", "dossier_running_due_date")])
def test_each_dossier_rule_runs_on_its_partial_index(action, index):
    """The rule's WHERE implies the index's predicate (the planner proves it), so the
    planner can use the small index of running dossiers instead of reading the table."""
    _dossiers(2)
    rule = next(r for r in deadlines.rules() if r.action == action)
    params = {**sweeps.params_for(OVERDUE_AT), **rule.params}
    plan = plans.plan(f"UPDATE dossiers_dossier SET {rule.flag} = %(now)s WHERE {rule.condition}", params,
                      only_index=index)
    # "Index Scan using <index>" or "Bitmap Index Scan on <index>"
    assert re.search(rf"(using|Scan on) {index} ", plan), plan


@pytest.mark.django_db
def test_a_closed_dossiers_apology_is_no_promise_to_watch():
    staff = StaffFactory()
    principal = PrincipalFactory(unit=staff.unit)
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    open_one, closed = (dossier_in("processing", procedure=procedure, received_at=RECEIVED, actor=staff)
                        for _ in range(2))
    for dossier in (open_one, closed):
        dossier_transition(dossier=dossier, action="apologize", actor=principal,
                           at=timezone.make_aware(datetime.datetime(2026, 3, 4, 9)), reason="Cần xác minh",
                           new_due_date=datetime.date(2026, 3, 13))
    dossier_transition(dossier=Dossier.objects.get(pk=closed.pk), action="complete", actor=staff,
                       at=timezone.make_aware(datetime.datetime(2026, 3, 12, 9)))
    assert deadlines.sweep(timezone.make_aware(datetime.datetime(2026, 3, 16, 9)))["promises_overdue"] == 1
    assert Apology.objects.get(dossier=open_one).promise_overdue_at is not None
    assert Apology.objects.get(dossier=closed).promise_overdue_at is None
