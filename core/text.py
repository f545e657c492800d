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


def sentence(text: str) -> str:
    """What a person typed, as the end of a sentence in a printed letter: trimmed, with a full
    stop unless it already ends with one (or ``!``, ``?``, ``…``)."""
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


# Vietnamese letters with marks and the plain letter each folds to, lower case: what a parent
# who types without marks ("tuoi hong") means by "Tuổi Hồng". One table for the database
# (``core.models.FoldedName``, SQL's translate()) and for Python (``fold``).
MARKED = ("àáảãạăằắẳẵặâầấẩẫậ" "đ" "èéẻẽẹêềếểễệ" "ìíỉĩị" "òóỏõọôồốổỗộơờớởỡợ" "ùúủũụưừứửữự" "ỳýỷỹỵ")
PLAIN = "a" * 17 + "d" + "e" * 11 + "i" * 5 + "o" * 17 + "u" * 11 + "y" * 5
_FOLD = str.maketrans(MARKED, PLAIN)


def fold(value: str) -> str:
    """'Trường Mầm non Tuổi Hồng' -> 'truong mam non tuoi hong' (NFC input)."""
    return unicodedata.normalize("NFC", value).lower().translate(_FOLD)
