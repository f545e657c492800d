"""Anyone checks a signed document, no account: /verify/ (upload a PDF), /verify/<code>/
(what the QR code on a signed document opens) and POST /api/v1/verify/ (docs/signing.md).

The verdict comes from ``core.signing.verify_pdf`` (pyHanko, against the portal's trust
roots, in a child process with a time budget); the document it is comes from the
SHA-256 of the uploaded bytes — every issued version is stored, so an untouched file
always finds its row. Nothing about the applicant is shown beyond the tracking page's
initials. Uploads are rate-limited per address (a keyed hash in the cache, failing open
like the other public forms) and refused above SIGNING_VERIFY_MAX_BYTES before the body
is read."""
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core import ratelimit, signing
from dossiers.models import Document

UPLOAD_LIMITS = ((600, 30),)  # (window seconds, files checked) per address
LOOKUP_LIMITS = ((600, 300),)  # QR codes opened per address: a flood guard

MESSAGES = {
    "valid": gettext_lazy("The signature is valid: the file is intact and was signed with a trusted certificate."),
    "tampered": gettext_lazy("The file was changed after it was signed: the signature no longer holds."),
    "untrusted": gettext_lazy("The file is intact, but the certificate that signed it is not one the portal trusts."),
    "invalid": gettext_lazy("The signature does not check out."),
    "unsigned": gettext_lazy("This PDF file carries no digital signature."),
    "not_pdf": gettext_lazy("This is not a PDF file."),
    "damaged": gettext_lazy("The PDF file cannot be read (it is damaged)."),
    "too_large": gettext_lazy("The file is too large to check (at most %(mb)s MB)."),
    "too_complex": gettext_lazy("The file is too complex to check (too many pages or objects, or it took too long)."),
}


def message_of(status: str) -> str:
    return str(MESSAGES[status]) % {"mb": settings.SIGNING_VERIFY_MAX_BYTES // (1024 * 1024)}


def address_allows(request, kind: str, limits) -> bool:
    """Count one use of ``kind`` by this client (core/ratelimit.py); fails open."""
    return ratelimit.allows(request, scope=f"verify-{kind}", limits=limits)


def body_too_large(request) -> bool:
    """Judged on the declared length, before a byte of the body is read (Django never
    reads past CONTENT_LENGTH). The slack covers the multipart envelope."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.SIGNING_VERIFY_MAX_BYTES + 64 * 1024


def document_by_sha256(sha256: str) -> Document | None:
    if not sha256:
        return None
    return Document.objects.select_related("unit").filter(sha256=sha256).order_by("-version").first()


def verification(pdf_bytes: bytes) -> tuple[signing.Verdict, Document | None]:
    verdict = signing.verify_pdf(pdf_bytes)
    return verdict, document_by_sha256(verdict.sha256)


def document_summary(document: Document | None) -> dict | None:
    if document is None:
        return None
    return {"code": document.code, "form": document.form, "unit": document.unit.name}


def verdict_payload(verdict: signing.Verdict, document: Document | None) -> dict:
    """The API's answer (docs/interfaces.md) plus ``status`` and ``message`` for people."""
    return {
        "valid": verdict.valid, "intact": verdict.intact, "trusted": verdict.trusted, "signer": verdict.signer,
        "signed_at": verdict.signed_at.isoformat() if verdict.signed_at else None,
        "document": document_summary(document), "status": verdict.status, "message": message_of(verdict.status),
        "timestamped": verdict.timestamped, "sha256": verdict.sha256 or None,
    }


def latest_of_code(code: str) -> Document | None:
    return (Document.objects.select_related("unit", "dossier", "dossier__procedure")
            .filter(code=code).order_by("-version").first())


# --- Pages -------------------------------------------------------------------------------
@never_cache
@csrf_exempt  # the size is judged before anything reads the body; CSRF is checked after
def verify_upload(request):
    if request.method == "POST" and body_too_large(request):
        return render(request, "dossiers/verify.html", {"verdict": signing.Verdict("too_large"),
                                                        "message": message_of("too_large")}, status=413)
    return _verify_upload(request)


@csrf_protect
def _verify_upload(request):
    context = {"max_mb": settings.SIGNING_VERIFY_MAX_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "dossiers/verify.html", context)
    if not address_allows(request, "upload", UPLOAD_LIMITS):
        return render(request, "dossiers/verify.html", {**context, "limited": True}, status=429)
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "dossiers/verify.html", {**context, "missing": True}, status=400)
    if upload.size > settings.SIGNING_VERIFY_MAX_BYTES:
        verdict, document = signing.Verdict("too_large"), None
    else:
        verdict, document = verification(upload.read())
    return render(request, "dossiers/verify.html", {
        **context, "verdict": verdict, "message": message_of(verdict.status), "document": document,
        "file_name": upload.name,
    })


@never_cache
def verify_document(request, code):
    """What the QR code opens: which document this is, of which unit, signed by whom."""
    if not address_allows(request, "lookup", LOOKUP_LIMITS):
        return render(request, "dossiers/verify_document.html", {"limited": True, "code": code}, status=429)
    document = latest_of_code(code)
    if document is None:
        return render(request, "dossiers/verify_document.html", {"code": code, "not_found": True}, status=404)
    versions = Document.objects.filter(code=code).order_by("-version").only(
        "version", "issued_at", "signed_at", "signer_name", "sha256")
    return render(request, "dossiers/verify_document.html", {
        "code": code, "document": document, "dossier": document.dossier, "versions": versions,
        "title": _("Document %(code)s") % {"code": code},
    })
