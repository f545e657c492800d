"""core.signing: PAdES signatures from a PKCS#12 file, from a real SoftHSM2 token, with a
timestamp from a local certomancer server; and verification of every tampered case."""
import io
import zlib

import pytest

from core import pki, signing
from tests.signing.conftest import PASSPHRASE, write_p12

STAMP = "Ký bởi: Trần Thị Mỹ Hạnh\nHIỆU TRƯỞNG\nTrường mầm non Tuổi Hồng\nThời gian: %(ts)s"
QR_URL = "http://127.0.0.1:8000/verify/000.00.01.H29-261130-0001-04/"


def sign(pdf, signer="user-principal", **kwargs):
    return signing.sign_pdf(pdf, signer=signer, reason="Ký duyệt", location="TP. Hồ Chí Minh", stamp_text=STAMP,
                            qr_url=QR_URL, field_name="ChuKySo", **kwargs)


def stamp_of(pdf: bytes):
    """The last signature's widget: its rectangle, and the text its appearance draws
    (glyph ids mapped back to Unicode through the embedded font's ToUnicode table)."""
    import re

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    field = reader.embedded_regular_signatures[-1].sig_field
    appearance = field["/AP"]["/N"]
    streams = [appearance, *(x.get_object() for x in appearance["/Resources"].get("/XObject", {}).values())]
    cmap = {}
    for stream in streams:
        for font in (f.get_object() for f in stream.get("/Resources", {}).get("/Font", {}).values()):
            table = font["/ToUnicode"].data.decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", table, re.S):
                for cid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    cmap[int(cid, 16)] = bytes.fromhex(uni).decode("utf-16-be")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", table, re.S):
                for lo, _hi, targets in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]", block):
                    for offset, uni in enumerate(re.findall(r"<([0-9a-fA-F]+)>", targets)):
                        cmap[int(lo, 16) + offset] = bytes.fromhex(uni).decode("utf-16-be")
    runs = re.findall(rb"<([0-9a-f]+)>", b"".join(stream.data for stream in streams))
    text = "".join(cmap.get(int(run[i:i + 4], 16), "") for run in runs for i in range(0, len(run), 4))
    return [float(v) for v in field["/Rect"]], text


def test_pkcs12_signature_is_valid_intact_and_trusted(keys, base_pdf):
    signed = sign(base_pdf)
    verdict = signing.verify_pdf(signed)
    assert (verdict.status, verdict.valid, verdict.intact, verdict.trusted) == ("valid", True, True, True)
    assert verdict.signer == "Trần Thị Mỹ Hạnh (test)"
    assert verdict.signed_at is not None and not verdict.timestamped  # PAdES B-B without a TSA


def test_stamp_is_visible_with_vietnamese_text_and_a_qr_link(keys, base_pdf):
    signed = sign(base_pdf)
    (x1, y1, x2, y2), text = stamp_of(signed)
    assert x2 - x1 > 200 and y2 - y1 > 50
    assert "TrầnThịMỹHạnh" in text.replace(" ", "") and "HIỆUTRƯỞNG" in text.replace(" ", "")
    from pyhanko.pdf_utils.reader import PdfFileReader

    page = PdfFileReader(io.BytesIO(signed)).root["/Pages"]["/Kids"][0]
    annotations = [a.get_object() for a in page["/Annots"]]
    uris = [str(a["/A"]["/URI"]) for a in annotations if "/A" in a]
    assert QR_URL in uris


def test_second_signature_is_added_and_the_first_stays_valid(keys, base_pdf):
    twice = sign(sign(base_pdf))
    verdict = signing.verify_pdf(twice)
    assert verdict.status == "valid" and len(verdict.signatures) == 2
    assert all(s["intact"] and s["trusted"] for s in verdict.signatures)
    assert stamp_of(twice)[0] != stamp_of(sign(base_pdf))[0]  # the second stamp sits elsewhere


def test_missing_key_and_wrong_passphrase_fail_with_a_clear_error_that_holds_no_secret(keys, base_pdf, settings):
    with pytest.raises(signing.KeyUnavailable):
        sign(base_pdf, signer="user-nobody")
    settings.SIGNING_PKCS12_PASSPHRASE = "wrong-passphrase"
    signing._pkcs12_cache.clear()
    with pytest.raises(signing.SigningError) as error:
        sign(base_pdf)
    assert "wrong-passphrase" not in str(error.value) and "user-principal.p12" in str(error.value)


def test_key_file_is_encrypted_and_readable_by_its_owner_only(keys):
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = keys / "user-principal.p12"
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(path.read_bytes(), None)
    assert pkcs12.load_key_and_certificates(path.read_bytes(), PASSPHRASE.encode())[0] is not None


def test_pkcs11_token_signs_for_real_through_softhsm(keys, base_pdf, settings, softhsm_token):
    settings.SIGNING_KEY_SOURCE = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = softhsm_token["module"]
    settings.SIGNING_PKCS11_TOKEN_LABEL = softhsm_token["label"]
    settings.SIGNING_PKCS11_PIN = softhsm_token["pin"]
    signed = sign(base_pdf)
    verdict = signing.verify_pdf(signed)
    assert verdict.status == "valid" and verdict.signer == "Trần Thị Mỹ Hạnh (token)"


