"""The daily rollup is written in the transaction of the change (docs/kpi/rollup.md), can be
rebuilt and checked from the command line, and the office's side-by-side page of a large
office shows its units a page at a time."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from core.models import Unit
from dossiers.services import dossier_transition
from kpi import live, rollup
from kpi.models import DayCount, MonthCount
from tests.factories import (
    OfficeFactory,
    OfficeUserFactory,
    ProcedureFactory,
    UnitFactory,
    field,
    receive_dossier,
    survey_response_for_test,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def _received_on(day):
    return DayCount.objects.filter(day=day).values_list("received", flat=True)


def test_a_service_change_and_its_rollup_commit_or_roll_back_together():
    procedure = ProcedureFactory(processing_days=5)
    received_at = timezone.now() - datetime.timedelta(days=2)
    day = timezone.localtime(received_at, VN).date()
    with pytest.raises(RuntimeError), transaction.atomic():
        receive_dossier(procedure=procedure, received_at=received_at)
        assert list(_received_on(day)) == [1]  # written with the dossier, inside its transaction
        raise RuntimeError("the request fails after the intake")
    assert list(_received_on(day)) == []

    dossier = receive_dossier(procedure=procedure, received_at=received_at)
    dossier_transition(dossier=dossier, action="start")
    dossier_transition(dossier=dossier, action="complete")
    row = DayCount.objects.get(unit=dossier.unit, field=dossier.field, day=timezone.localdate())
    assert (row.completed, row.on_time) == (1, 1)
    assert MonthCount.objects.get(unit=dossier.unit, field=dossier.field, month=timezone.localdate().replace(day=1)).completed == 1


def test_rebuild_and_check_from_the_command_line(capsys):
    procedure = ProcedureFactory(processing_days=5)
    for hours in (30, 60, 90):
        receive_dossier(procedure=procedure, received_at=timezone.now() - datetime.timedelta(hours=hours))
    call_command("rebuild_kpi_rollup", "--check")
    out = capsys.readouterr().out
    assert "khớp" in out or "agrees" in out

    DayCount.objects.update(received=0)  # as after a bulk load that sent no signals
    with pytest.raises(CommandError, match=r"\(\d+, \d+, \d\d/\d{4}\).*rebuild_kpi_rollup"):  # (unit, field, MM/YYYY)
        call_command("rebuild_kpi_rollup", "--check")
    call_command("rebuild_kpi_rollup")
    assert sum(DayCount.objects.values_list("received", flat=True)) == 3
    call_command("rebuild_kpi_rollup", "--check")


def test_split_reads_whole_months_from_month_rows_and_the_edges_from_day_rows():
    d = datetime.date
    assert rollup._split(d(2026, 1, 10), d(2026, 4, 14)) == (
        [(d(2026, 1, 10), d(2026, 1, 31)), (d(2026, 4, 1), d(2026, 4, 14))], [(d(2026, 2, 1), d(2026, 3, 31))])
    assert rollup._split(d(2026, 1, 1), d(2026, 12, 31)) == ([], [(d(2026, 1, 1), d(2026, 12, 31))])
    assert rollup._split(d(2026, 3, 5), d(2026, 3, 20)) == ([(d(2026, 3, 5), d(2026, 3, 20))], [])


def test_the_month_that_holds_yesterday_is_read_whole_less_its_days_still_to_come():
    """A period that reaches the month of yesterday (``cap``) reads that month's row, and takes
    away the running dossiers of its days after ``cap``: they are not overdue yet."""
    d = datetime.date
    cap = d(2026, 3, 9)
    scope = [([1, 2], d(2026, 1, 1), d(2026, 12, 31))]
    assert rollup._ranges(scope, cap=cap, kind="months") == [([1, 2], d(2026, 1, 1), d(2026, 12, 31))]
    assert rollup._ranges(scope, cap=cap, kind="days") == []
    assert rollup._ranges(scope, cap=cap, kind="after_cap") == [([1, 2], d(2026, 3, 10), d(2026, 3, 31))]
    # Yesterday the last day of its month, or its month not whole in the period: nothing to take away.
    assert rollup._ranges(scope, cap=d(2026, 3, 31), kind="after_cap") == []
    assert rollup._ranges([([1], d(2026, 3, 5), d(2026, 4, 30))], cap=cap, kind="after_cap") == []

    procedure = ProcedureFactory(processing_days=5)
    unit = procedure.unit
    for day in (2, 16, 20, 23, 25, 27):  # February: due in early, mid and late March
        receive_dossier(procedure=procedure, received_at=datetime.datetime(2026, 2, day, 9, tzinfo=VN))
    for day in (2, 4, 6, 9):
        receive_dossier(procedure=procedure, received_at=datetime.datetime(2026, 3, day, 9, tzinfo=VN))
    now = datetime.datetime(2026, 3, 10, 12, tzinfo=VN)
    units = Unit.objects.filter(pk=unit.pk)
    for by in (None, "unit", "month", "field_month"):
        got = rollup.sums(units=units, start=d(2026, 1, 1), end=d(2026, 12, 31), now=now, by=by)
        assert got == live.sums(units=units, start=d(2026, 1, 1), end=d(2026, 12, 31), now=now, by=by), by
    overall = rollup.sums(units=units, start=d(2026, 1, 1), end=d(2026, 12, 31), now=now)[None]
    assert overall["received"] == 10 and 0 < overall["overdue"] < 10


def test_a_large_office_sees_its_units_a_page_at_a_time(client):
    office = OfficeFactory(name="Sở Giáo dục và Đào tạo")
    for i in range(60):
        UnitFactory(office=office, name=f"Trường mầm non số {i + 1:02d}")
    client.force_login(OfficeUserFactory(office=office))
    first = client.get("/kpi/").content.decode()
    assert first.count('data-testid="unit-row"') == 50
    assert "Trường mầm non số 01" in first and "Trường mầm non số 51" not in first
    assert "Đơn vị 1–50 trên tổng số 60" in first
    second = client.get("/kpi/", {"page": 2}).content.decode()
    assert second.count('data-testid="unit-row"') == 10 and "Trường mầm non số 60" in second
    assert Unit.objects.supervised_by(office.pk).count() == 60


def test_a_large_office_sorted_by_a_column_sees_one_order_across_its_pages(client):
    """The table is ordered over every unit before it is cut into pages, though only the
    page's units are built into rows; and the count of units without targets covers them all."""
    from decimal import Decimal

    from kpi.indicators import INDICATORS
    from kpi.services import plan_create, plan_update

    office = OfficeFactory()
    units = [UnitFactory(office=office, name=f"Trường mầm non số {i + 1:02d}") for i in range(60)]
    field_ = ProcedureFactory(unit=units[0]).field
    # On time: number 55 the best (10/10), number 03 the worst (1/10), the others 5/10; number 60 none.
    for i, unit in enumerate(units[:59]):
        counts = {"unit": unit, "field": field_, "completed": 10, "on_time": {54: 10, 2: 1}.get(i, 5)}
        DayCount.objects.create(day=datetime.date(2025, 3, 10), **counts)
        MonthCount.objects.create(month=datetime.date(2025, 3, 1), **counts)
    plan = plan_create(unit=units[59], year=2025)
    plan_update(plan=plan, number="", title="", targets={(i.key, ""): Decimal(90) for i in INDICATORS})
    plan = plan_create(unit=units[58], year=2025)  # number 59: one target of them all
    plan_update(plan=plan, number="", title="", targets={
        (i.key, ""): Decimal(90) if i.key == "dossier_on_time_rate" else None for i in INDICATORS})
    client.force_login(OfficeUserFactory(office=office))
    query = {"from": "2025-01-01", "to": "2025-12-31", "sort": "dossier_on_time_rate"}

    def names(**extra):
        page = client.get("/kpi/", {**query, **extra})
        return [e["unit"].name for e in page.context["comparison"]], page.content.decode()

    first, html = names(dir="desc")
    assert len(first) == 50 and first[:3] == ["Trường mầm non số 55", "Trường mầm non số 01", "Trường mầm non số 02"]
    assert "59 đơn vị chưa có đủ chỉ tiêu kế hoạch năm 2025." in html  # the period's year, not today's
    second, html = names(dir="desc", page=2)
    assert len(second) == 10 and second[-2:] == ["Trường mầm non số 03", "Trường mầm non số 60"]
    row = html[html.index(f'data-unit="{units[58].slug}"'):]
    row = row[:row.index("</tr>")]
    assert f"Thiếu {len(INDICATORS) - 1} chỉ tiêu" in row and "kpi-cell-missed" in row and "5/10" in row
    row = html[html.index(f'data-unit="{units[2].slug}"'):]
    assert "Chưa có kế hoạch chỉ tiêu" in row[:row.index("</tr>")]
    ascending, _ = names(dir="asc")
    assert ascending[:2] == ["Trường mầm non số 03", "Trường mầm non số 01"]
    assert names(dir="asc", page=2)[0][-2:] == ["Trường mầm non số 55", "Trường mầm non số 60"]  # no value: last
    by_name, _ = names(sort="name", dir="desc")
    assert by_name[:2] == ["Trường mầm non số 60", "Trường mầm non số 59"]


