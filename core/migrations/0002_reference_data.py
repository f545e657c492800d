from django.db import migrations


def load(apps, schema_editor):
    from core.fields_data import FIELDS
    from core.workdays import MAKEUP_WORKING_DAYS

    Field = apps.get_model("core", "Field")
    for position, (key, name, name_en, target, has_procedures, area) in enumerate(FIELDS):
        Field.objects.update_or_create(
            key=key,
            defaults={
                "name": name, "name_en": name_en, "default_target": target,
                "has_procedures": has_procedures, "is_survey_area": area, "position": position,
            },
        )
    CalendarDay = apps.get_model("core", "CalendarDay")
    for day, name in MAKEUP_WORKING_DAYS.items():
        CalendarDay.objects.get_or_create(date=day, defaults={"kind": "working", "name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