def test_pkcs11_key_label_can_be_mapped_and_a_wrong_pin_is_refused(keys, base_pdf, settings, softhsm_token):
    settings.SIGNING_KEY_SOURCE = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = softhsm_token["module"]
    settings.SIGNING_PKCS11_TOKEN_LABEL = softhsm_token["label"]
    settings.SIGNING_PKCS11_PIN = softhsm_token["pin"]
    settings.SIGNING_PKCS11_KEYS = {"unit-seal": "user-principal"}
    assert signing.verify_pdf(sign(base_pdf, signer="unit-seal")).status == "valid"
    settings.SIGNING_PKCS11_PIN = "0000"
    with pytest.raises(signing.SigningError) as error:
        sign(base_pdf)
    assert "0000" not in str(error.value)


def test_timestamp_server_makes_the_signature_pades_b_t(keys, base_pdf, settings, timestamp_server):
    (keys / "trust" / "tsa.pem").write_bytes(timestamp_server["root_pem"])
    settings.SIGNING_TSA_URL = timestamp_server["url"]
    verdict = signing.verify_pdf(sign(base_pdf))
    assert verdict.status == "valid" and verdict.timestamped


def test_timestamp_from_an_untrusted_authority_is_not_valid(keys, base_pdf, settings, timestamp_server):
    settings.SIGNING_TSA_URL = timestamp_server["url"]  # its root is not among the trust roots
    verdict = signing.verify_pdf(sign(base_pdf))
    assert verdict.timestamped and not verdict.valid


