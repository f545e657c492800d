"""Words on the page (docs/domain/counting-and-words.md): parents are addressed "ông/bà" or
"quý phụ huynh", never "bạn"; an apology is "lập/ký", not "ban hành"; one word for late,
"quá hạn"; dates shown and typed as dd/mm/yyyy whatever the browser's locale."""
import datetime
import re
from pathlib import Path

import polib
import pytest

from core.forms import VietnameseDateField

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [p for p in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po") if ".venv" not in p.parts]
TEMPLATES = [p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".txt")]


def _vietnamese_texts():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                yield f"{path.parent.parent.parent.parent.name}: {entry.msgid}", text
    for path in TEMPLATES:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_nobody_is_addressed_as_ban():
    found = [where for where, text in _vietnamese_texts() if re.search(r"\b[Bb]ạn\b", text)]
    assert not found


def test_an_apology_is_drawn_up_and_signed_not_promulgated():
    found = [where for where, text in _vietnamese_texts() if "ban hành" in text.lower() and "xin lỗi" in text.lower()]
    assert not found
    dossiers = polib.pofile(str(ROOT / "dossiers/locale/vi/LC_MESSAGES/django.po"))
    assert dossiers.find("Issued").msgstr.lower().startswith("lập")


def test_one_word_for_late():
    found = [where for where, text in _vietnamese_texts() if re.search(r"trễ hạn", text, re.IGNORECASE)]
    assert not found
    from kpi.excel import TIMELINESS_VI

    assert TIMELINESS_VI["late"] == "quá hạn"


@pytest.mark.parametrize(("typed", "expected"), [
    ("05/01/2026", datetime.date(2026, 1, 5)),
    ("5/1/2026", datetime.date(2026, 1, 5)),
    ("2026-01-05", datetime.date(2026, 1, 5)),
])
def test_a_date_is_typed_day_first(typed, expected):
    assert VietnameseDateField().clean(typed) == expected


def test_a_date_field_shows_day_first_as_text_not_a_browser_date_picker():
    html = VietnameseDateField().widget.render("d", datetime.date(2026, 1, 5))
    assert 'type="text"' in html and 'value="05/01/2026"' in html and 'placeholder="dd/mm/yyyy"' in html


def test_no_page_uses_the_browsers_own_date_input():
    found = [str(p.relative_to(ROOT)) for p in TEMPLATES if re.search(r'type="(date|datetime-local)"', p.read_text(encoding="utf-8"))]
    assert not found


def test_any_date_field_reads_day_first_in_vietnamese():
    from django import forms
    from django.utils import translation

    with translation.override("vi"):
        assert forms.DateField().clean("05/01/2026") == datetime.date(2026, 1, 5)
