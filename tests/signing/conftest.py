"""A throw-away certificate authority, keys and PDFs for the signing tests."""
import pytest

from core import pki

PASSPHRASE = "test-passphrase"


def one_page_pdf(title: str = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả") -> bytes:
    import weasyprint

    html = f"<html lang='vi'><body><h1>{title}</h1><p>Mẫu số 01 — Trường mầm non Tuổi Hồng</p></body></html>"
    return weasyprint.HTML(string=html).write_pdf()


@pytest.fixture(scope="session")
def authority():
    return pki.new_authority("Test Root CA", note=pki.DEMO_MARK)


@pytest.fixture(scope="session")
def stranger_authority():
    """A CA the portal does not trust."""
    return pki.new_authority("Unknown Root CA")


@pytest.fixture(scope="session")
def base_pdf():
    return one_page_pdf()


def write_p12(keys_dir, authority, key_id: str, common_name: str):
    key, cert = pki.issue(authority, common_name, organisation="Trường mầm non Tuổi Hồng")
    data = pki.pkcs12_bytes(key, cert, [authority.cert], passphrase=PASSPHRASE, name=key_id)
    pki.write_private(keys_dir / f"{key_id}.p12", data)
    return key, cert


@pytest.fixture
def keys(tmp_path, settings, authority):
    """A keys directory with the test CA as the only trust root and one key, "user-principal"."""
    keys_dir = tmp_path / "keys"
    (keys_dir / "trust").mkdir(parents=True)
    (keys_dir / "trust" / "root.pem").write_bytes(authority.pem)
    settings.SIGNING_KEYS_DIR = keys_dir
    settings.SIGNING_KEY_SOURCE = "pkcs12"
    settings.SIGNING_PKCS12_PASSPHRASE = PASSPHRASE
    settings.SIGNING_TRUST_ROOTS = []
    settings.SIGNING_TSA_URL = ""
    write_p12(keys_dir, authority, "user-principal", "Trần Thị Mỹ Hạnh (test)")
    return keys_dir


SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "cchc-test-token"
TOKEN_PIN = "1234"


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory, authority):
    """A real SoftHSM2 token made for this test session: its own SOFTHSM2_CONF and
    token directory, an RSA key generated ON the token (never extractable) with the
    label "user-principal", and a certificate for it from the test CA stored beside it."""
    import os
    import shutil
    import subprocess

    from cryptography.hazmat.primitives import serialization

    from tests.conftest import require

    require(os.path.exists(SOFTHSM_MODULE) and shutil.which("softhsm2-util") and shutil.which("pkcs11-tool"),
            "needs softhsm2 and opensc (apt-get install softhsm2 opensc)")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)

    def run(*args):
        return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", TOKEN_PIN, "--so-pin", "5678")
    tool = ("pkcs11-tool", "--module", SOFTHSM_MODULE, "--token-label", TOKEN_LABEL, "--login", "--pin", TOKEN_PIN)
    run(*tool, "--keypairgen", "--key-type", "rsa:2048", "--label", "user-principal", "--id", "01", "--usage-sign")
    public_der = run(*tool, "--read-object", "--type", "pubkey", "--id", "01")
    public_key = serialization.load_der_public_key(public_der)

    class _OnToken:  # pki.issue only needs the public half
        def public_key(self):
            return public_key

    _key, cert = pki.issue(authority, "Trần Thị Mỹ Hạnh (token)", organisation="Trường mầm non Tuổi Hồng", key=_OnToken())
    cert_file = root / "cert.der"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    run(*tool, "--write-object", str(cert_file), "--type", "cert", "--label", "user-principal", "--id", "01")
    return {"module": SOFTHSM_MODULE, "label": TOKEN_LABEL, "pin": TOKEN_PIN, "cert": cert}


