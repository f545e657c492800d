"""seed_demo (CONTRACT: idempotent): five schools with their own accounts and a year of
activity, supervised by Phòng Nội vụ Quận 1 until 30/6/2025 and by the ward since
1/7/2025, the history kept; ``district`` belongs to today's office. And its signing: a demo
CA, a seal per unit, a key per principal, every issued document of the demo dossiers
signed, as an independent validator (pyHanko's own validation, fed only the PEM of
/api/v1/trust/) sees it. Both in one module, so the suite seeds once."""
import datetime
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from core import access, signing
from core.models import Supervision, Unit, User
from dossiers import signing_demo
from dossiers.models import Apology, Document, Dossier
from tests.signing.conftest import issue_test_document

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded_with_keys(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo run twice for the module (the first run takes most of a minute, the second
    must change nothing), its signing keys in a temporary directory: the counts after the
    first run, and the keys' directory. One seed serves the whole module, signing included;
    the seeded rows are flushed when the module ends."""
    keys = tmp_path_factory.mktemp("demo") / "keys"
    overrides = override_settings(
        SIGNING_KEYS_DIR=keys, SIGNING_KEY_SOURCE="pkcs12", SIGNING_TRUST_ROOTS=[], SIGNING_TSA_URL="",
        SIGNING_PKCS12_PASSPHRASE="demo-only-passphrase")
    overrides.enable()
    try:
        with django_db_blocker.unblock():
            from tests.factories import reload_reference_data

            reload_reference_data()
            with transaction.atomic():  # one commit, not one a row
                call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            counts = (Unit.objects.count(), User.objects.count(), Dossier.objects.count(), Supervision.objects.count())
            with transaction.atomic():
                call_command("seed_demo", verbosity=0, stdout=io.StringIO())  # again: nothing changes
            yield counts, keys
            call_command("flush", interactive=False, verbosity=0)
    finally:
        overrides.disable()


@pytest.fixture
def seeded(seeded_with_keys):
    return seeded_with_keys[0]


@pytest.fixture
def demo_keys(seeded_with_keys):
    return seeded_with_keys[1]


def test_seeding_twice_changes_nothing(seeded):
    assert (Unit.objects.count(), User.objects.count(), Dossier.objects.count(), Supervision.objects.count()) == seeded


def test_five_schools_each_with_its_accounts_and_a_year_of_activity(seeded):
    units = Unit.objects.all()
    assert units.count() >= 5
    assert units.filter(slug="mn-tuoi-hong").exists()
    for unit in units:
        assert User.objects.filter(username=f"staff-{unit.slug}", role="staff", unit=unit).exists()
        assert User.objects.filter(username=f"principal-{unit.slug}", role="principal", unit=unit).exists()
        assert unit.parent_body and unit.place_name and unit.abbreviation
        assert Dossier.objects.filter(unit=unit).count() > 100
    # Each school its own year, not a copy of the kindergarten's.
    assert len({Dossier.objects.filter(unit=u).count() for u in units}) > 1
    for username in ("staff", "principal", "admin", "district"):
        assert User.objects.filter(username=username, is_active=True).exists()


def test_the_schools_moved_to_the_ward_on_1_july_2025_with_the_history_kept(seeded):
    district = User.objects.get(username="district")
    assert district.office.name == "Ủy ban nhân dân phường Sài Gòn"
    for unit in Unit.objects.all():
        rows = list(Supervision.objects.filter(unit=unit).order_by("valid_from")
                    .values_list("office__name", "valid_to"))
        assert rows == [("Phòng Nội vụ Quận 1", datetime.date(2025, 6, 30)), ("Ủy ban nhân dân phường Sài Gòn", None)]
        assert unit.office == district.office
    assert set(access.readable_units(district)) == set(Unit.objects.all())


# --- signing -------------------------------------------------------------------------


def independent_check(pdf: bytes, trust_pem: str) -> list:
    """pyHanko's validation, with nothing from the portal but the trust roots' PEM."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(trust_pem.encode(), multiple=True)]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")

    def validate():
        reader = PdfFileReader(io.BytesIO(pdf))
        return [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]

    # pyHanko's synchronous API runs an event loop of its own: in a thread, since a browser
    # journey's driver (Playwright) keeps one running in this thread once a worker of the
    # suite has run one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(validate).result()


def test_seed_demo_signs_every_issued_document_of_a_demo_dossier(client, demo_keys):
    unit = Unit.objects.get(slug="mn-tuoi-hong")
    apology = Apology.objects.filter(unit=unit).select_related("dossier").order_by("-dossier__received_at").first()
    dossier = apology.dossier
    # The printed-forms service issued its forms (01, 04...); add an electronic result
    # the way results are stored, and sign it as seed_demo does.
    issue_test_document(dossier, form="KQ", kind="result", title="Kết quả giải quyết hồ sơ")
    signing_demo.seed(unit=unit)
    trust_pem = client.get("/api/v1/trust/").content.decode()
    assert trust_pem.count("BEGIN CERTIFICATE") == 1

    latest = {}
    for document in Document.objects.filter(dossier=dossier).order_by("code", "version"):
        latest[document.code] = document
    assert len(latest) >= 3
    for document in latest.values():
        with document.file.open("rb") as handle:
            statuses = independent_check(handle.read(), trust_pem)
        assert statuses, f"{document.code} is not signed"
        for status in statuses:
            assert status.intact and status.valid and status.trusted and status.bottom_line, document.code
        subject = statuses[-1].signing_cert.subject.native
        assert subject["common_name"].endswith("(DEMO)")
        assert subject["organizational_unit_name"] == "DEMO — không có giá trị pháp lý"
        by_principal = document.kind == "result" or document.form in ("03", "04")
        expected = "Trần Thị Mỹ Hạnh (DEMO)" if by_principal else f"{unit.name} (DEMO)"
        assert subject["common_name"] == expected, document.code


def test_seed_demo_keys_are_idempotent_encrypted_and_outside_media(demo_keys):
    from cryptography.hazmat.primitives.serialization import pkcs12

    files = {p.name: p.read_bytes() for p in demo_keys.glob("*.p12")}
    principals = User.objects.filter(role=User.Role.PRINCIPAL).count()
    assert len(files) == Unit.objects.count() + principals
    assert signing_demo.seed_keys() == 0
    assert {p.name: p.read_bytes() for p in demo_keys.glob("*.p12")} == files
    for data in files.values():
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(data, None)
    assert signing.keys_dir_is_private()
    ca_key = (demo_keys / "demo-ca" / "demo-ca.key.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in ca_key
