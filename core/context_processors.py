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


def unread_count(user) -> int:
    """The person's unread notices: as read with the session when it was (core/sessions.py:
    the same statement as the session and the person), else one constant statement prepared
    once per connection (core/db.py), using the partial index notification_unread."""
    from core.models import Notification
    from core.sessions import UNREAD

    known = getattr(user, UNREAD, None)
    if known is not None:
        return known
    with connections[router.db_for_read(Notification)].cursor() as cursor:
        core_db.execute(cursor, f"SELECT count(*) FROM {Notification._meta.db_table} "  # noqa: S608 - the model's table
                                "WHERE user_id = %s AND read_at IS NULL", [user.pk])
        return cursor.fetchone()[0]
