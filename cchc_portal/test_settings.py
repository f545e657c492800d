"""Settings for the test suite: production-shaped, with a fast hasher and local mail."""
import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 40)

from .settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticStorage"},
}

# `make test` runs the suite in one process per CPU (pytest-xdist, docs/testing.md): each
# worker (gw0, gw1, ...) has its own test database (pytest-django adds the suffix), and here
# its own Redis database, media and keys folders, so that one worker's cache.clear() or files
# never reach another's tests. A Celery worker a test starts inherits PYTEST_XDIST_WORKER and
# so reads the same settings.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_worker_number = int(WORKER[2:]) if WORKER.startswith("gw") and WORKER[2:].isdigit() else 0


def _worker_redis_url(url: str, number: int) -> str:
    """``url`` with its database number moved by ``number`` (down when that stays >= 0, up
    otherwise), so gw0 keeps the database REDIS_URL names: /0 gives gw1 /1, /15 gives gw1 /14."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    db = base - number if base >= number else base + number
    return urlunsplit(parts._replace(path=f"/{db}"))


if REDIS_URL and _worker_number:  # noqa: F405
    REDIS_URL = _worker_redis_url(REDIS_URL, _worker_number)  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
_worker_dir = f"/{WORKER}" if WORKER else ""
MEDIA_ROOT = VAR_DIR / f"test-media{_worker_dir}"  # noqa: F405
# Never a developer's keys (seed_demo writes var/keys): tests that sign make their own.
SIGNING_KEYS_DIR = VAR_DIR / f"test-keys{_worker_dir}"  # noqa: F405
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
