"""A small certificate authority for the demo and the tests — never for real signatures.

A real unit signs with a certificate from a licensed Vietnamese provider (on a USB token
or in a PKCS#12 file it was issued); ``seed_demo`` uses this module to give each demo
unit a seal certificate and each demo principal a personal one, every name marked
"DEMO — không có giá trị pháp lý" (no legal value)."""
from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_MARK = "DEMO — không có giá trị pháp lý"


@dataclasses.dataclass
class Authority:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def fit(text: str, limit: int = 64, suffix: str = "") -> str:
    """``text`` + ``suffix`` cut to ``limit`` UTF-8 bytes (X.509's bound on a name part),
    cutting ``text`` and never the suffix."""
    while len((text + suffix).encode()) > limit:
        text = text[:-1]
    return text.rstrip() + suffix


def _name(common_name: str, organisation: str, unit_name: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, fit(organisation)),
    ]
    if unit_name:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, fit(unit_name)))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, fit(common_name)))
    return x509.Name(parts)


def new_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=signing, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=not signing, crl_sign=not signing, encipher_only=False, decipher_only=False,
    )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)


def new_authority(common_name: str, *, organisation: str = "CCHC Portal", note: str = "", years: int = 10) -> Authority:
    key = new_key()
    name = _name(common_name, organisation, note)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(_now())
        .not_valid_after(_now() + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, cert)


def issue(authority: Authority, common_name: str, *, organisation: str, note: str = "", key=None, years: int = 2,
          extra_usage: list | None = None) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A signing certificate (digital signature + non-repudiation, as PAdES expects);
    ``note`` goes in the organisational unit (the demo's "no legal value")."""
    key = key or new_key()
    builder = (
        x509.CertificateBuilder().subject_name(_name(common_name, organisation, note)).issuer_name(authority.cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number()).not_valid_before(_now())
        .not_valid_after(_now() + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signing=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if extra_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extra_usage), critical=True)
    return key, builder.sign(authority.key, hashes.SHA256())


def pkcs12_bytes(key, cert: x509.Certificate, chain: list[x509.Certificate], *, passphrase: str, name: str) -> bytes:
    encryption = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(name.encode(), key, cert, chain, encryption)


def write_private(path: Path, data: bytes) -> None:
    """Write a key file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def load_authority(key_path: Path, cert_path: Path, passphrase: str) -> Authority:
    key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase.encode() or None)
    return Authority(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))


def save_authority(authority: Authority, key_path: Path, cert_path: Path, passphrase: str) -> None:
    encryption = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    write_private(key_path, authority.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.write_bytes(authority.pem)
