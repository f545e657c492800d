import pytest
from rest_framework.test import APIClient

from tests.factories import AdminFactory, StaffFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_calendar_lists_days_that_differ(api):
    api.force_authenticate(StaffFactory())
    body = api.get("/api/v1/calendar/?year=2025").json()
    days = {d["date"]: d["kind"] for d in body["results"]}
    assert days["2025-04-26"] == "working"
    assert days["2025-05-02"] == "holiday"
    assert body["count"] == len(body["results"])


@pytest.mark.django_db
def test_add_working_days_endpoint(api):
    api.force_authenticate(StaffFactory())
    response = api.get("/api/v1/calendar/add-working-days/?start=2026-02-13&days=1")
    assert response.status_code == 200
    assert response.json() == {"due_date": "2026-02-23"}


@pytest.mark.django_db
def test_add_working_days_rejects_bad_input(api):
    api.force_authenticate(StaffFactory())
    response = api.get("/api/v1/calendar/add-working-days/?start=hôm-nay&days=-2")
    assert response.status_code == 400
    assert set(response.json()) == {"start", "days"}


@pytest.mark.django_db
def test_only_an_administrator_adds_days_and_the_answer_changes_at_once(api):
    api.force_authenticate(StaffFactory())
    day = {"date": "2026-12-01", "kind": "holiday", "name": "Nghỉ đột xuất"}
    assert api.post("/api/v1/calendar/", day, format="json").status_code == 403
    api.force_authenticate(AdminFactory())
    assert api.post("/api/v1/calendar/", day, format="json").status_code == 201
    assert api.get("/api/v1/calendar/add-working-days/?start=2026-11-30&days=1").json() == {"due_date": "2026-12-02"}


@pytest.mark.django_db
def test_calendar_needs_authentication(api):
    assert api.get("/api/v1/calendar/?year=2025").status_code in (401, 403)
