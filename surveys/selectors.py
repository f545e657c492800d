"""Reads of survey responses for pages and the KPI selectors.

A response is *satisfied* when its overall rating is 4 or 5 (docs/domain/surveys.md);
``SATISFIED`` is the one place that rule is written."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.models import Field
from surveys.models import FACTORS, Questionnaire, Response

SATISFIED = Q(overall__gte=4)


def rate(satisfied: int, responses: int) -> Decimal | None:
    """Percentage rounded to two decimals; None when nobody answered."""
    if not responses:
        return None
    return (Decimal(satisfied) * 100 / Decimal(responses)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def responses_in(*, units, start: datetime.datetime, end: datetime.datetime, source: str | None = None,
                 area: str | None = None, satisfied: bool = False, where: Q | None = None):
    """Responses of ``units`` submitted in [start, end), optionally of one ``source``
    (dossier | open), one area (field key) or the satisfied ones only; ``where`` narrows
    further (e.g. to the days an office supervised each unit)."""
    qs = Response.objects.filter(unit__in=units, submitted_at__gte=start, submitted_at__lt=end)
    if where is not None:
        qs = qs.filter(where)
    if source:
        qs = qs.filter(source=source)
    if area:
        qs = qs.filter(area__key=area)
    if satisfied:
        qs = qs.filter(SATISFIED)
    return qs


def satisfaction_by_area(*, units, start, end, source: str | None = None, **narrow) -> list[dict]:
    """One query: ``[{"area_key": key, "responses": n, "satisfied": n}]`` per service area."""
    return list(
        responses_in(units=units, start=start, end=end, source=source, **narrow)
        .values(area_key=F("area__key"))
        .annotate(responses=Count("id"), satisfied=Count("id", filter=SATISFIED))
        .order_by("area_key")
        .values("area_key", "responses", "satisfied")
    )


def satisfaction_by_area_and_source(*, units, start, end, where: Q | None = None) -> list[dict]:
    """One query: ``[{"area_key", "source", "responses", "satisfied"}]`` — the KPI needs
    every area and the dossier surveys alone, and sums them from these rows."""
    return list(
        responses_in(units=units, start=start, end=end, where=where)
        .values(area_key=F("area__key"))
        .annotate(responses=Count("id"), satisfied=Count("id", filter=SATISFIED))
        .values("area_key", "source", "responses", "satisfied")
        .order_by("area_key", "source")
    )


def satisfaction_summary(*, units, start, end, **narrow) -> dict:
    """One query: responses and satisfied overall and per source, with rates.
    ``narrow``: ``source``, ``area``, ``satisfied`` as in ``responses_in``."""
    qs = responses_in(units=units, start=start, end=end, **narrow)
    row = qs.aggregate(
        responses=Count("id"),
        satisfied=Count("id", filter=SATISFIED),
        dossier_responses=Count("id", filter=Q(source=Response.Source.DOSSIER)),
        dossier_satisfied=Count("id", filter=SATISFIED & Q(source=Response.Source.DOSSIER)),
        open_responses=Count("id", filter=Q(source=Response.Source.OPEN)),
        open_satisfied=Count("id", filter=SATISFIED & Q(source=Response.Source.OPEN)),
    )
    row["rate"] = rate(row["satisfied"], row["responses"])
    row["dossier_rate"] = rate(row["dossier_satisfied"], row["dossier_responses"])
    row["open_rate"] = rate(row["open_satisfied"], row["open_responses"])
    return row


def area_rows(*, units, start, end, **narrow) -> list[dict]:
    """Every survey area (also those nobody answered yet), and any other field that
    dossier surveys were answered in, with its counts and rate: two queries."""
    counts = {r["area_key"]: r for r in satisfaction_by_area(units=units, start=start, end=end, **narrow)}
    rows = []
    areas = Field.objects.filter(Q(is_survey_area=True) | Q(key__in=list(counts))).order_by("-is_survey_area", "position", "key")
    for area in areas:
        c = counts.get(area.key, {"responses": 0, "satisfied": 0})
        rows.append({
            "area": area, "area_key": area.key, "responses": c["responses"], "satisfied": c["satisfied"],
            "rate": rate(c["satisfied"], c["responses"]),
        })
    return rows


def factor_averages(*, units, start, end, **narrow) -> list[dict]:
    """One query: ``[{"key", "average", "answers"}]`` for the five factors and overall.
    A factor left blank does not count in its average."""
    keys = (*FACTORS, "overall")
    aggregates = {}
    for key in keys:
        aggregates[f"{key}_avg"] = Avg(key)
        aggregates[f"{key}_n"] = Count(key)
    row = responses_in(units=units, start=start, end=end, **narrow).aggregate(**aggregates)
    labels = {f.name: f.verbose_name for f in Response._meta.fields}
    return [
        {
            "key": key,
            "label": labels[key],
            "average": None if row[f"{key}_avg"] is None else round(float(row[f"{key}_avg"]), 2),
            "answers": row[f"{key}_n"],
        }
        for key in keys
    ]


def monthly_trend(*, units, start, end, **narrow) -> list[dict]:
    """One query: one row per calendar month (local time) of [start, end), months with
    no response included: ``{"month": date, "responses", "satisfied", "rate", "average"}``."""
    tz = timezone.get_current_timezone()
    found = {
        r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"]: r
        for r in responses_in(units=units, start=start, end=end, **narrow)
        .annotate(month=TruncMonth("submitted_at", tzinfo=tz))
        .values("month")
        .annotate(responses=Count("id"), satisfied=Count("id", filter=SATISFIED), average=Avg("overall"))
        .order_by("month")
    }
    rows = []
    month = timezone.localtime(start).date().replace(day=1)
    last = timezone.localtime(end - datetime.timedelta(microseconds=1)).date().replace(day=1)
    while month <= last:
        r = found.get(month, {"responses": 0, "satisfied": 0, "average": None})
        rows.append({
            "month": month, "responses": r["responses"], "satisfied": r["satisfied"],
            "rate": rate(r["satisfied"], r["responses"]),
            "average": None if r["average"] is None else round(float(r["average"]), 2),
        })
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return rows


def comments(*, units, start, end, state: str = "open", **narrow):
    """Responses with a comment, newest first; ``state`` open | handled | all."""
    qs = responses_in(units=units, start=start, end=end, **narrow).exclude(comment="").select_related("area", "comment_handled_by")
    if state == "open":
        qs = qs.filter(comment_handled_at__isnull=True)
    elif state == "handled":
        qs = qs.filter(comment_handled_at__isnull=False)
    return qs.order_by("-submitted_at", "-id")


def survey_areas():
    return Field.objects.filter(is_survey_area=True).order_by("position", "key")


def active_questionnaire(*, unit) -> Questionnaire:
    """The questionnaire a new response of ``unit`` answers: the unit's own newest
    version in use, else the national default's newest."""
    return (
        Questionnaire.objects.filter(Q(unit=unit) | Q(unit__isnull=True), is_active=True)
        .order_by(F("unit").asc(nulls_last=True), "-version")
        .first()
    )


