"""This app's sweep of the deadline engine (DESIGN.md "Deadline engine").

Four rules, each ONE set-based statement driven by a partial index on open rows:

1. ``overdue`` — open dossiers whose clock runs (not awaiting a supplement) and whose
   ``due_at`` has passed are marked once (``overdue_at``) with an event;
2. ``apology_warning`` — one working day before ``due_date``, dossiers without an apology
   are flagged once (``warned_at``), with an event and a notice to the assigned staff and
   every principal of the unit;
3. ``promise_overdue`` — an apology's new return date is a promise of its own: when it
   passes with the dossier still open, it is marked once, with an event and notices.

Idempotent with any number of workers: each UPDATE is conditional (``… IS NULL``), so a
second worker blocked on the same rows re-checks the condition and skips them; the events
have a partial unique constraint and notices a unique (user, kind, subject) — both
inserted with ON CONFLICT DO NOTHING. E-mail goes out after commit (core.notify).
"""
import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import workdays
from core.notify import schedule_delivery
from core.sqltext import concat

CLOCK_RUNNING = ("received", "processing")
OPEN = ("received", "processing", "awaiting_supplement")


def _texts() -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "warning": _("Dossier %(code)s is due on %(date)s: issue an apology letter if it will be late"),
            "warning_body": _("Applicant: %(name)s. If the result cannot be returned on time, the principal signs the apology letter (form 04) at least one working day before the due date."),
            "promise": _("Dossier %(code)s missed the new return date %(date)s of its apology letter"),
            "submission": _("Online submission %(code)s from %(name)s has waited more than one working day"),
        }


# The placeholders of _texts(), as columns of the rows a notice is built from.
TEXT_COLUMNS = {"code": "d.code", "date": "d.date_text", "name": "d.applicant_name"}


def _sql_text(template: str, *, name: str) -> tuple[str, dict]:
    """A gettext template as SQL: its text goes in as query parameters (never spliced
    into the SQL, so a translation may hold quotes or ``%``), placeholders as columns."""
    return concat(template, TEXT_COLUMNS, name=name)


def sweep(now: datetime.datetime) -> dict:
    today = timezone.localdate(now)
    warn_until = workdays.add_working_days(today, 1)  # due by the next working day
    # As the database stores it (SQLite: UTC text), so that raw comparisons are right.
    now = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        counts = {
            "dossiers_overdue": _mark_overdue(now),
            "dossiers_warned": _warn(now, today, warn_until),
            "promises_overdue": _promise_overdue(now),
            "submissions_waiting": _flag_waiting_submissions(now),
        }
    if counts["dossiers_warned"] or counts["promises_overdue"] or counts["submissions_waiting"]:
        transaction.on_commit(schedule_delivery)
    return counts


def _run(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] if cursor.description else cursor.rowcount


def _date_text(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'DD/MM/YYYY')"
    return f"strftime('%%d/%%m/%%Y', {column})"


EVENT_COLUMNS = "(dossier_id, unit_id, action, from_status, to_status, at, recorded_at, note)"
NOTICE_COLUMNS = "(user_id, unit_id, kind, subject_key, title, body, link, created_at)"


def _mark_overdue(now) -> int:
    if connection.vendor == "postgresql":
        return _run(
            f"""
            WITH marked AS (
                UPDATE dossiers_dossier SET overdue_at = %(now)s
                WHERE status IN ('received', 'processing', 'awaiting_supplement') AND overdue_at IS NULL
                  AND due_at < %(now)s AND status <> 'awaiting_supplement'
                RETURNING id, unit_id, status
            ), events AS (
                INSERT INTO dossiers_dossierevent {EVENT_COLUMNS}
                SELECT id, unit_id, 'overdue', status, status, %(now)s, %(now)s, '' FROM marked
                ON CONFLICT DO NOTHING RETURNING 1
            )
            SELECT count(*) FROM marked
            """,
            {"now": now},
        )
    # SQLite (the embedded default): same rule in two statements.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossier SET overdue_at = %s WHERE status IN ('received', 'processing') "
            "AND overdue_at IS NULL AND due_at < %s RETURNING id, unit_id, status",
            [now, now],
        )
        rows = cursor.fetchall()
        cursor.executemany(
            f"INSERT INTO dossiers_dossierevent {EVENT_COLUMNS} VALUES (%s, %s, 'overdue', %s, %s, %s, %s, '') "
            "ON CONFLICT DO NOTHING",
            [(pk, unit, st, st, now, now) for pk, unit, st in rows],
        )
    return len(rows)


