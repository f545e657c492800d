"""The index of a unit's dossiers by receipt carries the completion time and the status too
(``INCLUDE``), the other two columns of an office's scope: the count of a province's register
(760,000 of the bench city's million dossiers) then reads the index alone, not every row of the
table. The new index is built concurrently before the old one is dropped concurrently, so intake
and the deadline engine go on writing throughout."""
from django.db import migrations, models

from core.migration_ops import AddIndexConcurrentlyOnPostgreSQL, RemoveIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('dossiers', '0011_online_procedure_index'),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name='dossier',
            index=models.Index(fields=['unit', 'received_at'], include=['completed_at', 'status'],
                               name='dossier_unit_received_cov'),
        ),
        RemoveIndexConcurrentlyOnPostgreSQL(
            model_name='dossier',
            name='dossier_unit_received',
        ),
    ]
