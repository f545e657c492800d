"""This app's sweep of the deadline engine (see core/engine.py): feedback answer
deadlines (docs/domain/deadline-engine.md, feedback rules).

Two rules, each ONE set-based statement (core/sweeps.py) driven by a partial index on
open rows (``feedback_open_due``, ``feedback_open_unwarned``):

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
from django.utils import translation
from django.utils.translation import gettext as _

from core import sweeps
from core.notify import schedule_delivery
from core.sqltext import concat

# Feedback.OPEN_STATUSES, spelled out so that the planner matches the partial indexes.
OPEN = "status IN ('new', 'in_progress')"
NOTICE_KINDS = {"overdue": "feedback_overdue", "warning": "feedback_warning"}


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


def _rule(action: str, flag: str, condition: str, event_at: str) -> sweeps.Rule:
    """One rule of this sweep (core/sweeps.py), with its notice to the assignee and principals."""
    texts, columns = _texts(), _text_columns()
    title, title_params = concat(texts[action], columns, name="title")
    body, body_params = concat(texts[f"{action}_body"], columns, name="body")
    # The link as urls.py spells it, the code spliced in by the database.
    link_template = reverse("feedback:detail", args=["CODE"]).replace("%", "%%").replace("CODE", "%(code)s")
    link, link_params = concat(link_template, columns, name="link")
    return sweeps.Rule(
        action=action, table="feedback_feedback", flag=flag, condition=condition,
        returning="id, unit_id, assigned_to_id, code, subject, status, due_date, due_at",
        event_table="feedback_feedbackevent", event_owner="feedback_id", event_at=event_at,
        notices=sweeps.notices_sql(subject_key="'feedback:' || d.id", title=title, body=body, link=link),
        params={"kind": NOTICE_KINDS[action], **title_params, **body_params, **link_params},
        skip_locked=True,
    )


def rules() -> list[sweeps.Rule]:
    return [
        _rule("overdue", "overdue_at", f"{OPEN} AND overdue_at IS NULL AND due_at < %(now)s", "d.due_at"),
        _rule("warning", "warned_at", f"{OPEN} AND warned_at IS NULL AND due_date <= %(until)s AND due_at >= %(now)s",
              "%(now)s"),
    ]


def sweep(now: datetime.datetime) -> dict:
    params = sweeps.params_for(now)
    with transaction.atomic():
        (overdue, notified), (warned, warned_notified) = (sweeps.apply(rule, params) for rule in rules())
    notified += warned_notified
    if notified:
        transaction.on_commit(schedule_delivery)
    return {"feedback_overdue": overdue, "feedback_warned": warned, "feedback_notified": notified}
