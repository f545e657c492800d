"""Links from every number of the dashboard to the records behind it.

The dossier register (``dossiers.filters.RegisterFilter``) is asked with these query
parameters: ``unit`` (slug), ``field`` (field key), ``overdue=1``, ``late=1`` (late or
overdue), ``apology`` (none | any | timely | late), ``completed_from`` /
``completed_to``, ``due_from`` / ``due_to``, ``period_from`` / ``period_to`` (the KPI
period rule: completed dossiers by completion date, open ones by due date) — dates
YYYY-MM-DD, both included — and ``timeliness`` (repeatable: early, on_time, late).
Feedback inbox: ``unit``, ``received_from`` / ``received_to``, ``answered=1``,
``on_time=1``, ``publishable=1``, ``published=1``. Survey results: ``unit``, ``area``,
``from`` / ``to``, ``source=dossier``, ``satisfied=1``. Each receiving page filters with
the same Q objects the KPI selectors count with (``dossiers.selectors``,
``feedback.selectors``, ``surveys.selectors``), and ``tests/kpi/test_drilldown.py``
follows every link of the dashboard and counts what it lists."""
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from kpi.indicators import SCORECARD_KEYS, Period

REGISTER_PATH = "/dossiers/register/"


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _with(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}"


def _base(unit) -> list[tuple[str, str]]:
    return [("unit", unit.slug)] if unit else []


def register(unit, period: Period, field: str | None = None, **extra) -> str:
    params = _base(unit) + ([("field", field)] if field else [])
    for key, value in extra.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            params.append((key, item))
    return _with(REGISTER_PATH, params)


def completed(unit, period: Period, field=None, **extra) -> str:
    return register(unit, period, field, completed_from=period.start.isoformat(), completed_to=period.end.isoformat(), **extra)


def late_or_overdue(unit, period: Period, **extra) -> str:
    """Dossiers completed late in the period or open past due with their due date in it."""
    return register(unit, period, period_from=period.start.isoformat(), period_to=period.end.isoformat(), late="1", **extra)


def links_for(row: dict, unit, period: Period) -> dict:
    """``{"numerator": url, "denominator": url}`` for one indicator row (either may be None)."""
    key, field = row["key"], row["field"]
    if key == "dossier_on_time_rate":
        return {
            "numerator": completed(unit, period, field, timeliness=["early", "on_time"]),
            "denominator": completed(unit, period, field),
        }
    if key == "late_apology_rate":
        return {
            "numerator": late_or_overdue(unit, period, apology="timely"),
            "denominator": late_or_overdue(unit, period),
        }
    if key in ("satisfaction_rate", "dossier_satisfaction_rate"):
        params = _base(unit) + [("from", period.start.isoformat()), ("to", period.end.isoformat())]
        if field:
            params.append(("area", field))
        if key == "dossier_satisfaction_rate":
            params.append(("source", "dossier"))
        results = _url("surveys:results", "/surveys/")
        return {"numerator": _with(results, params + [("satisfied", "1")]), "denominator": _with(results, params)}
    if key in SCORECARD_KEYS:
        # The register lists the denominators (received, completed); its filters do not
        # yet single out the numerators, which stay plain numbers.
        received = register(unit, period, received_from=period.start.isoformat(), received_to=period.end.isoformat())
        denominator = {"e_result_rate": completed(unit, period), "feedback_satisfaction_rate": None}.get(key, received)
        return {"numerator": None, "denominator": denominator}
    if key.startswith("feedback_"):
        base = _base(unit) + [("received_from", period.start.isoformat()), ("received_to", period.end.isoformat())]
        inbox = _url("feedback:inbox", "/feedback/")
        numerator = {
            "feedback_answered_rate": [("answered", "1")],
            "feedback_on_time_rate": [("answered", "1"), ("on_time", "1")],
            "feedback_published_rate": [("answered", "1"), ("publishable", "1"), ("published", "1")],
        }[key]
        denominator = {
            "feedback_answered_rate": [],
            "feedback_on_time_rate": [("answered", "1")],
            "feedback_published_rate": [("answered", "1"), ("publishable", "1")],
        }[key]
        return {"numerator": _with(inbox, base + numerator), "denominator": _with(inbox, base + denominator)}
    figures = reverse("kpi:figures")
    url = _with(figures, _base(unit) + [("year", str(period.year))])
    return {"numerator": url, "denominator": url}


def late_without_apology(unit, period: Period) -> dict:
    """The lists behind "late dossiers without an apology letter", and the late dossiers
    whose apology came too late (not counted as timely)."""
    return {
        "late_apology": late_or_overdue(unit, period, apology="late"),
        "late": completed(unit, period, timeliness="late", apology="none"),
        "overdue": register(unit, period, overdue="1", apology="none",
                            due_from=period.start.isoformat(), due_to=period.end.isoformat()),
    }
