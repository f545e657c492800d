"""Every indicator of docs/domain/indicators.md, computed in the database.

The API, the dashboards, the public page and the Excel report all read from here,
so they can never disagree. Each function runs a fixed number of queries whatever
the number of records: counts are ``Count(..., filter=Q(...))`` grouped by field,
area or unit; Python only adds up the handful of grouped rows.

Which period a record belongs to (docs/domain/indicators.md):
- a completed dossier by its completion time, an open one by its due date (so an
  overdue dossier counts where it fell due); withdrawn (and rejected) dossiers count
  in neither numerator nor denominator;
- feedback by the time it was received;
- a survey response by the time it was submitted (``surveys.selectors``, which holds
  the one definition of a satisfied response);
- a monthly figure by its month (every month the period touches).
"""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from core import access
from core.models import Field, InVietnameseOrder, Unit
from dossiers import selectors as dossier_sets
from feedback import selectors as feedback_sets
from feedback.models import Feedback
from kpi.indicators import BY_KEY, INDICATORS, MONTHLY_KEYS, SCORECARD_KEYS, Period
from kpi import rollup
from kpi.models import MonthlyFigure, PlanTask, Target
from surveys.models import Response

DONE_STATUSES = dossier_sets.DONE
ON_TIME = dossier_sets.ON_TIME


# --- the record sets of a period ---------------------------------------------------------

def _scorecard_fractions(d: dict, f: dict) -> dict:
    return {
        "online_submission_rate": (d.get("online", 0), d.get("received", 0)),
        "end_to_end_rate": (d.get("end_to_end", 0), d.get("received", 0)),
        "e_result_rate": (d.get("e_result", 0), d.get("completed", 0)),
        "digitised_rate": (d.get("digitised", 0), d.get("received", 0)),
        "feedback_satisfaction_rate": (f.get("fb_rated_satisfied", 0), f.get("fb_rated", 0)),
    }




def timely_apologies(*, counts: dict) -> int:
    """Late or overdue dossiers whose apology letter came in time (the indicator's numerator)."""
    return counts.get("late_timely_apology", 0) + counts.get("overdue_timely_apology", 0)


def late_apologies(*, counts: dict) -> int:
    """Late or overdue dossiers whose apology letter came too late (shown beside it)."""
    return counts.get("late_late_apology", 0) + counts.get("overdue_late_apology", 0)


# --- supervision by date (docs/domain/supervision.md) --------------------------------------

def in_scope(*, units, period: Period, dated) -> Q:
    """The rows of ``units`` that belong to ``period``: ``dated(start=, end=)`` is the Q of the
    record's own period rule. Units scoped to an office (``Unit.objects.supervised_by``)
    count only for the days that office supervised each of them, so a period crossing a
    change of office is split between the two offices; units with the same days share one
    condition (``kpi.rollup.windows``), so a province office builds one, not a thousand."""
    q = Q(pk__in=[])
    for ids, first, last in rollup.windows(units=units, start=period.start, end=period.end):
        q |= Q(unit_id__any=ids) & dated(start=first, end=last)
    return q


def dated_at(*, field):
    """The ``dated`` rule of a record that belongs to the local date of its ``field``."""
    return lambda *, start, end: access.date_range_q(field, start, end)


def _dated_months(*, start: datetime.date, end: datetime.date) -> Q:
    """The months whose first day lies in ``start``–``end`` (``Period.figure_months``)."""
    (fy, fm), (ly, lm) = Period(start, end).figure_months()
    return Q(ym__gte=fy * 100 + fm, ym__lte=ly * 100 + lm)


# Where the counts come from: the daily rollup (docs/kpi/rollup.md). kpi.live.sums gives the
# same answer from the records themselves; the property test compares the two.
counts_source = rollup.sums


def _counts(*, units, period: Period, now: datetime.datetime, by: str | None = None) -> dict:
    """``{group: {count: n}}`` of ``period`` for ``units`` (see ``kpi.rollup.sums``)."""
    return counts_source(units=_units_queryset(units), start=period.start, end=period.end, now=now, by=by)


def period_counts(*, units, period: Period, now: datetime.datetime, by: str | None = None) -> dict:
    """The counts of ``period`` grouped ``by`` (None, "unit", "field", "month"), for a page
    that shows them several ways: pass them on as ``counts=`` (rows by field or unit) and
    ``totals(counts=...)`` (cards, SIPAS)."""
    return _counts(units=units, period=period, now=now, by=by)


