from django.db import migrations, models


def load(apps, schema_editor):
    # Frozen copy of core.workdays.OFFICIAL_DAYS at the time of writing (docs/legal/calendar.md).
    from core.workdays import OFFICIAL_DAYS

    CalendarDay = apps.get_model("core", "CalendarDay")
    for day, (kind, name, source) in OFFICIAL_DAYS.items():
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name, "source": source})


class Migration(migrations.Migration):
    dependencies = [("core", "0005_unit_presentation_user_title")]
    operations = [
        migrations.AddField(
            model_name="calendarday",
            name="source",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="legal source",
                help_text="The official text that decided this day (number and date), or why a package holiday is cancelled.",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
