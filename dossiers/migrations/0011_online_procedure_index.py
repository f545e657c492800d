"""An index of online dossiers by procedure and receipt time: the scorecard's "online services
used" asks, per procedure, whether one was received in the period, and without it the planner
priced that question so high that PostgreSQL compiled the query (JIT) for 0.3 s of a province's
scorecard page. Built concurrently, so intake and the deadline engine go on writing."""
from django.db import migrations, models

from core.migration_ops import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('dossiers', '0010_office_register_order'),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name='dossier',
            index=models.Index(condition=models.Q(('channel', 'online')), fields=['procedure', 'received_at'],
                               name='dossier_online_procedure'),
        ),
    ]
