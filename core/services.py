"""Writes of the core app: supervision of units by offices, the calendar's overrides."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import CalendarDay, Office, Supervision, Unit


@transaction.atomic
def supervision_change(*, unit: Unit, office: Office, valid_from: datetime.date) -> Supervision:
    """From ``valid_from`` on, ``office`` supervises ``unit``: the current supervision ends
    the day before, history is kept, and ``Unit.office`` (the current office) follows."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    current = Supervision.objects.filter(unit=unit, valid_to__isnull=True).first()
    if current is not None:
        if current.office_id == office.pk:
            return current
        if valid_from <= current.valid_from:
            raise ValidationError({"valid_from": [_("The new supervision must start after %(date)s.") % {
                "date": current.valid_from.strftime("%d/%m/%Y")}]})
        current.valid_to = valid_from - datetime.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    supervision = Supervision.objects.create(unit=unit, office=office, valid_from=valid_from)
    Unit.objects.filter(pk=unit.pk).update(office=office)
    unit.office = office
    return supervision


@transaction.atomic
def calendar_day_save(*, date: datetime.date, kind: str, name: str, source: str = "") -> CalendarDay:
    """Add or change the administrator's row for ``date`` (it wins over the holidays package)."""
    day, _created = CalendarDay.objects.update_or_create(
        date=date, defaults={"kind": kind, "name": name, "source": source},
    )
    return day


def cancel_package_holiday(*, date: datetime.date, reason: str) -> CalendarDay:
    """Make a holiday the ``holidays`` package lists an ordinary working day, saying why
    (for example a day only proposed, not yet law)."""
    from core import workdays

    name = workdays.package_holiday_name(date)
    if not name:
        raise ValidationError({"date": [_("%(date)s is not a holiday of the package.") % {"date": date.strftime("%d/%m/%Y")}]})
    if not reason.strip():
        raise ValidationError({"source": [_("Say why the holiday is cancelled.")]})
    return calendar_day_save(date=date, kind=CalendarDay.Kind.WORKING, name=f"{name} — {_('cancelled')}", source=reason.strip())
