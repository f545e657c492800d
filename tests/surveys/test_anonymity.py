"""Nothing identifying is stored with a response: no account, address, user agent
or dossier (docs/domain/surveys.md)."""
import pytest
from django.db import connection
from django.test import Client

from surveys.models import Response
from tests.factories import PrincipalFactory, receive_dossier, survey_answers

COLUMNS = {
    "id", "unit_id", "questionnaire_id", "source", "area_id",
    "access", "procedure", "staff", "result", "feedback_handling", "overall", "comment", "answers",
    "submitted_at", "comment_handled_at", "comment_handled_by_id",
}


@pytest.mark.django_db
def test_the_response_table_has_no_column_that_identifies_anyone():
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, Response._meta.db_table)}
    assert columns == COLUMNS
    # the one user column is who handled the comment at the school, never who answered


@pytest.mark.django_db
def test_a_stored_answer_holds_nothing_of_the_person_who_sent_it():
    dossier = receive_dossier(applicant_name="Trần Thị Bích", applicant_email="bich@example.vn")
    user = PrincipalFactory(username="nguoi-dung-dang-nhap")
    browser = Client(REMOTE_ADDR="203.0.113.99", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10) TestPhone/1.0")
    browser.force_login(user)  # even someone logged in stays anonymous
    browser.post(f"/survey/{dossier.survey_token}/", survey_answers(comment="Tốt"))
    row = Response.objects.values().get()
    flat = " ".join(str(v) for v in row.values())
    for trace in ("203.0.113.99", "TestPhone", "nguoi-dung-dang-nhap", "Bích", "bich@example.vn",
                  dossier.code, dossier.survey_token):
        assert trace not in flat
    assert row["comment_handled_by_id"] is None
    assert row["source"] == "dossier" and row["area_id"] == dossier.field_id


@pytest.mark.django_db
def test_the_time_is_kept_to_the_hour_so_it_cannot_be_matched_to_the_dossier(client):
    dossier = receive_dossier()
    client.post(f"/survey/{dossier.survey_token}/", survey_answers())
    dossier.refresh_from_db()
    submitted = Response.objects.get().submitted_at
    assert (submitted.minute, submitted.second, submitted.microsecond) == (0, 0, 0)
    assert submitted == dossier.survey_answered_at.replace(minute=0, second=0, microsecond=0)