@pytest.fixture(scope="session")
def timestamp_server(tmp_path_factory):
    """An RFC 3161 timestamp server on 127.0.0.1: certomancer's Animator (the WSGI app
    behind `certomancer animate`) over a PKI described here, served by werkzeug in a
    thread. Yields {"url", "root_pem"}; never touches the internet."""
    import threading

    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from cryptography.hazmat.primitives import serialization
    from werkzeug.serving import make_server

    key_dir = tmp_path_factory.mktemp("tsa-keys")
    for name in ("root", "tsa"):
        key = pki.new_key()
        (key_dir / f"{name}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    validity = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2100-01-01T00:00:00+0000"}
    config = {
        "keysets": {"tsa": {"keys": {"root": {"path": "root.key.pem"}, "tsa": {"path": "tsa.key.pem"}}}},
        "pki-architectures": {"testtsa": {
            "keyset": "tsa",
            "entity-defaults": {"country-name": "VN", "organization-name": "Test TSA"},
            "entities": {"root": {"common-name": "Test TSA Root"}, "tsa": {"common-name": "Test Time Stamping Authority"}},
            "certs": {
                "root": {"subject": "root", "issuer": "root", "validity": validity, "profiles": ["simple-ca"]},
                "tsa": {"issuer": "root", "validity": validity, "extensions": [
                    {"id": "key_usage", "critical": True,
                     "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
                    {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                ]},
            },
            "services": {"time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}}},
        }},
    }
    arch = CertomancerConfig(config, key_search_dir=str(key_dir)).get_pki_arch("testtsa")
    app = Animator(AnimatorArchStore({arch.arch_label: arch}), with_web_ui=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root_pem = arch.get_cert("root").dump()
    from asn1crypto import pem

    yield {"url": f"http://127.0.0.1:{server.server_port}/testtsa/tsa/tsa", "root_pem": pem.armor("CERTIFICATE", root_pem)}
    server.shutdown()


def issue_test_document(dossier, *, form="04", kind="form", title="Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
                        legal_basis="tt03-2025", pdf=None):
    """An issued, unsigned document of ``dossier`` (as the printed-forms service stores one)."""
    from django.core.files.base import ContentFile

    from core.signing import file_sha256
    from dossiers.models import Document

    pdf = pdf or one_page_pdf(title)
    code = f"{dossier.code}-{form}" if kind == "form" else f"{dossier.code}-KQ1"
    version = (Document.objects.filter(code=code).order_by("-version").values_list("version", flat=True).first() or 0) + 1
    document = Document(dossier=dossier, unit=dossier.unit, kind=kind, form=form, code=code, version=version,
                        title=title, legal_basis=legal_basis, sha256=file_sha256(pdf), size=len(pdf))
    document.file.save(f"{code}-v{version}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


@pytest.fixture
def school(keys, authority):
    """A unit with staff, a principal, a deputy, a dossier, a seal key and personal keys."""
    from core.models import User
    from dossiers.signatures import person_key_id, seal_key_id
    from tests.factories import PrincipalFactory, ProcedureFactory, StaffFactory, receive_dossier

    staff = StaffFactory(username="staff-sign")
    unit = staff.unit
    principal = PrincipalFactory(username="principal-sign", unit=unit, first_name="Hạnh", last_name="Trần Thị Mỹ")
    deputy = User.objects.create_user(username="deputy-sign", password="pass-12345", role=User.Role.STAFF, unit=unit,
                                      first_name="Bình", last_name="Lê Văn", is_deputy_head=True,
                                      job_title="Phó hiệu trưởng")
    for user in (principal, deputy, staff):
        write_p12(keys, authority, person_key_id(user), f"{user.get_full_name()} (test)")
    write_p12(keys, authority, seal_key_id(unit), f"{unit.name} (test seal)")
    dossier = receive_dossier(procedure=ProcedureFactory(unit=unit), actor=staff)
    return {"unit": unit, "staff": staff, "principal": principal, "deputy": deputy, "dossier": dossier}
