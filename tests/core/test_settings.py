"""Production-shaped settings: refuse to start without SECRET_KEY; check --deploy clean."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_reports_no_warning():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="k" * 30 + "-Z9yQ#m2pL@x7Rv!t4Wq$e8Nb", ALLOWED_HOSTS="cchc.example.vn",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_each_test_worker_moves_the_redis_database_it_is_given():
    from cchc_portal.test_settings import _worker_redis_url

    assert _worker_redis_url("redis://127.0.0.1:6379/0", 1) == "redis://127.0.0.1:6379/1"
    assert _worker_redis_url("redis://127.0.0.1:6379/15", 1) == "redis://127.0.0.1:6379/14"
    assert _worker_redis_url("redis://127.0.0.1:6379", 3) == "redis://127.0.0.1:6379/3"
    assert _worker_redis_url("redis://:secret@cache:6379/2?socket_timeout=1", 1) == \
        "redis://:secret@cache:6379/1?socket_timeout=1"


def test_this_worker_uses_its_redis_database_for_cache_and_broker_and_its_own_folders(settings):
    """Under `make test` (pytest-xdist) a worker's cache.clear() and files never reach another's."""
    from cchc_portal.test_settings import WORKER

    if settings.REDIS_URL:
        assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL == settings.CELERY_BROKER_URL
    if WORKER:
        assert settings.MEDIA_ROOT.name == WORKER and settings.SIGNING_KEYS_DIR.name == WORKER
    if WORKER not in ("", "gw0") and settings.REDIS_URL:
        assert settings.REDIS_URL != os.environ["REDIS_URL"]
