"""Digital signatures on a dossier's issued documents (docs/signing.md).

Who signs what (Nghị định 45/2020/NĐ-CP art. 14(3): an electronic result is signed by
the authority):

* the unit's **seal** certificate signs the receipt (form 01) automatically at intake,
  and may seal the unit's other forms (the demo seals them all);
* the **principal**, or a deputy on their behalf ("KT. HIỆU TRƯỞNG"), signs the
  refusal (form 03), the apology letter (form 04), the notice of stopping (form 05 of
  Thông tư 03/2025/TT-VPCP) and every electronic result (KQ<n>), with a button on the
  dossier page. Staff cannot.

Signing never changes an issued document: ``document_sign`` writes a new version
(``supersedes`` the one signed) and a dossier event with the SHA-256 before and after.
The key and the PDF machinery are in ``core.signing``; this module decides who signs,
with which key, and records it."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import access, signing
from dossiers.models import Document, Dossier, DossierEvent
from dossiers.services import TransitionError
from dossiers.signals import dossier_event

log = logging.getLogger(__name__)

RECEIPT_FORM = "01"
# Forms the head of the unit signs (every electronic result too), by kind: the form
# numbers differ between the circulars (05 is the control sheet under 01/2018, the notice
# of stopping under 03/2025), so the legal-basis table (dossiers/legal.py) says which is which.
PRINCIPAL_KINDS = {"rejection", "apology", "stop"}


class SignatureRefused(TransitionError):
    """The document cannot be signed now (not the latest version, file damaged...)."""


def seal_key_id(unit) -> str:
    return f"unit-{unit.slug}"


def person_key_id(user) -> str:
    return f"user-{user.username}"


def form_kind(document: Document) -> str | None:
    """"receipt", "apology", "stop"... for a form document, by its number under its basis."""
    from dossiers import legal

    basis = next((b for b in legal.BASES if b.key == document.legal_basis), None)
    if basis is None:
        return None
    return next((kind for kind, (number, _title) in basis.forms.items() if number == document.form), None)


def signed_by_principal(document: Document) -> bool:
    """Whether this document is signed by the head of the unit (rather than the seal)."""
    if document.kind == Document.Kind.RESULT:
        return True
    kind = form_kind(document)
    if kind is not None:
        return kind in PRINCIPAL_KINDS
    return document.form in ("03", "04")  # an unknown basis: the numbers both circulars share


def signed_by_seal(document: Document) -> bool:
    """The unit's other forms carry its seal (automatically for the receipt at intake)."""
    return document.kind == Document.Kind.FORM and not signed_by_principal(document)


def can_sign(user, document: Document) -> bool:
    """The principal, or a deputy head, of the document's unit — for the documents the
    head signs. Never staff, offices or administrators (they hold no signing key)."""
    if not user.is_authenticated or not access.can_write(user, document.unit) or user.is_administrator:
        return False
    return (user.is_principal or user.is_deputy_head) and signed_by_principal(document)


def _title_lines(user, unit) -> list[str]:
    """Signature block of Nghị định 30/2020/NĐ-CP: a deputy signs "KT. <HEAD>" over their title."""
    head = unit.head_title or "Hiệu trưởng"
    if user.is_deputy_head:
        return [f"KT. {head}".upper(), (user.job_title or f"Phó {head.lower()}").upper()]
    return [(user.job_title or head).upper()]


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('dossiers:verify-document', args=[code])}"


def latest_versions(*, dossier: Dossier) -> list[Document]:
    """The newest version of each of the dossier's documents, by code."""
    seen, latest = set(), []
    for document in Document.objects.filter(dossier=dossier).select_related("signed_by").order_by("code", "-version"):
        if document.code not in seen:
            seen.add(document.code)
            latest.append(document)
    return latest


def page_context(*, user, dossier: Dossier) -> dict:
    """The dossier page's list of issued documents, each with whether ``user`` may sign it."""
    return {"issued_documents": [
        {"document": d, "can_sign": can_sign(user, d), "by_principal": signed_by_principal(d)}
        for d in latest_versions(dossier=dossier)
    ]}


def _stamp_lines(*, name: str, title_lines: list[str], unit, code: str) -> str:
    """The stamp's text; ``%(ts)s`` is the signing time (pyHanko fills it in)."""
    def literal(text: str) -> str:
        return text.replace("%", "%%")

    lines = [_("Signed by: %(name)s") % {"name": name}, *title_lines, unit.name]
    return "\n".join([*map(literal, lines), _("Time:") + " %(ts)s", literal(_("Verify: %(code)s") % {"code": code})])


