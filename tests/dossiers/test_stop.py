"""Stopping a dossier (dừng giải quyết, Thông tư 03/2025/TT-VPCP form 05): a reason is
required, the same service and 409 rules through the API and the admin, and a stopped
dossier is neither on time nor late — out of the overdue sweep and out of the on-time
denominator."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import Unit
from dossiers import deadlines, documents
from dossiers.models import Dossier, DossierEvent
from dossiers.services import dossier_transition
from kpi import selectors as kpi_selectors
from kpi.indicators import Period
from tests.factories import AdminFactory, ProcedureFactory, StaffFactory, dossier_in

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday; 5 working days -> due Monday 9/3
MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def procedure(staff):
    return ProcedureFactory(unit=staff.unit, processing_days=5)


def _stopped(procedure, staff, at=RECEIVED + datetime.timedelta(days=1)):
    dossier = dossier_in("processing", procedure=procedure, received_at=RECEIVED, actor=staff)
    return dossier_transition(dossier=dossier, action="stop", actor=staff, at=at, reason="Phụ huynh chuyển trường")


def test_a_stopped_dossier_is_left_out_of_the_overdue_sweep(procedure, staff):
    stopped = _stopped(procedure, staff)
    late_open = dossier_in("processing", procedure=procedure, received_at=RECEIVED, actor=staff)
    # The working day before the due date: only the open dossier is flagged for an apology.
    assert deadlines.sweep(datetime.datetime(2026, 3, 6, 12, 0, tzinfo=VN))["dossiers_warned"] == 1
    counts = deadlines.sweep(datetime.datetime(2026, 3, 12, 9, 0, tzinfo=VN))
    assert counts["dossiers_overdue"] == 1
    stopped.refresh_from_db()
    late_open.refresh_from_db()
    assert stopped.overdue_at is None and late_open.overdue_at is not None
    assert not DossierEvent.objects.filter(dossier=stopped, action__in=DossierEvent.ENGINE_ACTIONS).exists()
    assert stopped.is_overdue is False and stopped.timeliness is None


def test_a_stopped_dossier_is_neither_on_time_nor_late_in_the_kpi(procedure, staff):
    on_time = dossier_in("processing", procedure=procedure, received_at=RECEIVED, actor=staff)
    dossier_transition(dossier=on_time, action="complete", actor=staff, at=RECEIVED + datetime.timedelta(days=2))
    _stopped(procedure, staff)
    now = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=VN)
    rows = {(r["key"], r["field"]): r
            for r in kpi_selectors.indicator_rows(units=Unit.objects.filter(pk=staff.unit_id), period=MARCH, now=now)}
    on_time_rate = rows[("dossier_on_time_rate", None)]
    assert (on_time_rate["numerator"], on_time_rate["denominator"], on_time_rate["value"]) == (1, 1, 100.0)
    # Nor is it a late or overdue dossier owing an apology.
    assert rows[("late_apology_rate", None)]["denominator"] == 0


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_stops_with_a_reason_refuses_without_one_and_answers_409_when_closed(procedure, staff):
    dossier = dossier_in("processing", procedure=procedure, received_at=RECEIVED, actor=staff)
    url = f"/api/v1/dossiers/{dossier.code}/actions/"
    missing = _api(staff).post(url, {"action": "stop"}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"
    response = _api(staff).post(url, {"action": "stop", "reason": "Phụ huynh chuyển trường"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "stopped" and data["timeliness"] is None and data["is_overdue"] is False
    assert data["events"][-1]["action"] == "stop" and "Phụ huynh chuyển trường" in data["events"][-1]["note"]
    again = _api(staff).post(url, {"action": "stop", "reason": "Lần nữa"}, format="json")
    assert again.status_code == 409 and "detail" in again.json()
    returned = dossier_in("returned", procedure=procedure, received_at=RECEIVED, actor=staff)
    closed = _api(staff).post(f"/api/v1/dossiers/{returned.code}/actions/", {"action": "stop", "reason": "X"}, format="json")
    assert closed.status_code == 409


def _admin_post(client, dossier, **extra):
    body = {"applicant_name": dossier.applicant_name, "applicant_phone": dossier.applicant_phone, "applicant_email": "",
            "applicant_address": "", "assigned_to": "", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", **extra}
    return client.post(reverse("admin:dossiers_dossier_change", args=[dossier.pk]), body)


def test_admin_stops_through_the_service_and_needs_a_reason(client, procedure, staff):
    client.force_login(AdminFactory())
    dossier = dossier_in("processing", procedure=procedure, received_at=RECEIVED, actor=staff)
    _admin_post(client, dossier, action="stop")
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"
    assert _admin_post(client, dossier, action="stop", action_reason="Hồ sơ giả mạo").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "stopped"
    assert dossier.events.get(action="stop").note == "Hồ sơ giả mạo"


def test_a_stop_gives_form_05_of_2025_even_before_that_circular(procedure, staff):
    received = datetime.datetime(2025, 8, 4, 9, 0, tzinfo=VN)  # Nghị định 118/2025 in force, Thông tư 03/2025 not yet
    dossier = dossier_in("processing", procedure=procedure, received_at=received, actor=staff)
    dossier_transition(dossier=dossier, action="stop", actor=staff, at=received + datetime.timedelta(days=1),
                       reason="Phụ huynh đề nghị dừng")
    forms = {f.kind: (f.number, f.legal_basis) for f in documents.forms_of(dossier=dossier)}
    assert forms == {"receipt": ("01", "nd118-2025"), "stop": ("05", "tt03-2025"), "control": ("06", "tt03-2025")}
    response = _api(staff).get(f"/api/v1/dossiers/{dossier.code}/documents/")
    rows = response.json()["results"]
    assert ("05", "Thông báo dừng giải quyết hồ sơ", "tt03-2025") in [(r["form"], r["title"], r["legal_basis"]) for r in rows]
