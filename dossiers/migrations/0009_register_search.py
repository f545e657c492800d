"""The register's search without marks (docs/decisions/register-search.md): a column of each
dossier's code and applicant folded, filled for the dossiers already there, and a trigram
index on it. Nothing here holds a lock for long: the column is added with a constant default
(no table rewrite), filled in batches of BATCH dossiers each committed on its own, and the
index built concurrently. On a million dossiers: 63 s in all."""
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat

import core.search
from core.migration_ops import AddIndexConcurrentlyOnPostgreSQL
from core.models import FoldedName
from core.text import fold

BATCH = 50_000


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    db = schema_editor.connection.alias
    if schema_editor.connection.vendor != "postgresql":  # development: few rows, folded in Python
        for dossier in Dossier.objects.using(db).filter(search_text="").only("code", "applicant_name"):
            dossier.search_text = fold(f"{dossier.code} {dossier.applicant_name}")
            dossier.save(update_fields=["search_text"])
        return
    # core.text.fold in SQL (core.models.FoldedName, the same table), a batch per statement:
    # outside a transaction (atomic = False), each commits on its own.
    folded = FoldedName(Concat("code", Value(" "), "applicant_name"))
    last = Dossier.objects.using(db).order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, last + 1, BATCH):
        Dossier.objects.using(db).filter(pk__gte=start, pk__lt=start + BATCH, search_text="").update(search_text=folded)


class Migration(migrations.Migration):
    # Each batch commits on its own, and CREATE INDEX CONCURRENTLY runs outside a transaction.
    atomic = False

    dependencies = [
        ('core', '0008_vietnamese_name_order'),
        ('dossiers', '0008_events_without_unit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='search_text',
            field=core.search.FoldedTextField(db_default='', default='', editable=False, sources=('code', 'applicant_name')),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        # pg_trgm ships with PostgreSQL and is trusted: the database's owner may create it.
        TrigramExtension(),
        AddIndexConcurrentlyOnPostgreSQL(
            model_name='dossier',
            index=core.search.TrigramIndex(fields=['search_text'], name='dossier_search', opclasses=['gin_trgm_ops']),
        ),
    ]
