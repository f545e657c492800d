import pytest
from rest_framework.test import APIClient

from feedback.models import Feedback
from tests.factories import OfficeUserFactory, PrincipalFactory, StaffFactory, answered_feedback, send_feedback


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_list_is_paginated_and_filtered_by_unit_and_status(api):
    staff = StaffFactory()
    send_feedback(unit=staff.unit), answered_feedback(unit=staff.unit)
    send_feedback()  # another unit
    api.force_authenticate(staff)
    body = api.get("/api/v1/feedback/").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 2
    body = api.get("/api/v1/feedback/", {"unit": staff.unit.slug, "status": "answered"}).json()
    assert [r["status"] for r in body["results"]] == ["answered"]
    assert body["results"][0]["unit"] == staff.unit.slug
    assert api.get("/api/v1/feedback/", {"status": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_actions_move_the_feedback_and_refuse_out_of_order_with_409(api):
    principal = PrincipalFactory()
    feedback = send_feedback(unit=principal.unit)
    api.force_authenticate(principal)
    url = f"/api/v1/feedback/{feedback.code}/actions/"
    refused = api.post(url, {"action": "publish"}, format="json")
    assert refused.status_code == 409 and "detail" in refused.json()
    assert api.post(url, {"action": "start"}, format="json").json()["status"] == "in_progress"
    assert api.post(url, {"action": "answer"}, format="json").status_code == 409  # no answer text
    body = api.post(url, {"action": "answer", "answer": "Đã xử lý."}, format="json").json()
    assert (body["status"], body["answer"]) == ("answered", "Đã xử lý.")
    body = api.post(url, {"action": "publish"}, format="json").json()
    assert body["status"] == "published" and body["public_url"].endswith(f"/feedback/{feedback.code}/")
    assert api.post(url, {"action": "answer", "answer": "x"}, format="json").status_code == 409
    assert api.post(url, {"action": "close"}, format="json").json()["status"] == "closed"
    assert api.post(url, {"action": "close"}, format="json").status_code == 409
    assert api.post(url, {"action": "explode"}, format="json").status_code == 400
    assert [e["action"] for e in body["events"]] == ["receive", "start", "answer", "publish"]


@pytest.mark.django_db
def test_at_in_the_future_is_refused(api):
    staff = StaffFactory()
    feedback = send_feedback(unit=staff.unit)
    api.force_authenticate(staff)
    response = api.post(f"/api/v1/feedback/{feedback.code}/actions/", {"action": "start", "at": "2999-01-01T08:00:00+07:00"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["at"]
    assert feedback.events.filter(action="start").count() == 0


@pytest.mark.django_db
def test_office_reads_but_cannot_act_and_other_units_get_404(api):
    staff = StaffFactory()
    feedback = send_feedback(unit=staff.unit)
    api.force_authenticate(OfficeUserFactory(office=staff.unit.office))
    assert api.get("/api/v1/feedback/").json()["count"] == 1
    assert api.post(f"/api/v1/feedback/{feedback.code}/actions/", {"action": "start"}, format="json").status_code == 403
    api.force_authenticate(StaffFactory())
    assert api.post(f"/api/v1/feedback/{feedback.code}/actions/", {"action": "start"}, format="json").status_code == 404
    assert api.get("/api/v1/feedback/", {"unit": staff.unit.slug}).status_code == 404
    assert Feedback.objects.get(pk=feedback.pk).status == "new"


@pytest.mark.django_db
def test_token_auth_and_anonymous_refused(api):
    from rest_framework.authtoken.models import Token

    staff = StaffFactory()
    assert api.get("/api/v1/feedback/").status_code == 401
    token = Token.objects.create(user=staff)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/feedback/").status_code == 200
