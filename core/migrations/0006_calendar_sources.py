import datetime

from django.db import migrations, models


# A frozen copy of core.workdays.OFFICIAL_DAYS when this migration was written
# (docs/legal/calendar.md): (year, month, day, kind, name, source).
DAYS = [
    (2024, 4, 29, 'holiday', 'Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)',
     'Công văn 2450/VPCP-KGVX ngày 12/4/2024'),
    (2024, 5, 4, 'working', 'Làm bù cho ngày nghỉ thứ Hai 29/04/2024',
     'Công văn 2450/VPCP-KGVX ngày 12/4/2024'),
    (2025, 4, 26, 'working', 'Làm bù cho ngày nghỉ thứ Sáu 02/05/2025',
     'Thông báo 6150/TB-BLĐTBXH (theo Công văn 8726/VPCP-KGVX ngày 26/11/2024)'),
    (2025, 5, 2, 'holiday', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)',
     'Thông báo 6150/TB-BLĐTBXH (theo Công văn 8726/VPCP-KGVX ngày 26/11/2024)'),
    (2026, 1, 2, 'holiday', 'Tết Dương lịch: nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)',
     'Công văn 12729/VPCP-KGVX ngày 25/12/2025'),
    (2026, 1, 10, 'working', 'Làm bù cho ngày nghỉ thứ Sáu 02/01/2026',
     'Công văn 12729/VPCP-KGVX ngày 25/12/2025'),
    (2026, 8, 22, 'working', 'Làm bù cho ngày nghỉ thứ Hai 31/08/2026',
     'Thông báo 9441/TB-BNV ngày 16/10/2025'),
    (2026, 8, 31, 'holiday', 'Quốc khánh: nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)',
     'Thông báo 9441/TB-BNV ngày 16/10/2025'),
    (2026, 11, 24, 'working', 'Ngày Văn hóa Việt Nam — chưa là ngày nghỉ theo luật',
     'Chỉ là đề xuất sửa Điều 112 Bộ luật Lao động (Nghị quyết 30/NQ-CP); Bộ luật Lao động 2019 chưa được sửa'),
    (2027, 11, 24, 'working', 'Ngày Văn hóa Việt Nam — chưa là ngày nghỉ theo luật',
     'Chỉ là đề xuất sửa Điều 112 Bộ luật Lao động (Nghị quyết 30/NQ-CP); Bộ luật Lao động 2019 chưa được sửa'),
]


def load(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    for year, month, day, kind, name, source in DAYS:
        CalendarDay.objects.update_or_create(
            date=datetime.date(year, month, day), defaults={"kind": kind, "name": name, "source": source},
        )


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
