"""Reads of survey responses for pages and the KPI selectors.

A response is *satisfied* when its overall rating is 4 or 5 (DESIGN.md "Surveys");
``SATISFIED`` is the one place that rule is written."""
import datetime

from django.db.models import Count, F, Q

from surveys.models import Response

SATISFIED = Q(overall__gte=4)


def responses_in(*, units, start: datetime.datetime, end: datetime.datetime, source: str | None = None):
    """Responses of ``units`` submitted in [start, end)."""
    qs = Response.objects.filter(unit__in=units, submitted_at__gte=start, submitted_at__lt=end)
    if source:
        qs = qs.filter(source=source)
    return qs


def satisfaction_by_area(*, units, start, end, source: str | None = None) -> list[dict]:
    """One query: ``[{"area": key, "satisfied": n, "responses": n}]`` per service area."""
    return list(
        responses_in(units=units, start=start, end=end, source=source)
        .values(area_key=F("area__key"))
        .annotate(responses=Count("id"), satisfied=Count("id", filter=SATISFIED))
        .order_by("area_key")
        .values("area_key", "responses", "satisfied")
    )
