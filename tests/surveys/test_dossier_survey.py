import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier
from surveys import services
from surveys.models import Response
from tests.factories import reload_reference_data, default_questionnaire, receive_dossier, survey_answers


def url(dossier):
    return f"/survey/{dossier.survey_token}/"


@pytest.mark.django_db
def test_the_form_shows_six_labelled_scales_and_a_comment(client):
    dossier = receive_dossier()
    page = client.get(url(dossier))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("access", "procedure", "staff", "result", "feedback_handling", "overall"):
        assert html.count(f'name="{name}"') == 5
    assert html.count("<fieldset") == 6 and html.count("<legend") == 6
    assert 'name="comment"' in html
    for label in ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"):
        assert label in html


@pytest.mark.django_db
def test_an_answer_is_counted_once_with_the_dossier_field_and_questionnaire_version(client):
    dossier = receive_dossier()
    answer = client.post(url(dossier), survey_answers(overall="4", comment="Rất tốt"))
    assert answer.status_code == 302 and answer["Location"] == f"/survey/{dossier.survey_token}/thanks/"
    response = Response.objects.get()
    assert (response.source, response.unit_id, response.area_id) == ("dossier", dossier.unit_id, dossier.field_id)
    assert response.questionnaire == default_questionnaire()
    assert (response.overall, response.staff, response.comment) == (4, 5, "Rất tốt")
    dossier.refresh_from_db()
    assert dossier.survey_answered_at is not None
    assert "Cảm ơn" in client.get(answer["Location"]).content.decode()


@pytest.mark.django_db
def test_a_second_attempt_is_told_politely_it_was_already_counted(client):
    dossier = receive_dossier()
    client.post(url(dossier), survey_answers())
    again = client.post(url(dossier), survey_answers(overall="1"))
    assert again.status_code == 200
    assert "đã được ghi nhận" in again.content.decode()
    assert 'data-testid="survey-already"' in client.get(url(dossier)).content.decode()
    assert Response.objects.count() == 1 and Response.objects.get().overall == 5


@pytest.mark.django_db
def test_an_unknown_token_is_not_found(client):
    assert client.get("/survey/not-a-token/").status_code == 404


@pytest.mark.django_db
def test_a_submission_takes_few_queries(client):
    dossier = receive_dossier()
    with CaptureQueriesContext(connection) as ctx:
        answer = client.post(url(dossier), survey_answers())
    assert answer.status_code == 302
    # dossier, questionnaire, its questions, the claim (UPDATE), the answer (INSERT);
    # the transaction's BEGIN/COMMIT are savepoints inside the test's transaction.
    statements = [q["sql"].split("; ")[-1] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # ... and the answer's counts added to the KPI rollup: one WITH … INSERT (docs/kpi/rollup.md),
    # on PostgreSQL the EXECUTE of that statement prepared on the connection (core/db.py)
    assert [s.split()[0] for s in statements][:5] == ["SELECT", "SELECT", "SELECT", "UPDATE", "INSERT"]
    assert [s.split()[0] for s in statements][5:] in (["WITH"], ["EXECUTE"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_response_per_token_when_answers_arrive_at_the_same_moment():
    reload_reference_data()
    dossier = receive_dossier()
    questionnaire = default_questionnaire()
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.response_submit_for_dossier(
                dossier=dossier, questionnaire=questionnaire,
                answers={"overall": 5, "comment": "", "answers": {}},
            )
            outcomes.append("counted")
        except services.AlreadyAnswered:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already"] * (threads_n - 1) + ["counted"]
    assert Response.objects.count() == 1
    assert Dossier.objects.get(pk=dossier.pk).survey_answered_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_through_the_page_count_once(client):
    reload_reference_data()
    from django.test import Client

    dossier = receive_dossier()
    barrier = threading.Barrier(4)
    statuses = []

    def post():
        try:
            c = Client()
            barrier.wait()
            statuses.append(c.post(url(dossier), survey_answers()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 200, 200, 302]
    assert Response.objects.count() == 1
