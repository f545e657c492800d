"""Django's database sessions (SESSION_ENGINE), kept in core.Session with the id of the
person signed in beside the data, and read with the person in one prepared statement.

Every signed-in page reads its session, then its person with their unit and office, then the
navbar's unread count. Through Django's ``db`` store and the ORM these were three queries of
~0.5 ms each, most of it compiling the query and building the model; as three prepared
statements (core/db.py) they were three round trips, which on a busy node cost more than
PostgreSQL's answers. Here one constant statement, prepared once per connection, reads the
session, the person (core/auth.py's columns), and the count; the backend takes that person
(core.auth.AuthenticationMiddleware), and the navbar that count (core/context_processors.py).
Django still decodes the data and checks the session's hash against the person; writes,
expiry (``clearsessions``) and the cookie are Django's. docs/decisions/prepared-statements.md."""
import functools

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from core import auth
from core import db as core_db

# Where the count read with the session is kept on the person (core.context_processors).
UNREAD = "_unread_read_with_session"


class SessionStore(db.SessionStore):
    person = None  # the person read with the session, if it names one

    @classmethod
    def get_model_class(cls):
        from core.models import Session

        return Session

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            obj.user_id = None
        return obj

    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        with connections[alias].cursor() as cursor:
            core_db.execute(cursor, _statement(), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        self.person = None
        if row is None:
            self._session_key = None  # as Django's store: a key that is not there is not kept
            return None
        self.person = auth.person_from_row(alias, row[2:-1])
        if self.person is not None:
            setattr(self.person, UNREAD, row[-1])
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])


@functools.cache
def _statement() -> str:
    from core.context_processors import unread_count_sql
    from core.models import Session

    columns, joins, _parts = auth.person_select()
    user_table = get_user_model()._meta.db_table
    unread = unread_count_sql("u.id")  # its user_id is the notice's (the inner table comes first)
    return (f"SELECT s.session_data, s.expire_date, {columns}, ({unread}) "  # noqa: S608 - the models' tables and columns; values are parameters
            f"FROM {Session._meta.db_table} s LEFT JOIN {user_table} u ON u.id = s.user_id {joins} "
            "WHERE s.session_key = %s AND s.expire_date > %s")
