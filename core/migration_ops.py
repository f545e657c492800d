"""Migration operations shared by the apps' migrations."""
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations


class _ConcurrentlyOnPostgreSQL:
    """PostgreSQL runs the concurrent operation; SQLite, in development, the ordinary one (``plain``)."""

    plain: type

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AddIndexConcurrentlyOnPostgreSQL(_ConcurrentlyOnPostgreSQL, AddIndexConcurrently):
    """An index built while the portal goes on writing (``CREATE INDEX CONCURRENTLY``: intake
    and the deadline engine are not blocked). Its migration must say ``atomic = False``."""

    plain = migrations.AddIndex


class RemoveIndexConcurrentlyOnPostgreSQL(_ConcurrentlyOnPostgreSQL, RemoveIndexConcurrently):
    """An index dropped without blocking writes (``DROP INDEX CONCURRENTLY``); its migration must
    say ``atomic = False``."""

    plain = migrations.RemoveIndex
