"""Links printed on paper and sent by e-mail, and their QR codes: one way for every app.

The dossier survey link is part of the public contract (printed on receipts, never
changes): ``SITE_URL`` + ``/survey/<token>/``, served by surveys/urls.py. It lives here so
that dossiers (receipts, results) and surveys (the invitation e-mail) print the same one
without dossiers importing surveys."""
import segno
from django.conf import settings
from django.utils.safestring import mark_safe


def absolute_url(path: str) -> str:
    """``path`` on the public site (SITE_URL): what QR codes and e-mails carry."""
    return settings.SITE_URL + path


def dossier_survey_path(survey_token: str) -> str:
    return f"/survey/{survey_token}/"


def dossier_survey_url(survey_token: str) -> str:
    return absolute_url(dossier_survey_path(survey_token))


def qr_svg(url: str, *, scale: int = 4, border: int = 4) -> str:
    """An inline SVG QR code of ``url`` (error correction M, no style attributes: fine
    under the CSP, no image request); ``border`` is the quiet zone in modules."""
    return mark_safe(  # noqa: S308 - segno's own markup around our own URL
        segno.make(url, error="m").svg_inline(scale=scale, border=border, omitsize=True, title=url)
    )
