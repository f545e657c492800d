"""Set-based deadline rules, described as data and applied by one helper for every app's
sweep (dossiers/deadlines.py, feedback/deadlines.py; docs/architecture.md, "How a
deadline sweep flows").

A ``Rule`` flags the rows of one table once: ``UPDATE <table> SET <flag> = now WHERE
<condition>`` (the condition includes ``<flag> IS NULL`` and matches a partial index on open
rows), and for the rows it flagged inserts one event each and, when it has notices, one
notice per recipient. On PostgreSQL that is ONE statement (data-modifying CTEs); SQLite,
the embedded default, marks first and inserts for the ids.

Idempotent with any number of workers: the UPDATE is conditional, so a second worker
re-checks the condition on rows committed meanwhile and skips them (``skip_locked``: it
does not even wait for rows another sweeper holds); events have a partial unique
constraint and notices a unique (user, kind, subject), both inserted with ON CONFLICT DO
NOTHING. E-mail goes out after commit (core.notify).

SQL fragments may use the sweep's parameters (``params_for``): ``%(now)s``, ``%(stamp)s``
(the wall-clock time of the run), ``%(today)s``, ``%(until)s`` (the next working day),
``%(tz)s``, ``%(db_tz)s``, plus the rule's own ``params`` and ``%(action)s``."""
import dataclasses
import datetime

from django.db import connection
from django.utils import timezone

from core import workdays


@dataclasses.dataclass(frozen=True)
class Rule:
    action: str  # the event's action, e.g. "overdue"
    table: str  # the table whose rows are flagged
    flag: str  # the column set once, to the sweep's "now"
    condition: str  # which rows are due (SQL over ``table``; includes ``<flag> IS NULL``)
    returning: str  # columns of the flagged rows (SQL over ``table``) that ``rows`` reads from <marked>
    # Where the events go, e.g. "feedback_feedbackevent", and its column naming the row,
    # e.g. "feedback_id"; empty for a rule whose rows keep no events (only the flag).
    event_table: str = ""
    event_owner: str = ""
    # The event's column naming the unit, copied from the row's ``unit_id``; empty when the
    # events have none (their owner names it).
    event_unit: str = "unit_id"
    # The rows events and notices are built from (columns id, status, unit_id when the events
    # or notices name the unit, and what the notices use), read from the flagged rows ``<marked>``.
    rows: str = "SELECT * FROM <marked> m"
    event_at: str = "%(now)s"  # the event's time (SQL over a row ``d``)
    notices: str = ""  # INSERT … SELECT … FROM <rows> d (``notices_sql``), or none
    params: dict = dataclasses.field(default_factory=dict)
    skip_locked: bool = False


def params_for(now: datetime.datetime) -> dict:
    """The parameters every rule may use. Times as the database stores them (SQLite: UTC
    text), so that raw comparisons are right."""
    today = timezone.localdate(now)
    adapt = connection.ops.adapt_datetimefield_value
    return {
        "now": adapt(now), "stamp": adapt(timezone.now()), "today": today,
        "until": workdays.add_working_days(today, 1),  # due by the next working day
        "tz": timezone.get_current_timezone_name(), "db_tz": connection.timezone_name,
    }


def notices_sql(*, subject_key: str, title: str, body: str, link: str) -> str:
    """One notice of kind ``%(kind)s`` to the row's assignee and every active principal of
    its unit, for each row ``d`` of <rows> (columns id, unit_id, assigned_to_id). The
    arguments are SQL over ``d`` (core.sqltext.concat for translated text)."""
    return f"""
        INSERT INTO core_notification (user_id, unit_id, kind, subject_key, title, body, link, created_at)
        SELECT u.id, d.unit_id, %(kind)s, {subject_key}, substr({title}, 1, 255), {body}, {link}, %(stamp)s
        FROM <rows> d JOIN core_user u
          ON u.is_active AND (u.id = d.assigned_to_id OR (u.role = 'principal' AND u.unit_id = d.unit_id))
        WHERE true  -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
        ON CONFLICT DO NOTHING
    """


def apply(rule: Rule, params: dict) -> tuple[int, int]:
    """Apply one rule: flag its rows, add their events and notices. Returns how many rows
    were flagged and how many notices were new."""
    params = {**params, **rule.params, "action": rule.action}
    unit_column, unit_value = (f"{rule.event_unit}, ", "d.unit_id, ") if rule.event_unit else ("", "")
    events = (
        f"INSERT INTO {rule.event_table} ({rule.event_owner}, {unit_column}action, from_status, to_status, at, "
        f"recorded_at, note) SELECT d.id, {unit_value}%(action)s, d.status, d.status, {rule.event_at}, %(stamp)s, '' "
        "FROM <rows> d WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            where = rule.condition
            if rule.skip_locked:
                where = (f"id IN (SELECT id FROM {rule.table} WHERE {rule.condition} FOR UPDATE SKIP LOCKED) "
                         f"AND {rule.flag} IS NULL")
            notices = f", notices AS ({rule.notices.replace('<rows>', 'rows')} RETURNING 1)" if rule.notices else ""
            events_cte = f", events AS ({events.replace('<rows>', 'rows')} RETURNING 1)" if rule.event_table else ""
            cursor.execute(
                f"""
                WITH marked AS (UPDATE {rule.table} SET {rule.flag} = %(now)s WHERE {where} RETURNING {rule.returning}),
                rows AS ({rule.rows.replace('<marked>', 'marked')}){events_cte}{notices}
                SELECT (SELECT count(*) FROM marked), {'(SELECT count(*) FROM notices)' if rule.notices else '0'}
                """,
                params,
            )
            marked, notified = cursor.fetchone()
            return marked, notified
        cursor.execute(f"UPDATE {rule.table} SET {rule.flag} = %(now)s WHERE {rule.condition} RETURNING id", params)
        ids = ",".join(str(int(row[0])) for row in cursor.fetchall())
        if not ids:
            return 0, 0
        marked_rows = f"(SELECT {rule.returning} FROM {rule.table} WHERE id IN ({ids}))"
        rows = "(" + rule.rows.replace("<marked>", marked_rows) + ")"
        if rule.event_table:
            cursor.execute(events.replace("<rows>", rows), params)
        notified = 0
        if rule.notices:
            cursor.execute(rule.notices.replace("<rows>", rows), params)
            notified = cursor.rowcount
        return ids.count(",") + 1, notified
