"""This app's sweep of the deadline engine (see core/engine.py): feedback answer
deadlines (DESIGN.md "Deadline engine", rule 3).

Two rules, each ONE set-based statement driven by a partial index on open rows
(``feedback_open_due``, ``feedback_open_unwarned``):

1. ``overdue`` — open feedback past its ``due_at`` is marked once (``overdue_at``), with
   an event (at the due time) and a notice to the assignee and every principal of the unit;
2. ``warning`` — one working day before ``due_date`` (and not yet due), open feedback is
   flagged once (``warned_at``), with an event and a notice to the same people.

Idempotent with any number of workers: each UPDATE is conditional (``… IS NULL``) and, on
PostgreSQL, takes only the rows no other sweeper holds (``FOR UPDATE SKIP LOCKED``: a second
worker neither waits nor deadlocks, and re-checks the condition on rows committed meanwhile,
so it skips them; rows of a worker that rolled back are taken by the next run); the events
have a partial unique constraint and notices a unique (user, kind, subject) — both
inserted with ON CONFLICT DO NOTHING. E-mail goes out after commit (core.notify).
The notices' text is built by the database from the translated templates, whose text
goes in as query parameters (core.sqltext), never spliced into the SQL.
"""
import datetime

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import workdays
from core.notify import schedule_delivery
from core.sqltext import concat

# Feedback.OPEN_STATUSES, spelled out so that the planner matches the partial indexes.
OPEN = "status IN ('new', 'in_progress')"
RULES = {
    # action: (flag column, condition, the event's time)
    "overdue": ("overdue_at", f"{OPEN} AND overdue_at IS NULL AND due_at < %(now)s", "due_at"),
    "warning": (
        "warned_at", f"{OPEN} AND warned_at IS NULL AND due_date <= %(until)s AND due_at >= %(now)s", "%(now)s",
    ),
}
NOTICE_KINDS = {"overdue": "feedback_overdue", "warning": "feedback_warning"}
SOURCE_COLUMNS = "id, unit_id, assigned_to_id, code, subject, status, due_date, due_at"
EVENT_COLUMNS = "(feedback_id, unit_id, action, from_status, to_status, at, recorded_at, note)"
NOTICE_COLUMNS = "(user_id, unit_id, kind, subject_key, title, body, link, created_at)"


def _texts() -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "overdue": _("Feedback %(code)s is overdue"),
            "overdue_body": _("The answer was due on %(date)s: “%(subject)s”."),
            "warning": _("Feedback %(code)s must be answered by %(date)s"),
            "warning_body": _("“%(subject)s” is still waiting for an answer; the deadline is %(time)s."),
        }


def _text_columns() -> dict:
    """The placeholders of _texts() (and of the link), as SQL over a row ``d``."""
    if connection.vendor == "postgresql":
        date = "to_char(d.due_date, 'DD/MM/YYYY')"
        time = "to_char(d.due_at AT TIME ZONE %(tz)s, 'HH24:MI DD/MM/YYYY')"
    else:  # SQLite stores UTC; Django's own function shifts it to the time zone.
        date = "strftime('%%d/%%m/%%Y', d.due_date)"
        time = "strftime('%%H:%%M %%d/%%m/%%Y', django_datetime_trunc('minute', d.due_at, %(tz)s, %(db_tz)s))"
    return {"code": "d.code", "date": date, "subject": "substr(d.subject, 1, 120)", "time": time}


def _notices(action: str) -> tuple[str, dict]:
    """INSERT … SELECT of one notice per (assignee | active principal of the unit) for
    each row of ``<source> d`` (columns SOURCE_COLUMNS), and its parameters."""
    texts, columns = _texts(), _text_columns()
    title, title_params = concat(texts[action], columns, name="title")
    body, body_params = concat(texts[f"{action}_body"], columns, name="body")
    # The link as urls.py spells it, the code spliced in by the database.
    link_template = reverse("feedback:detail", args=["CODE"]).replace("%", "%%").replace("CODE", "%(code)s")
    link, link_params = concat(link_template, columns, name="link")
    sql = f"""
        INSERT INTO core_notification {NOTICE_COLUMNS}
        SELECT u.id, d.unit_id, %(kind)s, 'feedback:' || d.id, substr({title}, 1, 255), {body}, {link}, %(stamp)s
        FROM <source> d JOIN core_user u
          ON u.is_active AND (u.id = d.assigned_to_id OR (u.role = 'principal' AND u.unit_id = d.unit_id))
        WHERE true  -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
        ON CONFLICT DO NOTHING
    """
    return sql, {"kind": NOTICE_KINDS[action], **title_params, **body_params, **link_params}


def sweep(now: datetime.datetime) -> dict:
    warn_until = workdays.add_working_days(timezone.localdate(now), 1)  # due by the next working day
    adapt = connection.ops.adapt_datetimefield_value  # as stored (SQLite: UTC text), for raw comparisons
    params = {
        "now": adapt(now), "until": warn_until, "stamp": adapt(timezone.now()),
        "tz": timezone.get_current_timezone_name(), "db_tz": connection.timezone_name,
    }
    with transaction.atomic():
        overdue, notified = _mark("overdue", params)
        warned, warned_notified = _mark("warning", params)
    notified += warned_notified
    if notified:
        transaction.on_commit(schedule_delivery)
    return {"feedback_overdue": overdue, "feedback_warned": warned, "feedback_notified": notified}


def _mark(action: str, params: dict) -> tuple[int, int]:
    """Apply one rule: flag its rows, add their events and notices; returns how many rows
    were flagged and how many notices were new."""
    flag, condition, event_at = RULES[action]
    notices, notice_params = _notices(action)
    params = {**params, **notice_params, "action": action}
    events = (
        f"INSERT INTO feedback_feedbackevent {EVENT_COLUMNS} "
        f"SELECT id, unit_id, %(action)s, status, status, {event_at}, %(stamp)s, '' FROM <source> "
        "WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            insert_events, insert_notices = events.replace("<source>", "marked"), notices.replace("<source>", "marked")
            cursor.execute(
                f"""
                WITH marked AS (
                    UPDATE feedback_feedback SET {flag} = %(now)s
                    WHERE id IN (SELECT id FROM feedback_feedback WHERE {condition} FOR UPDATE SKIP LOCKED)
                      AND {flag} IS NULL
                    RETURNING {SOURCE_COLUMNS}
                ), events AS ({insert_events} RETURNING 1),
                notices AS ({insert_notices} RETURNING 1)
                SELECT (SELECT count(*) FROM marked), (SELECT count(*) FROM notices)
                """,
                params,
            )
            marked, notified = cursor.fetchone()
            return marked, notified
        # SQLite (the embedded default) has no data-modifying CTEs: mark, then insert for the ids.
        cursor.execute(f"UPDATE feedback_feedback SET {flag} = %(now)s WHERE {condition} RETURNING id", params)
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return 0, 0
        id_list = ",".join(str(int(pk)) for pk in ids)
        source = f"(SELECT {SOURCE_COLUMNS} FROM feedback_feedback WHERE id IN ({id_list}))"
        cursor.execute(events.replace("<source>", source), params)
        cursor.execute(notices.replace("<source>", source), params)
        return len(ids), cursor.rowcount
