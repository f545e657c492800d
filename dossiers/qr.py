"""QR codes of the receipt (inline SVG: no image requests, nothing against the CSP)."""
import segno
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe


def tracking_url(dossier) -> str:
    return f"{settings.SITE_URL}{reverse('dossiers:track-detail', args=[dossier.code])}?{urlencode({'s': dossier.tracking_secret})}"


def survey_url(dossier) -> str:
    return f"{settings.SITE_URL}/survey/{dossier.survey_token}/"


def qr_svg(url: str) -> str:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=True))  # noqa: S308 - segno's own SVG
