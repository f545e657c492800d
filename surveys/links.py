"""Public survey links and their QR codes (receipts, results, posters, public page)."""
import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe


def dossier_survey_path(dossier) -> str:
    return reverse("surveys:dossier", args=[dossier.survey_token])


def dossier_survey_url(dossier) -> str:
    """SITE_URL + /survey/<token>/ (CONTRACT.md): what the receipt's QR code carries."""
    return settings.SITE_URL + dossier_survey_path(dossier)


def open_survey_path(unit, area) -> str:
    return reverse("surveys:open", args=[unit.slug, area.key])


def open_survey_url(unit, area) -> str:
    return settings.SITE_URL + open_survey_path(unit, area)


def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline SVG QR code (no style attributes: fine under the CSP)."""
    return mark_safe(  # noqa: S308 - segno's own markup around our own URL
        segno.make(url, error="m").svg_inline(scale=scale, omitsize=True, title=url)
    )