def regroup(*, counts: dict, part: int) -> dict:
    """Counts by (field, month) added up by field (``part=0``) or by month (``part=1``)."""
    out: dict = {}
    for key, group in counts.items():
        target = out.setdefault(key[part], dict.fromkeys(rollup.OUT_KEYS, 0))
        for name, value in group.items():
            target[name] += value
    return out


def totals(*, counts: dict) -> dict:
    """Every count of ``period_counts`` added up over its groups."""
    return _total(counts)


def _total(counts: dict) -> dict:
    out = dict.fromkeys(rollup.OUT_KEYS, 0)
    for group in counts.values():
        for name, value in group.items():
            out[name] += value
    return out


DOSSIER_KEYS = ("completed", "received", "overdue")


def dossier_counts(*, units, period: Period, now: datetime.datetime | None = None) -> dict:
    """Every count of ``period`` for ``units`` taken together (the numbers behind the
    dossier indicators), office-scoped units counted only for the days they were supervised."""
    return _total(_counts(units=units, period=period, now=now or timezone.now()))


def _feedback(units, period: Period):
    return Feedback.objects.filter(in_scope(units=units, period=period, dated=feedback_sets.received_between))


def _monthly(units, period: Period):
    """Monthly figures of the months whose first day lies in the period (for an office, in
    the days it supervised the unit): ``Period.figure_months``, so that two periods that
    follow each other never count a month twice."""
    return (
        MonthlyFigure.objects.filter(key__in=MONTHLY_KEYS)
        .annotate(ym=F("year") * 100 + F("month"))
        .filter(in_scope(units=units, period=period, dated=_dated_months))
    )


def _targets(units, year: int):
    """Targets of the plans of ``units`` for ``year``; for several units the strictest."""
    return (
        Target.objects.filter(plan__unit__in=units, plan__year=year)
        .values("key", "field_key")
        .annotate(target=Max("value"))
    )


# --- numbers -> rows ------------------------------------------------------------------------

