"""The unit's public page is rendered once a minute per unit and language and kept in
the cache (core/public_page.py): what people publish shows at once, nothing personal
is cached, and a cache that is down only makes the page slower."""
import datetime

import pytest
from django.test import Client
from django.utils import timezone

from core import public_page
from tests.factories import (
    ProcedureFactory,
    StaffFactory,
    UnitFactory,
    answered_feedback,
    survey_response_for_test,
)

pytestmark = pytest.mark.django_db

CACHE_DOWN = {"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}}


@pytest.fixture
def unit():
    return UnitFactory(name="Trường Mầm non Tuổi Hồng", phone="028 3855 1234")


def page(client, unit):
    response = client.get(f"/u/{unit.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_visitor_gets_the_page_without_a_query(client, unit, django_assert_num_queries):
    ProcedureFactory(unit=unit, name="Xác nhận học sinh", is_published=True)
    first = page(client, unit)
    with django_assert_num_queries(0):
        again = page(Client(), unit)
    assert "Xác nhận học sinh" in again and unit.name in again and 'data-testid="public-rates"' in again
    main = lambda html: html[html.index("<main"):html.index("</main>")]  # noqa: E731
    assert main(first) == main(again)


def test_each_language_has_its_own_copy(client, unit):
    assert "Thủ tục hành chính" in page(client, unit)
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Administrative procedures" in page(english, unit)
    assert "Thủ tục hành chính" in page(Client(), unit)


def test_a_procedure_published_shows_at_once(client, unit, django_capture_on_commit_callbacks):
    procedure = ProcedureFactory(unit=unit, name="Xác nhận hoàn thành chương trình", is_published=False)
    assert "Xác nhận hoàn thành chương trình" not in page(client, unit)
    with django_capture_on_commit_callbacks(execute=True):
        procedure.is_published = True
        procedure.save()
    assert "Xác nhận hoàn thành chương trình" in page(client, unit)


def test_an_answer_published_shows_at_once(client, unit, django_capture_on_commit_callbacks):
    from feedback.services import feedback_transition

    feedback = answered_feedback(unit=unit, subject="Giờ đón trẻ")
    assert "Giờ đón trẻ" not in page(client, unit)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_transition(feedback=feedback, action="publish")
    assert "Giờ đón trẻ" in page(client, unit)


def test_rates_follow_within_the_minute(client, unit):
    survey_response_for_test(unit=unit, overall=5, submitted_at=timezone.now() - datetime.timedelta(minutes=5))
    assert "100,00%" in page(client, unit)
    survey_response_for_test(unit=unit, overall=1, submitted_at=timezone.now() - datetime.timedelta(minutes=4))
    assert "100,00%" in page(client, unit)  # the cached minute
    public_page.invalidate(unit.slug)  # what the minute's end does
    assert "50,00%" in page(client, unit)


def test_the_cache_can_be_turned_off(client, unit, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    survey_response_for_test(unit=unit, overall=5, submitted_at=timezone.now() - datetime.timedelta(minutes=5))
    assert "100,00%" in page(client, unit)
    survey_response_for_test(unit=unit, overall=1, submitted_at=timezone.now() - datetime.timedelta(minutes=4))
    assert "50,00%" in page(client, unit)


def test_nothing_personal_is_cached(unit):
    staff = StaffFactory(unit=unit)
    signed_in = Client()
    signed_in.force_login(staff)
    mine = page(signed_in, unit)
    anonymous = page(Client(), unit)
    assert staff.username in mine or (staff.get_full_name() and staff.get_full_name() in mine)
    assert staff.username not in anonymous and 'href="/accounts/login/"' in anonymous
    # The signed-in person's page has their own CSRF token (the language form, log out); the
    # shared anonymous copy has none: its language switch is links.
    assert 'name="csrfmiddlewaretoken"' in mine and 'name="csrfmiddlewaretoken"' not in anonymous


def test_an_unknown_unit_is_not_cached(client):
    assert client.get("/u/truong-moi/").status_code == 404
    UnitFactory(slug="truong-moi")
    assert client.get("/u/truong-moi/").status_code == 200


def test_the_page_works_when_the_cache_is_down(client, unit, settings):
    settings.CACHES = CACHE_DOWN
    ProcedureFactory(unit=unit, name="Xác nhận học sinh", is_published=True)
    assert "Xác nhận học sinh" in page(client, unit)
    assert "Xác nhận học sinh" in page(client, unit)


def test_the_survey_qr_code_is_drawn_once(client, unit, monkeypatch):
    from core import links

    drawn = []
    real = links.qr_svg
    monkeypatch.setattr(links, "qr_svg", lambda url, **kw: drawn.append(url) or real(url, **kw))
    url = f"/u/{unit.slug}/survey/cham-soc-giao-duc/qr.svg"
    first, second = client.get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and b"<svg" in first.content
    assert len(drawn) == 1


def test_anonymous_visitors_share_the_page_without_a_csrf_token_and_can_switch_language(unit, django_assert_num_queries):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page(first, unit)
    with django_assert_num_queries(0):
        response = second.get(f"/u/{unit.slug}/")
    html = response.content.decode()
    assert response.status_code == 200 and unit.name in html
    assert "csrfmiddlewaretoken" not in html and "csrftoken" not in response.cookies  # none made for a visitor
    link = f'href="/i18n/language/?language=en&amp;next=/u/{unit.slug}/"'
    assert link in html  # the language switch is a link back to this page
    switched = second.get(f"/i18n/language/?language=en&next=/u/{unit.slug}/")
    assert switched.status_code == 302 and switched["Location"] == f"/u/{unit.slug}/"
    assert "Administrative procedures" in page(second, unit)


def test_a_page_with_a_query_string_or_a_session_is_rendered_for_its_visitor(client, unit):
    html = client.get(f"/u/{unit.slug}/?utm_source=zalo").content.decode()
    assert "utm_source=zalo" in html and unit.name in html  # the language switch comes back here
    client.cookies["sessionid"] = "stale"
    assert unit.name in page(client, unit)
