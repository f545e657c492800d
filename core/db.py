"""Constant statements as server-side prepared statements on PostgreSQL
(docs/decisions/prepared-statements.md).

psycopg2 sends every statement as text, so PostgreSQL parses and plans it each time. For
the few large constant statements of a hot path (the KPI rollup's upsert: planning 1.4 ms,
executing 0.3 ms) ``execute(cursor, sql, params)`` sends ``PREPARE <name> AS <sql with $n>``
once per physical connection, then ``EXECUTE <name>(<params>)``; PostgreSQL keeps the
parse tree and, after a few executions, a generic plan.

- The statement's name is a hash of its text: one text, one name, on any connection.
- What a connection has prepared is kept per psycopg2 connection object (weakly), so a
  new connection — ``CONN_MAX_AGE`` expired, a failed health check, a restarted server —
  prepares again. The first use on a connection reads ``pg_prepared_statements``, so a
  server session that already holds the statement (PgBouncer's *session* pooling without
  a reset) is not asked to prepare it twice.
- PREPARE and that read are sent as connection set-up, beside Django's query log: the
  queries of a request, and the tests' counts of them, are the same on a connection's
  first request as on its next ones.
- PREPARE is not transactional: a statement prepared in a transaction that rolls back
  stays prepared, which is what the bookkeeping assumes.
- ``DATABASE_PREPARED_STATEMENTS = False`` (env), or ``DISABLE_SERVER_SIDE_CURSORS`` on the
  connection (the mark of PgBouncer's *transaction* pooling, README "Scaling"), sends the
  plain statement instead: under transaction pooling consecutive transactions of one client
  run on different server sessions, which do not share SQL-level prepared statements.
- A statement the server no longer holds (``DISCARD ALL``/``DEALLOCATE`` behind the
  application's back, i.e. a pooler resetting sessions) fails with
  ``PreparedStatementMissing``, which names the setting; the connection's bookkeeping is
  dropped first, so the next transaction prepares again. Outside a transaction the
  statement is prepared again and retried at once (nothing was done).
- Other databases (SQLite in development) get the plain statement.
"""
import hashlib
import logging
import re
import weakref

from django.conf import settings
from django.db import DatabaseError, OperationalError

# ``%%`` is a literal percent sign, ``%(name)s`` a named placeholder, ``%s`` a positional one.
_TOKEN = re.compile(r"%%|%\((\w+)\)s|%s|%")
_converted: dict[str, tuple[str, str, object]] = {}
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()
log = logging.getLogger(__name__)
MISSING = "26000"  # invalid_sql_statement_name: "prepared statement ... does not exist"


class PreparedStatementMissing(OperationalError):
    """The server lost a statement this connection had prepared (a pooler reset the session)."""


def enabled(db) -> bool:
    """True when statements of the Django connection ``db`` are prepared on the server."""
    return (
        db.vendor == "postgresql"
        and settings.DATABASE_PREPARED_STATEMENTS
        and not db.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False)
    )


def convert(sql: str) -> tuple[str, str, object]:
    """``(name, sql with $1…$n, order)`` for a statement written with psycopg2's
    placeholders: ``order`` is the list of names (named placeholders, each name one
    ``$n`` however often it occurs) or the number of positional ones. Mixing both, or a
    stray ``%``, raises ValueError, as psycopg2 would refuse the statement."""
    if sql in _converted:
        return _converted[sql]
    names: list[str] = []
    positional = 0

    def replace(match):
        nonlocal positional
        placeholder = match.group(0)
        if placeholder == "%%":
            return "%"
        if placeholder == "%":
            raise ValueError(f"a stray % in a statement to prepare at {match.start()}")
        if placeholder == "%s":
            positional += 1
            return f"${positional}"
        name = match.group(1)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    text = _TOKEN.sub(replace, sql)
    if names and positional:
        raise ValueError("a statement to prepare mixes named and positional placeholders")
    name = "cchc_" + hashlib.sha256(sql.encode()).hexdigest()[:24]
    _converted[sql] = (name, text, names if names else positional)
    return _converted[sql]


def _arguments(order, params) -> list:
    if isinstance(order, list):
        return [params[name] for name in order]
    params = list(params or ())
    if len(params) != order:
        raise ValueError(f"the statement takes {order} parameters, {len(params)} given")
    return params


def _setup(db, sql: str) -> list:
    """Run ``sql`` on ``db``'s psycopg2 connection directly, as Django sets up a connection
    (its time zone, its role): once-per-connection work is not a query of the request, so
    it stays out of the query log and the query counts of the tests. Errors are Django's."""
    db.validate_no_broken_transaction()
    with db.wrap_database_errors, db.connection.cursor() as raw:
        raw.execute(sql)
        return raw.fetchall() if raw.description else []


def _known(db) -> set[str]:
    """The names this physical connection has prepared (read from the server on first use)."""
    raw = db.connection
    known = _prepared.get(raw)
    if known is None:
        known = {row[0] for row in _setup(db, "SELECT name FROM pg_prepared_statements")}
        _prepared[raw] = known
    return known


def forget(db) -> None:
    """Drop what is known of the Django connection ``db``'s prepared statements."""
    if db.connection is not None:
        _prepared.pop(db.connection, None)


def execute(cursor, sql: str, params=None, *, generic: bool = False) -> None:
    """Run ``sql`` with ``params`` (a dict for ``%(name)s`` placeholders, a sequence for
    ``%s``) on the Django ``cursor``; prepared on the server when ``enabled``. The rows,
    if any, are read from ``cursor`` as after ``cursor.execute``.

    ``generic``: run it with the statement's one generic plan, planned once per connection
    (``SET LOCAL plan_cache_mode = force_generic_plan`` sent with the EXECUTE, in force to
    the end of the transaction; it concerns only prepared statements, and only this module
    prepares any). Without it PostgreSQL plans every execution for its parameters again
    while the generic plan's estimate looks worse, which for a list of ids in an array it
    always does (ten rows assumed against the one of the custom plan) even where both
    plans are the same."""
    db = cursor.db
    if not enabled(db):
        cursor.execute(sql, params)
        return
    name, text, order = convert(sql)
    arguments = _arguments(order, params)
    execute_sql = f"EXECUTE {name}({', '.join(['%s'] * len(arguments))})" if arguments else f"EXECUTE {name}"
    if generic:
        execute_sql = "SET LOCAL plan_cache_mode = force_generic_plan; " + execute_sql
    for attempt in (1, 2):
        known = _known(db)
        if name not in known:
            _setup(db, f"PREPARE {name} AS {text}")
            known.add(name)
            log.debug("prepared %s on connection %s", name, db.alias)
        try:
            cursor.execute(execute_sql, arguments)
            return
        except DatabaseError as exc:
            if getattr(exc.__cause__, "pgcode", None) != MISSING:
                raise
            forget(db)
            if attempt == 2 or db.in_atomic_block or not db.get_autocommit():
                raise PreparedStatementMissing(
                    f"prepared statement {name} is gone from the server's session: the "
                    "connection goes through a pooler that resets sessions (PgBouncer's "
                    "transaction pooling?); set DATABASE_PREPARED_STATEMENTS=false "
                    "(docs/decisions/prepared-statements.md)"
                ) from exc
