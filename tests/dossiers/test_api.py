"""The dossier API exactly as CONTRACT.md: shapes, filters, 409/400/403/404."""
import datetime

import pytest
from django.utils import timezone
from django.test import Client
from rest_framework.test import APIClient

from dossiers.models import Dossier
from tests.factories import OfficeUserFactory, PrincipalFactory, ProcedureFactory, StaffFactory, UnitFactory, dossier_in

pytestmark = pytest.mark.django_db
DOSSIER_KEYS = {"code", "unit", "procedure", "field", "status", "applicant_name", "received_at", "due_date", "due_at",
                "completed_at", "returned_at", "timeliness", "is_overdue", "channel", "results", "apology", "events", "tracking_url",
                "survey_url"}
EVENT_KEYS = {"action", "at", "recorded_at", "actor", "note", "from_status", "to_status"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def procedure(staff):
    return ProcedureFactory(unit=staff.unit, code="MN-TS-01", processing_days=5)


def test_create_a_dossier_and_read_it_back(staff, procedure):
    body = {"unit": staff.unit.slug, "procedure": "MN-TS-01", "applicant_name": "Nguyễn Văn An",
            "applicant_phone": "0901234567", "applicant_email": "an@example.vn"}
    response = api(staff).post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == DOSSIER_KEYS
    assert data["status"] == "received" and data["procedure"] == "MN-TS-01" and data["field"] == "xac-nhan"
    assert data["code"].startswith(f"{staff.unit.code}-")
    assert set(data["events"][0]) == EVENT_KEYS
    assert f"/track/{data['code']}/?s=" in data["tracking_url"]
    assert "/survey/" in data["survey_url"]
    detail = api(staff).get(f"/api/v1/dossiers/{data['code']}/")
    assert detail.status_code == 200 and detail.json()["code"] == data["code"]


def test_bad_input_answers_400_with_field_messages(staff, procedure):
    response = api(staff).post("/api/v1/dossiers/", {"unit": staff.unit.slug, "procedure": "NOPE", "applicant_name": ""},
                               format="json")
    assert response.status_code == 400
    assert {"applicant_name", "applicant_phone"} <= set(response.json())


def test_received_at_in_the_future_is_refused(staff, procedure):
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    response = api(staff).post("/api/v1/dossiers/", {"unit": staff.unit.slug, "procedure": "MN-TS-01",
                               "applicant_name": "A", "applicant_phone": "0901234567", "received_at": future}, format="json")
    assert response.status_code == 400 and "received_at" in response.json()


def test_actions_move_the_dossier_and_refuse_with_409(staff, procedure):
    dossier = dossier_in("received", procedure=procedure)
    client = api(staff)
    url = f"/api/v1/dossiers/{dossier.code}/actions/"
    ok = client.post(url, {"action": "start"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "processing"
    conflict = client.post(url, {"action": "return"}, format="json")
    assert conflict.status_code == 409 and "detail" in conflict.json()
    bad = client.post(url, {"action": "reject"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    future = client.post(url, {"action": "complete", "at": (timezone.now() + datetime.timedelta(hours=1)).isoformat()}, format="json")
    assert future.status_code == 400 and "at" in future.json()
    assert client.post(url, {"action": "fly"}, format="json").status_code == 400


def test_apology_through_the_api(staff, procedure):
    principal = PrincipalFactory(unit=staff.unit)
    dossier = dossier_in("processing", procedure=procedure)
    url = f"/api/v1/dossiers/{dossier.code}/actions/"
    body = {"action": "apologize", "reason": "Cần xác minh", "new_due_date": (dossier.due_date + datetime.timedelta(days=5)).isoformat()}
    assert api(staff).post(url, body, format="json").status_code == 403
    response = api(principal).post(url, body, format="json")
    assert response.status_code == 200
    assert set(response.json()["apology"]) == {"issued_at", "reason", "new_due_date", "timely"}
    assert api(principal).post(url, body, format="json").status_code == 409


def test_another_units_dossier_is_404(staff, procedure):
    other = dossier_in("received")
    assert api(staff).get(f"/api/v1/dossiers/{other.code}/").status_code == 404
    assert api(staff).post(f"/api/v1/dossiers/{other.code}/actions/", {"action": "start"}, format="json").status_code == 404


def test_office_accounts_read_and_cannot_write(staff, procedure):
    dossier = dossier_in("received", procedure=procedure)
    office = OfficeUserFactory(office=staff.unit.office)
    client = api(office)
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200
    assert client.get(f"/api/v1/dossiers/?unit={staff.unit.slug}").json()["count"] == 1
    assert client.post(f"/api/v1/dossiers/{dossier.code}/actions/", {"action": "start"}, format="json").status_code == 403
    assert client.post("/api/v1/dossiers/", {"unit": staff.unit.slug}, format="json").status_code == 403
    assert client.post("/api/v1/procedures/", {"unit": staff.unit.slug}, format="json").status_code == 403


def test_list_filters(staff, procedure):
    now = timezone.now()
    dossier_in("received", procedure=procedure, received_at=now - datetime.timedelta(days=30))  # overdue
    dossier_in("returned", procedure=procedure, received_at=now - datetime.timedelta(days=30))
    dossier_in("processing", procedure=procedure, received_at=now - datetime.timedelta(hours=3))
    dossier_in("received")  # another unit
    client = api(staff)
    assert client.get("/api/v1/dossiers/").json()["count"] == 3
    assert client.get(f"/api/v1/dossiers/?unit={staff.unit.slug}&status=returned").json()["count"] == 1
    overdue = client.get("/api/v1/dossiers/?overdue=true").json()
    assert overdue["count"] == 1 and overdue["results"][0]["is_overdue"] is True
    since = (now - datetime.timedelta(days=1)).date().isoformat()
    assert client.get(f"/api/v1/dossiers/?received_from={since}").json()["count"] == 1
    until = (now - datetime.timedelta(days=2)).date().isoformat()
    assert client.get(f"/api/v1/dossiers/?received_to={until}").json()["count"] == 2


def test_procedures_list_and_create(staff, procedure):
    principal = PrincipalFactory(unit=staff.unit)
    listed = api(staff).get(f"/api/v1/procedures/?unit={staff.unit.slug}").json()
    assert [p["code"] for p in listed["results"]] == ["MN-TS-01"]
    body = {"unit": staff.unit.slug, "code": "MN-CT-01", "name": "Chuyển trường", "field": "chuyen-truong",
            "processing_days": 3, "clock_on_supplement": "pause"}
    created = api(principal).post("/api/v1/procedures/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["clock_on_supplement"] == "pause"
    assert api(principal).post("/api/v1/procedures/", body, format="json").status_code == 400  # same code
    assert api(staff).post("/api/v1/procedures/", {**body, "code": "X"}, format="json").status_code == 403


def test_schema_lists_the_dossier_endpoints(staff):
    schema = api(staff).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/dossiers/{code}/actions/" in schema.content.decode()
    assert Dossier.objects.count() == 0


def test_a_unit_the_user_may_not_read_is_404_in_lists_as_in_pages(staff, procedure):
    """?unit=<slug> follows core.access.narrowed_to_unit in the dossier and feedback APIs and the register."""
    dossier_in("received", procedure=procedure)
    other = UnitFactory()
    client = api(staff)
    assert client.get(f"/api/v1/dossiers/?unit={staff.unit.slug}").json()["count"] == 1
    for url in (f"/api/v1/dossiers/?unit={other.slug}", f"/api/v1/procedures/?unit={other.slug}",
                f"/api/v1/feedback/?unit={other.slug}", "/api/v1/dossiers/?unit=khong-co"):
        assert client.get(url).status_code == 404, url
    browser = Client()
    browser.force_login(staff)
    assert browser.get(f"/dossiers/register/?unit={other.slug}").status_code == 404
