"""This app's section of the unit's public page (/u/<slug>/): the rates the plan
requires the unit to publish (dossiers on time, satisfaction overall and per service
area) for the current year."""
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi import selectors


def section(unit):
    today = timezone.localdate()
    rows = selectors.current_year_public_rates(unit, today)
    labels = {
        "dossier_on_time_rate": _("Dossiers resolved on time"),
        "satisfaction_rate": _("Satisfaction with the unit's service"),
        "dossier_satisfaction_rate": _("Satisfaction with the handling of administrative procedures"),
    }
    out = []
    for row in rows:
        label = row["name"] if row["field"] else labels[row["key"]]
        out.append({**row, "label": label})
    return {"template": "kpi/_public_section.html", "year": today.year, "rows": out}
