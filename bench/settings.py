"""Settings for benchmarks and load tests: production settings (DEBUG off, persistent
connections), plain HTTP on 127.0.0.1, static files from the finders, and bench/urls.py
which adds a trivial view — the reference every page is measured against."""
import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)

from cchc_portal.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
# Load tests hammer the public pages from one address: no throttling, no lockouts.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}  # noqa: F405
AXES_ENABLED = False
SURVEY_ADDRESS_LIMITS = ((600, 10**9),)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
