"""When an action on a dossier or a feedback item happened: one rule for every app.

The time may be in the past (a paper dossier or a phone call logged after the fact),
never in the future, and never before the item's previous event, so that the control
sheet and the history read in order. A few seconds of slack absorb the clocks of the
browser, the web process and the database."""
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

SLACK = datetime.timedelta(seconds=5)


def effective_time(*, at: datetime.datetime | None, now: datetime.datetime,
                   previous: datetime.datetime | None) -> datetime.datetime:
    """``at`` (made aware in the portal's time zone), or ``now`` when not given. Raises
    ValidationError({"at": [...]}) when it is in the future or before ``previous``."""
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + SLACK:
        raise ValidationError({"at": [_("The time of an action cannot be in the future.")]})
    if previous is not None and at < previous:
        raise ValidationError({"at": [_("The time cannot be before the previous event (%(last)s).") % {
            "last": timezone.localtime(previous).strftime("%d/%m/%Y %H:%M")}]})
    return at
