"""The signed-in frame (core/signed_in_frame.py, docs/decisions/signed-in-frame.md): the
principal's dashboard filled into a frame rendered once per kind of page and person is the
same page Django's engine renders around it, for every person, language and unread count,
and its forms' CSRF token works."""
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from core import signed_in_frame
from core.models import Notification
from tests.factories import OfficeUserFactory, PrincipalFactory, UnitFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _both(client, settings, path="/kpi/"):
    """The page through the frame, then through Django's engine (DEBUG on), tokens blanked
    (each response masks the token afresh)."""
    framed = client.get(path)
    assert signed_in_frame._pieces.cache_info().misses == 1  # this one came through a frame
    settings.DEBUG = True
    plain = client.get(path)
    settings.DEBUG = False
    assert framed.status_code == plain.status_code == 200
    return [TOKEN.sub('name="csrfmiddlewaretoken" value=""', r.content.decode()) for r in (framed, plain)]


@pytest.fixture(autouse=True)
def _fresh_frames():
    signed_in_frame._pieces.cache_clear()
    yield
    signed_in_frame._pieces.cache_clear()


@pytest.fixture
def awkward_principal():
    """Everything the frame fills in needs escaping."""
    unit = UnitFactory(name='Mầm non <Tuổi Hồng> & "Sen" \'1\'')
    return PrincipalFactory(unit=unit, last_name="Trần <b>Thị</b>", first_name='Mỹ "Hạnh" & \'Lan\'')


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("unread", [0, 3])
def test_the_framed_dashboard_is_the_page_djangos_engine_renders(settings, awkward_principal, language, unread):
    for n in range(unread):
        Notification.objects.create(user=awkward_principal, unit=awkward_principal.unit, kind="test",
                                    subject_key=str(n), title="Hồ sơ quá hạn")
    client = Client()
    client.force_login(awkward_principal)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    framed, plain = _both(client, settings, "/kpi/?from=2026-01-01&to=2026-06-30&x=<'\">")
    assert framed == plain
    assert "Trần &lt;b&gt;Thị&lt;/b&gt; Mỹ &#34;Hạnh&#34; &amp; &#39;Lan&#39;" in framed
    assert ("Mầm non &lt;Tuổi Hồng&gt; &amp; &quot;Sen&quot; &#x27;1&#x27; · CCHC</title>" in framed)
    assert (f'<span class="badge text-bg-warning">{unread}</span>' in framed) is bool(unread)


def test_an_office_viewing_a_unit_sees_its_office_and_a_person_without_a_name_their_username(settings):
    office_user = OfficeUserFactory(first_name="", last_name="", username="so-gd-hcm")
    unit = UnitFactory(office=office_user.office)
    client = Client()
    client.force_login(office_user)
    framed, plain = _both(client, settings, f"/kpi/?unit={unit.slug}")
    assert framed == plain
    assert "so-gd-hcm" in framed and office_user.office.name in framed


def test_each_person_sees_their_own_name_and_unit_from_one_frame():
    first, second = PrincipalFactory(last_name="Lê", first_name="An"), PrincipalFactory(last_name="Võ", first_name="Bình")
    pages = []
    for person in (first, second):
        client = Client()
        client.force_login(person)
        pages.append(client.get("/kpi/").content.decode())
    assert signed_in_frame._pieces.cache_info().currsize == 1  # one kind of page and person
    assert "Lê An" in pages[0] and first.unit.name in pages[0] and "Võ Bình" not in pages[0]
    assert "Võ Bình" in pages[1] and second.unit.name in pages[1] and "Lê An" not in pages[1]


def test_a_page_with_messages_shows_them():
    principal = PrincipalFactory()
    client = Client()
    client.force_login(principal)
    page = client.get("/kpi/?from=31/02/2026").content.decode()
    assert 'class="alert alert-danger' in page and "Kỳ báo cáo không hợp lệ" in page


def test_the_token_in_the_frame_logs_out():
    principal = PrincipalFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(principal)
    page = client.get("/kpi/").content.decode()
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302
    assert client.get("/kpi/").status_code == 302  # signed out: back to the login page