# --- Tampering and hostile files ----------------------------------------------------------
def test_one_byte_changed_anywhere_in_the_signed_bytes_is_caught(keys, base_pdf):
    signed = sign(base_pdf)
    for position in (len(signed) // 5, len(signed) // 2, len(base_pdf) - 40):
        changed = bytearray(signed)
        changed[position] ^= 0x01
        verdict = signing.verify_pdf(bytes(changed))
        assert not verdict.valid, position
        assert verdict.status in ("tampered", "invalid", "damaged"), (position, verdict.status)


def test_a_byte_changed_in_the_page_text_says_tampered(keys, base_pdf):
    signed = sign(base_pdf)
    start = signed.index(b"stream", 100) + 10  # inside the first content stream
    changed = signed[:start] + bytes([signed[start] ^ 0x20]) + signed[start + 1:]
    verdict = signing.verify_pdf(changed)
    assert (verdict.status, verdict.intact, verdict.valid) == ("tampered", False, False)


def test_content_appended_after_signing_is_caught(keys, base_pdf):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign(base_pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref, _ = writer.find_page_for_modification(0)
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (PAID) Tj ET")
    page = page_ref.get_object()
    page["/Contents"] = generic.ArrayObject([page["/Contents"], writer.add_object(stream)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    verdict = signing.verify_pdf(out.getvalue())
    assert not verdict.valid and verdict.status == "tampered"


def test_signature_by_an_unknown_certificate_is_intact_but_not_trusted(keys, base_pdf, stranger_authority):
    write_p12(keys, stranger_authority, "user-stranger", "Người lạ")
    verdict = signing.verify_pdf(sign(base_pdf, signer="user-stranger"))
    assert (verdict.status, verdict.intact, verdict.trusted, verdict.valid) == ("untrusted", True, False, False)
    assert verdict.signer == "Người lạ"


def test_pdf_without_signature_says_unsigned(keys, base_pdf):
    assert signing.verify_pdf(base_pdf).status == "unsigned"


def test_file_that_is_not_a_pdf_says_not_pdf(keys):
    for data in (b"", b"hello", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "Xin chào".encode()):
        assert signing.verify_pdf(data).status == "not_pdf"


def test_truncated_pdf_says_damaged_or_unsigned_not_valid(keys, base_pdf):
    signed = sign(base_pdf)
    assert signing.verify_pdf(signed[: len(signed) // 2]).status in ("damaged", "unsigned", "tampered")
    assert signing.verify_pdf(b"%PDF-1.7\n" + b"\xff" * 5000).status == "damaged"


def test_file_over_the_size_limit_is_refused_unread(keys, settings):
    settings.SIGNING_VERIFY_MAX_BYTES = 1024
    assert signing.verify_pdf(b"%PDF-1.7" + b" " * 2048).status == "too_large"


def _raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A hand-written PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def test_pdf_claiming_a_million_pages_is_too_complex(keys):
    bomb = _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 1000000 >>"])
    assert signing.verify_pdf(bomb).status == "too_complex"


def test_pdf_with_a_decompression_bomb_gets_an_answer_not_a_crash(keys):
    # 1 GB of zeros in ~1 MB: whatever opens it must stay within the memory and time budget.
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    bomb_stream = b"".join(compressor.compress(chunk) for _ in range(1024)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Annots [4 0 R] >>",
        b"<< /FT /Sig /T (Sig) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /V 6 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb_stream) + bomb_stream + b"\nendstream",
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 10]"
        b" /Contents <3082> >>",
    ]
    verdict = signing.verify_pdf(_raw_pdf(objects))
    assert not verdict.valid and verdict.status in ("damaged", "tampered", "invalid", "too_complex")


def test_deeply_nested_pdf_gets_an_answer(keys):
    nested = b"[" * 200_000 + b"]" * 200_000
    bomb = _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R /X " + nested + b" >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    verdict = signing.verify_pdf(bomb)
    assert not verdict.valid and verdict.status in ("damaged", "unsigned", "too_complex")


def _forever(pdf_bytes, root_ders):  # module level: the verifier process imports it by name
    while True:
        pass


def _greedy(pdf_bytes, root_ders):
    hoard = []
    while True:
        hoard.append(bytearray(64 << 20))


def _crash(pdf_bytes, root_ders):
    import os

    os._exit(3)


def test_work_past_the_time_budget_is_stopped_and_the_next_file_is_checked(keys, base_pdf):
    signing.verify_pdf(base_pdf)  # the verifier is up
    assert signing.verifier.run(base_pdf, (), 0.5, check=_forever) == {"status": "too_complex"}
    assert signing.verify_pdf(base_pdf).status == "unsigned"  # a new verifier took over


def test_work_past_the_memory_cap_is_stopped(keys, base_pdf):
    signing.verify_pdf(base_pdf)
    assert signing.verifier.run(base_pdf, (), 30, check=_greedy) == {"status": "too_complex"}
    assert signing.verify_pdf(base_pdf).status == "unsigned"


def test_a_verifier_that_dies_is_replaced(keys, base_pdf):
    signing.verify_pdf(base_pdf)
    assert signing.verifier.run(base_pdf, (), 30, check=_crash) == {"status": "too_complex"}
    assert signing.verify_pdf(base_pdf).status == "unsigned"


def test_the_verifier_holds_none_of_the_web_process_descriptors(keys, base_pdf, tmp_path):
    import os

    held = open(tmp_path / "held-by-the-web-process", "wb")  # noqa: SIM115 - kept open on purpose
    try:
        signing.verifier.reset()
        signing.verify_pdf(base_pdf)
        (process,) = signing.verifier._pool._processes.values()
        targets = {os.readlink(f"/proc/{process.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{process.pid}/fd")}
        assert str(tmp_path / "held-by-the-web-process") not in targets
    finally:
        held.close()


def test_trust_roots_come_from_the_configured_pem_files(keys, settings, authority, stranger_authority, tmp_path):
    assert signing.trust_roots_pem().strip() == authority.pem.decode().strip()
    listed = tmp_path / "roots.pem"
    listed.write_bytes(authority.pem + stranger_authority.pem)
    settings.SIGNING_TRUST_ROOTS = [str(listed)]
    assert signing.trust_roots_pem().count("BEGIN CERTIFICATE") == 2


def test_keys_directory_inside_media_root_fails_the_system_check(settings, tmp_path):
    from core.checks import signing_keys_outside_media

    settings.MEDIA_ROOT = tmp_path
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    assert [e.id for e in signing_keys_outside_media(None)] == ["core.E101"]
    settings.SIGNING_KEYS_DIR = tmp_path.parent / "elsewhere-keys"
    assert signing_keys_outside_media(None) == []


def test_certificate_names_fit_x509_bounds_and_keep_the_demo_mark(authority):
    long_name = "Trường mầm non Tuổi Hồng thuộc Ủy ban nhân dân phường Sài Gòn, Thành phố Hồ Chí Minh"
    _key, cert = pki.issue(authority, pki.fit(long_name, suffix=" (DEMO)"), organisation=long_name, note=pki.DEMO_MARK)
    from cryptography.x509.oid import NameOID

    common_name = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert common_name.endswith(" (DEMO)") and len(common_name.encode()) <= 64
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == pki.DEMO_MARK


def test_passphrase_and_pin_never_reach_the_logs(keys, base_pdf, settings, caplog, softhsm_token):
    import logging

    caplog.set_level(logging.DEBUG)
    settings.SIGNING_PKCS12_PASSPHRASE = "secret-passphrase-123"
    signing._pkcs12_cache.clear()
    with pytest.raises(signing.SigningError):
        sign(base_pdf)
    settings.SIGNING_KEY_SOURCE = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = softhsm_token["module"]
    settings.SIGNING_PKCS11_TOKEN_LABEL = softhsm_token["label"]
    settings.SIGNING_PKCS11_PIN = "98765"
    with pytest.raises(signing.SigningError):
        sign(base_pdf)
    assert "secret-passphrase-123" not in caplog.text and "98765" not in caplog.text


def test_signing_works_from_inside_a_running_event_loop(keys, base_pdf):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        return sign(base_pdf)

    # a thread of its own, so that the test holds whatever loop this thread may run
    with ThreadPoolExecutor(max_workers=1) as thread:
        signed = thread.submit(asyncio.run, inside()).result()
    assert signing.verify_pdf(signed).status == "valid"
