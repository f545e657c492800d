"""Demo signing keys for `manage.py seed_demo` (idempotent; docs/signing.md).

A demo certificate authority, a seal certificate for every unit and a personal
certificate for every principal and deputy head, each marked as demo: "(DEMO)" after the
common name (what a verifier shows first) and "DEMO — không có giá trị pháp lý" as the
organisational unit; PKCS#12 files under SIGNING_KEYS_DIR (var/keys/, outside MEDIA_ROOT),
encrypted with SIGNING_PKCS12_PASSPHRASE (its default is for the demo only). The demo
root goes to SIGNING_KEYS_DIR/trust/, so /api/v1/trust/ serves it. Then the forms of a
few demo dossiers are issued as PDFs (dossiers.documents) and every issued document is
signed: the principal's forms and results by the principal, the others by the unit's seal."""
from __future__ import annotations

import logging

from django.conf import settings

from core import pki, signing
from core.models import Unit, User
from dossiers import signatures
from dossiers.models import Document

log = logging.getLogger(__name__)
CA_NAME = "CCHC Portal DEMO Root CA"


def _demo_authority() -> pki.Authority:
    keys = signing.ensure_keys_dir()
    key_path, cert_path = keys / "demo-ca" / "demo-ca.key.pem", keys / "trust" / "demo-root-ca.pem"
    passphrase = settings.SIGNING_PKCS12_PASSPHRASE
    if key_path.exists() and cert_path.exists():
        return pki.load_authority(key_path, cert_path, passphrase)
    authority = pki.new_authority(CA_NAME, organisation="CCHC Portal DEMO", note=pki.DEMO_MARK)
    pki.save_authority(authority, key_path, cert_path, passphrase)
    return authority


def _ensure_key(authority: pki.Authority, key_id: str, common_name: str, organisation: str) -> bool:
    path = signing.pkcs12_path(key_id)
    if path.exists():
        return False
    key, cert = pki.issue(authority, pki.fit(common_name, suffix=" (DEMO)"), organisation=organisation,
                          note=pki.DEMO_MARK)
    pki.write_private(path, pki.pkcs12_bytes(key, cert, [authority.cert], passphrase=settings.SIGNING_PKCS12_PASSPHRASE,
                                             name=key_id))
    return True


def seed_keys(*, units=None) -> int:
    """Keys for the seal of each of ``units`` (default: every unit) and for each of their
    principals and deputy heads; how many were made."""
    authority = _demo_authority()
    units = list(units) if units is not None else list(Unit.objects.order_by("pk"))
    made = 0
    for unit in units:
        made += _ensure_key(authority, signatures.seal_key_id(unit), unit.name, unit.name)
    people = User.objects.filter(unit__in=units, is_active=True)
    signers = people.filter(role=User.Role.PRINCIPAL) | people.filter(is_deputy_head=True)
    for user in signers.select_related("unit").order_by("pk"):
        made += _ensure_key(authority, signatures.person_key_id(user), user.get_full_name() or user.username,
                            user.unit.name)
    return made


def _principal_of(unit):
    return User.objects.filter(unit=unit, role=User.Role.PRINCIPAL, is_active=True).order_by("pk").first()


def sign_issued_documents(*, units) -> int:
    """Sign the newest version of every unsigned issued document of ``units``."""
    signed = 0
    for unit in units:
        principal = _principal_of(unit)
        unsigned = Document.objects.filter(unit=unit, signed_at__isnull=True).order_by("code", "-version")
        seen = set()
        for document in unsigned.select_related("unit"):
            if document.code in seen:
                continue
            seen.add(document.code)
            if Document.objects.filter(code=document.code, version__gt=document.version).exists():
                continue  # an older version: its newer one is (or will be) signed
            actor = principal if signatures.signed_by_principal(document) else None
            if actor is None and not signatures.signed_by_seal(document):
                continue
            try:
                signatures.document_sign(document=document, actor=actor)
                signed += 1
            except (signing.SigningError, signatures.SignatureRefused) as error:
                log.warning("demo: %s not signed: %s", document.code, error)
    return signed


# Dossiers whose forms are issued as PDFs (rendering takes time): more for the kindergarten
# that the demo accounts open first, a couple for each other demo school.
DEMO_DOSSIERS = {"mn-tuoi-hong": 6}
OTHER_UNITS_DOSSIERS = 2
SKIPPED_KINDS = {"control"}  # the control sheet is the unit's working record, not sent to anyone


def issue_demo_documents(*, unit) -> int:
    """Issue, through the printed-forms service, the forms of a few demo dossiers — some
    with an apology, a refusal or a stop, and the latest received — unless the unit
    already has issued documents. How many were issued."""
    from dossiers import documents
    from dossiers.models import Dossier

    if unit is None or Document.objects.filter(unit=unit).exists():
        return 0
    dossiers = Dossier.objects.filter(unit=unit)
    picked = []
    for queryset in (dossiers.filter(apology__isnull=False).order_by("-received_at")[:2],
                     dossiers.filter(status=Dossier.Status.REJECTED).order_by("-received_at")[:1],
                     dossiers.filter(status=Dossier.Status.STOPPED).order_by("-received_at")[:1],
                     dossiers.order_by("-received_at")[:max(DEMO_DOSSIERS.values())]):
        picked += [d for d in queryset if d not in picked]
    issued = 0
    for dossier in picked[:DEMO_DOSSIERS.get(unit.slug, OTHER_UNITS_DOSSIERS)]:
        for item in documents.forms_of(dossier=dossier):
            if item.kind not in SKIPPED_KINDS:
                documents.issue_document(dossier=dossier, form=item.number)
                issued += 1
    return issued


def seed(*, unit=None, users=None, today=None, **kwargs) -> str:
    if settings.SIGNING_KEY_SOURCE != "pkcs12":
        return "signing: keys come from a PKCS#11 token here, no demo keys made"
    if not settings.SIGNING_PKCS12_PASSPHRASE:
        return "signing: SIGNING_PKCS12_PASSPHRASE is empty, no demo keys made (they are never written in the clear)"
    units = [unit] if unit is not None else list(Unit.objects.order_by("pk"))
    made = seed_keys(units=units)
    issued = issue_demo_documents(unit=unit)
    signed = sign_issued_documents(units=units)
    return (f"signing: demo CA in {signing.keys_dir()}, {made} new demo keys, {issued} documents issued, "
            f"{signed} signed")
