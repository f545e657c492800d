"""The deadline engine's beat entry named this app's task before the engine moved to
core (core.tasks.run_deadline_engine): point existing schedules at the new name."""
from django.db import migrations

OLD, NEW = "dossiers.tasks.check_deadlines", "core.tasks.run_deadline_engine"


def rename(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=OLD).update(task=NEW)


def restore(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=NEW).update(task=OLD)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_channel_stop_online_documents"), ("core", "0003_engine_schedule")]
    operations = [migrations.RunPython(rename, restore)]
