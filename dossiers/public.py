"""This app's section of the unit's public page (/u/<slug>/): published procedures."""
from dossiers.selectors import published_procedures


def section(unit):
    return {"template": "dossiers/_public_section.html", "procedures": list(published_procedures(unit=unit))}
