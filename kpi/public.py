"""This app's section of the unit's public page (/u/<slug>/): the rates the plan
requires the unit to publish (dossiers on time, satisfaction overall and per service
area) for the current year."""
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi import selectors
from kpi.models import MonthlyFigure, Target, YearPlan


def section(unit):
    today = timezone.localdate()
    rows = selectors.current_year_public_rates(unit=unit, today=today)
    labels = {
        "dossier_on_time_rate": _("Dossiers resolved on time"),
        "satisfaction_rate": _("Satisfaction with the unit's service"),
        "dossier_satisfaction_rate": _("Satisfaction with the handling of administrative procedures"),
    }
    out = []
    for row in rows:
        # A service area's row sits under its overall rate: its name alone ("Tuyển sinh"),
        # not the overall label repeated eight times on a parent's phone.
        label = row["name"].rsplit(" — ", 1)[-1] if row["field"] else labels[row["key"]]
        out.append({**row, "label": label})
    return {"template": "kpi/_public_section.html", "year": today.year, "rows": out}


def _plan_unit(target):
    return YearPlan.objects.filter(pk=target.plan_id).values_list("unit_id", flat=True).first()


# What people publish by hand that this section shows: model -> the unit of a row
# (core/registry.py drops that unit's cached page when the change commits).
WATCHED = {
    YearPlan: lambda row: row.unit_id,
    Target: _plan_unit,
    MonthlyFigure: lambda row: row.unit_id,
}
