"""Text helpers: everything users type is stored in Unicode NFC."""
import unicodedata


def nfc(value):
    """NFC-normalise strings inside any JSON-like value."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    return value


def initials(full_name: str) -> str:
    """'Nguyễn Thị Lan' -> 'N.T.L.': what public pages may show of an applicant."""
    parts = [p for p in (full_name or "").split() if p]
    return "".join(f"{p[0].upper()}." for p in parts)
