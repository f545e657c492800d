"""Who may see and change what: the one set of access helpers every view and API
endpoint goes through. A user never sees another unit's data."""
import datetime

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.models import Supervision, Unit


def readable_units(user):
    """Units whose data ``user`` may read."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_administrator:
        return Unit.objects.all()
    if user.is_office:
        # Every unit the office supervises or supervised; the rows of each are limited to
        # the dates of its supervision by ``scoped`` (docs/domain/supervision.md).
        return Unit.objects.supervised_by(user.office_id)
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


def supervision_windows(office_id, start: datetime.date | None = None, end: datetime.date | None = None):
    """``[(unit_id, first day, last day or None)]`` of the office's supervisions, clipped
    to ``start``..``end`` when given (windows outside are left out)."""
    rows = Supervision.objects.filter(office_id=office_id)
    if start is not None:
        rows = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    if end is not None:
        rows = rows.filter(valid_from__lte=end)
    windows = []
    for unit_id, first, last in rows.values_list("unit_id", "valid_from", "valid_to").order_by("unit_id", "valid_from"):
        if start is not None:
            first = max(first, start)
        if end is not None:
            last = end if last is None else min(last, end)
        windows.append((unit_id, first, last))
    return windows


def grouped_supervision_windows(office_id, start: datetime.date | None = None, end: datetime.date | None = None,
                                *, among=None) -> list[tuple[list, datetime.date, datetime.date | None]]:
    """``[(unit ids, first day, last day or None)]``: ``supervision_windows`` with the units
    supervised over the same days together (of ``among``, a set of unit ids, when given). A
    province that took over its thousand schools on one day is one window, which the office's
    scope (``supervised_q``) and the KPI counts (``kpi.rollup.windows``, ``kpi.live.in_scope``)
    each turn into one condition instead of a thousand ORed together."""
    groups: dict[tuple, list] = {}
    for unit_id, first, last in supervision_windows(office_id, start, end):
        if among is None or unit_id in among:
            groups.setdefault((first, last), []).append(unit_id)
    return [(unit_ids, first, last) for (first, last), unit_ids in groups.items()]


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def date_range_q(date_field: str, first: datetime.date | None, last: datetime.date | None, *, is_datetime=True) -> Q:
    """``date_field`` on local dates ``first`` to ``last`` (both included; None = open)."""
    q = Q()
    if first is not None:
        q &= Q(**{f"{date_field}__gte": _local_midnight(first) if is_datetime else first})
    if last is not None:
        nxt = last + datetime.timedelta(days=1)
        q &= Q(**{f"{date_field}__lt": _local_midnight(nxt) if is_datetime else nxt})
    return q


def supervised_q(office_id, unit_field="unit", date_field: str | None = None, *, is_datetime=True, dated=None) -> Q:
    """The rows an office reads: of a unit it supervised, dated (``date_field``, or the
    model's own rule ``dated(first, last) -> Q``) within the days it supervised it. With
    neither (a catalogue, say) every row of a unit it supervises or supervised.

    Units supervised over the same days share one condition, ``unit IN (...) AND <days>``
    (``grouped_supervision_windows``): with a condition per unit, PostgreSQL checked a
    province's thousand one by one on every row (10 s for the province's register)."""
    q = Q(pk__in=[])
    for unit_ids, first, last in grouped_supervision_windows(office_id):
        if dated is not None:
            when = dated(first, last)
        elif date_field:
            when = date_range_q(date_field, first, last, is_datetime=is_datetime)
        else:
            when = Q()
        q |= Q(**{f"{unit_field}__any": unit_ids}) & when
    return q


def scoped(queryset, user, unit_field="unit"):
    """``queryset`` restricted to the units ``user`` may read; for an office account, to
    the days it supervised each unit, by the model's ``supervision_date_field`` (the date
    a record belongs to, e.g. a dossier's receipt) when it has one."""
    if user.is_authenticated and user.is_administrator:
        return queryset
    if user.is_authenticated and user.is_active and user.is_office:
        model = queryset.model
        dated = getattr(model, "supervision_q", None)  # the model's own rule, if it has one
        date_field = getattr(model, "supervision_date_field", None)
        is_datetime = bool(date_field) and isinstance(model._meta.get_field(date_field), models.DateTimeField)
        return queryset.filter(supervised_q(user.office_id, unit_field, date_field, is_datetime=is_datetime, dated=dated))
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
    return narrowed_to_slug(queryset, request.user, request.GET.get("unit"), unit_field=unit_field)


def narrowed_to_slug(queryset, user, slug: str | None, *, unit_field="unit"):
    """``narrowed_to_unit`` without a request (a background job keeps the query it came with)."""
    if not slug:
        return queryset
    return queryset.filter(**{unit_field: get_unit_for_user(user, slug)})


def default_unit(user):
    """The unit a user's pages open on."""
    if user.unit_id:
        return user.unit
    return readable_units(user).first()
