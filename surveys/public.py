"""This app's section of the unit's public page (/u/<slug>/): the open survey of
each service area (the rates themselves are the KPI app's section)."""
from django.urls import reverse

from surveys import links, selectors
from surveys.models import Question, Questionnaire


def section(unit):
    areas = [
        {"area": area, "path": links.open_survey_path(unit, area), "qr_path": reverse("surveys:qr", args=[unit.slug, area.key])}
        for area in selectors.survey_areas()
    ]
    if not areas:
        return None
    return {"template": "surveys/public_section.html", "areas": areas}


def _questionnaire_unit(question):
    return Questionnaire.objects.filter(pk=question.questionnaire_id).values_list("unit_id", flat=True).first()


# What people publish by hand that this section shows: model -> the unit of a row
# (core/registry.py drops that unit's cached page when the change commits). The
# national questionnaire (no unit) reaches the pages by the minute.
WATCHED = {
    Questionnaire: lambda row: row.unit_id,
    Question: _questionnaire_unit,
}
