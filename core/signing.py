"""PAdES signatures on the portal's PDFs (pyHanko), and their verification by anyone.

Generic: no domain app is imported here. A *key id* names a signer's key — the portal
uses ``unit-<slug>`` for a unit's seal and ``user-<username>`` for a person — and the
key itself lives in one of two sources, chosen by ``SIGNING_KEY_SOURCE``
(docs/signing.md):

* ``pkcs12``: one encrypted PKCS#12 file per signer, ``<SIGNING_KEYS_DIR>/<key id>.p12``,
  opened with ``SIGNING_PKCS12_PASSPHRASE`` from the environment. The directory lies
  outside MEDIA_ROOT, so ``scripts/backup.sh`` never copies it (a system check says so).
* ``pkcs11``: a token (the USB tokens Vietnamese certificate providers issue, or an
  HSM): module ``SIGNING_PKCS11_MODULE``, token ``SIGNING_PKCS11_TOKEN_LABEL``, PIN
  ``SIGNING_PKCS11_PIN``; the key and certificate labelled with the key id, or with the
  label ``SIGNING_PKCS11_KEYS`` maps it to.

Private keys and PINs are never stored in the database and never logged.

Signatures are PAdES B-B, or B-T when ``SIGNING_TSA_URL`` names a timestamp server. Each
carries a visible stamp (text in Noto Sans, which has every Vietnamese letter) with a QR
code to the document's verification page.

``verify_pdf`` judges an uploaded file against the trust roots (``SIGNING_TRUST_ROOTS``)
in a separate verifier process with a memory cap and a time budget, so that a hostile file
(a PDF bomb, a parser trap) costs at most a few seconds and never the web process."""
from __future__ import annotations

import asyncio
import atexit
import dataclasses
import datetime
import hashlib
import io
import logging
import multiprocessing
import os
import tempfile
import threading
import unicodedata
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# Bounds of what the verifier opens (a PDF bomb meets one of them, or the time budget).
MAX_PAGES = 500
MAX_OBJECTS = 100_000
MEMORY_LIMIT_MB = 768
STARTUP_SECONDS = 15  # a new verifier process imports pyHanko (slow on a loaded machine)
# Where the stamp goes: points from the page edges, and its size.
STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN, STAMP_BOTTOM = 250, 62, 28, 12


class SigningError(Exception):
    """Signing failed; the message is safe to show (it never holds a key or a PIN)."""


class KeyUnavailable(SigningError):
    """No key for this signer in the configured key source."""


# --- Keys -----------------------------------------------------------------------------
def keys_dir() -> Path:
    return Path(settings.SIGNING_KEYS_DIR)


def pkcs12_path(key_id: str) -> Path:
    if not key_id or "/" in key_id or key_id.startswith("."):
        raise KeyUnavailable(f"invalid key id {key_id!r}")
    return keys_dir() / f"{key_id}.p12"


def key_available(key_id: str) -> bool:
    """Whether ``key_id`` can sign with the configured source (cheap for PKCS#12; a
    token is only asked when signing)."""
    if settings.SIGNING_KEY_SOURCE == "pkcs11":
        return bool(settings.SIGNING_PKCS11_MODULE)
    try:
        return pkcs12_path(key_id).is_file()
    except KeyUnavailable:
        return False


_pkcs12_cache: dict[str, tuple[float, object]] = {}
_cache_lock = threading.Lock()


def _pkcs12_signer(key_id: str):
    """The PKCS#12 signer of ``key_id``, kept in memory while its file is unchanged
    (parsing the file costs more than the signature)."""
    from pyhanko.sign import signers

    path = pkcs12_path(key_id)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise KeyUnavailable(f"no PKCS#12 file for {key_id}") from None
    with _cache_lock:
        cached = _pkcs12_cache.get(key_id)
        if cached and cached[0] == mtime:
            return cached[1]
    passphrase = settings.SIGNING_PKCS12_PASSPHRASE.encode() or None
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(path.read_bytes(), other_certs=(), passphrase=passphrase)
    except Exception:  # noqa: BLE001 - pyHanko raises several kinds for a wrong passphrase
        signer = None
    if signer is None:
        # Say which file, never the passphrase.
        raise SigningError(f"cannot open {path.name}: wrong SIGNING_PKCS12_PASSPHRASE or damaged file")
    with _cache_lock:
        _pkcs12_cache[key_id] = (mtime, signer)
    return signer


