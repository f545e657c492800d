"""The one Celery app: broker from REDIS_URL, schedules from django-celery-beat."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

app = Celery("cchc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
