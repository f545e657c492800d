"""Sessions move to core.Session, which keeps the signed-in person's id beside the data, so
that a signed-in page reads its session, person and unread count in one statement
(core/sessions.py). The sessions still valid in Django's table are copied over with their
person, so nobody is signed out by the upgrade; Django's table is left as it was."""
from django.db import migrations, models
from django.utils import timezone


def copy_sessions(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    Old, New = apps.get_model("sessions", "Session"), apps.get_model("core", "Session")
    decoder, batch = DjangoStore(), []
    for old in Old.objects.using(schema_editor.connection.alias).filter(expire_date__gt=timezone.now()).iterator(2000):
        try:
            user_id = int(decoder.decode(old.session_data).get("_auth_user_id"))
        except (TypeError, ValueError):
            user_id = None
        batch.append(New(session_key=old.session_key, session_data=old.session_data,
                         expire_date=old.expire_date, user_id=user_id))
        if len(batch) == 2000:
            New.objects.using(schema_editor.connection.alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.using(schema_editor.connection.alias).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0009_notification_unread'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Session',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user_id', models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='person')),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'db_table': 'core_session',
                'abstract': False,
            },
        ),
        migrations.RunPython(copy_sessions, migrations.RunPython.noop),
    ]
