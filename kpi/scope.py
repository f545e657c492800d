"""Which units a KPI query covers, through core.access (the one place for permissions)."""
from core import access
from core.models import Unit


def units_for(user, slug: str | None):
    """``(units queryset, unit or None)``: one readable unit when ``slug`` is given
    (404 otherwise); with no slug, an office account (or an administrator) gets every
    unit it reads taken together, staff and principals their own unit."""
    if slug:
        unit = access.get_unit_for_user(user, slug)
        units = Unit.objects.filter(pk=unit.pk)
        if user.is_office:
            # Counted only for the days this office supervised it (docs/domain/supervision.md).
            units = units.supervised_by(user.office_id)
        return units, unit
    if user.is_office or user.is_administrator:
        return access.readable_units(user), None
    unit = access.default_unit(user)
    if unit is None:
        return Unit.objects.none(), None
    return Unit.objects.filter(pk=unit.pk), unit


def period_scope(request):
    """``(period, units, unit or None)`` from an API request's ``?unit=&from=&to=``, as
    ``units_for`` scopes them; invalid input is a 400 with the form's messages per field."""
    from rest_framework.exceptions import ValidationError

    from kpi.forms import PeriodForm

    form = PeriodForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.api_errors())
    units, unit = units_for(request.user, form.cleaned_data["unit"])
    return form.period, units, unit
