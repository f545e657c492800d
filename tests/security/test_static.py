"""Static guarantees: ruff's security rules are clean, no template carries inline
script or style (the CSP forbids them), and production settings pass `check --deploy`."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
# Django's {# #} comment ends on its own line; one that goes on is printed on the page as text.
MULTILINE_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.M)


def template_files():
    dirs = [ROOT / "templates"] + [p for p in ROOT.glob("*/templates") if ".venv" not in p.parts]
    for d in dirs:
        yield from (p for p in d.rglob("*") if p.suffix in (".html", ".txt", ".xml", ".svg"))


def test_ruff_security_rules_are_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_config_selects_the_bandit_rules():
    config = (ROOT / "ruff.toml").read_text()
    assert re.search(r'select = \[[^]]*"S"', config)


def test_no_template_has_inline_script_style_or_event_handlers():
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for name, pattern in (("inline <script>", INLINE_SCRIPT), ("style= attribute", STYLE_ATTR),
                              ("<style> block", STYLE_BLOCK), ("on...= handler", EVENT_HANDLER),
                              ("javascript: URL", JAVASCRIPT_URL)):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert not found, "\n".join(found)


def test_no_django_template_has_a_comment_over_several_lines():
    found = []
    for path in template_files():
        if "jinja2" in path.relative_to(ROOT).parts:  # Jinja2's {# #} may span lines
            continue
        text = path.read_text(encoding="utf-8")
        for match in MULTILINE_COMMENT.finditer(text):
            found.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert not found, "use {% comment %} for these (Django prints them):\n" + "\n".join(found)


def test_the_template_scan_catches_what_it_should():
    assert MULTILINE_COMMENT.search("{% load i18n %}{# a note that\n goes on #}")
    assert not MULTILINE_COMMENT.search("{# one line #} <p>{{ x }}</p>\n{# another #}")
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert INLINE_SCRIPT.search('<script type="module">import x</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')
    assert not INLINE_SCRIPT.search('<script defer src="/static/js/app.js"></script>')
    assert STYLE_ATTR.search('<div style="color:red">')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert not EVENT_HANDLER.search('<button class="once">')


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_SETTINGS_MODULE="cchc_portal.settings", SECRET_KEY=secrets.token_urlsafe(50), DEBUG="0",
               ALLOWED_HOSTS="cchc.example.vn")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="cchc_portal.settings")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_uploads_are_never_served_straight_from_media():
    # MEDIA_URL must not be routed: uploads go through permission-checked views.
    from django.urls import Resolver404, resolve

    try:
        match = resolve(settings.MEDIA_URL + "evidence/x.pdf")
    except Resolver404:
        return
    raise AssertionError(f"{settings.MEDIA_URL} is routed to {match.func}")
