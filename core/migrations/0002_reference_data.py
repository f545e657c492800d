import datetime

from django.db import migrations


def load(apps, schema_editor):
    from core.fields_data import FIELDS

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
    # The make-up Saturdays known when this migration was written (0006 adds the rest,
    # with their sources).
    makeup = {
        datetime.date(2024, 5, 4): "Làm bù cho ngày nghỉ thứ Hai 29/04/2024 (Công văn 2450/VPCP-KGVX)",
        datetime.date(2025, 4, 26): "Làm bù cho ngày nghỉ thứ Sáu 02/05/2025 (Thông báo 6150/TB-BLĐTBXH)",
        datetime.date(2026, 8, 22): "Làm bù cho ngày nghỉ thứ Hai 31/08/2026",
    }
    for day, name in makeup.items():
        CalendarDay.objects.get_or_create(date=day, defaults={"kind": "working", "name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
