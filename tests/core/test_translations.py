"""Vietnamese everywhere: every string marked for translation has a Vietnamese
translation, and the compiled catalogues match their sources."""
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po")) + sorted(ROOT.glob("locale/vi/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get(entry.msgid) == entry.msgstr, f"recompile {po_path} (make messages): {entry.msgid!r}"


def test_every_marked_string_is_translated(tmp_path):
    """Re-extract the strings of a copy of the project (`manage.py messages`): nothing
    marked in code or templates may be missing from a catalogue (run `make messages`)."""
    import shutil
    import subprocess
    import sys

    for name in ("cchc_portal", "core", "dossiers", "surveys", "feedback", "kpi", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "messages", "-v", "0"], cwd=tmp_path, capture_output=True, text=True,
        timeout=300, env={**__import__("os").environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cchc_portal.settings"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    missing = []
    for po_path in tmp_path.glob("**/locale/vi/LC_MESSAGES/django.po"):
        missing += [e.msgid for e in polib.pofile(str(po_path)).untranslated_entries()]
    assert not missing, f"untranslated (run `make messages` and translate): {missing[:15]}"


def test_catalogues_agree_on_shared_strings():
    """Django shows the first catalogue's translation of a msgid (LOCALE_PATHS, then
    apps in order); a different one elsewhere would never appear. Use a context."""
    seen = {}
    clashes = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key] != entry.msgstr:
                clashes.append((entry.msgid, seen[key], entry.msgstr))
            seen.setdefault(key, entry.msgstr)
    assert not clashes, f"same string, different Vietnamese (scripts/po_unify.py or a context): {clashes[:10]}"
