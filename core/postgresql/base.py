"""Django's PostgreSQL backend, with the health check skipped for a connection that was
used without error a moment ago and has heard nothing from the server since
(docs/decisions/connection-health-check.md).

``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request that
reuses a persistent connection: one more round trip to PostgreSQL on every page, a
tenth of a millisecond of the server's and the web process's time, which on the busiest
public pages is more than the page's own query. Like HikariCP's ``aliveBypassWindowMs``,
the check is skipped when the connection ended a request without error less than
``DATABASE_ALIVE_BYPASS_SECONDS`` ago (0.5 s; 0 checks every request as Django does) —
and only when its socket has nothing to read. An idle connection is sent nothing, so
something to read means the server spoke first: a shutdown, a restart or
``pg_terminate_backend`` sends its FATAL message and closes the socket. Then the check
runs, finds the connection dead, and Django opens a new one before the request's query."""
import select
import time

from django.conf import settings
from django.db.backends.postgresql import base


def _quiet(connection) -> bool:
    """True when the server has sent nothing on ``connection``'s socket (no syscall waits)."""
    try:
        poll = select.poll()
        poll.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poll.poll(0)
    except (AttributeError, OSError, ValueError):  # no poll() here, closed, not a socket: check the usual way
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.alive_at = None  # time.monotonic() of the last request that used it without error

    def connect(self):
        self.alive_at = None
        super().connect()

    def close_if_health_check_failed(self):
        if (
            not self.health_check_done
            and self.connection is not None
            and self.alive_at is not None
            and time.monotonic() - self.alive_at < settings.DATABASE_ALIVE_BYPASS_SECONDS
            and not self.connection.closed
            and _quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def close_if_unusable_or_obsolete(self):
        # Called when a request starts and when it ends. At the end, ``health_check_done``
        # says the request used the connection (its first cursor passed the check); no
        # error since means PostgreSQL answered. At the start it is still False from the
        # previous end, so the stamp is the last use, not the last request.
        if self.connection is not None and self.health_check_done and not self.errors_occurred:
            self.alive_at = time.monotonic()
        super().close_if_unusable_or_obsolete()
        if self.connection is None:
            self.alive_at = None
