"""The electronic result generated from a template: a simple A4 PDF with the unit's
heading (Nghị định 30/2020/NĐ-CP presentation), rendered by WeasyPrint. The service that
issues it as a ``Document`` is ``dossiers.services.result_issue``."""
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "result-pdf.css"


def head_of(unit):
    """The head who signs the unit's results (the principal)."""
    from core.models import User

    return User.objects.filter(unit=unit, role=User.Role.PRINCIPAL, is_active=True).order_by("is_deputy_head", "pk").first()


def render_result_pdf(*, dossier, code: str, text: str = "") -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("dossiers/print/result_pdf.html", {
        "dossier": dossier, "unit": dossier.unit, "code": code, "text": text.strip(),
        "issued": timezone.localdate(), "head": head_of(dossier.unit),
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