def _pkcs11_label(key_id: str) -> str:
    return (settings.SIGNING_PKCS11_KEYS or {}).get(key_id, key_id)


def _open_pkcs11_session():
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not settings.SIGNING_PKCS11_MODULE:
        raise KeyUnavailable("SIGNING_PKCS11_MODULE is not set")
    criteria = TokenCriteria(label=settings.SIGNING_PKCS11_TOKEN_LABEL) if settings.SIGNING_PKCS11_TOKEN_LABEL else None
    try:
        return open_pkcs11_session(
            settings.SIGNING_PKCS11_MODULE, token_criteria=criteria, user_pin=settings.SIGNING_PKCS11_PIN or None,
        )
    except Exception as error:  # noqa: BLE001 - python-pkcs11 errors carry no secret, only a code
        raise SigningError(f"cannot open the PKCS#11 token: {type(error).__name__}") from None


# --- Signing --------------------------------------------------------------------------
# Every letter of Vietnamese (NFC, precomposed), Latin-1, the đồng sign and punctuation.
STAMP_UNICODES = [
    *range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x1A0, 0x1B1), *range(0x300, 0x324), *range(0x1EA0, 0x1EFA),
    0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x20AB, 0x2116,
]
_font_lock = threading.Lock()
_font_paths: dict[tuple, str] = {}


def stamp_font_path() -> str:
    """SIGNING_STAMP_FONT cut down to the letters a stamp can hold, made once per machine.

    pyHanko subsets the stamp's font at every signature; on the whole of Noto Sans
    (500 KB, large layout tables) that was three quarters of the time of a signature.
    Text reaches the stamp in NFC, precomposed, so the layout tables go too."""
    source = Path(settings.SIGNING_STAMP_FONT)
    stat = source.stat()
    key = (str(source), stat.st_mtime, stat.st_size)
    with _font_lock:
        if key in _font_paths and Path(_font_paths[key]).exists():
            return _font_paths[key]
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
        for folder in (Path(settings.BASE_DIR) / "var" / "fonts", Path(tempfile.gettempdir()) / "cchc-fonts"):
            target = folder / f"stamp-{source.stem}-{digest}.ttf"
            if target.exists():
                break
            try:
                folder.mkdir(parents=True, exist_ok=True)
                _subset_font(source, target)
                break
            except OSError:
                continue
        else:  # nowhere to write: use the whole font (slower, still correct)
            target = source
        _font_paths[key] = str(target)
        return str(target)


def _subset_font(source: Path, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.drop_tables += ["DSIG", "GSUB", "GPOS", "GDEF"]
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODES)
    subsetter.subset(font)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    font.save(str(partial))
    os.replace(partial, target)


def _stamp_style(stamp_text: str):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import QRStampStyle

    # pyHanko 0.38 lays out glyphs in 1000-unit em squares: a font drawn on 2048 units
    # (DejaVu, Liberation) comes out letter-spaced; Noto Sans has 1000 and Vietnamese.
    font = GlyphAccumulatorFactory(stamp_font_path(), font_size=7)
    return QRStampStyle(
        stamp_text=unicodedata.normalize("NFC", stamp_text), border_width=1, innsep=2,
        timestamp_format="%d/%m/%Y %H:%M:%S (UTC%Z)", text_box_style=TextBoxStyle(font=font, font_size=7, leading=9),
    )


def _stamp_box(writer) -> tuple[int, tuple[float, float, float, float]]:
    """Bottom of the last page, right side; a later signature goes left, then above."""
    from pyhanko.sign.fields import enumerate_sig_fields

    page_ix = int(writer.root["/Pages"]["/Count"]) - 1
    page_ref, _ = writer.find_page_for_modification(page_ix)
    x0, y0, x1, _y1 = (float(v) for v in page_ref.get_object()["/MediaBox"])
    taken = sum(1 for _ in enumerate_sig_fields(writer, filled_status=True))
    row, column = divmod(taken, 2)
    left = x1 - STAMP_MARGIN - STAMP_WIDTH if column == 0 else x0 + STAMP_MARGIN
    bottom = y0 + STAMP_BOTTOM + row * (STAMP_HEIGHT + 6)
    return page_ix, (left, bottom, left + STAMP_WIDTH, bottom + STAMP_HEIGHT)


