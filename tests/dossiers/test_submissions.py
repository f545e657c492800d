"""Online submissions handled by staff: accept (the dossier is made by the intake
service, channel online, digitised components), refuse (reason required), the queue
page, the API (docs/domain/online-services.md) and the deadline engine's flag after one working day."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Notification
from core.uploads import check_upload
from dossiers import deadlines
from dossiers.models import Dossier, DossierEvent, Submission
from dossiers.services import TransitionError
from dossiers.submissions import submission_accept, submission_receive, submission_refuse
from tests.dossiers.online_helpers import PDF, PNG, online_procedure
from tests.factories import OfficeUserFactory, PrincipalFactory, StaffFactory

pytestmark = pytest.mark.django_db
SUBMISSION_KEYS = {"reference", "unit", "procedure", "applicant_name", "submitted_at", "status", "refuse_reason", "dossier"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def receive(procedure, submitted_at=None):
    files = {1: check_upload(SimpleUploadedFile("don.pdf", PDF), max_size=10**6),
             2: check_upload(SimpleUploadedFile("anh.png", PNG), max_size=10**6)}
    return submission_receive(unit=procedure.unit, procedure=procedure, applicant_name="Phạm Thị Thu",
                              applicant_phone="0908765432", applicant_address="25 Nguyễn Du", files=files,
                              request_summary="Miễn học phí", submitted_at=submitted_at)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_accepting_registers_an_online_dossier_with_digitised_components():
    procedure = online_procedure(processing_days=5)
    staff = StaffFactory(unit=procedure.unit)
    submission = submission_accept(submission=receive(procedure), actor=staff)
    dossier = submission.dossier
    assert submission.status == "accepted" and submission.decided_by == staff
    assert dossier.channel == Dossier.Channel.ONLINE and dossier.result_delivery == Dossier.Delivery.ONLINE
    assert dossier.applicant_name == "Phạm Thị Thu" and dossier.request_summary == "Miễn học phí"
    assert [(d["name"], d["digitised"], d["reused"]) for d in dossier.documents] == [
        ("Đơn đề nghị", True, False), ("Bản sao giấy khai sinh", True, False)]
    assert dossier.tracking_secret == submission.secret  # one private link from submission to result
    assert DossierEvent.objects.filter(dossier=dossier, action="receive", actor=staff).count() == 1
    assert dossier.assigned_to == staff


def test_a_partly_online_procedure_returns_the_result_at_the_desk():
    procedure = online_procedure(online="partial")
    dossier = submission_accept(submission=receive(procedure), actor=StaffFactory(unit=procedure.unit)).dossier
    assert dossier.channel == "online" and dossier.result_delivery == Dossier.Delivery.DESK


def test_a_submission_is_handled_once():
    procedure = online_procedure()
    staff = StaffFactory(unit=procedure.unit)
    submission = submission_accept(submission=receive(procedure), actor=staff)
    with pytest.raises(TransitionError):
        submission_accept(submission=submission, actor=staff)
    with pytest.raises(TransitionError):
        submission_refuse(submission=submission, reason="Trùng", actor=staff)
    assert Dossier.objects.count() == 1


def test_refusing_needs_a_reason():
    from django.core.exceptions import ValidationError

    procedure = online_procedure()
    submission = receive(procedure)
    with pytest.raises(ValidationError):
        submission_refuse(submission=submission, reason="  ", actor=None)
    refused = submission_refuse(submission=submission, reason="Ảnh mờ", actor=None)
    assert refused.status == "refused" and refused.refuse_reason == "Ảnh mờ" and not Dossier.objects.exists()


def test_api_lists_the_units_submissions_filtered_by_status():
    procedure = online_procedure(code="MN-TS-01")
    staff = StaffFactory(unit=procedure.unit)
    first, second = receive(procedure), receive(procedure)
    submission_refuse(submission=second, reason="Thiếu giấy tờ", actor=staff)
    receive(online_procedure())  # another unit's
    data = api(staff).get(f"/api/v1/submissions/?unit={procedure.unit.slug}&status=new").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert set(row) == SUBMISSION_KEYS
    assert row["reference"] == first.reference and row["procedure"] == "MN-TS-01" and row["dossier"] is None
    assert api(staff).get("/api/v1/submissions/").json()["count"] == 2


def test_api_accept_then_409_refuse_needs_a_reason_and_offices_cannot_act():
    procedure = online_procedure()
    staff = StaffFactory(unit=procedure.unit)
    office = OfficeUserFactory(office=procedure.unit.office)
    submission = receive(procedure)
    url = f"/api/v1/submissions/{submission.reference}/actions/"
    assert api(office).post(url, {"action": "accept"}, format="json").status_code == 403
    assert api(StaffFactory()).post(url, {"action": "accept"}, format="json").status_code == 404
    assert api(staff).post(url, {"action": "refuse", "reason": ""}, format="json").status_code == 400
    accepted = api(staff).post(url, {"action": "accept"}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["dossier"] == Dossier.objects.get().code
    again = api(staff).post(url, {"action": "refuse", "reason": "Trùng"}, format="json")
    assert again.status_code == 409 and again.json()["detail"]
    dossier = api(office).get(f"/api/v1/dossiers/{accepted.json()['dossier']}/").json()
    assert dossier["channel"] == "online" and dossier["results"] == []


def test_the_queue_page_accepts_and_refuses_for_staff_and_reads_for_the_office(client):
    procedure = online_procedure()
    staff = StaffFactory(unit=procedure.unit)
    one, two = receive(procedure), receive(procedure)
    client.force_login(OfficeUserFactory(office=procedure.unit.office))
    page = client.get(f"/dossiers/submissions/?unit={procedure.unit.slug}").content.decode()
    assert one.reference in page and two.reference in page
    detail = client.get(f"/dossiers/submissions/{one.reference}/").content.decode()
    assert 'id="accept-form"' not in detail
    assert client.post(f"/dossiers/submissions/{one.reference}/act/", {"action": "accept"}).status_code == 403
    client.force_login(staff)
    response = client.post(f"/dossiers/submissions/{one.reference}/act/", {"action": "accept"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{dossier.code}/"
    client.post(f"/dossiers/submissions/{two.reference}/act/", {"action": "refuse", "reason": "Ảnh giấy khai sinh bị mờ"})
    two.refresh_from_db()
    assert two.status == "refused" and two.refuse_reason == "Ảnh giấy khai sinh bị mờ"
    file = one.files.get(position=2)
    served = client.get(f"/dossiers/submissions/{one.reference}/files/{file.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"


def test_a_submission_waiting_more_than_one_working_day_is_flagged_once_with_notices():
    procedure = online_procedure()
    staff = StaffFactory(unit=procedure.unit)
    principal = PrincipalFactory(unit=procedure.unit)
    StaffFactory()  # another unit's staff hears nothing
    friday = timezone.make_aware(datetime.datetime(2026, 3, 6, 10, 0))
    waiting = receive(procedure, submitted_at=friday)
    handled = receive(procedure, submitted_at=friday)
    submission_refuse(submission=handled, reason="Trùng", actor=staff)
    monday_evening = timezone.make_aware(datetime.datetime(2026, 3, 9, 18, 0))
    assert deadlines.sweep(monday_evening - datetime.timedelta(hours=2))["submissions_waiting"] == 0
    assert deadlines.sweep(monday_evening)["submissions_waiting"] == 1
    assert deadlines.sweep(monday_evening + datetime.timedelta(hours=1))["submissions_waiting"] == 0
    waiting.refresh_from_db()
    assert waiting.flagged_at == monday_evening
    notices = Notification.objects.filter(kind="submission_waiting")
    assert sorted(n.user_id for n in notices) == sorted([staff.pk, principal.pk])
    assert waiting.reference in notices.first().title and "Phạm Thị Thu" in notices.first().title
    assert notices.first().link == f"/dossiers/submissions/{waiting.reference}/"
    assert Submission.objects.filter(flagged_at__isnull=False).count() == 1


def test_a_procedure_is_opened_online_through_the_api_and_listed_publicly(client):
    principal = PrincipalFactory()
    body = {"unit": principal.unit.slug, "code": "MN-HP-01", "name": "Miễn, giảm học phí", "field": "hoc-phi",
            "processing_days": 5, "clock_on_supplement": "restart", "required_documents": ["Đơn"], "online": "full"}
    created = api(principal).post("/api/v1/procedures/", body, format="json")
    assert created.status_code == 201 and created.json()["online"] == "full"
    assert api(principal).post("/api/v1/procedures/", {**body, "code": "X", "online": "maybe"},
                               format="json").status_code == 400
    assert "Miễn, giảm học phí" in client.get(f"/u/{principal.unit.slug}/nop-ho-so/").content.decode()
    public = client.get(f"/u/{principal.unit.slug}/").content.decode()
    assert f"/u/{principal.unit.slug}/nop-ho-so/MN-HP-01/" in public


def test_the_demo_catalogue_opens_some_procedures_online(client):
    from dossiers.demo import seed_catalogue
    from tests.factories import UnitFactory

    unit = UnitFactory()
    levels = {p.code: p.online for p in seed_catalogue(unit)}
    assert levels["MN-XN-01"] == "full" and levels["MN-HP-01"] == "partial" and levels["MN-KN-01"] == "none"
    page = client.get(f"/u/{unit.slug}/nop-ho-so/").content.decode()
    assert "Cấp giấy xác nhận trẻ đang học tại trường" in page and "Giải quyết khiếu nại lần đầu" not in page
