from django.db import migrations


def create(apps, schema_editor):
    from django.conf import settings

    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    task = "core.tasks.run_deadline_engine"
    if PeriodicTask.objects.filter(task=task).exists():
        return
    every, _ = IntervalSchedule.objects.get_or_create(every=settings.DEADLINE_ENGINE_EVERY_MINUTES, period="minutes")
    PeriodicTask.objects.create(
        name="Deadline engine (hồ sơ, PAKN)", task=task, interval=every,
        description="Marks overdue dossiers and feedback, warns before due dates.",
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_reference_data"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
