"""Django's database sessions, read with one prepared statement (SESSION_ENGINE).

Every signed-in page reads its session first. Django's ``db`` store reads it through the
ORM: ~0.5 ms, most of it compiling the query and building the model, against ~0.1 ms for
PostgreSQL to answer. The same row is read here with a constant statement prepared once
per connection (core/db.py, docs/decisions/prepared-statements.md), on the database the
router picks for sessions. Writes, expiry and everything else are Django's: the table,
the cookie and the sessions of people already signed in do not change."""
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from core import db as core_db


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        table = model._meta.db_table
        with connections[router.db_for_read(model)].cursor() as cursor:
            core_db.execute(
                cursor,
                f"SELECT session_data, expire_date FROM {table} "  # noqa: S608 - the model's table; values are parameters
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store: a key that is not there is not kept
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
