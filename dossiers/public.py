"""This app's section of the unit's public page (/u/<slug>/): published procedures."""
from dossiers.selectors import published_procedures


def section(unit):
    procedures = list(published_procedures(unit=unit))
    return {"template": "dossiers/_public_section.html", "procedures": procedures,
            "has_online": any(p.online in ("partial", "full") for p in procedures)}