def next_version(*, unit) -> int:
    return (Questionnaire.objects.filter(unit=unit).aggregate(v=Max("version"))["v"] or 0) + 1


def open_survey_cache_key(*, slug: str) -> str:
    from core.public_page import slug_key

    return f"survey-open:v1:{slug_key(slug)}"


def open_survey_target(*, slug: str, area_key: str):
    """(unit, area, questionnaire, questions) of the open survey at /u/<slug>/survey/<area>/,
    or None. Parents' phones open the same few of them in bursts (a poster, a meeting),
    so the unit with its questionnaire, and the survey areas, are kept a minute in the
    cache; a new questionnaire version or an edited unit clears the unit's entry when it
    commits (core/public_page.py). Fails open: cache down, read from the database."""
    from core import public_page
    from core.models import Unit

    unit_key, areas_key = open_survey_cache_key(slug=slug), "survey-areas:v1"
    found = public_page.cache_get_many([unit_key, areas_key])
    target, areas = found.get(unit_key), found.get(areas_key)
    missing = {}
    if areas is None:
        areas = {area.key: area for area in survey_areas()}
        missing[areas_key] = areas
    if target is None:
        unit = Unit.objects.filter(slug=slug).first()
        if unit is None:
            return None
        questionnaire = active_questionnaire(unit=unit)
        target = {"unit": unit, "questionnaire": questionnaire, "questions": list(questionnaire.questions.all())}
        missing[unit_key] = target
    if missing:
        public_page.cache_set_many(missing, public_page.cache_seconds())
    area = areas.get(area_key)
    if area is None:
        return None
    return target["unit"], area, target["questionnaire"], target["questions"]
