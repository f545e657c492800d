"""A partial index of the unread notices by person: every signed-in page counts them, and
with a few years of read notices behind a person (300 each in the bench city) the count read
all of that person's rows (0.28–0.38 ms of PostgreSQL a page; 0.014–0.025 ms with it). Built
concurrently, so the deadline engine goes on writing notices."""
from django.db import migrations, models

from core.migration_ops import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('core', '0008_vietnamese_name_order'),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name='notification',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['user'], name='notification_unread'),
        ),
    ]
