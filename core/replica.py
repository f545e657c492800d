"""Reads beyond one database server (docs/decisions/read-replica.md).

With ``DATABASE_REPLICA_URL`` set, the ``replica`` connection is a streaming replica of
the primary. Only reads that opt in go there — dashboards, the KPI API, reports and Excel
exports, marked with ``reads_from_replica`` — and only when:

- the replica answers and lags at most ``REPLICA_MAX_LAG_SECONDS`` behind the primary
  (checked at most every ``REPLICA_CHECK_SECONDS`` per process, the answer cached);
- the person did not write in the last ``REPLICA_PIN_SECONDS``: the pages a user sees
  right after their own write come from the primary (``ReplicaPinMiddleware``).

Every write, and every read that did not opt in, goes to the primary. When the replica is
down or late, reads fall back to the primary and ``/healthz`` says so."""
import contextvars
import functools
import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connections

log = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"

_wants_replica = contextvars.ContextVar("wants_replica", default=False)

# Per process: the last health check of the replica.
_state_lock = threading.Lock()
_state = {"checked": 0.0, "available": False, "lag": None, "error": None}

LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN NULL
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END, pg_is_in_recovery()
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


def _check() -> dict:
    """Ask the replica how far behind it is (cached for REPLICA_CHECK_SECONDS)."""
    now = time.monotonic()
    with _state_lock:
        if now - _state["checked"] < settings.REPLICA_CHECK_SECONDS:
            return dict(_state)
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag, in_recovery = cursor.fetchone()
        # Behind with nothing replayed yet: how late is unknown, so too late.
        lag = float(lag) if lag is not None else None
        available = bool(in_recovery) and lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
        error = None if available else ("not a replica" if not in_recovery else "lagging")
    except Exception as exc:  # noqa: BLE001 - a replica that fails is one we don't use
        connections[REPLICA].close()
        lag, available, error = None, False, f"unreachable: {exc.__class__.__name__}"
    with _state_lock:
        _state.update(checked=time.monotonic(), available=available, lag=lag, error=error)
        if not available:
            log.warning("read replica not used: %s", error)
        return dict(_state)


def status() -> dict:
    """For /healthz: is a replica configured, is it used, how late is it."""
    if not configured():
        return {"configured": False, "serving_reads": False}
    state = _check()
    return {
        "configured": True,
        "serving_reads": state["available"],
        "lag_seconds": None if state["lag"] is None else round(state["lag"], 3),
        "max_lag_seconds": settings.REPLICA_MAX_LAG_SECONDS,
        "reason": state["error"],
    }


def reset() -> None:
    """Forget the cached health check (tests, and after a failover)."""
    with _state_lock:
        _state.update(checked=0.0, available=False, lag=None, error=None)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for opted-in reads, the primary for the rest."""

    def db_for_read(self, model, **hints):
        if _wants_replica.get() and configured() and _check()["available"]:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def wants_replica() -> bool:
    """True inside ``reading_from_replica`` for a person not pinned to the primary."""
    return _wants_replica.get()


@contextmanager
def reading_from_replica(*, user=None):
    """Reads inside this block may use the replica (a report, a background export),
    unless ``user`` wrote within the last REPLICA_PIN_SECONDS."""
    token = _wants_replica.set(not _is_pinned(user))
    try:
        yield
    finally:
        _wants_replica.reset(token)


@contextmanager
def reading_from_primary():
    """Reads inside this block go to the primary, whatever the view opted in to (what is
    computed here is kept for other people: kpi/dashboard_cache.py)."""
    token = _wants_replica.set(False)
    try:
        yield
    finally:
        _wants_replica.reset(token)


def reads_from_replica(view):
    """Decorator for a view (function, or an APIView's method) whose reads may come from
    the replica."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        request = next((a for a in args if hasattr(a, "method") and hasattr(a, "user")), None)
        with reading_from_replica(user=getattr(request, "user", None)):
            return view(*args, **kwargs)

    return wrapped


def _pin_key(user) -> str | None:
    if user is not None and user.is_authenticated:
        return f"replica-pin:user:{user.pk}"
    return None


def _is_pinned(user) -> bool:
    key = _pin_key(user)
    if key is None or not configured():
        return False
    try:
        return bool(cache.get(key))
    except Exception:  # noqa: BLE001 - no answer: stay on the primary, always safe
        return True


class ReplicaPinMiddleware:
    """After a person writes (any unsafe method), their reads stay on the primary for
    REPLICA_PIN_SECONDS, so they see their own write. Kept per account in the cache:
    API tokens carry no cookie, and the account is known once the view authenticated."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if configured() and request.method not in ("GET", "HEAD", "OPTIONS"):
            key = _pin_key(getattr(request, "user", None))
            if key:
                try:
                    cache.set(key, 1, settings.REPLICA_PIN_SECONDS)
                except Exception:  # noqa: BLE001
                    log.warning("could not pin %s to the primary", key)
        return response
