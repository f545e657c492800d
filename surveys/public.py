"""This app's section of the unit's public page (/u/<slug>/): the open survey of
each service area (the rates themselves are the KPI app's section)."""
from django.urls import reverse

from surveys import links, selectors


def section(unit):
    areas = [
        {"area": area, "path": links.open_survey_path(unit, area), "qr_path": reverse("surveys:qr", args=[unit.slug, area.key])}
        for area in selectors.survey_areas()
    ]
    if not areas:
        return None
    return {"template": "surveys/public_section.html", "areas": areas}
