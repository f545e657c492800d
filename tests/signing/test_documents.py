"""Signing a dossier's documents: a new version every time, an event with both SHA-256,
the seal on the receipt at intake, the principal's (or deputy's) button for the rest."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core import signing
from dossiers import signatures
from dossiers.models import Document, DossierEvent
from tests.signing.conftest import issue_test_document

pytestmark = pytest.mark.django_db


def read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_principal_signs_the_apology_as_a_new_version_and_the_issued_one_is_unchanged(school):
    issued = issue_test_document(school["dossier"], form="04")
    before = read(issued)
    signed = signatures.document_sign(document=issued, actor=school["principal"])

    issued.refresh_from_db()
    assert read(issued) == before and issued.signed_at is None and issued.sha256 == signing.file_sha256(before)
    assert (signed.code, signed.version, signed.supersedes_id) == (issued.code, 2, issued.pk)
    assert signed.signed_by == school["principal"] and signed.signer_name == "Trần Thị Mỹ Hạnh"
    assert signed.signer_title == "HIỆU TRƯỞNG"
    data = read(signed)
    assert signed.sha256 == signing.file_sha256(data) and signed.size == len(data)
    verdict = signing.verify_pdf(data)
    assert verdict.status == "valid" and verdict.signer == "Trần Thị Mỹ Hạnh (test)"


def test_signature_is_an_event_with_who_which_document_and_both_hashes(school):
    issued = issue_test_document(school["dossier"], form="03", title="Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    signed = signatures.document_sign(document=issued, actor=school["principal"])
    event = DossierEvent.objects.get(dossier=school["dossier"], action="sign")
    assert event.actor == school["principal"] and event.at == signed.signed_at
    assert issued.code in event.note and issued.sha256 in event.note and signed.sha256 in event.note
    assert event.from_status == event.to_status == school["dossier"].status


def test_deputy_signs_on_behalf_of_the_principal(school):
    signed = signatures.document_sign(document=issue_test_document(school["dossier"], form="04"), actor=school["deputy"])
    assert signed.signer_title == "KT. HIỆU TRƯỞNG / PHÓ HIỆU TRƯỞNG"
    assert signing.verify_pdf(read(signed)).status == "valid"


def test_staff_office_and_other_units_cannot_sign(school):
    from tests.factories import AdminFactory, OfficeUserFactory, PrincipalFactory

    issued = issue_test_document(school["dossier"], form="04")
    for user in (school["staff"], OfficeUserFactory(office=school["unit"].office), PrincipalFactory(), AdminFactory()):
        with pytest.raises(PermissionDenied):
            signatures.document_sign(document=issued, actor=user)
    assert Document.objects.filter(code=issued.code).count() == 1


def test_what_the_principal_signs_and_what_the_seal_signs(school):
    dossier = school["dossier"]
    principal = school["principal"]
    assert signatures.can_sign(principal, issue_test_document(dossier, form="05", legal_basis="tt03-2025"))
    assert not signatures.can_sign(principal, issue_test_document(dossier, form="05", legal_basis="tt01-2018"))
    assert signatures.can_sign(principal, issue_test_document(dossier, form="KQ", kind="result"))
    receipt = issue_test_document(dossier, form="01")
    assert not signatures.can_sign(principal, receipt)
    with pytest.raises(PermissionDenied):
        signatures.document_sign(document=issue_test_document(dossier, form="04"), actor=None)


def test_electronic_result_is_signed_by_the_principal(school):
    result = issue_test_document(school["dossier"], form="KQ", kind="result", title="Giấy xác nhận trẻ đang học")
    signed = signatures.document_sign(document=result, actor=school["principal"])
    assert signed.kind == "result" and signed.code.endswith("-KQ1") and signed.signed_at is not None


def test_signing_again_makes_a_third_version_with_both_signatures_valid(school):
    issued = issue_test_document(school["dossier"], form="04")
    second = signatures.document_sign(document=issued, actor=school["principal"])
    third = signatures.document_sign(document=second, actor=school["deputy"])
    assert third.version == 3 and third.supersedes == second
    verdict = signing.verify_pdf(read(third))
    assert verdict.status == "valid" and len(verdict.signatures) == 2


def test_an_older_version_cannot_be_signed(school):
    issued = issue_test_document(school["dossier"], form="04")
    signatures.document_sign(document=issued, actor=school["principal"])
    with pytest.raises(signatures.SignatureRefused):
        signatures.document_sign(document=issued, actor=school["principal"])


def test_a_stored_file_that_no_longer_matches_its_hash_is_not_signed(school):
    issued = issue_test_document(school["dossier"], form="04")
    with open(issued.file.path, "r+b") as handle:
        handle.seek(200)
        handle.write(b"X")
    with pytest.raises(signatures.SignatureRefused):
        signatures.document_sign(document=issued, actor=school["principal"])


def test_receipt_is_sealed_by_the_unit_when_the_dossier_is_received(school, django_capture_on_commit_callbacks):
    from cchc_portal.celery import app
    from tests.factories import ProcedureFactory, receive_dossier

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = receive_dossier(procedure=ProcedureFactory(unit=school["unit"]), actor=school["staff"])
    finally:
        app.conf.task_always_eager = False
    # the printed-forms service issued the receipt (version 1), the seal signed it (version 2)
    issued, sealed = Document.objects.filter(dossier=dossier, form="01").order_by("version")
    assert issued.signed_at is None and issued.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert sealed.version == 2 and sealed.supersedes == issued
    assert sealed.signed_at is not None and sealed.signed_by is None
    assert sealed.signer_name == school["unit"].name
    verdict = signing.verify_pdf(read(sealed))
    assert verdict.status == "valid" and verdict.signer == f"{school['unit'].name} (test seal)"
    assert signatures.seal_receipt(dossier.pk).pk == sealed.pk  # a second run changes nothing


def test_no_seal_key_means_the_receipt_stays_unsigned(school):
    signing.pkcs12_path(signatures.seal_key_id(school["unit"])).unlink()
    issue_test_document(school["dossier"], form="01")
    assert signatures.seal_receipt(school["dossier"].pk) is None
    assert not Document.objects.filter(dossier=school["dossier"], signed_at__isnull=False).exists()


# --- The dossier page ------------------------------------------------------------------------
def test_principal_sees_a_sign_button_and_signs_from_the_dossier_page(client, school):
    issued = issue_test_document(school["dossier"], form="04")
    detail = reverse("dossiers:detail", args=[school["dossier"].code])
    client.force_login(school["principal"])
    page = client.get(detail).content.decode()
    sign_url = reverse("dossiers:sign", args=[school["dossier"].code, issued.pk])
    assert sign_url in page and "Chưa ký" in page
    response = client.post(sign_url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã ký" in page and "Trần Thị Mỹ Hạnh" in page
    latest = Document.objects.filter(code=issued.code).order_by("-version").first()
    assert latest.version == 2 and latest.signed_by == school["principal"]
    pdf = client.get(reverse("dossiers:document-file", args=[school["dossier"].code, latest.pk]))
    assert pdf["Content-Type"] == "application/pdf" and signing.file_sha256(b"".join(pdf.streaming_content)) == latest.sha256


def test_staff_sees_no_sign_button_and_cannot_post_one(client, school):
    issued = issue_test_document(school["dossier"], form="04")
    client.force_login(school["staff"])
    sign_url = reverse("dossiers:sign", args=[school["dossier"].code, issued.pk])
    assert sign_url not in client.get(reverse("dossiers:detail", args=[school["dossier"].code])).content.decode()
    assert client.post(sign_url).status_code == 403
    assert Document.objects.filter(code=issued.code).count() == 1


def test_another_units_principal_gets_404(client, school):
    from tests.factories import PrincipalFactory

    issued = issue_test_document(school["dossier"], form="04")
    client.force_login(PrincipalFactory())
    assert client.post(reverse("dossiers:sign", args=[school["dossier"].code, issued.pk])).status_code == 404
