"""The language switch of the public pages (templates/jinja2/_language_links.html) is a link to
core.views.switch_language, so that those pages make no CSRF token for each visitor: it keeps
the rules of Django's set_language — only a language of LANGUAGES, back only to this site."""
import pytest
from django.conf import settings
from django.test import Client

from tests.factories import dossier_in

pytestmark = pytest.mark.django_db
URL = "/i18n/language/"


def test_the_link_sets_the_language_and_goes_back_to_the_page():
    dossier = dossier_in("processing")
    page = f"/track/{dossier.code}/?s={dossier.tracking_secret}"
    client = Client()
    response = client.get(URL, {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Your dossier is being handled." in client.get(page).content.decode()
    back = client.get(URL, {"language": "vi", "next": page})
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert "Your dossier is being handled." not in client.get(page).content.decode()


@pytest.mark.parametrize("language", ["de", "xx", "", "en-evil"])
def test_a_language_the_portal_does_not_speak_sets_nothing(language):
    response = Client().get(URL, {"language": language, "next": "/track/"})
    assert response.status_code == 302 and response["Location"] == "/track/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_next_leads_only_to_this_site(next_url):
    response = Client().get(URL, {"language": "en", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_without_next_it_goes_back_to_the_referring_page_of_this_site_only():
    client = Client()
    assert client.get(URL, {"language": "en"}, HTTP_REFERER="http://testserver/track/")["Location"] == (
        "http://testserver/track/")
    assert client.get(URL, {"language": "en"}, HTTP_REFERER="https://evil.example/")["Location"] == "/"


def test_it_answers_get_only_and_is_never_cached():
    assert Client().post(URL, {"language": "en", "next": "/"}).status_code == 405
    response = Client().get(URL, {"language": "en", "next": "/"})
    assert "no-store" in response["Cache-Control"]
