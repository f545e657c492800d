import functools

from django.conf import settings
from django.db import connections, router

from core import db as core_db


def portal(request):
    user = getattr(request, "user", None)

    @functools.cache
    def unread_notifications() -> int:
        # Called by the template only where it is shown (the account menu of base.html), once a
        # request: a public page never reads the session to learn who is there
        # (docs/decisions/web-throughput.md).
        if user is not None and user.is_authenticated:
            return unread_count(user)
        return 0

    return {"SITE_URL": settings.SITE_URL, "unread_notifications": unread_notifications}


def unread_count_sql(person: str) -> str:
    """The count of the unread notices of ``person`` (a parameter, or a column of an outer
    query): written once, for this module's statement and the session's (core/sessions.py);
    the partial index notification_unread answers it."""
    from core.models import Notification

    return f"SELECT count(*) FROM {Notification._meta.db_table} WHERE user_id = {person} AND read_at IS NULL"  # noqa: S608 - the model's table; the person is a placeholder or a column


def unread_count(user) -> int:
    """The person's unread notices: as read with the session when it was (core/sessions.py:
    the same statement as the session and the person), else one constant statement prepared
    once per connection (core/db.py)."""
    from core.models import Notification
    from core.sessions import UNREAD

    known = getattr(user, UNREAD, None)
    if known is not None:
        return known
    with connections[router.db_for_read(Notification)].cursor() as cursor:
        core_db.execute(cursor, unread_count_sql("%s"), [user.pk])
        return cursor.fetchone()[0]