def _notices_sql(title: str, body: str, source: str) -> str:
    """INSERT of one notice of kind ``%(kind)s`` per (assigned staff | principal of the
    unit) for each row of ``source`` (columns id, unit_id, assigned_to_id, code,
    applicant_name, date_text); ``title`` and ``body`` come from _sql_text(). The subject
    carries the date the notice is about, so a deadline moved by a restarted clock gets
    its own warning while a re-run never repeats one."""
    return f"""
        INSERT INTO core_notification {NOTICE_COLUMNS}
        SELECT u.id, d.unit_id, %(kind)s, 'dossier:' || d.id || '@' || d.date_text, substr({title}, 1, 255), {body},
               '/dossiers/' || d.code || '/', %(now)s
        FROM {source} d JOIN core_user u
          ON u.is_active AND (u.id = d.assigned_to_id OR (u.role = 'principal' AND u.unit_id = d.unit_id))
        WHERE true  -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
        ON CONFLICT DO NOTHING
    """


def _warn(now, today: datetime.date, warn_until: datetime.date) -> int:
    texts = _texts()
    (title, title_params), (body, body_params) = (
        _sql_text(texts["warning"], name="title"), _sql_text(texts["warning_body"], name="body"))
    condition = """
        status IN ('received', 'processing', 'awaiting_supplement') AND warned_at IS NULL
        AND status <> 'awaiting_supplement' AND due_date BETWEEN %(today)s AND %(until)s AND due_at >= %(now)s
        AND NOT EXISTS (SELECT 1 FROM dossiers_apology a WHERE a.dossier_id = dossiers_dossier.id)
    """
    params = {"now": now, "today": today, "until": warn_until,
              "kind": "dossier_apology_warning", **title_params, **body_params}
    if connection.vendor == "postgresql":
        return _run(
            f"""
            WITH marked AS (
                UPDATE dossiers_dossier SET warned_at = %(now)s WHERE {condition}
                RETURNING id, unit_id, assigned_to_id, code, applicant_name, status,
                          {_date_text('due_date')} AS date_text
            ), events AS (
                INSERT INTO dossiers_dossierevent {EVENT_COLUMNS}
                SELECT id, unit_id, 'apology_warning', status, status, %(now)s, %(now)s, '' FROM marked
                ON CONFLICT DO NOTHING RETURNING 1
            ), notices AS ({_notices_sql(title, body, 'marked')} RETURNING 1)
            SELECT count(*) FROM marked
            """,
            params,
        )
    return _sqlite_mark(
        f"UPDATE dossiers_dossier SET warned_at = %(now)s WHERE {condition} RETURNING id",
        params, "apology_warning", title, body, _date_text("due_date"),
    )


