"""The health check of persistent connections (core/postgresql/base.py,
docs/decisions/connection-health-check.md): skipped for a connection that ended a request
without error less than DATABASE_ALIVE_BYPASS_SECONDS ago and has heard nothing from the
server since, sent otherwise; a connection that fails it is replaced before the request's
first query."""
import select
import time

import pytest
from django.db import connection, connections

from core.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrapper(settings):
    """A second connection to the test database, persistent and health-checked, as a web
    thread holds one; its requests are played as close_old_connections plays them."""
    settings.DATABASE_ALIVE_BYPASS_SECONDS = 0.5
    assert isinstance(connections["default"], DatabaseWrapper)  # the engine settings.py sets on PostgreSQL
    db = DatabaseWrapper({**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}, alias="alive")
    yield db
    db.close()


@pytest.fixture
def pings(wrapper, monkeypatch) -> list[bool]:
    """Each health check sent (``SELECT 1``) and what it found."""
    found, check = [], wrapper.is_usable

    def spy():
        found.append(check())
        return found[-1]

    monkeypatch.setattr(wrapper, "is_usable", spy)
    return found


def request(db, *, query=True):
    """One request: its start, its first query (the backend's process id), its end."""
    db.close_if_unusable_or_obsolete()  # request_started
    pid = None
    if query:
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    db.close_if_unusable_or_obsolete()  # request_finished
    return pid


def test_a_connection_used_a_moment_ago_is_not_asked_again(wrapper, pings):
    first = request(wrapper)
    assert [request(wrapper) for _ in range(5)] == [first] * 5
    assert pings == []  # five requests, no SELECT 1


def test_after_the_window_it_is_checked_and_a_dead_connection_is_replaced(wrapper, pings):
    before = request(wrapper)
    with connection.cursor() as cursor:  # the server ends that session (a restart, a failover)
        cursor.execute("SELECT pg_terminate_backend(%s)", [before])
    wrapper.alive_at -= 1  # a second later
    after = request(wrapper)
    assert pings == [False]
    assert after is not None and after != before  # a new session answered the request's query


def test_inside_the_window_a_connection_the_server_closed_is_checked_and_replaced(wrapper, pings):
    """A restart or pg_terminate_backend sends FATAL and closes the socket: the connection
    has something to read, so it is checked even though it answered a moment ago."""
    before = request(wrapper)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [before])
    poll = select.poll()
    poll.register(wrapper.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 5
    while not poll.poll(50) and time.monotonic() < deadline:  # the server's goodbye arrives
        pass
    after = request(wrapper)
    assert pings == [False]
    assert after is not None and after != before


def test_the_window_counts_from_the_last_query_not_the_last_request(wrapper, pings):
    request(wrapper)
    wrapper.alive_at -= 1
    request(wrapper, query=False)  # a page that asked the database nothing proves nothing
    request(wrapper)
    assert pings == [True]


def test_zero_seconds_checks_every_request_as_django_does(wrapper, pings, settings):
    settings.DATABASE_ALIVE_BYPASS_SECONDS = 0
    for _ in range(3):
        request(wrapper)
    assert pings == [True, True]  # the first request opened the connection: nothing to check
