"""Links from every number of the dashboard to the records behind it.

The dossier register (dossiers app, django-filter) is asked with these query
parameters: ``unit`` (slug), ``field`` (field key), ``status``, ``overdue=1``,
``apology=none``, ``completed_from`` / ``completed_to`` (YYYY-MM-DD, included) and
``timeliness`` (repeatable: early, on_time, late). Feedback: ``unit``, ``status``,
``received_from`` / ``received_to``; surveys: ``unit``, ``area``, ``from`` / ``to``."""
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from kpi.indicators import Period

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


def links_for(row: dict, unit, period: Period) -> dict:
    """``{"numerator": url, "denominator": url}`` for one indicator row (either may be None)."""
    key, field = row["key"], row["field"]
    if key == "dossier_on_time_rate":
        return {
            "numerator": completed(unit, period, field, timeliness=["early", "on_time"]),
            "denominator": completed(unit, period, field),
        }
    if key == "late_apology_rate":
        return {"numerator": None, "denominator": None}
    if key in ("satisfaction_rate", "dossier_satisfaction_rate"):
        params = _base(unit) + [("from", period.start.isoformat()), ("to", period.end.isoformat())]
        if field:
            params.append(("area", field))
        if key == "dossier_satisfaction_rate":
            params.append(("source", "dossier"))
        url = _with(_url("surveys:results", "/surveys/"), params)
        return {"numerator": url, "denominator": url}
    if key.startswith("feedback_"):
        base = _base(unit) + [("received_from", period.start.isoformat()), ("received_to", period.end.isoformat())]
        inbox = _url("feedback:inbox", "/feedback/")
        numerator = {
            "feedback_answered_rate": [("answered", "1")],
            "feedback_on_time_rate": [("answered", "1"), ("on_time", "1")],
            "feedback_published_rate": [("status", "published")],
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
    """The two lists behind "late dossiers without an apology letter"."""
    return {
        "late": completed(unit, period, timeliness="late", apology="none"),
        "overdue": register(unit, period, overdue="1", apology="none"),
    }
