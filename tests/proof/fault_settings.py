"""Settings for the portal processes that the proof tests start (gunicorn, Celery,
the engine): the test settings, with e-mail written to files so that the test can
count every message any process sent."""
import os

from cchc_portal.test_settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "test-artifacts" / "mail"))  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
