"""Who may see and change what: the one set of access helpers every view and API
endpoint goes through. A user never sees another unit's data."""
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.models import Unit


def readable_units(user):
    """Units whose data ``user`` may read."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_administrator:
        return Unit.objects.all()
    if user.is_office:
        return Unit.objects.filter(office_id=user.office_id)
    if user.unit_id:
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def can_write(user, unit) -> bool:
    """Staff and principals write their own unit; administrators any; offices none."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.role in ("staff", "principal") and user.unit_id == unit.pk


def can_manage(user, unit) -> bool:
    """Principal-level actions (apologies, targets, catalogue) on ``unit``."""
    return can_write(user, unit) and (user.is_administrator or user.is_principal)


def scoped(queryset, user, unit_field="unit"):
    """``queryset`` restricted to the units ``user`` may read."""
    if user.is_authenticated and user.is_administrator:
        return queryset
    return queryset.filter(**{f"{unit_field}__in": readable_units(user)})


def _require(user, unit, *, write: bool, manage: bool) -> None:
    if manage and not can_manage(user, unit):
        raise PermissionDenied
    if write and not can_write(user, unit):
        raise PermissionDenied


def get_unit_for_user(user, slug, *, write=False, manage=False):
    """The unit with ``slug`` if ``user`` may read it (404 otherwise, so that other
    units' existence does not leak); PermissionDenied if it may not write it."""
    unit = readable_units(user).filter(slug=slug).first()
    if unit is None:
        raise Http404
    _require(user, unit, write=write, manage=manage)
    return unit


def get_object_for_user(queryset, user, *, write=False, manage=False, unit_field="unit", **lookup):
    """One row of ``queryset`` by ``lookup`` if ``user`` may read its unit (404 otherwise),
    checking write or manage permission on that unit when asked."""
    obj = scoped(queryset, user, unit_field).filter(**lookup).first()
    if obj is None:
        raise Http404
    _require(user, getattr(obj, unit_field), write=write, manage=manage)
    return obj


def unit_of_request(request, *, write=False, manage=False):
    """The unit a page works on: ``?unit=<slug>`` (GET or POST) when given, else the
    user's default unit. The same rules on every page: 404 when the user may not read
    it (or reads no unit at all), PermissionDenied when it may read but not write or
    manage it."""
    slug = request.GET.get("unit") or request.POST.get("unit")
    if slug:
        return get_unit_for_user(request.user, slug, write=write, manage=manage)
    unit = default_unit(request.user)  # one the user reads, by construction
    if unit is None:
        raise Http404
    _require(request.user, unit, write=write, manage=manage)
    return unit


def narrowed_to_unit(queryset, request, *, unit_field="unit"):
    """A list narrowed to ``?unit=<slug>`` when given (pages and API alike): 404 when the
    user may not read that unit, as for ``unit_of_request``; the whole list otherwise."""
    slug = request.GET.get("unit")
    if not slug:
        return queryset
    return queryset.filter(**{unit_field: get_unit_for_user(request.user, slug)})


def default_unit(user):
    """The unit a user's pages open on."""
    if user.unit_id:
        return user.unit
    return readable_units(user).first()
