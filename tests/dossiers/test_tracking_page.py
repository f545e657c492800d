"""The tracking page is rendered with Jinja2 inside the frame of public_base.html (core/jinja2.py,
core/public_frame.py, docs/decisions/public-frame.md): the same HTML as Django's engine writes
for public_base.html around the same blocks, in each language, and no CSRF token nor cookie
made for the parent who opens the QR link."""
import re

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from dossiers import selectors
from tests.factories import dossier_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return dossier_in("completed", applicant_name="Nguyễn Thị Lan", applicant_phone="0901 234 567")


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _as_django_writes_it(request, context) -> str:
    """public_base.html rendered by Django's engine around the Jinja2 page's own blocks."""
    jinja = engines["jinja2"].env.get_template("dossiers/track_detail.html")
    jinja_context = jinja.new_context({**context, "request": request})
    blocks = {name: mark_safe("".join(jinja.blocks[name](jinja_context))) for name in ("title", "head", "content")}  # noqa: S308
    page = engines["django"].from_string(
        '{% extends "public_base.html" %}{% block title %}{{ title }}{% endblock %}'
        "{% block head %}{{ head }}{% endblock %}{% block content %}{{ content }}{% endblock %}")
    return page.render(blocks, request)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_has_the_frame_django_writes_for_public_base(dossier, language):
    client = Client()
    client.cookies["django_language"] = language
    # an address with characters that escaping and URL quoting change, for the language links
    response = client.get(reverse("dossiers:track-detail", args=[dossier.code]),
                          {"s": dossier.tracking_secret, "utm": 'a b"<&é'})
    assert response.status_code == 200
    context = {"dossier": selectors.tracking_view(code=dossier.code, secret=dossier.tracking_secret),
               "secret": dossier.tracking_secret}
    html = response.content.decode()
    with translation.override(language):
        expected = _as_django_writes_it(response.wsgi_request, context)
    assert _normalised(html) == _normalised(expected)
    assert f'<html lang="{language}">' in html and 'id="track-status"' in html and 'content="noindex"' in html
    # the page's own address (quoted once more) in the language links, as the form's "next" had it
    assert "&amp;next=/track/" in html and "%26utm%3Da%2Bb%2522%253C%2526%25C3%25A9" in html


def test_the_page_makes_no_csrf_token_and_sets_no_cookie(dossier):
    response = Client().get(reverse("dossiers:track-detail", args=[dossier.code]), {"s": dossier.tracking_secret})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="track-status"' in html
    assert not response.cookies  # no csrftoken (the language form made one for every visitor), no session
    assert "csrfmiddlewaretoken" not in html and 'href="/i18n/language/?language=en&amp;next=/track/' in html


def test_the_english_page_is_english_and_the_vietnamese_one_vietnamese(dossier):
    english = Client()
    english.cookies["django_language"] = "en"
    url = reverse("dossiers:track-detail", args=[dossier.code])
    html_en = english.get(url, {"s": dossier.tracking_secret}).content.decode()
    html_vi = Client().get(url, {"s": dossier.tracking_secret}).content.decode()
    assert "Rate the service" in html_en and "Administrative reform portal" in html_en
    assert "Đánh giá" in html_vi and "Rate the service" not in html_vi
    # the language shown is the highlighted button of the switch
    assert re.search(r'<a href="/i18n/language/\?language=en[^"]*" class="btn btn-sm btn-light" lang="en"', html_en)
    assert re.search(r'<a href="/i18n/language/\?language=vi[^"]*" class="btn btn-sm btn-light" lang="vi"', html_vi)
