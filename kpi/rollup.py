"""The daily rollup of the indicators' counts (docs/kpi/rollup.md).

``DayCount`` holds, per (unit, field, local day), the counts every indicator needs;
``MonthCount`` the sum of a month's day rows. The dashboards, the office's comparison,
the KPI API and the Excel report read them (``sums``) instead of aggregating the records,
so an office of a thousand schools reads twelve rows per school and field for a year.

Kept exact, in the transaction of the change:

- a record's *counts* are what it adds to the day rows and month rows of its sources (a
  dossier's completion day, due day while its clock runs and receipt day; a survey answer's
  submission day; a feedback item's receipt day), computed in the database with the same
  conditions as the live selectors (``_sources``);
- every save or delete of a counted record (dossier, apology, electronic result,
  procedure's online level, response, feedback, rating of an answer) takes the record's
  counts away before the change and adds them again after (``kpi.receivers``, ``apply``):
  one statement each, compiled once; additions commute, so concurrent changes of one unit
  need no lock beyond the rows' own;
- the deadline and feedback sweeps write only marking columns (``overdue_at``,
  ``warned_at``…), which no count reads, so they leave the rollup as it is;
- ``manage.py rebuild_kpi_rollup`` recounts everything (after a bulk load or a restore).

The one count that depends on the clock, "overdue" (open, clock running, past its due
time), is the ``running`` count of the days before today, plus the dossiers due today
whose due time has passed, counted live.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import BigIntegerField, Count, F, Q, Sum, Value
from django.db.models.functions import Cast, TruncDate, TruncMonth
from django.utils import timezone

from core import access
from core import db as core_db
from dossiers import selectors as dossier_sets
from dossiers.models import Dossier
from feedback import selectors as feedback_sets
from feedback.models import Feedback
from kpi.models import Counts, DayCount, MonthCount
from surveys.models import FACTORS, Response
from surveys.selectors import SATISFIED


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


# --- the sources: which records fill which columns, by which day ---------------------------

@dataclass(frozen=True)
class Source:
    name: str
    model: type
    field: str  # the column giving the rollup's field (None: no field)
    day: object  # expression: the record's local day in this source
    where: Q  # records that belong to the source at all
    columns: dict  # rollup column -> Count(...)

    def queryset(self):
        field = F(self.field) if self.field else Cast(Value(None), BigIntegerField())
        return (
            self.model.objects.filter(self.where)
            .annotate(r_field=field, r_day=self.day)
            .values("unit_id", "r_field", "r_day")
            .annotate(**self.columns)
            .order_by()
        )


def _sources() -> dict[str, Source]:
    done = Q(status__in=dossier_sets.DONE)
    late = Q(timeliness=Dossier.Timeliness.LATE)
    apology = dossier_sets.APOLOGY
    sources = [
        Source(
            "completed", Dossier, "field_id", TruncDate("completed_at", tzinfo=_tz()),
            done,
            {
                "completed": Count("id"),
                "on_time": Count("id", filter=Q(timeliness__in=dossier_sets.ON_TIME)),
                "late": Count("id", filter=late),
                "late_no_apology": Count("id", filter=late & apology["none"]),
                "late_timely_apology": Count("id", filter=late & apology["timely"]),
                "late_late_apology": Count("id", filter=late & apology["late"]),
                "e_result": Count("id", filter=dossier_sets.with_electronic_result()),
            },
        ),
        Source(
            "running", Dossier, "field_id", F("due_date"),
            Q(status__in=dossier_sets.RUNNING),
            {
                "running": Count("id"),
                "running_no_apology": Count("id", filter=apology["none"]),
                "running_timely_apology": Count("id", filter=apology["timely"]),
                "running_late_apology": Count("id", filter=apology["late"]),
            },
        ),
        Source(
            "received", Dossier, "field_id", TruncDate("received_at", tzinfo=_tz()),
            Q(),
            {
                "received": Count("id"),
                "online": Count("id", filter=dossier_sets.SUBMITTED_ONLINE),
                "end_to_end": Count("id", filter=dossier_sets.END_TO_END),
                "digitised": Count("id", filter=dossier_sets.with_digitised_components()),
            },
        ),
        Source(
            "responses", Response, "area_id", TruncDate("submitted_at", tzinfo=_tz()),
            Q(),
            {
                "responses": Count("id"),
                "satisfied": Count("id", filter=SATISFIED),
                "dossier_responses": Count("id", filter=Q(source=Response.Source.DOSSIER)),
                "dossier_satisfied": Count("id", filter=SATISFIED & Q(source=Response.Source.DOSSIER)),
                "overall_n": Count("overall"),
                **{f"{f}_n": Count(f) for f in FACTORS},
                **{f"{f}_s": Count("id", filter=Q(**{f"{f}__gte": 4})) for f in FACTORS},
            },
        ),
        Source(
            "feedback", Feedback, None, TruncDate("received_at", tzinfo=_tz()),
            Q(),
            {
                "fb_received": Count("id"),
                "fb_answered": Count("id", filter=feedback_sets.ANSWERED),
                "fb_answered_on_time": Count("id", filter=feedback_sets.ANSWERED_ON_TIME),
                "fb_publishable": Count("id", filter=feedback_sets.PUBLISHABLE),
                "fb_published": Count("id", filter=feedback_sets.PUBLISHED),
                "fb_rated": Count("id", filter=feedback_sets.RATED),
                "fb_rated_satisfied": Count("id", filter=feedback_sets.RATED_SATISFIED),
            },
        ),
    ]
    return {s.name: s for s in sources}


COLUMNS = [f.name for f in Counts._meta.get_fields() if f.name not in ("unit", "field")]
RUNNING_COLUMNS = ("running", "running_no_apology", "running_timely_apology", "running_late_apology")
DOSSIER_SOURCES = ("completed", "running", "received")


# --- adding and taking away a record's counts (the write path) ---------------------------

MARKER = "__kpi_rollup_ids__"  # the place of the ids in a compiled statement
_compiled: dict = {}


def _union(querysets: list, columns=COLUMNS) -> tuple[str, list]:
    """The sources' querysets ([(source, queryset)]) as one UNION ALL of rows (unit_id,
    r_field, r_day, ``columns``; 0 for those a source does not fill), and its params."""
    parts, params = [], []
    for source, queryset in querysets:
        sql, source_params = queryset.query.sql_with_params()
        values = ", ".join(f"s.{c}" if c in source.columns else f"0 AS {c}" for c in columns)
        parts.append(f"SELECT s.unit_id, s.r_field, s.r_day, {values} FROM ({sql}) s "  # noqa: S608 - ORM SQL
                     "WHERE s.r_day IS NOT NULL")
        params += list(source_params)
    return " UNION ALL ".join(parts), params


def _contribution_sql(names: tuple[str, ...], key: str) -> tuple[str, dict, list[str]]:
    """One statement that adds ``sign`` × the counts of the records whose ``key`` is in the
    ids to their day rows and month rows, compiled once from the sources' querysets (the
    same conditions as the live counts) with a marker where the ids go."""
    if (names, key) in _compiled:
        return _compiled[(names, key)]
    from django.db.models.expressions import RawSQL

    ids = RawSQL("SELECT unnest(%s::bigint[])", [MARKER])
    sources = _sources()
    # Only the columns these sources fill are summed and updated; the others are written as 0
    # when a row is new and left as they are otherwise. A survey answer's statement handles its
    # 15 columns instead of all 40, and PostgreSQL sets up every expression of a statement on each
    # execution: about 0.08 ms (a tenth) less machine time per answer (docs/kpi/rollup.md).
    filled = [c for c in COLUMNS if any(c in sources[n].columns for n in names)]
    union, params = _union([(sources[n], sources[n].queryset().filter(**{f"{key}__in": ids})) for n in names],
                           filled)
    cols = ", ".join(COLUMNS)
    # c has one row per (unit, field, day): the day rows take it as it is, the month rows add up its days.
    by_day = ", ".join(f"%(sign)s * {c}" if c in filled else "0" for c in COLUMNS)
    by_month = ", ".join(f"%(sign)s * SUM({c})" if c in filled else "0" for c in COLUMNS)
    add = {table: ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in filled)
           for table in (DayCount._meta.db_table, MonthCount._meta.db_table)}
    sql = (
        f"WITH c AS (SELECT unit_id, r_field, r_day, {', '.join(f'SUM({c}) AS {c}' for c in filled)} "  # noqa: S608
        f"FROM ({union}) a GROUP BY 1, 2, 3), "
        f"d AS (INSERT INTO {DayCount._meta.db_table} (unit_id, field_id, day, {cols}) "
        f"SELECT unit_id, r_field, r_day, {by_day} FROM c ORDER BY 1, 2, 3 "
        f"ON CONFLICT (unit_id, field_id, day) DO UPDATE SET {add[DayCount._meta.db_table]}) "
        f"INSERT INTO {MonthCount._meta.db_table} (unit_id, field_id, month, {cols}) "
        f"SELECT unit_id, r_field, date_trunc('month', r_day)::date, {by_month} FROM c GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 "
        f"ON CONFLICT (unit_id, field_id, month) DO UPDATE SET {add[MonthCount._meta.db_table]}"
    )
    # Rows are written in key order, so that two transactions lock them in the same order.
    # psycopg2 takes one style of placeholder: the positional ones become named.
    named = {}
    for n, value in enumerate(params):
        named[f"p{n}"] = value
    for n in range(len(params)):
        sql = sql.replace("%s", f"%(p{n})s", 1)
    markers = [k for k, v in named.items() if v == MARKER]
    _compiled[(names, key)] = (sql, named, markers)
    return _compiled[(names, key)]


def apply(*, sources: tuple[str, ...], key: str = "id", ids, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the counts of the records whose ``key`` is in
    ``ids`` in the current transaction: the receivers take a record away before it
    changes and add it again after (docs/kpi/rollup.md). Additions commute, so concurrent
    changes of one unit need no lock beyond the rows' own."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return
    if connection.vendor != "postgresql":
        return _apply_rows(sources=sources, key=key, ids=ids, sign=sign)
    sql, params, markers = _contribution_sql(tuple(sources), key)
    # Prepared and planned once per connection (core/db.py): planning this statement took
    # 0.7–1.4 ms, four times its execution (docs/decisions/prepared-statements.md).
    with connection.cursor() as cursor:
        core_db.execute(cursor, sql, {**params, **dict.fromkeys(markers, list(ids)), "sign": sign}, generic=True)


def _apply_rows(*, sources, key, ids, sign) -> None:
    """``apply`` row by row through the ORM, for databases without INSERT … ON CONFLICT in a
    WITH (SQLite in development)."""
    from django.db.models import F as Col

    all_sources = _sources()
    for name in sources:
        source = all_sources[name]
        for r in source.queryset().filter(**{f"{key}__in": ids}):
            if r["r_day"] is None:
                continue
            values = {c: r[c] * sign for c in source.columns}
            for model, when, value in ((DayCount, "day", r["r_day"]), (MonthCount, "month", r["r_day"].replace(day=1))):
                match = {"unit_id": r["unit_id"], "field_id": r["r_field"], when: value}
                if not model.objects.filter(**match).update(**{c: Col(c) + v for c, v in values.items()}):
                    model.objects.create(**match, **values)


# --- rebuilding -----------------------------------------------------------------------------

def rebuild(*, say=lambda *a: None) -> dict:
    """Recount every cell from the records: one INSERT … SELECT of all the sources (the
    same querysets as the incremental recount), written in day order so that a period
    reads neighbouring pages, then the months. Returns the row counts."""
    with transaction.atomic():
        if connection.vendor == "postgresql":  # no dead rows left behind; readers wait for the commit
            with connection.cursor() as cursor:
                # Deferred foreign-key checks of this transaction first: TRUNCATE refuses pending ones.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("TRUNCATE kpi_daycount, kpi_monthcount")
        else:
            MonthCount.objects.all().delete()
            DayCount.objects.all().delete()
        union, params = _union([(source, source.queryset()) for source in _sources().values()])
        cols = ", ".join(COLUMNS)
        sums = ", ".join(f"SUM({c})" for c in COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {DayCount._meta.db_table} (unit_id, field_id, day, {cols}) "  # noqa: S608 - our columns
                f"SELECT unit_id, r_field, r_day, {sums} FROM ({union}) a "
                f"GROUP BY unit_id, r_field, r_day ORDER BY r_day, unit_id",
                params,
            )
        say("  days: done")
        _months_from_days()
        say("  months: done")
        from kpi import dashboard_cache

        dashboard_cache.changed_everywhere()  # every cached dashboard was counted before
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE kpi_daycount; ANALYZE kpi_monthcount")
    return {"days": DayCount.objects.count(), "months": MonthCount.objects.count()}


def _day_sums_by_month() -> str:
    """The day rows added up per (unit, field, month): what the month rows must hold. One
    statement for the rebuild (which writes it) and the check (which compares with it)."""
    month = "date_trunc('month', day)::date" if connection.vendor == "postgresql" else "date(day, 'start of month')"
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COLUMNS)
    return (f"SELECT unit_id, field_id, {month} AS month, {sums} "  # noqa: S608 - our columns
            f"FROM {DayCount._meta.db_table} GROUP BY unit_id, field_id, {month}")


def _months_from_days() -> None:
    cols = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MonthCount._meta.db_table} (unit_id, field_id, month, {cols}) "  # noqa: S608
            f"SELECT unit_id, field_id, month, {cols} FROM ({_day_sums_by_month()}) d ORDER BY month, unit_id"
        )


def months_unlike_their_days(limit: int = 5) -> list[tuple]:
    """(unit id, field id, month) of month rows that are not the sum of their day rows (a
    month with day rows and no month row, or the reverse, included): at most ``limit``.
    The readers take whole months from the month rows and the edges of a period from the
    day rows, so ``rebuild_kpi_rollup --check`` compares both (PostgreSQL)."""
    differs = " OR ".join(f"COALESCE(d.{c}, 0) <> COALESCE(m.{c}, 0)" for c in COLUMNS)
    sql = (f"SELECT COALESCE(d.unit_id, m.unit_id), COALESCE(d.field_id, m.field_id), COALESCE(d.month, m.month) "  # noqa: S608
           f"FROM ({_day_sums_by_month()}) d FULL JOIN {MonthCount._meta.db_table} m ON m.unit_id = d.unit_id "
           f"AND m.field_id IS NOT DISTINCT FROM d.field_id AND m.month = d.month WHERE {differs} "
           f"ORDER BY 1, 2, 3 LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return cursor.fetchall()


# --- reading --------------------------------------------------------------------------------

def windows(*, units, start: datetime.date, end: datetime.date) -> list[tuple[list, datetime.date, datetime.date]]:
    """(unit ids, first day, last day): the whole period for plain units; for units
    scoped to an office the days it supervised each (docs/domain/supervision.md), units
    with the same days grouped so that a province of one office reads one range."""
    office = getattr(units, "office_scope", None)
    if office is None:
        return [(list(units.order_by().values_list("pk", flat=True)), start, end)]
    wanted = set(units.order_by().values_list("pk", flat=True))
    # Clipped to start..end, every window has a last day.
    return access.grouped_supervision_windows(office, start, end, among=wanted)


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _split(first: datetime.date, last: datetime.date):
    """``first``..``last`` as (day ranges, month ranges): the whole months read from
    ``MonthCount`` (by their first day), the partial months at either end from ``DayCount``."""
    if first > last:
        return [], []
    whole_from = first if first.day == 1 else _month_after(first)
    after_last = last + datetime.timedelta(days=1)
    whole_until = after_last if after_last.day == 1 else last.replace(day=1)  # exclusive
    if whole_from >= whole_until:
        return [(first, last)], []
    days = []
    if first < whole_from:
        days.append((first, whole_from - datetime.timedelta(days=1)))
    if whole_until <= last:
        days.append((whole_until, last))
    return days, [(whole_from, whole_until - datetime.timedelta(days=1))]


def _month_end(day: datetime.date) -> datetime.date:
    return _month_after(day) - datetime.timedelta(days=1)


def _ranges(windows, *, cap: datetime.date, kind: str) -> list[tuple[list, datetime.date, datetime.date]]:
    """The rollup rows of the windows as (unit ids, first, last) ranges of ``kind``:

    - "months": the whole months of each window (``MonthCount``);
    - "days": the days of its partial months (``DayCount``);
    - "after_cap": the days after ``cap`` (the last day whose open dossiers count as
      overdue) in the whole month that holds ``cap``. That month's row counts all its running
      dossiers as overdue; these day rows are the ones to take away again. A period that
      holds the whole of that month (a year, a quarter, "this month") thus reads one month
      row and a few days of four columns, instead of the month's day rows with every column.

    Adjacent ranges are joined again, so that each window reads one range of an index."""
    out = []
    for ids, first, last in windows:
        days, months = _split(first, last)
        if kind == "after_cap":
            after = cap + datetime.timedelta(days=1)
            parts = [(after, _month_end(cap)) for a, b in months if a <= cap and after <= _month_end(cap) <= b]
        else:
            parts = months if kind == "months" else days
        ranges = []
        for a, b in parts:
            if ranges and ranges[-1][1] + datetime.timedelta(days=1) == a:
                ranges[-1] = (ranges[-1][0], b)
            else:
                ranges.append((a, b))
        out += [(ids, a, b) for a, b in ranges]
    return out


def _rows_sql(model, *, ranges, cap, by, after_cap: bool = False) -> tuple[str, dict]:
    """PostgreSQL: the sums of the rollup rows in ``ranges`` grouped ``by``, as plain SQL
    (the ORM spent more time compiling forty sums than the database spent adding them).
    Running columns count up to ``cap``; ``after_cap``: only the running columns, whole
    (the day rows to take away from the month that holds ``cap``)."""
    when = "day" if model is DayCount else "month"
    month = "date_trunc('month', day)::date" if when == "day" else "month"
    group = {None: [], "unit": ["unit_id"], "field": ["field_id"], "month": [month],
             "field_month": ["field_id", month]}[by]
    names = {"unit_id": "unit_id", "field_id": "field_id", month: "m"}
    params = {"cap": cap}
    where = []
    for n, (ids, a, b) in enumerate(ranges):
        params.update({f"u{n}": ids, f"a{n}": a, f"b{n}": b})
        # One array however many units: PostgreSQL (14 and later) searches a long constant array
        # through a hash, and unlike a join with the list it can then add a province's rows up in
        # parallel (docs/decisions/long-id-lists.md).
        where.append(f"(unit_id = ANY(%(u{n})s::bigint[]) AND {when} BETWEEN %(a{n})s AND %(b{n})s)")
    if after_cap:
        sums = [f"SUM({c}) AS s_{c}" for c in RUNNING_COLUMNS]
    else:
        sums = [f"SUM({c}) AS s_{c}" for c in MAIN_COLUMNS]
        sums += [f"SUM({c}) FILTER (WHERE {when} <= %(cap)s) AS s_{c}" for c in RUNNING_COLUMNS]
    select = ", ".join([f"{g} AS {names[g]}" for g in group] + sums)
    sql = f"SELECT {select} FROM {model._meta.db_table} WHERE {' OR '.join(where)}"  # noqa: S608 - our columns
    if group:
        sql += f" GROUP BY {', '.join(str(i + 1) for i in range(len(group)))}"
    return sql, params


def _rows(model, *, scope, cap, by, after_cap: bool = False) -> list[dict]:
    monthly = model is MonthCount
    ranges = _ranges(scope, cap=cap, kind="after_cap" if after_cap else "months" if monthly else "days")
    if not ranges:
        return []
    # The database the router picks for reads (a replica for the dashboards, core/replica.py).
    db = connections[router.db_for_read(model)]
    if db.vendor == "postgresql":
        sql, params = _rows_sql(model, ranges=ranges, cap=cap, by=by, after_cap=after_cap)
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [c.name for c in cursor.description]
            return [dict(zip(columns, row)) for row in cursor.fetchall()]
    day_field = "month" if monthly else "day"  # other databases (SQLite in development): the ORM
    q = Q(pk__in=[])
    for ids, a, b in ranges:
        q |= Q(unit_id__in=ids, **{f"{day_field}__gte": a, f"{day_field}__lte": b})
    qs = model.objects.filter(q)
    if after_cap:
        aggregates = {f"s_{c}": Sum(c) for c in RUNNING_COLUMNS}
    else:
        aggregates = {**{f"s_{c}": Sum(c) for c in MAIN_COLUMNS},
                      **{f"s_{c}": Sum(c, filter=Q(**{f"{day_field}__lte": cap})) for c in RUNNING_COLUMNS}}
    if by is None:
        return [qs.aggregate(**aggregates)]
    if "m" in GROUPS[by]:
        qs = qs.annotate(m=F("month") if monthly else TruncMonth(day_field))
    return list(qs.values(*GROUPS[by]).annotate(**aggregates).order_by())


GROUPS = {None: (), "unit": ("unit_id",), "field": ("field_id",), "month": ("m",), "field_month": ("field_id", "m")}


def group_key(row: dict, by: str | None):
    """The group of a row: None, one value, or (field, month) for ``field_month``."""
    names = GROUPS[by]
    return tuple(row[n] for n in names) if len(names) > 1 else row[names[0]] if names else None
MAIN_COLUMNS = [c for c in COLUMNS if c not in RUNNING_COLUMNS]


def sums(*, units, start: datetime.date, end: datetime.date, now: datetime.datetime, by: str | None = None) -> dict:
    """Every count of ``start``..``end`` for ``units`` (office-scoped units for the days
    they were supervised), from the rollup: ``{group: {count: n}}`` with ``group`` None,
    a unit id, a field id, a month's first day or (field id, month) (``by`` None, "unit",
    "field", "month", "field_month"); groups with no count left out.
    The keys are those of the live counts (``kpi.live.sums``): ``overdue`` and its
    apology splits instead of ``running``. Four queries at most: day rows, month rows, the
    running days after yesterday in the month that holds it, the dossiers due today."""
    today = timezone.localdate(now)
    cap = today - datetime.timedelta(days=1)
    scope = windows(units=units, start=start, end=end)
    out: dict = defaultdict(lambda: dict.fromkeys(OUT_KEYS, 0))
    for model in (DayCount, MonthCount):
        for r in _rows(model, scope=scope, cap=cap, by=by):
            target = out[group_key(r, by)]
            for out_key, read in _READS:
                target[out_key] += r[read] or 0
    # The month that holds ``cap`` was read whole: its running days after ``cap`` are not overdue.
    for r in _rows(DayCount, scope=scope, cap=cap, by=by, after_cap=True):
        target = out[group_key(r, by)]
        for out_key, read in _OVERDUE_READS:
            target[out_key] -= r[read] or 0
    for key, counts in _due_today(scope, today, now, by).items():
        for name, value in counts.items():
            out[key][name] += value
    return {key: counts for key, counts in out.items() if any(counts.values())}


OVERDUE_KEYS = ("overdue", "overdue_no_apology", "overdue_timely_apology", "overdue_late_apology")
OUT_KEYS = tuple(c for c in COLUMNS if c not in RUNNING_COLUMNS) + OVERDUE_KEYS
# (count in the answer, the sum of the rollup row it adds up to it): named once, not for every
# row of a province (a thousand rows of 38 sums). The running columns become the overdue counts.
_MAIN_READS = tuple((c, f"s_{c}") for c in MAIN_COLUMNS)
_OVERDUE_READS = tuple((out_key, f"s_{c}") for c, out_key in zip(RUNNING_COLUMNS, OVERDUE_KEYS, strict=True))
_READS = _MAIN_READS + _OVERDUE_READS


def _due_today(windows, today, now, by) -> dict:
    """Open dossiers due today whose due time has passed (live, a handful). A dossier's
    due time lies on its due date (``workdays.due_at``), so those due earlier are all
    overdue (the rollup's running days before today) and those due later none."""
    q = Q(pk__in=[])
    for ids, first, last in windows:
        if first <= today <= last:
            q |= Q(unit_id__any=ids)
    apology = dossier_sets.APOLOGY
    qs = Dossier.objects.filter(q, due_date=today).filter(dossier_sets.overdue_as_of(now=now))
    aggregates = dict(
        overdue=Count("id"),
        overdue_no_apology=Count("id", filter=apology["none"]),
        overdue_timely_apology=Count("id", filter=apology["timely"]),
        overdue_late_apology=Count("id", filter=apology["late"]),
    )
    if by is None:
        return {None: qs.aggregate(**aggregates)}
    if "m" in GROUPS[by]:
        qs = qs.annotate(m=TruncMonth("due_date"))
    rows = qs.values(*GROUPS[by]).annotate(**aggregates).order_by()
    return {group_key(r, by): {k: r[k] for k in OVERDUE_KEYS} for r in rows}