def percent(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` in %, rounded half up to 2 decimals; None when 0/0."""
    if not denominator:
        return None
    if type(numerator) is int and type(denominator) is int and numerator >= 0 and denominator > 0:
        # Counts, the usual case (a province page asks for 13,000 of them): in whole
        # hundredths, floor(x + 1/2) in integers, the Decimal rounding below without its cost
        # (0.16 against 1.3 µs). Both are the double nearest to the same number of hundredths.
        return (numerator * 20000 + denominator) // (2 * denominator) / 100
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(value)


def fractions(*, dossiers: dict | None = None, responses: dict | None = None, feedback: dict | None = None,
              monthly: dict | None = None) -> dict[str, tuple[int, int]]:
    """The indicator formula, in one place: counts -> (numerator, denominator) of every
    indicator (docs/domain/indicators.md). Counts missing from a dict are zero.

    ``dossiers``: on_time, completed, late, overdue, late_no_apology, overdue_no_apology,
    late/overdue_timely_apology, late/overdue_late_apology (``_dossier_counts``); ``responses``: responses, satisfied, dossier_responses,
    dossier_satisfied; ``feedback``: fb_received, fb_answered, fb_answered_on_time,
    fb_publishable, fb_published (``_feedback_counts``); ``monthly``: {key: {"n", "d"}}."""
    d, r, f, m = dossiers or {}, responses or {}, feedback or {}, monthly or {}
    late = d.get("late", 0) + d.get("overdue", 0)
    out = {
        "dossier_on_time_rate": (d.get("on_time", 0), d.get("completed", 0)),
        # Only an apology in time (kịp thời) counts (docs/domain/counting-and-words.md).
        "late_apology_rate": (timely_apologies(counts=d), late),
        "satisfaction_rate": (r.get("satisfied", 0), r.get("responses", 0)),
        "dossier_satisfaction_rate": (r.get("dossier_satisfied", 0), r.get("dossier_responses", 0)),
        "feedback_answered_rate": (f.get("fb_answered", 0), f.get("fb_received", 0)),
        "feedback_on_time_rate": (f.get("fb_answered_on_time", 0), f.get("fb_answered", 0)),
        "feedback_published_rate": (f.get("fb_published", 0), f.get("fb_publishable", 0)),
    }
    for key in MONTHLY_KEYS:
        out[key] = (m.get(key, {}).get("n") or 0, m.get(key, {}).get("d") or 0)
    out.update(_scorecard_fractions(d, f))
    return out


def _row(key: str, field_key: str, numerator: int, denominator: int, target, field_name: str = "",
         name: str | None = None) -> dict:
    value = percent(numerator, denominator)
    target = float(target) if target is not None else None
    name = name or str(BY_KEY[key].name)
    return {
        "key": key,
        "field": field_key or None,
        "name": f"{name} — {field_name}" if field_key else name,
        "target": target,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "met": None if value is None or target is None else value >= target,
    }


def _field_name(field: Field) -> str:
    if (get_language() or "vi").startswith("en") and field.name_en:
        return field.name_en
    return field.name


def _units_queryset(units):
    return units if hasattr(units, "query") else Unit.objects.filter(pk__in=[u.pk for u in units])


def indicator_rows(*, units, period: Period, now: datetime.datetime | None = None, counts: dict | None = None,
                   overall_only: bool = False) -> list[dict]:
    """Every indicator, overall and per field / service area, for ``units`` taken together.

    Four queries whatever the number of units and records: the rollup by field (two, plus
    the dossiers due today), monthly figures, targets, fields. ``counts``: the rollup by
    field, when the caller has it already; with ``overall_only`` (no rows per field) any
    grouping of the period's counts will do."""
    now = now or timezone.now()
    units = _units_queryset(units)
    by_field = counts if counts is not None else _counts(units=units, period=period, now=now, by="field")
    monthly = {r["key"]: r for r in _monthly(units, period).values("key").annotate(n=Sum("numerator"), d=Sum("denominator"))}
    # An office's targets are those of the units it supervised during the period (docs/domain/supervision.md).
    targets = {(t["key"], t["field_key"]): t["target"]
               for t in _targets(units.supervised_during(period.start, period.end), period.year)}
    fields = [] if overall_only else list(Field.objects.all())
    total = _total(by_field)
    overall = fractions(dossiers=total, responses=total, feedback=total, monthly=monthly)

    def row(key, field=None, figures=None):
        if field is None:
            return _row(key, "", *overall[key], targets.get((key, "")))
        return _row(key, field.key, *figures[key], targets.get((key, field.key)), _field_name(field))

    def has(field, *keys):
        return any(by_field.get(field.pk, {}).get(k) for k in keys)

    rows = [row("dossier_on_time_rate")]
    for field in [] if overall_only else fields:
        if field.has_procedures or has(field, *DOSSIER_KEYS):
            rows.append(row("dossier_on_time_rate", field, fractions(dossiers=by_field.get(field.pk))))
    rows += [row("late_apology_rate"), row("satisfaction_rate")]
    for field in [] if overall_only else fields:
        if field.is_survey_area or has(field, "responses"):
            rows.append(row("satisfaction_rate", field, fractions(responses=by_field.get(field.pk))))
    rows += [row(key) for key in ("dossier_satisfaction_rate", "feedback_answered_rate", "feedback_on_time_rate",
                                  "feedback_published_rate", *MONTHLY_KEYS, *SCORECARD_KEYS)]
    return rows


def kpi_report(*, units, period: Period, unit: Unit | None = None, now=None) -> dict:
    """The body of ``GET /api/v1/kpi/`` (docs/interfaces.md)."""
    now = now or timezone.now()
    counts = _counts(units=units, period=period, now=now, by="field")
    return {
        "unit": unit.slug if unit else None,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "indicators": indicator_rows(units=units, period=period, now=now, counts=counts),
        "sipas": sipas_indices(units=units, period=period, counts=_total(counts)),
    }


def dossier_breakdown(*, units, period: Period, now=None) -> dict:
    """The counts behind the dossier cards (late, overdue, without apology...)."""
    return dossier_counts(units=units, period=period, now=now)


def compared_units(*, units, period: Period):
    """The units an office's side-by-side tables list (comparison, scorecards): those it
    supervised on at least one day of the period, not every one it ever did
    (docs/domain/supervision.md); unordered, ``.order_by(InVietnameseOrder("name"))`` for the
    table (docs/decisions/vietnamese-order.md)."""
    return _units_queryset(units).supervised_during(period.start, period.end)


def unit_comparison(*, units, period: Period, now=None, keys=None, counts: dict | None = None,
                    only=None) -> list[dict]:
    """One entry per unit with its overall indicator rows, for the office's side-by-side
    view: ``[{unit, has_targets, missing_targets: [keys], rows: {key: row}}]``, the units in
    Vietnamese order.

    Five queries whatever the number of units and records: units, the rollup by unit (two,
    plus the dossiers due today), monthly figures, targets. ``keys``: the indicators wanted
    in ``rows`` (default every one); ``only``: the ids of the units wanted (a page of the
    table, ``comparison_order``), else every unit compared."""
    now = now or timezone.now()
    scope = compared_units(units=units, period=period)
    if only is not None:
        scope = scope.filter(pk__in=only)
    units = list(scope.order_by(InVietnameseOrder("name")))
    if counts is None:
        counts = _counts(units=scope, period=period, now=now, by="unit")
    monthly = _monthly_by_unit(scope, period)
    targets = _targets_by_unit(scope, period)

    wanted = keys or [i.key for i in INDICATORS]
    names = {key: str(BY_KEY[key].name) for key in wanted}
    out = []
    for unit in units:
        c = counts.get(unit.pk, {})
        figures = fractions(dossiers=c, responses=c, feedback=c, monthly={
            key: monthly.get((unit.pk, key), {}) for key in MONTHLY_KEYS})
        rows = {key: _row(key, "", *figures[key], targets.get((unit.pk, key)), name=names[key]) for key in wanted}
        missing = [i.key for i in INDICATORS if (unit.pk, i.key) not in targets]
        out.append({"unit": unit, "has_targets": not missing, "missing_targets": missing, "rows": rows})
    return out


def _monthly_by_unit(scope, period: Period) -> dict:
    """``{(unit id, key): {"n", "d"}}``: the monthly figures of the period, by unit."""
    rows = _monthly(scope, period).values("unit_id", "key").annotate(n=Sum("numerator"), d=Sum("denominator"))
    return {(r["unit_id"], r["key"]): r for r in rows}


def _targets_by_unit(scope, period: Period) -> dict:
    """``{(unit id, key): target}``: each unit's overall targets for the period's year."""
    # The units as a subquery: a province's thousand ids as parameters cost Django more to
    # compile than PostgreSQL takes to answer.
    rows = Target.objects.filter(plan__unit__in=scope, plan__year=period.year, field_key="").values_list(
        "plan__unit_id", "key", "value")
    return {(unit_id, key): value for unit_id, key, value in rows}


def comparison_order(*, units, period: Period, counts: dict, key: str | None = None,
                     descending: bool = False) -> list[int]:
    """The ids of the units ``unit_comparison`` compares, in the table's order: by name in
    Vietnamese order (``key`` None), else by the value of indicator ``key``, units without a
    value last either way and equal values in name order. ``counts``: the period's counts by
    unit. A province's thousand units are ordered from their counts alone, so that only a
    page of them is then built (``unit_comparison(only=...)``)."""
    scope = compared_units(units=units, period=period)
    ids = list(scope.order_by(InVietnameseOrder("name")).values_list("pk", flat=True))
    if key is None:
        return ids[::-1] if descending else ids
    monthly = _monthly_by_unit(scope, period) if key in MONTHLY_KEYS else {}
    values = {}
    for pk in ids:
        c = counts.get(pk, {})
        values[pk] = percent(*fractions(dossiers=c, responses=c, feedback=c, monthly={
            key: monthly.get((pk, key), {})})[key])
    # Stable sorts: equal values keep name order; units without a value go last.
    ids.sort(key=lambda pk: values[pk] or 0, reverse=descending)
    ids.sort(key=lambda pk: values[pk] is None)
    return ids


def units_with_all_targets(*, units, period: Period) -> int:
    """How many of the units compared have an overall target for every indicator in their plan
    of the period's year (``unit_comparison``'s ``has_targets``, counted in the database)."""
    return (Target.objects.filter(plan__unit__in=compared_units(units=units, period=period), plan__year=period.year,
                                  field_key="", key__in=[i.key for i in INDICATORS])
            .values("plan__unit_id").annotate(n=Count("key", distinct=True)).filter(n=len(INDICATORS)).count())


def monthly_series(*, units, period: Period, now=None, counts: dict | None = None) -> dict:
    """Month by month, for the dashboard's charts: ``{"labels": ["01/2026", ...],
    "series": {key: [value or None per month]}}`` for the main measured indicators
    and the monthly figures. ``counts``: the period's counts by month, when the caller
    has them already."""
    now = now or timezone.now()
    units = _units_queryset(units)
    if counts is None:
        counts = _counts(units=units, period=period, now=now, by="month")
    counts = {(m.year, m.month): c for m, c in counts.items()}
    monthly = {
        (r["year"], r["month"], r["key"]): r
        for r in _monthly(units, period).values("year", "month", "key").annotate(n=Sum("numerator"), d=Sum("denominator"))
    }
    months = period.months()
    series = {key: [] for key in ("dossier_on_time_rate", "late_apology_rate", "satisfaction_rate", "feedback_answered_rate", *MONTHLY_KEYS)}
    for ym in months:
        c = counts.get(ym, {})
        figures = fractions(dossiers=c, responses=c, feedback=c, monthly={
            key: monthly.get((*ym, key), {}) for key in MONTHLY_KEYS})
        for key, values in series.items():
            values.append(percent(*figures[key]))
    return {
        "labels": [f"{month:02d}/{year}" for year, month in months],
        "series": series,
        "names": {key: str(BY_KEY[key].name) for key in series},
    }


def current_year_public_rates(*, unit: Unit, today: datetime.date | None = None) -> list[dict]:
    """The rates the plan requires a unit to publish (on time, satisfaction overall and per
    service area) for the current year, rows with no records left out."""
    period = Period.year_to_date(today)
    keep = {"dossier_on_time_rate": {""}, "satisfaction_rate": None, "dossier_satisfaction_rate": {""}}
    rows = indicator_rows(units=Unit.objects.filter(pk=unit.pk), period=period)
    return [
        r for r in rows
        if r["key"] in keep and r["denominator"] and (keep[r["key"]] is None or (r["field"] or "") in keep[r["key"]])
    ]


# --- the plan's tasks ----------------------------------------------------------------------

def plan_task_groups(*, plan) -> list[dict]:
    """The plan's tasks in the plan's groups, in the plan's order: ``[{key, name, tasks}]``
    (every group, empty ones too, so the written report has all its sections)."""
    tasks = list(plan.tasks.prefetch_related("evidence").order_by("position", "id"))
    return [
        {"key": key, "name": name, "tasks": [t for t in tasks if t.group == key]}
        for key, name in PlanTask.Group.choices
    ]


def overdue_tasks(*, unit, today: datetime.date):
    """Tasks of ``unit``'s plans past their deadline and not done, soonest first."""
    return list(
        PlanTask.objects.filter(plan__unit=unit, deadline__lt=today, progress__lt=100)
        .select_related("plan").order_by("deadline", "id")
    )


# --- SIPAS: satisfaction index per factor (docs/domain/counting-and-words.md) -------------

def sipas_indices(*, units, period: Period, counts: dict | None = None) -> dict:
    """The SIPAS satisfaction index beside "overall": for each of the five factors
    (access, procedure, staff, result, feedback handling) the share of its answers rated
    4 or 5, and the mean of the five indices (factors nobody answered left out).
    ``counts``: the period's totals, when the caller has them already.

    ``{"overall": row, "factors": [row], "mean": value}``, each row
    ``{key, name, value, numerator, denominator}``; the API, the dashboard and the Excel
    report all read this."""
    from surveys.models import FACTORS

    if counts is None:
        counts = _total(_counts(units=units, period=period, now=timezone.now()))
    labels = {f.name: str(f.verbose_name) for f in Response._meta.fields}

    def row(key):
        n, s = (counts["overall_n"], counts["satisfied"]) if key == "overall" else (counts[f"{key}_n"], counts[f"{key}_s"])
        return {"key": key, "name": labels[key], "value": percent(s, n), "numerator": s, "denominator": n}

    factors = [row(key) for key in FACTORS]
    values = [Decimal(str(f["value"])) for f in factors if f["value"] is not None]
    mean = float((sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) if values else None
    return {"overall": row("overall"), "factors": factors, "mean": mean}