def _promise_overdue(now) -> int:
    title, title_params = _sql_text(_texts()["promise"], name="title")
    body = "''"
    condition = """
        promise_overdue_at IS NULL AND new_due_at < %(now)s
        AND EXISTS (SELECT 1 FROM dossiers_dossier x WHERE x.id = dossiers_apology.dossier_id
                    AND x.status IN ('received', 'processing', 'awaiting_supplement'))
    """
    params = {"now": now, "kind": "dossier_promise_overdue", **title_params}
    if connection.vendor == "postgresql":
        return _run(
            f"""
            WITH marked AS (
                UPDATE dossiers_apology SET promise_overdue_at = %(now)s WHERE {condition}
                RETURNING dossier_id, new_due_date
            ), rows AS (
                SELECT x.id, x.unit_id, x.assigned_to_id, x.code, x.applicant_name, x.status,
                       {_date_text('m.new_due_date')} AS date_text
                FROM marked m JOIN dossiers_dossier x ON x.id = m.dossier_id
            ), events AS (
                INSERT INTO dossiers_dossierevent {EVENT_COLUMNS}
                SELECT id, unit_id, 'promise_overdue', status, status, %(now)s, %(now)s, '' FROM rows
                ON CONFLICT DO NOTHING RETURNING 1
            ), notices AS ({_notices_sql(title, body, 'rows')} RETURNING 1)
            SELECT count(*) FROM marked
            """,
            params,
        )
    return _sqlite_mark(
        f"UPDATE dossiers_apology SET promise_overdue_at = %(now)s WHERE {condition} RETURNING dossier_id",
        params, "promise_overdue", title, body,
        _date_text("(SELECT a.new_due_date FROM dossiers_apology a WHERE a.dossier_id = dossiers_dossier.id)"),
    )


def _flag_waiting_submissions(now) -> int:
    """4. ``submissions_waiting`` — an online submission still unchecked past the end of
    the working day after it arrived (``due_at``) is flagged once, with a notice to the
    unit's staff and principals."""
    title, title_params = _sql_text(_texts()["submission"], name="title")
    params = {"now": now, "kind": "submission_waiting", **title_params}
    marked = """
        UPDATE dossiers_submission SET flagged_at = %(now)s
        WHERE status = 'new' AND flagged_at IS NULL AND due_at < %(now)s
        RETURNING id, unit_id, reference AS code, applicant_name
    """
    notices = f"""
        INSERT INTO core_notification {NOTICE_COLUMNS}
        SELECT u.id, d.unit_id, %(kind)s, 'submission:' || d.id, substr({title}, 1, 255), '',
               '/dossiers/submissions/' || d.code || '/', %(now)s
        FROM __SOURCE__ d JOIN core_user u
          ON u.is_active AND u.unit_id = d.unit_id AND u.role IN ('staff', 'principal')
        WHERE true ON CONFLICT DO NOTHING
    """
    if connection.vendor == "postgresql":
        return _run(
            f"WITH marked AS ({marked}), notices AS ({notices.replace('__SOURCE__', 'marked')} RETURNING 1) "
            "SELECT count(*) FROM marked",
            params,
        )
    with connection.cursor() as cursor:
        cursor.execute(marked, params)
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            source = ("(SELECT id, unit_id, reference AS code, applicant_name FROM dossiers_submission "
                      f"WHERE id IN ({','.join(str(int(pk)) for pk in ids)}))")
            cursor.execute(notices.replace('__SOURCE__', source).replace("ON u.is_active", "ON u.is_active = 1"), params)
    return len(ids)


def _sqlite_mark(update_sql, params, action, title, body, date_text) -> int:
    """The embedded database has no data-modifying CTEs: mark, then insert for the ids."""
    with connection.cursor() as cursor:
        cursor.execute(update_sql, params)
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return 0
        id_list = ",".join(str(int(pk)) for pk in ids)
        source = (
            f"(SELECT id, unit_id, assigned_to_id, code, applicant_name, status, {date_text} AS date_text "
            f"FROM dossiers_dossier WHERE id IN ({id_list}))"
        )
        cursor.execute(
            f"INSERT INTO dossiers_dossierevent {EVENT_COLUMNS} SELECT id, unit_id, %(action)s, status, status, "
            f"%(now)s, %(now)s, '' FROM {source} WHERE true ON CONFLICT DO NOTHING",
            {**params, "action": action},
        )
        cursor.execute(_notices_sql(title, body, source).replace("ON u.is_active", "ON u.is_active = 1"), params)
    return len(ids)
