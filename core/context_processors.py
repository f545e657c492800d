import functools

from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)

    @functools.cache
    def unread_notifications() -> int:
        # Called by the template only where it is shown (the account menu of base.html), once a
        # request: a public page never reads the session to learn who is there
        # (docs/decisions/web-throughput.md).
        if user is not None and user.is_authenticated:
            return user.notifications.filter(read_at__isnull=True).count()
        return 0

    return {"SITE_URL": settings.SITE_URL, "unread_notifications": unread_notifications}
