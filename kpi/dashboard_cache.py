"""The principal's dashboard body, kept in the cache exactly (docs/decisions/dashboard-cache.md).

The unit dashboard's main content (cards, tables, charts' data, overdue plan tasks, the
period picker) is rendered once per *key* and kept in the Django cache (Redis). The navbar,
messages and CSRF token around it (base.html) are rendered for each request: nothing
personal goes into a shared entry.

The key names everything the body depends on:

- the unit (its id, name and slug), the period (start, end), the language, the path;
- the viewer's kind (``Viewer``): an office or an administrator gets links to the lists
  behind each number and the "All units" link; an office counts the unit only for the days
  it supervised it (its id); who may manage sees "Create the plan";
and the entry keeps the two data versions (tokens) it was computed with, served only while
they are the current ones: the unit's, replaced when a change of one of its records
commits, and a global one, replaced when something every unit shows changes (fields, a
procedure's online level, a rebuilt rollup, a migration). A token is a random value with the time it
was set: one that was evicted is replaced by a new one, never by an old value. The tokens
and the entry are read in one round trip (MGET); the tokens are read before anything the
body shows, so a change committed after them has replaced them.

What changes the unit's token (``connect``): dossiers, apologies, electronic results,
survey answers, feedback and ratings of answers (the rollup's sources, kpi/receivers.py,
and the due time of a dossier, which "overdue today" reads); the year plan and its targets,
its tasks, monthly figures, supervisions. The global token: fields, a procedure's online
level, ``rollup.rebuild``, ``migrate``. A record's unit never changes (no service changes it; the admin
shows it read-only).

An entry lapses by itself (its ``until``) at the first of: the next due time of a running
dossier of the unit due today (it then counts as overdue, ``rollup._due_today``), the next
local midnight (overdue tasks, the day rows' cap, the period shortcuts), and
``KPI_DASHBOARD_CACHE_SECONDS`` (a safety net for a token change lost while the cache was
down).

Read replica (core/replica.py): a body is computed wholly on the replica (as the view
opted in) or wholly on the primary. One computed on the replica is kept only when both
tokens are older than ``REPLICA_MAX_LAG_SECONDS`` + ``REPLICA_CHECK_SECONDS`` (the replica,
lagging at most that, then has the change behind them); a person pinned to the primary
after their own write never reads an entry computed on the replica, and the entry their
own read computes (on the primary, under the version their write set) shows the write.

The cache fails OPEN: Redis down, the body is computed as before."""
import contextlib
import datetime
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import workdays
from core.replica import reading_from_primary

log = logging.getLogger(__name__)

PREFIX = "kpi-dash:v1"
GLOBAL = f"{PREFIX}:ver:all"


def seconds() -> int:
    return settings.KPI_DASHBOARD_CACHE_SECONDS


def _unit_key(unit_id) -> str:
    return f"{PREFIX}:ver:u{unit_id}"


def _token() -> str:
    return f"{time.time():.3f}:{secrets.token_hex(6)}"


def _token_time(token: str) -> float:
    return float(token.split(":", 1)[0])


# --- versions ---------------------------------------------------------------------------------

def _replace(keys: list[str]) -> None:
    try:
        for key in keys:  # one SET each: a pipeline costs more CPU than the round trips (one key, mostly)
            cache.set(key, _token(), None)
    except Exception:  # noqa: BLE001 - cache down: the entries lapse within KPI_DASHBOARD_CACHE_SECONDS
        log.warning("dashboard cache unavailable (new version of %s)", keys)


def changed(unit_ids) -> None:
    """The dashboards of ``unit_ids`` change when the current transaction commits."""
    keys = [_unit_key(i) for i in set(unit_ids) if i is not None]
    if keys:
        transaction.on_commit(lambda: _replace(keys))


def changed_everywhere() -> None:
    """Every unit's dashboard changes when the current transaction commits."""
    transaction.on_commit(lambda: _replace([GLOBAL]))


def _read(unit_id, key: str) -> tuple[tuple[str, str], dict | None]:
    """((global token, unit token), the entry at ``key`` or None) in one round trip; new
    tokens set where there is none. Raises when the cache is down."""
    names = [GLOBAL, _unit_key(unit_id)]
    found = cache.get_many([*names, key])
    for name in names:
        if name not in found:
            token = _token()
            found[name] = token if cache.add(name, token, None) else cache.get(name)
            if found[name] is None:
                raise LookupError(name)  # set and gone at once: no version to trust
    return (found[names[0]], found[names[1]]), found.get(key)


# --- the entry --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Viewer:
    """What of the body depends on who looks (kpi.views._unit_dashboard)."""

    drill: bool  # an office or an administrator: links to the lists, "All units"
    office_id: int | None  # an office: counted for the days it supervised the unit
    can_manage: bool
    can_write: bool

    def part(self) -> str:
        return f"{int(self.drill)}{int(self.can_manage)}{int(self.can_write)}o{self.office_id or ''}"


def _entry_key(unit, period, language: str, viewer: Viewer, path: str) -> str:
    """One entry per unit, period, language, path and kind of viewer; the versions it was
    computed with are kept in it (a newer version: the entry is computed again in place)."""
    what = "\x1f".join([unit.slug, unit.name, period.start.isoformat(), period.end.isoformat(),
                        language, viewer.part(), path])
    return f"{PREFIX}:body:{unit.pk}:{hashlib.sha256(what.encode()).hexdigest()[:40]}"


