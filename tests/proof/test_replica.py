"""Reads beyond one database server: a real streaming replica (pg_basebackup -R of a
private primary, a second postmaster on another port) behind the portal's router
(core/replica.py). Dashboards and KPI reads come from the replica; writes, and the reads of
a person who just wrote, from the primary; a replica stopped or late is left out."""
import json
import subprocess
import urllib.error
import urllib.request

import psycopg2
import pytest
from rest_framework.authtoken.models import Token

from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, receive_dossier
from tests.proof._pg import db_url
from tests.proof.servers import Gunicorn, PrivatePostgres, PrivateReplica, portal_env, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NAME = "cchc_replica"


def _call(web, path, token, *, body=None):
    request = urllib.request.Request(
        web.base + path, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as resp:  # noqa: S310 - 127.0.0.1 only
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _completed(web, unit, token) -> int:
    """Dossiers completed this year, as the KPI API counts them (the on-time denominator)."""
    status, body = _call(web, f"/api/v1/kpi/?unit={unit.slug}", token)
    assert status == 200, body
    row = next(r for r in body["indicators"] if r["key"] == "dossier_on_time_rate" and r["field"] is None)
    return row["denominator"]


def _health(web) -> dict:
    status, body = web.get("/healthz")
    assert status == 200, body
    return json.loads(body)["replica"]


def _sql(url, statement):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchone() if cur.description else None
    finally:
        conn.close()


@pytest.fixture
def cluster(unit_with_history):
    """A private primary holding a copy of the test database (the unit's history
    included), and its streaming replica."""
    primary = PrivatePostgres()
    primary.start()
    replica = None
    try:
        _sql(primary.url(), f'CREATE DATABASE "{NAME}"')
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", db_url()], capture_output=True, check=True,
                              timeout=60)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", primary.url(NAME)], input=dump.stdout,
                       capture_output=True, check=True, timeout=60)
        replica = PrivateReplica(primary)
        replica.start()
        # A primary in use commits all the time; here one commit, replayed, starts the
        # replica's clock (pg_last_xact_replay_timestamp).
        _sql(primary.url(NAME), "UPDATE core_unit SET name = name")
        wait_for(lambda: _sql(replica.url(NAME), "SELECT pg_last_xact_replay_timestamp() IS NOT NULL")[0], 20,
                 "the replica replayed nothing")
        yield primary, replica
    finally:
        if replica is not None:
            replica.destroy()
        primary.destroy()


@pytest.fixture
def redis_url():
    from django.conf import settings

    return settings.REDIS_URL


@pytest.fixture
def unit_with_history(db):
    staff = StaffFactory(username="canbo-replica")
    principal = PrincipalFactory(username="hieutruong-replica", unit=staff.unit)
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    receive_dossier(procedure=procedure, actor=staff)
    return staff.unit, procedure, Token.objects.create(user=staff).key, Token.objects.create(user=principal).key


def _portal(primary, replica, redis_url, **settings):
    env = portal_env(database_url=primary.url(NAME), redis_url=redis_url)
    env.update(DATABASE_REPLICA_URL=replica.url(NAME), REPLICA_CHECK_SECONDS="0", **settings)
    web = Gunicorn(env, workers=1)
    web.start()
    return web


def _complete_a_dossier(web, unit, procedure, token):
    status, dossier = _call(web, "/api/v1/dossiers/", token, body={
        "unit": unit.slug, "procedure": procedure.code, "applicant_name": "Lê Thị Cúc", "applicant_phone": "0901111222"})
    assert status == 201, dossier
    for action in ("start", "complete"):
        status, body = _call(web, f"/api/v1/dossiers/{dossier['code']}/actions/", token, body={"action": action})
        assert status == 200, body


def test_dashboard_reads_come_from_the_replica_and_writes_from_the_primary(cluster, redis_url, unit_with_history):
    primary, replica = cluster
    unit, procedure, staff_token, principal_token = unit_with_history
    web = _portal(primary, replica, redis_url, REPLICA_MAX_LAG_SECONDS="3600")
    try:
        assert _health(web)["serving_reads"] is True
        before = _completed(web, unit, principal_token)

        # The replica stops replaying: what it serves is frozen, the primary moves on.
        _sql(replica.url(NAME), "SELECT pg_wal_replay_pause()")
        with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
            _sql(replica.url(NAME), "UPDATE core_unit SET name = name")  # a write is refused there
        _complete_a_dossier(web, unit, procedure, staff_token)  # ... and served by the primary
        assert _sql(primary.url(NAME), "SELECT count(*) FROM dossiers_dossier WHERE status = 'completed'")[0] == before + 1

        assert _completed(web, unit, principal_token) == before  # the principal's read: the (paused) replica
        assert _completed(web, unit, staff_token) == before + 1  # who just wrote reads the primary

        _sql(replica.url(NAME), "SELECT pg_wal_replay_resume()")
        wait_for(lambda: _completed(web, unit, principal_token) == before + 1, 20, "the replica did not catch up")

        # The replica stopped: reads fall back to the primary, and /healthz says so.
        replica.stop()
        health = _health(web)
        assert health["serving_reads"] is False and health["reason"].startswith("unreachable")
        _complete_a_dossier(web, unit, procedure, staff_token)
        assert _completed(web, unit, principal_token) == before + 2
    finally:
        web.stop()


def test_a_replica_that_lags_too_far_is_left_out(cluster, redis_url, unit_with_history):
    primary, replica = cluster
    unit, procedure, staff_token, principal_token = unit_with_history
    web = _portal(primary, replica, redis_url, REPLICA_MAX_LAG_SECONDS="1")
    try:
        before = _completed(web, unit, principal_token)
        _sql(replica.url(NAME), "SELECT pg_wal_replay_pause()")
        _complete_a_dossier(web, unit, procedure, staff_token)
        # Past one second behind, the replica is left out: the principal sees the new dossier.
        wait_for(lambda: _health(web)["reason"] == "lagging", 20, "the lag was not noticed")
        assert _health(web)["serving_reads"] is False
        assert _completed(web, unit, principal_token) == before + 1
    finally:
        web.stop()
