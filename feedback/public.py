"""This app's section of the unit's public page (/u/<slug>/): the latest published
answers and this year's figures for target 3 of the plan. Public fields only."""
from django.utils import timezone

from feedback import selectors


def section(unit):
    year = timezone.localdate().year
    return {
        "template": "feedback/_section.html",
        "unit": unit,
        "items": list(selectors.published_items(unit=unit)[:5]),
        "figures": selectors.year_figures(unit=unit, year=year),
        "year": year,
    }