def lapse(*, units, now: datetime.datetime) -> datetime.datetime:
    """When a body computed at ``now`` stops being right by itself: the next due time of a
    running dossier of ``units`` due today, or the next local midnight."""
    from dossiers import selectors as dossier_sets
    from dossiers.models import Dossier

    today = timezone.localdate(now)
    midnight = workdays.local_midnight(today + datetime.timedelta(days=1))
    # ``overdue_as_of``: running and ``due_at < now``; one due at ``now`` is overdue just after.
    due = (Dossier.objects.filter(unit__in=units, due_date=today, status__in=dossier_sets.RUNNING,
                                  due_at__gte=now)
           .aggregate(first=Min("due_at"))["first"])
    return min(midnight, due) if due is not None else midnight


def _from_replica() -> bool:
    from kpi.models import DayCount

    return router.db_for_read(DayCount) != DEFAULT_DB_ALIAS


def _pinned() -> bool:
    """Pinned to the primary after the person's own write (with a replica configured)."""
    from core import replica

    return replica.configured() and not replica.wants_replica()


def now() -> datetime.datetime:
    """The page's clock (one reading per request; tests move it)."""
    return timezone.now()


def body(*, unit, units, period, language: str, viewer: Viewer, path: str, render) -> str:
    """The dashboard's body for ``unit``: from the cache when an entry is there and current,
    else ``render(now)`` (kept for the next reads)."""
    ttl = seconds()
    at = now()
    if ttl <= 0:
        return render(at)
    key = _entry_key(unit, period, language, viewer, path)
    try:
        versions, entry = _read(unit.pk, key)
    except Exception:  # noqa: BLE001 - cache down: compute the page, never fail it
        log.warning("dashboard cache unavailable (read)")
        return render(at)
    if (entry is not None and entry["versions"] == versions and at.timestamp() < entry["until"]
            and not (entry["replica"] and _pinned())):
        return mark_safe(entry["html"])  # noqa: S308 - rendered by our template
    # Read from one place: the replica throughout (as far as it stays usable), or the primary.
    replica = _from_replica()
    with contextlib.nullcontext() if replica else reading_from_primary():
        html = render(at)
    if replica and time.time() - max(map(_token_time, versions)) < (
            settings.REPLICA_MAX_LAG_SECONDS + settings.REPLICA_CHECK_SECONDS):
        return html  # the replica may not have the change behind a recent token yet
    until = min(lapse(units=units, now=at).timestamp(), at.timestamp() + ttl)
    if until > at.timestamp():
        entry = {"versions": versions, "until": until, "replica": replica, "html": html}
        try:
            cache.set(key, entry, min(ttl, int(until - at.timestamp()) + 1))
        except Exception:  # noqa: BLE001 - cache down: served all the same
            log.warning("dashboard cache unavailable (set)")
    return html


# --- what changes a dashboard -----------------------------------------------------------------

def _unit_of(instance):
    return getattr(instance, "unit_id", None)


def _plan_unit(instance):
    plan = instance._state.fields_cache.get("plan")
    if plan is not None:
        return plan.unit_id
    from kpi.models import YearPlan

    return YearPlan.objects.filter(pk=instance.plan_id).values_list("unit_id", flat=True).first()


def _watch(model, unit_of, *, columns=None) -> None:
    """``model``'s saves and deletes change the dashboard of ``unit_of(row)``; a save naming
    only columns outside ``columns`` (``update_fields``) changes nothing."""

    def saved(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or (columns is not None and update_fields is not None and not set(update_fields) & columns):
            return
        changed([unit_of(instance)])

    def deleted(sender, instance, **kwargs):
        try:
            changed([unit_of(instance)])
        except Exception:  # noqa: BLE001 - deleted with its parent: the unit's own rows went too
            return

    uid = f"kpi.dashboard_cache.{model._meta.label}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}.save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}.delete")


def _everywhere(sender, instance, raw=False, **kwargs):
    if not raw:
        changed_everywhere()


def _procedure_saved(sender, instance, raw=False, **kwargs):
    """A procedure's online level moves end to end counts (kpi/receivers.py notes it)."""
    if not raw and getattr(instance, "_rollup_taken", False):
        changed_everywhere()


def _migrated(sender, **kwargs):
    """A migration may change reference data (fields) without a signal of the real models."""
    changed_everywhere()


def connect() -> None:
    from core.models import Field, Supervision
    from dossiers.models import Apology, Document, Dossier, Procedure
    from feedback.models import AnswerRating, Feedback
    from kpi import receivers
    from kpi.models import MonthlyFigure, PlanTask, Target, YearPlan
    from surveys.models import Response

    # The rollup's sources, with the columns its counts read; "overdue today" reads due_at too.
    _watch(Dossier, _unit_of, columns=receivers.COUNTED[Dossier] | {"due_at"})
    _watch(Response, _unit_of, columns=receivers.COUNTED[Response])
    _watch(Feedback, _unit_of, columns=receivers.COUNTED[Feedback])
    for part in (Apology, Document, AnswerRating):
        _watch(part, _unit_of)
    for model in (YearPlan, MonthlyFigure, Supervision):
        _watch(model, _unit_of)
    for model in (Target, PlanTask):
        _watch(model, _plan_unit)
    post_save.connect(_everywhere, sender=Field, dispatch_uid="kpi.dashboard_cache.field.save")
    post_delete.connect(_everywhere, sender=Field, dispatch_uid="kpi.dashboard_cache.field.delete")
    post_save.connect(_procedure_saved, sender=Procedure, dispatch_uid="kpi.dashboard_cache.procedure.save")
    post_migrate.connect(_migrated, dispatch_uid="kpi.dashboard_cache.migrated")