def _unique_field_name(writer, wanted: str) -> str:
    from pyhanko.sign.fields import enumerate_sig_fields

    names = {name for name, _value, _ref in enumerate_sig_fields(writer)}
    name, n = wanted, 2
    while name in names:
        name, n = f"{wanted}-{n}", n + 1
    return name


def _has_signatures(writer) -> bool:
    from pyhanko.sign.fields import enumerate_sig_fields

    return any(True for _ in enumerate_sig_fields(writer, filled_status=True))


def _add_link(writer, page_ix: int, box, url: str) -> None:
    """A clickable link over the stamp (the QR code is for phones), in the signed revision."""
    from pyhanko.pdf_utils import generic

    page_ref, _ = writer.find_page_for_modification(page_ix)
    writer.register_annotation(page_ref, writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Link"),
        generic.pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in box]),
        generic.pdf_name("/Border"): generic.ArrayObject([generic.NumberObject(0)] * 3),
        generic.pdf_name("/A"): generic.DictionaryObject({
            generic.pdf_name("/S"): generic.pdf_name("/URI"), generic.pdf_name("/URI"): generic.pdf_string(url),
        }),
    })))


def _timestamper():
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=settings.SIGNING_TSA_TIMEOUT)


def sign_pdf(
    pdf_bytes: bytes, *, signer: str, reason: str, location: str, stamp_text: str, qr_url: str,
    field_name: str = "Signature",
) -> bytes:
    """``pdf_bytes`` with one more PAdES signature by the key ``signer`` (a key id),
    added as an incremental update (earlier signatures stay valid).

    ``stamp_text`` is printed beside a QR code of ``qr_url``; it may use ``%(ts)s``
    (the signing time, in the server's time zone). PAdES B-T with ``SIGNING_TSA_URL``,
    B-B without."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return _sign_pdf(pdf_bytes, signer=signer, reason=reason, location=location, stamp_text=stamp_text,
                         qr_url=qr_url, field_name=field_name)
    # pyHanko's synchronous API runs its own loop: from inside a running one (an ASGI
    # server, a browser test's driver), sign in a thread of its own.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(_sign_pdf, pdf_bytes, signer=signer, reason=reason, location=location,
                             stamp_text=stamp_text, qr_url=qr_url, field_name=field_name).result()


def _sign_pdf(pdf_bytes: bytes, *, signer: str, reason: str, location: str, stamp_text: str, qr_url: str,
              field_name: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    session = None
    try:
        if settings.SIGNING_KEY_SOURCE == "pkcs11":
            from pyhanko.sign.pkcs11 import PKCS11Signer

            session = _open_pkcs11_session()
            label = _pkcs11_label(signer)
            key_signer = PKCS11Signer(session, cert_label=label, key_label=label)
        else:
            key_signer = _pkcs12_signer(signer)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        page_ix, box = _stamp_box(writer)
        name = _unique_field_name(writer, field_name)
        if not _has_signatures(writer):
            # A later revision may not add annotations (pyHanko's difference analysis would
            # judge the earlier signature's document changed): the link goes with the first.
            _add_link(writer, page_ix, box, qr_url)
        meta = signers.PdfSignatureMetadata(
            field_name=name, reason=reason, location=location, md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        pdf_signer = signers.PdfSigner(
            meta, signer=key_signer, timestamper=_timestamper(), stamp_style=_stamp_style(stamp_text),
            new_field_spec=fields.SigFieldSpec(name, on_page=page_ix, box=box),
        )
        out = pdf_signer.sign_pdf(writer, appearance_text_params={"url": qr_url})
        return out.getvalue()
    except SigningError:
        raise
    except Exception as error:  # noqa: BLE001 - say what failed, never with key material
        log.warning("signing with %s failed: %s", signer, type(error).__name__)
        raise SigningError(f"signing failed: {type(error).__name__}: {error}") from None
    finally:
        if session is not None:
            session.close()


# --- Trust roots ------------------------------------------------------------------------
def trust_root_files() -> list[Path]:
    if settings.SIGNING_TRUST_ROOTS:
        return [Path(p) for p in settings.SIGNING_TRUST_ROOTS]
    return sorted((keys_dir() / "trust").glob("*.pem"))


_roots_cache: dict[tuple, list] = {}


def trust_roots() -> list:
    """The trust roots as asn1crypto certificates (files re-read when they change)."""
    from asn1crypto import pem, x509

    files = trust_root_files()
    stamp = tuple((str(f), f.stat().st_mtime) for f in files if f.is_file())
    if stamp in _roots_cache:
        return _roots_cache[stamp]
    roots = []
    for name, _mtime in stamp:
        data = Path(name).read_bytes()
        if pem.detect(data):
            roots += [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
        else:
            roots.append(x509.Certificate.load(data))
    _roots_cache.clear()
    _roots_cache[stamp] = roots
    return roots


def trust_roots_pem() -> str:
    from asn1crypto import pem

    return "".join(pem.armor("CERTIFICATE", cert.dump()).decode() for cert in trust_roots())


# --- Verification ---------------------------------------------------------------------
@dataclasses.dataclass
class Verdict:
    """What verification found. ``status`` is one of: ``valid``, ``tampered`` (bytes
    changed after signing), ``untrusted`` (intact, but not signed under our roots),
    ``invalid`` (a signature that does not check out), ``unsigned``, ``not_pdf``,
    ``damaged`` (cannot be read as a PDF), ``too_large``, ``too_complex`` (over the
    page/object/memory/time limits)."""

    status: str
    valid: bool = False
    intact: bool = False
    trusted: bool = False
    signer: str | None = None
    signed_at: datetime.datetime | None = None
    timestamped: bool = False
    sha256: str = ""
    signatures: list[dict] = dataclasses.field(default_factory=list)


def _common_name(cert) -> str:
    subject = cert.subject.native
    return subject.get("common_name") or subject.get("organization_name") or cert.subject.human_friendly


def _check_signatures(pdf_bytes: bytes, roots: list) -> dict:
    """The verdict of every signature in ``pdf_bytes`` (runs in the child process)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        size = int(reader.trailer["/Size"])
        pages = int(reader.root["/Pages"]["/Count"])
        if size > MAX_OBJECTS or pages > MAX_PAGES:
            return {"status": "too_complex"}
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001 - any parse failure is a damaged file
        return {"status": "damaged"}
    if not embedded:
        return {"status": "unsigned"}
    # No fetching: the verdict never waits on the network (revocation: soft-fail).
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    results = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
        except Exception as error:  # noqa: BLE001 - a mangled signature is not a crash
            results.append({"intact": False, "valid": False, "trusted": False, "signer": None,
                            "signed_at": None, "timestamped": False, "error": type(error).__name__})
            continue
        ts = status.timestamp_validity
        results.append({
            "intact": bool(status.intact), "valid": bool(status.valid), "trusted": bool(status.trusted),
            "timestamp_ok": ts is None or bool(ts.valid and ts.intact and ts.trusted),
            "modification_ok": status.docmdp_ok is not False,
            "covers_all": status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            "signer": _common_name(status.signing_cert),
            "signed_at": (ts.timestamp if ts is not None else status.signer_reported_dt),
            "timestamped": ts is not None, "field": sig.field_name,
        })
    return {"status": "checked", "signatures": results}


