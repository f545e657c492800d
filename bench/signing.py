"""Signing and verification (issue 12): median and p95 time to sign a one-page form with a
PKCS#12 key and through SoftHSM2 — beside pyHanko signing the same PDF in a bare loop
(the reference: same key, stamp, font and field, nothing of the portal around it) —,
the principal's signing button end to end (read the stored PDF, sign, store a new
version, write the event; in a transaction rolled back), and verification throughput
beside bare in-process pyHanko validation.

    python -m bench.signing [DATABASE_URL]     # prints the figures
    (make bench runs it through run(db_url) like every module)

Keys, token and media live in a temporary directory; nothing is left behind."""
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import row

SAMPLES = int(os.environ.get("BENCH_SIGNING_SAMPLES", "40"))
SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
STAMP = "Ký bởi: Trần Thị Mỹ Hạnh\nHIỆU TRƯỞNG\nTrường mầm non Tuổi Hồng\nThời gian ký: %(ts)s\nKiểm tra: X-04"


def _samples(fn, n=SAMPLES, warmup=2) -> list[float]:
    """Wall times of ``n`` calls of ``fn`` in ms, after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _paired(reference, figure, n=SAMPLES, warmup=2) -> tuple[list[float], list[float]]:
    """Samples of both, interleaved (order alternating), so that neighbours' load on a
    shared machine weighs on the reference and the figure alike."""
    for _ in range(warmup):
        reference()
        figure()
    ref_times, fig_times = [], []
    for i in range(n):
        pair = [(reference, ref_times), (figure, fig_times)]
        for fn, times in (pair if i % 2 == 0 else pair[::-1]):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return ref_times, fig_times


def _p95(values):
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def _one_page_pdf() -> bytes:
    import weasyprint

    html = ("<html lang='vi'><body><h1>Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết</h1>"
            + "<p>Trường mầm non Tuổi Hồng xin lỗi ông/bà vì hồ sơ chưa được giải quyết đúng hẹn.</p>" * 12
            + "</body></html>")
    return weasyprint.HTML(string=html).write_pdf()


def _bare_sign(pdf: bytes, signer, font: str) -> bytes:
    """The reference: pyHanko alone, as a bare script would call it."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import QRStampStyle

    style = QRStampStyle(stamp_text=STAMP, border_width=1, innsep=2, text_box_style=TextBoxStyle(
        font=GlyphAccumulatorFactory(font, font_size=7),
        font_size=7, leading=9))
    meta = signers.PdfSignatureMetadata(field_name="ChuKySo", md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=fields.SigFieldSpec(
        "ChuKySo", on_page=0, box=(317, 12, 567, 74)))
    return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                               appearance_text_params={"url": "http://127.0.0.1:8000/verify/X-04/"}).getvalue()


def _portal_sign(pdf: bytes, key_id: str) -> bytes:
    from core import signing

    return signing.sign_pdf(pdf, signer=key_id, reason="Ký duyệt", location="TP. Hồ Chí Minh", stamp_text=STAMP,
                            qr_url="http://127.0.0.1:8000/verify/X-04/", field_name="ChuKySo")