@transaction.atomic
def document_sign(*, document: Document, actor=None) -> Document:
    """Sign ``document`` (the latest version of its code) and store the signed PDF as a
    NEW version. ``actor`` None: the unit's seal (the receipt at intake); otherwise the
    principal or deputy signing with their own key.

    Raises PermissionDenied when ``actor`` may not sign it, SignatureRefused when it
    cannot be signed now, core.signing.SigningError when the key or the PDF fails."""
    latest = Document.objects.select_for_update().filter(code=document.code).order_by("-version").first()
    if latest is None or latest.pk != document.pk:
        raise SignatureRefused(_("A newer version of this document exists: sign the newest one."))
    unit = document.unit
    if actor is None and not signed_by_seal(document):
        raise PermissionDenied(_("This document is signed by the head of the unit, not with the seal."))
    if actor is not None and not can_sign(actor, document):
        raise PermissionDenied(_("Only the principal or a deputy head signs this document."))
    with translation.override("vi"):  # the document is Vietnamese, whatever the signer's screen
        if actor is None:
            key_id, name, title_lines = seal_key_id(unit), unit.name, [_("Seal of the unit").upper()]
            reason = _("Issued and sealed by the unit")
        else:
            key_id, name = person_key_id(actor), actor.get_full_name() or actor.username
            title_lines, reason = _title_lines(actor, unit), _("Signed by the head of the unit")
        stamp_text = _stamp_lines(name=name, title_lines=title_lines, unit=unit, code=document.code)
    with document.file.open("rb") as handle:
        before = handle.read()
    sha_before = signing.file_sha256(before)
    if document.sha256 and sha_before != document.sha256:
        raise SignatureRefused(_("The stored file no longer matches its SHA-256: it will not be signed."))
    signed = signing.sign_pdf(
        before, signer=key_id, reason=reason, location=unit.place_name or unit.address or unit.name,
        stamp_text=stamp_text, qr_url=verify_url(document.code), field_name="ChuKySo",
    )
    now = timezone.now()
    sha_after = signing.file_sha256(signed)
    version = Document(
        dossier_id=document.dossier_id, unit=unit, kind=document.kind, form=document.form, code=document.code,
        version=document.version + 1, title=document.title, legal_basis=document.legal_basis, sha256=sha_after,
        size=len(signed), issued_at=now, issued_by=actor, supersedes=document, signed_at=now, signed_by=actor,
        signer_name=name, signer_title=" / ".join(title_lines),
    )
    version.file.save(f"{document.code}-v{version.version}.pdf", ContentFile(signed), save=False)
    version.save()
    dossier = Dossier.objects.get(pk=document.dossier_id)
    event = DossierEvent.objects.create(
        dossier=dossier, action="sign", from_status=dossier.status, to_status=dossier.status,
        at=now, recorded_at=now, actor=actor,
        note=f"{document.code} v{version.version} — {name} — SHA-256 {sha_before} → {sha_after}",
    )
    dossier_event.send(sender=Dossier, dossier=dossier, event=event, action="sign")
    return version


# --- The receipt, sealed at intake ---------------------------------------------------------
def seal_receipt(dossier_id: int) -> Document | None:
    """Issue the receipt if the dossier has none yet, and seal its newest version once.
    Does nothing when the unit has no seal key. Safe to run twice."""
    dossier = Dossier.objects.select_related("unit").filter(pk=dossier_id).first()
    if dossier is None or not signing.key_available(seal_key_id(dossier.unit)):
        return None
    receipt = (Document.objects.filter(dossier=dossier, kind=Document.Kind.FORM, form=RECEIPT_FORM)
               .order_by("-version").first())
    if receipt is None:
        receipt = _issue_receipt(dossier)
        if receipt is None:
            return None
    if receipt.signed_at is not None:
        return receipt
    return document_sign(document=receipt, actor=None)


def _issue_receipt(dossier):
    """The receipt as a PDF document, through the forms' issuing service when present."""
    try:
        from dossiers.documents import issue_document
    except ImportError:  # the printed-forms work is not there yet: nothing to seal
        return None
    return issue_document(dossier=dossier, form=RECEIPT_FORM)


def _on_dossier_event(sender, *, dossier, event, action, **kwargs):
    if action != "receive":
        return
    pk = dossier.pk
    transaction.on_commit(lambda: _seal_soon(pk))


def _seal_soon(dossier_id: int) -> None:
    """In a Celery worker; inline when the broker is down (the receipt is wanted now)."""
    from core.tasks import enqueue
    from dossiers.tasks import seal_receipt_task

    unit = Dossier.objects.select_related("unit").get(pk=dossier_id).unit
    if not signing.key_available(seal_key_id(unit)):
        return
    if not enqueue(seal_receipt_task, dossier_id):
        try:
            seal_receipt(dossier_id)
        except Exception:  # noqa: BLE001 - intake is done; the receipt stays unsigned, logged
            log.exception("sealing the receipt of dossier %s failed", dossier_id)


def connect_signals() -> None:
    dossier_event.connect(_on_dossier_event, dispatch_uid="dossiers.signatures.seal_receipt")