def _limit_memory() -> None:
    """In the verifier process: cap its address space (a decompression bomb meets MemoryError)."""
    try:
        import resource

        limit = _current_vm_bytes() + MEMORY_LIMIT_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except Exception:  # noqa: BLE001,S110 - no rlimit on this platform: the time budget still holds
        pass


def _current_vm_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


_worker_roots: dict[tuple, list] = {}


def _verify_in_worker(pdf_bytes: bytes, root_ders: tuple) -> dict:
    """Runs in the verifier process: roots travel as DER and are parsed once there."""
    from asn1crypto import x509

    if root_ders not in _worker_roots:
        _worker_roots.clear()
        _worker_roots[root_ders] = [x509.Certificate.load(der) for der in root_ders]
    try:
        return _check_signatures(pdf_bytes, _worker_roots[root_ders])
    except MemoryError:
        return {"status": "too_complex"}
    except Exception:  # noqa: BLE001 - whatever pyHanko raises, the answer is "damaged"
        return {"status": "damaged"}


class _Verifier:
    """One long-lived process per web process that runs the checks, killed and replaced
    when a check outlives its time budget or the process dies.

    It is *spawned*, not forked: a forked child would inherit the web process's open
    descriptors (its listening socket, pipes to other children) and keep them open."""

    _serial = threading.Lock()  # one check at a time per web process: the budget is the check's own

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = None
        self._pid = None

    def _get(self):
        from concurrent.futures import ProcessPoolExecutor

        with self._lock:
            if self._pool is None or self._pid != os.getpid() or getattr(self._pool, "_broken", False):
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_limit_memory)
                if self._pid is None:
                    atexit.register(self.reset)  # stop the verifier before the interpreter tears down
                self._pid = os.getpid()
            return self._pool

    def reset(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def run(self, pdf_bytes: bytes, root_ders: tuple, timeout: float, check=None) -> dict:
        """``check(pdf_bytes, root_ders)`` (default: the signature check) in the verifier,
        within ``timeout`` seconds once it started."""
        from concurrent.futures import BrokenExecutor
        from concurrent.futures import TimeoutError as FutureTimeout

        with self._serial:
            try:
                pool = self._get()
                startup = 0.0 if getattr(pool, "_processes", None) else STARTUP_SECONDS
                future = pool.submit(check or _verify_in_worker, pdf_bytes, root_ders)
                return future.result(timeout=timeout + startup)
            except FutureTimeout:
                self.reset()
                return {"status": "too_complex"}
            except BrokenExecutor:  # the process died (memory cap, a crash in a C library)
                self.reset()
                return {"status": "too_complex"}
            except MemoryError:
                return {"status": "too_complex"}
            except Exception:  # noqa: BLE001 - whatever the check raised, the file is not readable
                return {"status": "damaged"}


verifier = _Verifier()


def _run_isolated(pdf_bytes: bytes, roots: list, timeout: float) -> dict:
    """``_check_signatures`` in the verifier process, within ``timeout`` seconds."""
    return verifier.run(pdf_bytes, tuple(root.dump() for root in roots), timeout)


def looks_like_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:1024]


