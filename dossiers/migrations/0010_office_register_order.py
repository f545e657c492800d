"""An index of dossiers by receipt time: an office's register lists its units' dossiers newest
first, which without it sorted every dossier it reads (1.8 s for a province's 760,000; with
it 0.18 s). Built concurrently, so intake and the deadline engine go on writing."""
from django.db import migrations, models

from core.migration_ops import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('dossiers', '0009_register_search'),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name='dossier',
            index=models.Index(fields=['received_at', 'id'], name='dossier_received'),
        ),
    ]
