"""Expired sessions are deleted every night at 02:30 (core.tasks.clear_expired_sessions), a
schedule the administrator sees and can change in django-celery-beat's admin."""
from django.db import migrations

TASK = "core.tasks.clear_expired_sessions"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh")
    PeriodicTask.objects.create(
        name="Xoá phiên đăng nhập hết hạn (sessions)", task=TASK, crontab=nightly,
        description="Deletes the sessions past their expiry, as Django's clearsessions.",
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0010_session_with_person"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