def verify_pdf(pdf_bytes: bytes) -> Verdict:
    """Judge every signature of ``pdf_bytes`` against the trust roots; never raises."""
    if len(pdf_bytes) > settings.SIGNING_VERIFY_MAX_BYTES:
        return Verdict("too_large")
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    if not looks_like_pdf(pdf_bytes):
        return Verdict("not_pdf", sha256=digest)
    result = _run_isolated(pdf_bytes, trust_roots(), settings.SIGNING_VERIFY_TIMEOUT)
    if result["status"] != "checked":
        return Verdict(result["status"], sha256=digest)
    signatures = result["signatures"]
    last = signatures[-1]
    intact = all(s["intact"] for s in signatures) and all(s.get("modification_ok", False) for s in signatures)
    # Bytes added after the last signature are allowed only when pyHanko's difference
    # analysis judged them harmless (modification_ok); the last one must be sound.
    valid_crypto = all(s["valid"] for s in signatures)
    trusted = all(s["trusted"] for s in signatures)
    timestamps_ok = all(s.get("timestamp_ok", False) for s in signatures)
    valid = intact and valid_crypto and trusted and timestamps_ok
    if valid:
        status = "valid"
    elif not intact:
        status = "tampered"
    elif not valid_crypto:
        status = "invalid"
    else:
        status = "untrusted"
    return Verdict(
        status, valid=valid, intact=intact, trusted=trusted, signer=last["signer"], signed_at=last["signed_at"],
        timestamped=last["timestamped"], sha256=digest, signatures=signatures,
    )


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
        return True
    except ValueError:
        return False


def keys_dir_is_private() -> bool:
    """False when the keys directory would be served or backed up with the uploads."""
    return not _inside(keys_dir(), Path(settings.MEDIA_ROOT))


def ensure_keys_dir() -> Path:
    path = keys_dir()
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path