def _softhsm_token(root: Path, authority) -> dict | None:
    """A SoftHSM2 token with an RSA key generated on it and its certificate beside it."""
    from cryptography.hazmat.primitives import serialization

    from core import pki

    if not (os.path.exists(SOFTHSM) and shutil.which("softhsm2-util") and shutil.which("pkcs11-tool")):
        return None
    (root / "tokens").mkdir(parents=True)
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)

    def run(*args):
        return subprocess.run(args, check=True, capture_output=True, timeout=60).stdout

    run("softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", "1234", "--so-pin", "5678")
    tool = ("pkcs11-tool", "--module", SOFTHSM, "--token-label", "bench", "--login", "--pin", "1234")
    run(*tool, "--keypairgen", "--key-type", "rsa:2048", "--label", "user-principal", "--id", "01", "--usage-sign")
    public = serialization.load_der_public_key(run(*tool, "--read-object", "--type", "pubkey", "--id", "01"))

    class OnToken:
        def public_key(self):
            return public

    _key, cert = pki.issue(authority, "Trần Thị Mỹ Hạnh (bench)", organisation="Bench", key=OnToken())
    (root / "cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    run(*tool, "--write-object", str(root / "cert.der"), "--type", "cert", "--label", "user-principal", "--id", "01")
    return {"module": SOFTHSM, "label": "bench", "pin": "1234"}


def _button(settings, pdf: bytes) -> list[float]:
    """document_sign end to end on a throw-away unit and dossier (rolled back)."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from core.models import Field, Office, Unit, User
    from core.signing import file_sha256
    from dossiers.models import Document, Procedure
    from dossiers.services import dossier_receive
    from dossiers.signatures import document_sign

    times = []

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            office = Office.objects.create(name="Bench office", code="bench-signing-office")
            unit = Unit.objects.create(office=office, slug="bench-signing", code="BENCH.SIGN", name="Trường bench")
            principal = User.objects.create(username="bench-signing-principal", role="principal", unit=unit,
                                            first_name="Hạnh", last_name="Trần Thị Mỹ")
            from core import pki  # the principal's key, issued by the bench CA
            key, cert = pki.issue(settings._bench_authority, "Trần Thị Mỹ Hạnh (bench)", organisation="Bench")
            pki.write_private(Path(settings.SIGNING_KEYS_DIR) / "user-bench-signing-principal.p12", pki.pkcs12_bytes(
                key, cert, [settings._bench_authority.cert], passphrase=settings.SIGNING_PKCS12_PASSPHRASE, name="p"))
            procedure = Procedure.objects.create(unit=unit, code="B-1", name="Bench", field=Field.objects.first(),
                                                 processing_days=3)
            dossier = dossier_receive(unit=unit, procedure=procedure, applicant_name="Nguyễn Văn An",
                                      applicant_phone="0901234567")
            for n in range(SAMPLES + 2):
                document = Document(dossier=dossier, unit=unit, kind="form", form="04", code=f"{dossier.code}-04-{n}",
                                    title="Văn bản xin lỗi", legal_basis="tt03-2025", sha256=file_sha256(pdf),
                                    size=len(pdf))
                document.file.save(f"bench-{n}.pdf", ContentFile(pdf), save=False)
                document.save()
                start = time.perf_counter()
                document_sign(document=document, actor=principal)
                if n >= 2:
                    times.append((time.perf_counter() - start) * 1000)
            raise Rollback
    except Rollback:
        pass
    return times


def measure() -> list[dict]:
    from django.conf import settings
    from pyhanko.sign import signers

    from core import pki, signing

    tmp = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    try:
        authority = pki.new_authority("Bench Root CA", note=pki.DEMO_MARK)
        keys = tmp / "keys"
        (keys / "trust").mkdir(parents=True)
        (keys / "trust" / "root.pem").write_bytes(authority.pem)
        settings.SIGNING_KEYS_DIR = keys
        settings.SIGNING_KEY_SOURCE = "pkcs12"
        settings.SIGNING_PKCS12_PASSPHRASE = "bench"
        settings.SIGNING_TRUST_ROOTS = []
        settings.SIGNING_TSA_URL = ""
        settings.MEDIA_ROOT = tmp / "media"
        settings._bench_authority = authority
        key, cert = pki.issue(authority, "Trần Thị Mỹ Hạnh (bench)", organisation="Bench")
        p12 = pki.pkcs12_bytes(key, cert, [authority.cert], passphrase="bench", name="user-principal")  # noqa: S106
        pki.write_private(keys / "user-principal.p12", p12)
        pdf = _one_page_pdf()

        rows = []
        bare_signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=(), passphrase=b"bench")
        prepared = signing.stamp_font_path()  # what sign_pdf draws with (made once per machine)
        naive = _samples(lambda: _bare_sign(pdf, bare_signer, settings.SIGNING_STAMP_FONT), n=max(5, SAMPLES // 4))
        bare, portal = _paired(lambda: _bare_sign(pdf, bare_signer, prepared),
                               lambda: _portal_sign(pdf, "user-principal"))
        ref = statistics.median(bare)
        rows += [
            row("bare pyHanko, PKCS#12, whole Noto Sans as the stamp font, median", statistics.median(naive), "ms",
                "-", None, "-"),
            row("bare pyHanko, PKCS#12, same prepared font (reference), median", ref, "ms", "-", None, "-"),
            row("bare pyHanko, PKCS#12, same prepared font, p95", _p95(bare), "ms", "-", None, "-"),
            row("sign_pdf, PKCS#12, median", statistics.median(portal), "ms", "bare pyHanko", ref, "≤ 1.3×"),
            row("sign_pdf, PKCS#12, p95", _p95(portal), "ms", "bare pyHanko p95", _p95(bare), "≤ 1.3×"),
        ]

        token = _softhsm_token(tmp / "softhsm", authority)
        if token:
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

            def bare_token():
                session = open_pkcs11_session(SOFTHSM, token_criteria=TokenCriteria(label="bench"), user_pin="1234")
                try:
                    _bare_sign(pdf, PKCS11Signer(session, cert_label="user-principal", key_label="user-principal"),
                               prepared)
                finally:
                    session.close()

            settings.SIGNING_PKCS11_MODULE, settings.SIGNING_PKCS11_TOKEN_LABEL = SOFTHSM, "bench"
            settings.SIGNING_PKCS11_PIN = "1234"

            def portal_token():
                settings.SIGNING_KEY_SOURCE = "pkcs11"
                try:
                    _portal_sign(pdf, "user-principal")
                finally:
                    settings.SIGNING_KEY_SOURCE = "pkcs12"

            bare_hsm, portal_hsm = _paired(bare_token, portal_token)
            ref_hsm = statistics.median(bare_hsm)
            rows += [
                row("bare pyHanko, SoftHSM2 token (reference), median", ref_hsm, "ms", "-", None, "-"),
                row("bare pyHanko, SoftHSM2 token, p95", _p95(bare_hsm), "ms", "-", None, "-"),
                row("sign_pdf, SoftHSM2 token, median", statistics.median(portal_hsm), "ms", "bare pyHanko", ref_hsm,
                    "≤ 1.3×"),
                row("sign_pdf, SoftHSM2 token, p95", _p95(portal_hsm), "ms", "bare pyHanko p95", _p95(bare_hsm),
                    "≤ 1.3×"),
            ]

        button = _button(settings, pdf)
        rows += [
            row("signing button (document_sign: read, sign, store, event), median", statistics.median(button), "ms",
                "bare pyHanko", ref, "-"),
            row("signing button, p95", _p95(button), "ms", "-", None, "< 1 s"),
        ]

        signed = _portal_sign(pdf, "user-principal")
        assert signing.verify_pdf(signed).valid
        roots = signing.trust_roots()
        bare_verify, portal_verify = _paired(lambda: signing._check_signatures(signed, roots),
                                             lambda: signing.verify_pdf(signed))
        bare_rate = 1000 / statistics.median(bare_verify)
        rows += [
            row("bare pyHanko validation in process (reference)", bare_rate, "files/s", "-", None, "-"),
            row("verify_pdf (verifier process, capped), one-page signed form", 1000 / statistics.median(portal_verify),
                "files/s", "bare pyHanko", bare_rate, "-"),
            row("verify_pdf, p95 time per file", _p95(portal_verify), "ms", "-", None, "< 3 s"),
        ]
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(db_url: str) -> list[dict]:
    from bench.common import setup_django

    setup_django(db_url)
    return measure()


if __name__ == "__main__":
    from bench.common import bench_db_url

    results = run(sys.argv[1] if len(sys.argv) > 1 else bench_db_url())
    for r in results:
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else ""
        print(f"{r['name']:<72} {r['figure']:>9.1f} {r['unit']:<8} {r['reference']:<18} {ratio:>6}  {r['goal']}")
