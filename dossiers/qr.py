"""The receipt's links: tracking (this app's) and the survey (core/links.py), with
their QR codes drawn by core/links.py (inline SVG: no image requests, nothing against the CSP)."""
from django.urls import reverse
from django.utils.http import urlencode

from core import links


def tracking_url(dossier) -> str:
    path = reverse("dossiers:track-detail", args=[dossier.code])
    return links.absolute_url(f"{path}?{urlencode({'s': dossier.tracking_secret})}")


def survey_url(dossier) -> str:
    return links.dossier_survey_url(dossier.survey_token)


def qr_svg(url: str) -> str:
    """The receipt's size: small modules and a narrow quiet zone, two codes side by side."""
    return links.qr_svg(url, scale=3, border=2)
