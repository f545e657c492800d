"""The principal's signing button and the issued PDFs on the dossier page. Thin: check
access, call ``dossiers.signatures.document_sign``, redirect."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.signing import SigningError
from dossiers import selectors, signatures
from dossiers.models import Document


def _document(request, code, pk, *, write=False):
    dossier = selectors.dossier_detail(user=request.user, code=code, write=write)
    document = Document.objects.select_related("unit").filter(pk=pk, dossier=dossier).first()
    if document is None:
        raise Http404
    return document


@login_required
@require_POST
def sign(request, code, pk):
    document = _document(request, code, pk)
    if not signatures.can_sign(request.user, document):
        raise PermissionDenied
    try:
        version = signatures.document_sign(document=document, actor=request.user)
    except (signatures.SignatureRefused, SigningError) as error:
        messages.error(request, _("Not signed: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("Signed: %(code)s, version %(version)s.") % {
            "code": version.code, "version": version.version})
    return redirect("dossiers:detail", code=code)


@login_required
def document_file(request, code, pk):
    """One issued version's exact bytes (what its SHA-256 was taken of)."""
    document = _document(request, code, pk)
    response = FileResponse(document.file.open("rb"), content_type="application/pdf",
                            filename=f"{document.code}-v{document.version}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
