import pytest

from surveys import selectors
from surveys.models import CORE_KEYS, Questionnaire, Response
from tests.factories import PrincipalFactory, StaffFactory, UnitFactory, default_questionnaire, survey_answers

URL = "/surveys/questionnaire/"


@pytest.mark.django_db
def test_the_default_sipas_questionnaire_has_five_factors_overall_and_comment_in_two_languages():
    q = default_questionnaire()
    questions = list(q.questions.all())
    assert [x.key for x in questions] == list(CORE_KEYS)
    assert all(x.text_vi and x.text_en for x in questions)
    assert [x.key for x in questions if x.required] == ["overall"]
    assert {x.key: x.kind for x in questions}["comment"] == "text"
    assert selectors.active_questionnaire(unit=UnitFactory()) == q


@pytest.mark.django_db
def test_a_principal_adds_a_question_which_makes_a_new_version_answered_from_then_on(
    client, django_capture_on_commit_callbacks
):
    principal = PrincipalFactory()
    unit = principal.unit
    client.post(f"/u/{unit.slug}/survey/tuyen-sinh/", survey_answers())
    client.force_login(principal)
    with django_capture_on_commit_callbacks(execute=True):  # the commit clears the cached questionnaire
        answer = client.post(URL, {"text_vi": "Bán trú: bữa ăn của trẻ", "text_en": "Boarding: meals",
                                   "kind": "rating"})
    assert answer.status_code == 302
    new = selectors.active_questionnaire(unit=unit)
    assert (new.unit, new.version) == (unit, 1)
    keys = list(new.questions.values_list("key", flat=True))
    assert keys == [*CORE_KEYS[:-1], "u-ban-tru-bua-an-cua-tre", "comment"]
    assert default_questionnaire().questions.count() == len(CORE_KEYS)  # the answered version is untouched

    client.logout()
    form = client.get(f"/u/{unit.slug}/survey/cham-soc-giao-duc/").content.decode()
    assert "Bán trú: bữa ăn của trẻ" in form and form.count('name="u-ban-tru-bua-an-cua-tre"') == 5
    client.post(f"/u/{unit.slug}/survey/cham-soc-giao-duc/", survey_answers(**{"u-ban-tru-bua-an-cua-tre": "4"}))
    first, second = Response.objects.order_by("id")
    assert first.questionnaire == default_questionnaire() and first.answers == {}
    assert second.questionnaire == new and second.answers == {"u-ban-tru-bua-an-cua-tre": 4}


@pytest.mark.django_db
def test_removing_a_units_question_makes_another_version_and_sipas_questions_stay(client):
    principal = PrincipalFactory()
    client.force_login(principal)
    client.post(URL, {"text_vi": "Câu hỏi thêm", "kind": "text"})
    assert client.post(URL + "remove/", {"unit": principal.unit.slug, "key": "overall"}).status_code == 404
    client.post(URL + "remove/", {"unit": principal.unit.slug, "key": "u-cau-hoi-them"})
    current = selectors.active_questionnaire(unit=principal.unit)
    assert current.version == 2 and list(current.questions.values_list("key", flat=True)) == list(CORE_KEYS)
    assert Questionnaire.objects.filter(unit=principal.unit, is_active=True).count() == 1


@pytest.mark.django_db
def test_staff_read_the_questionnaire_but_cannot_change_it(client):
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get(URL)
    assert page.status_code == 200 and "Thêm câu hỏi" not in page.content.decode()
    assert client.post(URL, {"text_vi": "Câu mới", "kind": "rating"}).status_code == 403
    assert not Questionnaire.objects.filter(unit=staff.unit).exists()


@pytest.mark.django_db
def test_a_question_without_text_is_refused_in_vietnamese(client):
    client.force_login(PrincipalFactory())
    page = client.post(URL, {"text_vi": "", "kind": "rating"})
    assert page.status_code == 200 and "Trường này là bắt buộc" in page.content.decode()
