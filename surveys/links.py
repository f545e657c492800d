"""Public survey links (receipts, results, posters, public page); the dossier survey
link and every QR code are core's (core/links.py), shared with dossiers."""
from django.urls import reverse

from core import links


def dossier_survey_path(dossier) -> str:
    return links.dossier_survey_path(dossier.survey_token)


def dossier_survey_url(dossier) -> str:
    """SITE_URL + /survey/<token>/: what the receipt's QR code carries."""
    return links.dossier_survey_url(dossier.survey_token)


def open_survey_path(unit, area) -> str:
    return reverse("surveys:open", args=[unit.slug, area.key])


def open_survey_url(unit, area) -> str:
    return links.absolute_url(open_survey_path(unit, area))
