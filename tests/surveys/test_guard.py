"""The ballot-stuffing guard of the open surveys (surveys/guard.py)."""
import time

import pytest
from django.core import signing
from django.test import Client

from surveys import guard
from surveys.models import Response
from tests.factories import UnitFactory, survey_answers


@pytest.fixture
def unit(db):
    return UnitFactory()


def url(unit, area="cham-soc-giao-duc"):
    return f"/u/{unit.slug}/survey/{area}/"


def parent(address="203.0.113.7"):
    """A parent's own phone behind ``address`` (fresh cookies)."""
    return Client(REMOTE_ADDR=address)


@pytest.mark.django_db
def test_the_same_phone_is_thanked_but_not_counted_twice_for_one_area(unit):
    phone = parent()
    first = phone.post(url(unit), survey_answers())
    assert first.status_code == 302 and first["Location"].endswith("/thanks/")
    again = phone.post(url(unit), survey_answers(overall="1"))
    assert again.status_code == 200 and 'data-testid="survey-already"' in again.content.decode()
    assert 'data-testid="survey-already"' in phone.get(url(unit)).content.decode()
    assert Response.objects.count() == 1
    # another area is another survey
    assert phone.post(url(unit, "giao-duc-hoa-nhap"), survey_answers()).status_code == 302
    assert Response.objects.count() == 2


@pytest.mark.django_db
def test_a_forged_cookie_does_not_count_as_answered(unit):
    phone = parent()
    phone.cookies[guard.cookie_name(unit.pk, "cham-soc-giao-duc")] = "1"
    assert phone.post(url(unit), survey_answers()).status_code == 302
    assert Response.objects.filter(unit=unit).count() == 1  # counted, not thanked and dropped


@pytest.mark.django_db
def test_many_parents_on_the_school_wifi_are_all_counted(unit):
    for _ in range(30):  # a parents' meeting: thirty phones, one public address
        assert parent("198.51.100.1").post(url(unit), survey_answers()).status_code == 302
    assert Response.objects.count() == 30


@pytest.mark.django_db
def test_a_flood_from_one_address_is_held_back_and_the_answers_are_kept(unit, settings):
    settings.SURVEY_ADDRESS_LIMITS = ((600, 3),)
    for _ in range(3):
        assert parent().post(url(unit), survey_answers()).status_code == 302
    held = parent().post(url(unit), survey_answers(overall="4", comment="Giữ lại giúp tôi"))
    assert held.status_code == 429
    html = held.content.decode()
    assert "vài phút" in html and 'id="overall-4" value="4" checked' in html and "Giữ lại giúp tôi" in html
    # another address is not affected
    assert parent("192.0.2.55").post(url(unit), survey_answers()).status_code == 302
    assert Response.objects.count() == 4


@pytest.mark.django_db
def test_when_redis_is_down_the_answer_is_still_accepted(unit, settings):
    settings.SURVEY_ADDRESS_LIMITS = ((600, 1),)
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }}
    for _ in range(3):
        assert parent().post(url(unit), survey_answers()).status_code == 302
    assert Response.objects.count() == 3


@pytest.mark.django_db
def test_a_filled_honeypot_is_thanked_and_not_counted(unit):
    answer = parent().post(url(unit), survey_answers(website="http://spam.example"))
    assert answer.status_code == 302 and answer["Location"].endswith("/thanks/")
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_the_honeypot_is_hidden_from_people(client, unit):
    html = client.get(url(unit)).content.decode()
    assert 'class="survey-hp" aria-hidden="true"' in html
    assert 'name="website" id="id_website" tabindex="-1" autocomplete="off"' in html


@pytest.mark.django_db
def test_a_form_sent_back_too_fast_or_without_its_stamp_asks_to_confirm(unit):
    fresh = signing.dumps(int(time.time()), salt=guard.STARTED_SALT)
    for started in (fresh, "", "forged"):
        page = parent().post(url(unit), survey_answers(started=started, overall="5"))
        assert page.status_code == 200 and "bấm Gửi một lần nữa" in page.content.decode()
        assert 'id="overall-5" value="5" checked' in page.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_a_page_left_open_for_days_is_still_accepted(unit):
    old = signing.dumps(int(time.time()) - 3 * 24 * 3600, salt=guard.STARTED_SALT)
    assert parent().post(url(unit), survey_answers(started=old)).status_code == 302
    assert Response.objects.filter(unit=unit).count() == 1


@pytest.mark.redis
@pytest.mark.django_db
def test_the_counters_live_briefly_in_redis_and_hold_no_address(unit):
    import redis
    from django.conf import settings

    parent("203.0.113.77").post(url(unit), survey_answers())
    r = redis.Redis.from_url(settings.REDIS_URL)
    keys = [k.decode() for k in r.scan_iter(match="*rate:survey:*")]
    assert keys and all("203.0.113.77" not in k for k in keys)
    assert all(0 < r.ttl(k) <= 24 * 3600 + 60 for k in keys)


@pytest.mark.django_db
def test_an_open_survey_submission_takes_six_queries(unit, django_assert_num_queries):
    # unit, area, questionnaire, its questions, the INSERT, and the service's transaction
    # (a savepoint and its release inside the test's transaction), the answer's counts added to
    # the KPI rollup (one statement, docs/kpi/rollup.md); the guard uses the cache only
    with django_assert_num_queries(8):
        answer = parent().post(url(unit), survey_answers())
    assert answer.status_code == 302 and answer["Location"].endswith("/thanks/")
    assert Response.objects.filter(unit=unit, overall=5).count() == 1


@pytest.mark.django_db
def test_the_next_submissions_read_the_unit_and_questionnaire_from_the_cache(unit, django_assert_num_queries):
    assert parent().post(url(unit), survey_answers()).status_code == 302
    # the INSERT and the service's transaction (a savepoint and its release in the test's), the
    # rollup's one statement
    with django_assert_num_queries(4):
        assert parent("192.0.2.60").post(url(unit), survey_answers()).status_code == 302
    assert Response.objects.filter(unit=unit).count() == 2


@pytest.mark.django_db
def test_an_unknown_unit_or_area_is_not_found(unit):
    assert parent().get(url(unit, "khong-co")).status_code == 404
    assert parent().get("/u/khong-co/survey/cham-soc-giao-duc/").status_code == 404
    assert parent().get(url(unit)).status_code == 200