def test_the_comparison_groups_each_units_counts_by_thousands(client):
    """A school of a province receives thousands of dossiers a year: 1.234/1.500, as the
    totals row writes them, not 1234/1500."""
    office = OfficeFactory()
    unit = UnitFactory(office=office, name="Trường mầm non Lớn")
    field = ProcedureFactory(unit=unit).field
    counts = {"unit": unit, "field": field, "received": 1500, "online": 1234}
    DayCount.objects.create(day=datetime.date(2025, 3, 10), **counts)
    MonthCount.objects.create(month=datetime.date(2025, 3, 1), **counts)
    client.force_login(OfficeUserFactory(office=office))
    html = client.get("/kpi/", {"from": "2025-01-01", "to": "2025-12-31"}).content.decode()
    row = html[html.index('data-unit="%s"' % unit.slug):html.index("</tr>", html.index('data-unit="%s"' % unit.slug))]
    assert "1.234/1.500" in row and "1234/1500" not in row


@pytest.mark.django_db(transaction=True)
def test_a_change_waiting_on_another_of_the_same_unit_counts_both():
    """The interleaving that loses a count when a day is recounted instead of added to: A
    records a survey answer and writes its day but has not committed; B records another of
    the same unit, area and day meanwhile. The day shows both. (Survey answers share no row
    that would serialise them otherwise; intakes do, the register sequence.)"""
    import threading
    import time

    from django.db import connection

    unit = UnitFactory()
    submitted_at = timezone.now() - datetime.timedelta(days=1)
    day = timezone.localtime(submitted_at, VN).date()
    a_counted, errors = threading.Event(), []

    def a():
        try:
            with transaction.atomic():
                survey_response_for_test(unit=unit, submitted_at=submitted_at)
                a_counted.set()
                with connection.cursor() as cursor:  # commit only once B is blocked behind us
                    for _ in range(200):
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                       "AND datname = current_database() AND pid <> pg_backend_pid()")
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.05)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def b():
        try:
            a_counted.wait(timeout=30)
            with transaction.atomic():
                survey_response_for_test(unit=unit, submitted_at=submitted_at)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert list(DayCount.objects.filter(unit=unit, day=day).values_list("responses", flat=True)) == [2]


