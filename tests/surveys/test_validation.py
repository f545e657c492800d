import unicodedata

import pytest

from surveys.models import COMMENT_MAX_LENGTH, FACTORS, Response
from tests.factories import UnitFactory, receive_dossier, survey_answers

OPEN = "/u/{slug}/survey/cham-soc-giao-duc/"


@pytest.fixture
def open_url(db):
    return OPEN.format(slug=UnitFactory().slug)


@pytest.mark.django_db
@pytest.mark.parametrize("field", [*FACTORS, "overall"])
@pytest.mark.parametrize("value", ["0", "6", "4.5"])
def test_a_rating_out_of_1_to_5_is_refused_with_a_vietnamese_message(client, open_url, field, value):
    page = client.post(open_url, survey_answers(**{field: value}))
    assert page.status_code == 200
    assert "Vui lòng chọn mức đánh giá từ 1 đến 5." in page.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_overall_rating_is_refused_and_nothing_chosen_is_lost(client, open_url):
    page = client.post(open_url, survey_answers(overall=None, staff="2", comment="Phòng chờ hơi nóng"))
    html = page.content.decode()
    assert "Vui lòng chọn mức độ hài lòng chung của quý phụ huynh." in html
    assert 'id="staff-2" value="2" checked' in html
    assert "Phòng chờ hơi nóng</textarea>" in html
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_factors_may_be_left_blank(client, open_url):
    data = survey_answers(**{f: None for f in FACTORS}, overall="3")
    assert client.post(open_url, data).status_code == 302
    response = Response.objects.get()
    assert [getattr(response, f) for f in FACTORS] == [None] * 5 and response.overall == 3


@pytest.mark.django_db
def test_an_oversized_comment_is_refused_and_kept_in_the_form(client, open_url):
    too_long = "ý" * (COMMENT_MAX_LENGTH + 1)
    page = client.post(open_url, survey_answers(comment=too_long))
    html = page.content.decode()
    assert f"Vui lòng viết tối đa {COMMENT_MAX_LENGTH} ký tự (hiện có {COMMENT_MAX_LENGTH + 1} ký tự)." in html
    assert too_long in html
    assert Response.objects.count() == 0
    assert client.post(open_url, survey_answers(comment="ý" * COMMENT_MAX_LENGTH)).status_code == 302
    assert len(Response.objects.get().comment) == COMMENT_MAX_LENGTH


@pytest.mark.django_db
def test_non_nfc_text_is_stored_nfc(client, open_url):
    decomposed = unicodedata.normalize("NFD", "Cô giáo rất tận tình, cảm ơn nhà trường")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    client.post(open_url, survey_answers(comment=decomposed))
    stored = Response.objects.get().comment
    assert stored == unicodedata.normalize("NFC", decomposed)
    assert unicodedata.is_normalized("NFC", stored)


@pytest.mark.django_db
def test_the_service_normalises_text_without_the_middleware():
    from surveys import services, selectors

    dossier = receive_dossier()
    text = unicodedata.normalize("NFD", "Hướng dẫn rõ ràng")
    response = services.response_submit_for_dossier(
        dossier=dossier, questionnaire=selectors.active_questionnaire(unit=dossier.unit),
        answers={"overall": 4, "comment": text, "answers": {}},
    )
    assert response.comment == unicodedata.normalize("NFC", text)


@pytest.mark.django_db
def test_the_service_refuses_a_rating_out_of_range():
    from django.core.exceptions import ValidationError

    from surveys import selectors, services

    unit = UnitFactory()
    from core.models import Field

    with pytest.raises(ValidationError):
        services.response_submit_open(
            unit=unit, area=Field.objects.get(key="tuyen-sinh"), questionnaire=selectors.active_questionnaire(unit=unit),
            answers={"overall": 6, "comment": "", "answers": {}},
        )
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_area_or_unit_is_not_found(client):
    unit = UnitFactory()
    assert client.get(f"/u/{unit.slug}/survey/khong-co/").status_code == 404
    assert client.get("/u/khong-co/survey/tuyen-sinh/").status_code == 404
