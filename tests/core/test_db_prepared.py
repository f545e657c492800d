"""Constant statements as server-side prepared statements (core/db.py,
docs/decisions/prepared-statements.md): prepared once per physical connection, executed
afterwards with the same rows as the plain statement; prepared again on a new connection;
the plain statement when the setting is off or the connection is marked for PgBouncer's
transaction pooling; a statement the server lost is prepared again (autocommit) or named
in a clear error (in a transaction)."""
import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import db

SQL = ("SELECT %(a)s::int + %(b)s, %(day)s::date + 1, array_length(%(ids)s::bigint[], 1), "
       "%(a)s::int * 2, '100%%' || %(text)s")
PARAMS = {"a": 20, "b": 22, "day": datetime.date(2026, 2, 28), "ids": [5, 6, 7], "text": " sure"}
ROW = (42, datetime.date(2026, 3, 1), 3, 40, "100% sure")


def test_named_placeholders_become_positions_each_name_one():
    name, text, order = db.convert("SELECT %(x)s, %(y)s, %(x)s, '5%%'")
    assert text == "SELECT $1, $2, $1, '5%'"
    assert order == ["x", "y"]
    assert name.startswith("cchc_") and len(name) < 64
    assert db.convert("SELECT %(x)s, %(y)s, %(x)s, '5%%'")[0] == name  # one text, one name
    assert db.convert("SELECT %(x)s")[0] != name


def test_positional_placeholders_are_numbered_in_order():
    assert db.convert("SELECT %s, %s")[1:] == ("SELECT $1, $2", 2)
    assert db._arguments(2, (1, 2)) == [1, 2]
    with pytest.raises(ValueError, match="takes 2 parameters"):
        db._arguments(2, (1,))


@pytest.mark.parametrize("sql", ["SELECT %(x)s, %s", "SELECT 5 % 2"])
def test_what_psycopg2_would_refuse_is_refused(sql):
    with pytest.raises(ValueError):
        db.convert(sql)


def _run(sql=SQL, params=PARAMS, **kwargs):
    with connection.cursor() as cursor:
        db.execute(cursor, sql, params, **kwargs)
        return cursor.fetchone()


def _sent(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries]


@pytest.fixture
def prepared(monkeypatch) -> list[str]:
    """The names of the statements PREPAREd (connection set-up, outside the query log)."""
    names, setup = [], db._setup

    def spy(connection_, sql):
        if sql.startswith("PREPARE "):
            names.append(sql.split()[1])
        return setup(connection_, sql)

    monkeypatch.setattr(db, "_setup", spy)
    return names


def _held_by_server() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_prepared_once_per_connection_and_the_same_rows_as_the_plain_statement(settings, prepared):
    name = db.convert(SQL)[0]
    connection.close()
    with CaptureQueriesContext(connection) as first:
        assert _run() == ROW
        assert _run() == ROW
        assert _run(params={**PARAMS, "a": 1, "ids": []}) == (23, ROW[1], None, 2, ROW[4])
    assert prepared == [name]
    # the request's queries: the three EXECUTEs, the same on a connection's first request as later
    assert [s.split("(")[0] for s in _sent(first)] == [f"EXECUTE {name}"] * 3
    assert name in _held_by_server()

    settings.DATABASE_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as plain:
        assert _run() == ROW
    assert len(_sent(plain)) == 1 and _sent(plain)[0].startswith("SELECT 20::int + 22, '2026-02-28'::date")
    assert prepared == [name]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again(prepared):
    name = db.convert(SQL)[0]
    assert _run() == ROW
    connection.close()  # CONN_MAX_AGE expired, a failed health check, a restarted server
    prepared.clear()
    assert _run() == ROW
    assert prepared == [name]
    assert name in _held_by_server()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_prepared_in_a_transaction_that_rolls_back_stays_usable(prepared):
    connection.close()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _run() == ROW
        raise RuntimeError("the request fails after the statement")
    assert len(prepared) == 1
    assert _run() == ROW
    assert len(prepared) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_session_that_already_holds_the_statement_is_not_asked_to_prepare_it_twice(prepared):
    name, text, _order = db.convert(SQL)
    connection.close()
    with connection.cursor() as cursor:  # e.g. a pooled server session in session pooling
        cursor.execute(f"PREPARE {name} AS {text}")
    db.forget(connection)
    assert _run() == ROW
    assert prepared == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_the_server_lost_is_prepared_again_or_named_in_a_clear_error(prepared):
    name = db.convert(SQL)[0]
    assert _run() == ROW
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    prepared.clear()
    assert _run() == ROW  # autocommit: nothing was done, prepared again and run
    assert prepared == [name]

    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(db.PreparedStatementMissing, match="DATABASE_PREPARED_STATEMENTS"), transaction.atomic():
        _run()
    assert name not in _held_by_server()
    with transaction.atomic():  # the next transaction prepares it again
        assert _run() == ROW
    assert name in _held_by_server()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_generic_runs_the_one_generic_plan_and_only_for_its_transaction():
    name = db.convert(SQL)[0]
    connection.close()  # a new session: the statement's plan counts start at zero
    for _ in range(3):
        assert _run(generic=True) == ROW
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s", [name])
        generic, custom = cursor.fetchone()
        cursor.execute("SHOW plan_cache_mode")
        mode = cursor.fetchone()[0]
    assert (generic, custom) == (3, 0)
    assert mode == "auto"  # SET LOCAL: gone with the statement's (implicit) transaction


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_connection_marked_for_transaction_pooling_gets_the_plain_statement(monkeypatch, prepared):
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    assert not db.enabled(connection)
    with CaptureQueriesContext(connection) as context:
        assert _run() == ROW
    assert not any("EXECUTE" in s for s in _sent(context))
    assert prepared == []


@pytest.mark.django_db
def test_other_databases_get_the_plain_statement():
    if connection.vendor == "postgresql":
        assert db.enabled(connection)
    else:
        assert not db.enabled(connection)
        with connection.cursor() as cursor:
            db.execute(cursor, "SELECT %s + %s", [20, 22])
            assert cursor.fetchone() == (42,)