def test_migrate_counts_the_rollup_of_a_database_that_has_records_but_no_rollup():
    """An upgrade from the release before the rollup: ``migrate`` fills it once."""
    from kpi.apps import fill_empty_rollup

    procedure = ProcedureFactory(processing_days=5)
    receive_dossier(procedure=procedure, received_at=timezone.now() - datetime.timedelta(days=2))
    DayCount.objects.all().delete()
    MonthCount.objects.all().delete()
    fill_empty_rollup(sender=None, verbosity=0)
    assert sum(DayCount.objects.values_list("received", flat=True)) == 1
    DayCount.objects.update(received=5)
    fill_empty_rollup(sender=None, verbosity=0)  # a rollup that is there is left as it is
    assert set(DayCount.objects.values_list("received", flat=True)) == {5}


def test_sorting_by_a_column_the_page_does_not_show_falls_back_to_the_name(client):
    office = OfficeFactory()
    UnitFactory(office=office, name="Trường mầm non Hoa Sen")
    client.force_login(OfficeUserFactory(office=office))
    page = client.get("/kpi/", {"sort": "feedback_on_time_rate", "dir": "desc"})  # not a main column
    assert page.status_code == 200 and "Trường mầm non Hoa Sen" in page.content.decode()


def _rollup_rows():
    """The rows that count anything (a row taken down to zero stays; a rebuild has none)."""
    return tuple(
        sorted(row for row in model.objects.values_list("unit_id", "field_id", when, *rollup.COLUMNS) if any(row[3:]))
        for model, when in ((DayCount, "day"), (MonthCount, "month"))
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_prepared_statement_and_the_plain_one_keep_the_same_rollup_across_reconnections(settings, monkeypatch):
    """The rollup's statement is prepared once per connection (core/db.py), prepared again
    after a reconnection, and sent plain with DATABASE_PREPARED_STATEMENTS off: the rows
    are those a rebuild from the records gives."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import db

    prepared, setup = [], db._setup
    monkeypatch.setattr(db, "_setup", lambda c, sql: (sql.startswith("PREPARE") and prepared.append(sql), setup(c, sql))[1])
    procedure = ProcedureFactory(processing_days=5)

    def changes():
        prepared.clear()
        with CaptureQueriesContext(connection) as context:
            dossier = receive_dossier(procedure=procedure, received_at=timezone.now() - datetime.timedelta(days=3))
            dossier_transition(dossier=dossier, action="start")
            dossier_transition(dossier=dossier, action="complete")
            survey_response_for_test(unit=procedure.unit, submitted_at=timezone.now() - datetime.timedelta(days=1))
        return [q["sql"] for q in context.captured_queries]

    connection.close()
    sent = changes()
    # the dossier's statement and the answer's, each prepared once
    assert len(prepared) == 2
    # the intake adds; each step takes away and adds; the answer adds
    assert sum("EXECUTE cchc_" in s for s in sent) == 6
    sent = changes()
    assert prepared == [] and sum("EXECUTE cchc_" in s for s in sent) == 6
    connection.close()  # CONN_MAX_AGE expired, a failed health check, a restarted server
    sent = changes()
    assert len(prepared) == 2 and sum("EXECUTE cchc_" in s for s in sent) == 6
    settings.DATABASE_PREPARED_STATEMENTS = False
    sent = changes()
    assert prepared == [] and not any("EXECUTE cchc_" in s for s in sent)
    assert sum(s.startswith("WITH c AS (") for s in sent) == 6

    kept = _rollup_rows()
    assert sum(row[rollup.COLUMNS.index("completed") + 3] for row in kept[0]) == 4
    rollup.rebuild()
    assert _rollup_rows() == kept


def test_a_survey_answer_adds_to_its_own_counts_and_leaves_the_dossiers_on_the_same_row():
    """Each source's statement writes only the columns it fills (kpi.rollup._contribution_sql):
    a dossier and a survey answer of one unit, field and day share their day and month rows,
    and neither touches the other's counts — when it creates the row or when it adds to it."""
    unit = UnitFactory()
    procedure = ProcedureFactory(unit=unit, field=field("tuyen-sinh"))
    at = timezone.now() - datetime.timedelta(hours=1)
    day = timezone.localtime(at, VN).date()
    first = survey_response_for_test(unit=unit, area_key="tuyen-sinh", overall=5, submitted_at=at)  # creates the rows
    receive_dossier(procedure=procedure, received_at=at)
    survey_response_for_test(unit=unit, area_key="tuyen-sinh", overall=2, submitted_at=at)

    def counts():
        rows = (DayCount.objects.get(unit=unit, field=procedure.field, day=day),
                MonthCount.objects.get(unit=unit, field=procedure.field, month=day.replace(day=1)))
        return [(r.received, r.responses, r.satisfied, r.overall_n, r.completed) for r in rows]

    assert counts() == [(1, 2, 1, 2, 0)] * 2
    first.delete()
    assert counts() == [(1, 1, 0, 1, 0)] * 2
