"""This app's sweep of the deadline engine (docs/domain/deadline-engine.md).

Four rules, each ONE set-based statement (core/sweeps.py). The two dossier rules are driven
by partial indexes on open rows whose clock runs that name no column the sweep sets, so
that a mark is a heap-only update (docs/domain/deadline-engine.md, "Heap-only updates").
The sweep writes only its marking columns, events and notices: never a status, a date or
a timeliness, nothing the KPIs count.

1. ``overdue`` — open dossiers whose clock runs (not awaiting a supplement) and whose
   ``due_at`` has passed are marked once (``overdue_at``) with an event;
2. ``apology_warning`` — one working day before ``due_date``, dossiers without an apology
   are flagged once (``warned_at``), with an event and a notice to the assigned staff and
   every principal of the unit;
3. ``promise_overdue`` — an apology's new return date is a promise of its own: when it
   passes with the dossier still open, it is marked once, with an event and notices;
4. ``submission_waiting`` — an online submission unchecked after one working day is
   flagged once (``flagged_at``), with a notice to the unit's staff and principals.

Idempotent with any number of workers: each UPDATE is conditional (``… IS NULL``), so a
second worker blocked on the same rows re-checks the condition and skips them; the events
have a partial unique constraint and notices a unique (user, kind, subject) — both
inserted with ON CONFLICT DO NOTHING. E-mail goes out after commit (core.notify).
"""
import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import sweeps
from core.notify import schedule_delivery
from core.sqltext import concat

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


def _date_text(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'DD/MM/YYYY')"
    return f"strftime('%%d/%%m/%%Y', {column})"


# Spelled out as the predicate of the partial indexes `dossier_running_due` and
# `dossier_running_due_date` (dossiers/models.py), so that the planner uses them.
OPEN_CLOCK_RUNNING = "status IN ('received', 'processing')"
DOSSIER_ROW = "id, unit_id, assigned_to_id, code, applicant_name, status"
# What an event needs of a marked dossier (the overdue rule sends no notice): fewer columns
# carried from the UPDATE to the INSERT of events.
EVENT_ROW = "id, status"


def _noticed(rule: dict, kind: str, title_key: str, body_key: str | None) -> dict:
    """``rule`` with a notice of ``kind`` to the assigned staff and every principal of the
    unit. The subject carries the date the notice is about, so a deadline moved by a
    restarted clock gets its own warning while a re-run never repeats one."""
    texts = _texts()
    title, title_params = _sql_text(texts[title_key], name="title")
    body, body_params = _sql_text(texts[body_key], name="body") if body_key else ("''", {})
    notices = sweeps.notices_sql(subject_key="'dossier:' || d.id || '@' || d.date_text", title=title, body=body,
                                 link="'/dossiers/' || d.code || '/'")
    return {**rule, "notices": notices, "params": {"kind": kind, **title_params, **body_params}}


def rules() -> list[sweeps.Rule]:
    common = {"table": "dossiers_dossier", "event_table": "dossiers_dossierevent", "event_owner": "dossier_id",
              "event_unit": ""}
    overdue = {**common, "action": "overdue", "flag": "overdue_at", "returning": EVENT_ROW,
               "condition": f"{OPEN_CLOCK_RUNNING} AND overdue_at IS NULL AND due_at < %(now)s"}
    warning = {**common, "action": "apology_warning", "flag": "warned_at",
               "returning": f"{DOSSIER_ROW}, {_date_text('due_date')} AS date_text",
               "condition": f"""{OPEN_CLOCK_RUNNING} AND warned_at IS NULL
                   AND due_date BETWEEN %(today)s AND %(until)s AND due_at >= %(now)s
                   AND NOT EXISTS (SELECT 1 FROM dossiers_apology a WHERE a.dossier_id = dossiers_dossier.id)"""}
    promise = {**common, "action": "promise_overdue", "table": "dossiers_apology", "flag": "promise_overdue_at",
               "returning": "dossier_id, new_due_date",
               "rows": f"SELECT x.{DOSSIER_ROW.replace(', ', ', x.')}, {_date_text('m.new_due_date')} AS date_text "
                       "FROM <marked> m JOIN dossiers_dossier x ON x.id = m.dossier_id",
               # The dossier's status, read per candidate letter by primary key (a scalar subquery
               # the planner cannot turn into a join): as an EXISTS it hash-joined every dossier of
               # the table, each run, to skip the letters of closed dossiers, which stay unmarked
               # for good (docs/domain/deadline-engine.md, "Heap-only updates").
               "condition": """promise_overdue_at IS NULL AND new_due_at < %(now)s
                   AND (SELECT x.status FROM dossiers_dossier x WHERE x.id = dossiers_apology.dossier_id)
                       IN ('received', 'processing', 'awaiting_supplement')"""}
    return [
        sweeps.Rule(**overdue),
        sweeps.Rule(**_noticed(warning, "dossier_apology_warning", "warning", "warning_body")),
        sweeps.Rule(**_noticed(promise, "dossier_promise_overdue", "promise", None)),
        _waiting_submissions(),
    ]


def _waiting_submissions() -> sweeps.Rule:
    """4. An online submission still unchecked past the end of the working day after it
    arrived (``due_at``) is flagged once, with a notice to every staff member and principal
    of the unit (nobody is assigned yet). Submissions keep no events: the flag is all."""
    title, title_params = _sql_text(_texts()["submission"], name="title")
    notices = f"""
        INSERT INTO core_notification (user_id, unit_id, kind, subject_key, title, body, link, created_at)
        SELECT u.id, d.unit_id, %(kind)s, 'submission:' || d.id, substr({title}, 1, 255), '',
               '/dossiers/submissions/' || d.code || '/', %(stamp)s
        FROM <rows> d JOIN core_user u
          ON u.is_active AND u.unit_id = d.unit_id AND u.role IN ('staff', 'principal')
        WHERE true  -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
        ON CONFLICT DO NOTHING
    """
    return sweeps.Rule(
        action="submission_waiting", table="dossiers_submission", flag="flagged_at",
        condition="status = 'new' AND flagged_at IS NULL AND due_at < %(now)s",
        returning="id, unit_id, reference AS code, applicant_name", notices=notices,
        params={"kind": "submission_waiting", **title_params},
    )


def sweep(now: datetime.datetime) -> dict:
    params = sweeps.params_for(now)
    with transaction.atomic():
        (overdue, _n), (warned, _w), (promises, _p), (waiting, _s) = (sweeps.apply(rule, params) for rule in rules())
    if warned or promises or waiting:
        transaction.on_commit(schedule_delivery)
    return {"dossiers_overdue": overdue, "dossiers_warned": warned, "promises_overdue": promises,
            "submissions_waiting": waiting}
