"""The indicators' counts computed from the records themselves (docs/kpi/rollup.md).

The definition the rollup (``kpi.rollup``) must always agree with: the property test
(tests/kpi/test_rollup_property.py) compares the two over random histories, and
``manage.py rebuild_kpi_rollup --check`` compares them on a live database. Same signature
and keys as ``kpi.rollup.sums``.
"""
import datetime
from collections import defaultdict

from django.db.models import Case, Count, DateField, F, Q, When
from django.db.models.functions import TruncMonth

from core import access, workdays
from dossiers import selectors as dossier_sets
from dossiers.models import Dossier
from feedback import selectors as feedback_sets
from feedback.models import Feedback
from kpi.rollup import OUT_KEYS
from surveys.models import FACTORS, Response
from surveys.selectors import SATISFIED


def in_scope(*, units, start: datetime.date, end: datetime.date, dated) -> Q:
    """The rows of ``units`` that belong to ``start``..``end``: ``dated(start=, end=)`` is
    the Q of the record's own period rule; units scoped to an office count only for the
    days that office supervised each of them (docs/domain/supervision.md)."""
    office = getattr(units, "office_scope", None)
    if office is None:
        return Q(unit__in=units) & dated(start=start, end=end)
    wanted = set(units.order_by().values_list("pk", flat=True))
    q = Q(pk__in=[])
    for unit_ids, first, last in access.grouped_supervision_windows(office, start, end, among=wanted):
        q |= Q(unit_id__any=unit_ids) & dated(start=first, end=last)
    return q


NAMES = {None: (), "unit": ("unit_id",), "field": ("field_id",), "month": ("m",), "field_month": ("field_id", "m")}


def _grouped(qs, by, *, month_of, **aggregates) -> list[dict]:
    if by is None:
        return [qs.aggregate(**aggregates)]
    if "m" in NAMES[by]:
        qs = qs.annotate(m=month_of)
    return list(qs.values(*NAMES[by]).annotate(**aggregates).order_by())


def _key(row, by):
    # date_trunc of a date comes back as a timestamp from the CASE of month_of_dossier.
    values = [v.date() if isinstance(v, datetime.datetime) else v for v in (row[n] for n in NAMES[by])]
    return tuple(values) if len(values) > 1 else values[0] if values else None


def sums(*, units, start: datetime.date, end: datetime.date, now: datetime.datetime, by: str | None = None) -> dict:
    out: dict = defaultdict(lambda: dict.fromkeys(OUT_KEYS, 0))

    def add(rows):
        for r in rows:
            target = out[_key(r, by)]
            for name, value in r.items():
                if name in target:
                    target[name] += value or 0

    # Completed dossiers by their completion time, open ones by their due date.
    counted = in_scope(units=units, start=start, end=end, dated=dossier_sets.in_period)
    completed = dossier_sets.completed_between(start=start, end=end)
    late = Q(status__in=dossier_sets.DONE, timeliness=Dossier.Timeliness.LATE)
    overdue = dossier_sets.open_due_between(start=start, end=end) & dossier_sets.overdue_as_of(now=now)
    apology = dossier_sets.APOLOGY
    month_of_dossier = Case(
        When(completed, then=TruncMonth("completed_at", output_field=DateField())),
        default=TruncMonth("due_date"), output_field=DateField(),
    )
    add(_grouped(Dossier.objects.filter(counted), by, month_of=month_of_dossier,
        completed=Count("id", filter=completed),
        on_time=Count("id", filter=completed & Q(timeliness__in=dossier_sets.ON_TIME)),
        late=Count("id", filter=completed & late),
        late_no_apology=Count("id", filter=completed & late & apology["none"]),
        late_timely_apology=Count("id", filter=completed & late & apology["timely"]),
        late_late_apology=Count("id", filter=completed & late & apology["late"]),
        e_result=Count("id", filter=completed & dossier_sets.with_electronic_result()),
        overdue=Count("id", filter=overdue),
        overdue_no_apology=Count("id", filter=overdue & apology["none"]),
        overdue_timely_apology=Count("id", filter=overdue & apology["timely"]),
        overdue_late_apology=Count("id", filter=overdue & apology["late"]),
    ))

    # Dossiers by their receipt.
    received = in_scope(units=units, start=start, end=end, dated=dossier_sets.received_between)
    add(_grouped(Dossier.objects.filter(received), by, month_of=TruncMonth("received_at", output_field=DateField()),
        received=Count("id"),
        online=Count("id", filter=dossier_sets.SUBMITTED_ONLINE),
        end_to_end=Count("id", filter=dossier_sets.END_TO_END),
        digitised=Count("id", filter=dossier_sets.with_digitised_components()),
    ))

    # Survey responses by their submission, in their service area.
    responses = Response.objects.filter(in_scope(
        units=units, start=start, end=end,
        dated=lambda *, start, end: workdays.on_local_dates("submitted_at", start=start, end=end)))
    if by in ("field", "field_month"):
        responses = responses.annotate(field_id=F("area_id"))
    add(_grouped(responses, by, month_of=TruncMonth("submitted_at", output_field=DateField()),
        responses=Count("id"),
        satisfied=Count("id", filter=SATISFIED),
        dossier_responses=Count("id", filter=Q(source=Response.Source.DOSSIER)),
        dossier_satisfied=Count("id", filter=SATISFIED & Q(source=Response.Source.DOSSIER)),
        overall_n=Count("overall"),
        **{f"{f}_n": Count(f) for f in FACTORS},
        **{f"{f}_s": Count("id", filter=Q(**{f"{f}__gte": 4})) for f in FACTORS},
    ))

    # Feedback by its receipt (no field).
    feedback = Feedback.objects.filter(in_scope(units=units, start=start, end=end,
                                                dated=feedback_sets.received_between))
    counts = dict(
        fb_received=Count("id"),
        fb_answered=Count("id", filter=feedback_sets.ANSWERED),
        fb_answered_on_time=Count("id", filter=feedback_sets.ANSWERED_ON_TIME),
        fb_publishable=Count("id", filter=feedback_sets.PUBLISHABLE),
        fb_published=Count("id", filter=feedback_sets.PUBLISHED),
        fb_rated=Count("id", filter=feedback_sets.RATED),
        fb_rated_satisfied=Count("id", filter=feedback_sets.RATED_SATISFIED),
    )
    month_of = TruncMonth("received_at", output_field=DateField())
    if by == "field":  # feedback has no field: its counts go to the group None
        rows = [{"field_id": None, **feedback.aggregate(**counts)}]
    elif by == "field_month":
        rows = [{"field_id": None, **r} for r in _grouped(feedback, "month", month_of=month_of, **counts)]
    else:
        rows = _grouped(feedback, by, month_of=month_of, **counts)
    add(rows)
    # Groups where every count is zero are left out, as the rollup leaves them out.
    return {key: counts for key, counts in out.items() if any(counts.values())}
