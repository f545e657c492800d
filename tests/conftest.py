"""Test harness: real PostgreSQL, Redis and Celery worker when the environment has
them; tests that need them are skipped with the reason otherwise — and fail when
CI=true, so CI can never pass by skipping."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def _instrument_jinja2() -> None:
    """Django's test environment sends ``template_rendered`` for its own engine's templates,
    which gives the test client's ``response.context``; the same for the Jinja2 templates
    (the KPI dashboard's body, the office's table rows, the public frame)."""
    from django.template.backends import jinja2 as backend
    from django.test.signals import template_rendered

    original = backend.Template.render

    def render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return original(self, context, request)

    backend.Template.render = render


_instrument_jinja2()


def _is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _redis_up() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(path):
            return path
    return None


def require(condition: bool, reason: str):
    """Skip with ``reason`` when ``condition`` is false — but fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


# The files that take longest (docs/testing.md: 7-45 s each on a 2-CPU machine, most others
# under 7 s), first in the collection: `make test` hands files to its workers in this order
# (--no-loadscope-reorder), so that none of them starts last while the other workers sit idle.
SLOW_FIRST = (
    "tests/proof/test_faults.py", "tests/security/test_schemathesis.py", "tests/proof/test_bench_smoke.py",
    "tests/core/test_seed_demo.py", "tests/dossiers/test_notices.py", "tests/security/test_url_walker.py",
    "tests/proof/test_replica.py", "tests/e2e/",
)


def pytest_collection_modifyitems(items):
    def rank(item):
        path = item.nodeid.split("::")[0]
        return next((i for i, slow in enumerate(SLOW_FIRST) if path.startswith(slow)), len(SLOW_FIRST))

    items.sort(key=rank)  # stable: the order within a file and among the others stays


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        require(_is_postgres(), "needs PostgreSQL: set DATABASE_URL")
    if item.get_closest_marker("redis") or item.get_closest_marker("celery_worker"):
        require(_redis_up(), "needs Redis: set REDIS_URL to a running server")
    if item.get_closest_marker("e2e"):
        require(_chromium() is not None, "needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters and cached values never leak from one test to the next."""
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # noqa: BLE001 - Redis may be stopped on purpose by a fault test
        pass
    yield


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The rows data migrations create (fields, make-up working days, the SIPAS
    questionnaire) are flushed by transactional tests; put them back for every test
    that uses the database, so no test depends on the order tests run in."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is not None:
        transactional = marker.kwargs.get("transaction") or "transactional_db" in names or "live_server" in names
        request.getfixturevalue("transactional_db" if transactional else "db")
    elif names & {"transactional_db", "live_server", "celery_worker_process"}:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        yield
        return
    from core.models import Field

    if not Field.objects.exists():
        from tests.factories import reload_reference_data

        reload_reference_data()
    yield


@pytest.fixture
def mailoutbox_clear(mailoutbox):
    mailoutbox.clear()
    return mailoutbox


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker (separate process, solo pool) on the test database and
    the real Redis broker. Tests using it must commit their data (transactional_db)."""
    require(_redis_up(), "needs Redis: set REDIS_URL to a running server")
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "cchc_portal.test_settings"
    if _is_postgres():
        env["DATABASE_URL"] = (
            f"postgres://{db.get('USER') or 'postgres'}:{db.get('PASSWORD') or ''}@"
            f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    log = ROOT / "var" / "test-artifacts" / "celery-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cchc_portal", "worker", "--pool=solo",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    from cchc_portal.celery import app

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if app.control.ping(timeout=0.5):
                break
        except Exception:  # noqa: BLE001 - broker still starting
            pass
        if proc.poll() is not None:
            pytest.fail(f"Celery worker exited early; see {log}")
    else:
        proc.terminate()
        pytest.fail(f"Celery worker did not answer a ping within 30 s; see {log}")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


# The recording SMS / Zalo gateway (tests/gateway.py) for every test that asks for it.
from tests.gateway import (  # noqa: E402,F401
    failing_sms_gateway, hanging_sms_gateway, outbox_tasks, recording_gateway, sms_gateway, zalo_gateway,
)
