"""Notices to the applicant: e-mail, SMS and Zalo, one outbox row per (dossier, event,
channel), sent after commit, retried, and shown to staff when they fail for good."""
import datetime

import pytest
from django.utils import timezone

from core.notify import CLAIM_LEASE, deliver_outbox_row
from dossiers.models import ApplicantNotice
from dossiers.services import dossier_transition
from tests.factories import PrincipalFactory, StaffFactory, UnitFactory, receive_dossier
from tests.core.test_celery import _wait_for
from tests.gateway import deliver_outbox, use_for_zalo

LABEL = "dossiers.ApplicantNotice"
PHONE = "0912345678"
EMAIL = "an.nguyen@example.vn"


def deliver_all():
    deliver_outbox(LABEL)


def received(**details):
    details.setdefault("applicant_phone", PHONE)
    details.setdefault("applicant_email", EMAIL)
    return receive_dossier(**details)


@pytest.mark.django_db
def test_the_applicant_is_told_of_the_receipt_by_every_channel_they_gave(
    sms_gateway, zalo_gateway, mailoutbox, outbox_tasks, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received()
    notices = list(ApplicantNotice.objects.order_by("channel"))
    assert [(n.channel, n.action, n.status) for n in notices] == [
        ("email", "receive", "pending"), ("sms", "receive", "pending"), ("zalo", "receive", "pending"),
    ]
    assert sorted(outbox_tasks) == sorted((LABEL, n.pk) for n in notices)

    deliver_all()
    assert set(ApplicantNotice.objects.values_list("status", flat=True)) == {"sent"}
    (sms,) = sms_gateway.texts_to(PHONE)
    assert sms.startswith("Kính gửi ông/bà Nguyễn Văn An,") and dossier.code in sms
    assert f"/track/{dossier.code}/?s={dossier.tracking_secret}" in sms_gateway.links_to(PHONE)[0]
    request = sms_gateway.requests[0]
    assert request["headers"]["authorization"] == "Bearer test-sms-key" and request["json"]["to"] == "84912345678"
    assert request["json"]["sender"] == "CCHC"
    (zns,) = zalo_gateway.requests
    assert zns["headers"]["access_token"] == "test-zalo-token"
    assert zns["json"]["template_id"] == "123456" and zns["json"]["phone"] == "84912345678"
    assert zns["json"]["template_data"]["code"] == dossier.code
    assert zns["json"]["template_data"]["date"] == dossier.due_date.strftime("%d/%m/%Y")
    (mail,) = mailoutbox
    assert mail.to == [EMAIL] and dossier.code in mail.subject and "Kính gửi ông/bà" in mail.body
    assert "đã tiếp nhận hồ sơ" in mail.body and dossier.procedure.name in mail.body
    assert mail.body.rstrip().endswith(dossier.unit.name)  # signed by the unit
    assert dossier.procedure.name not in sms  # an SMS stays short: the link has the details


@pytest.mark.django_db
def test_a_rerun_sends_nothing_twice(sms_gateway, outbox_tasks):
    dossier = received(applicant_email="")
    notice = ApplicantNotice.objects.get()
    assert deliver_outbox_row(LABEL, notice.pk) is None
    assert deliver_outbox_row(LABEL, notice.pk) is None  # a redelivered task
    from dossiers.signals import dossier_event

    event = dossier.events.get(action="receive")
    dossier_event.send(sender=type(dossier), dossier=dossier, event=event, action="receive")  # the signal again
    assert ApplicantNotice.objects.count() == 1
    deliver_all()
    assert len(sms_gateway.requests) == 1


@pytest.mark.django_db
def test_a_notice_held_by_a_living_worker_is_left_alone_until_its_lease_expires(sms_gateway, outbox_tasks):
    received(applicant_email="")
    notice = ApplicantNotice.objects.get()
    ApplicantNotice.objects.update(claimed_at=timezone.now())
    assert deliver_outbox_row(LABEL, notice.pk) is None and not sms_gateway.requests
    ApplicantNotice.objects.update(claimed_at=timezone.now() - CLAIM_LEASE - datetime.timedelta(seconds=1))
    deliver_outbox_row(LABEL, notice.pk)
    assert len(sms_gateway.requests) == 1 and ApplicantNotice.objects.get().status == "sent"


@pytest.mark.django_db
def test_supplement_stop_refusal_apology_and_result_are_told_with_their_details(sms_gateway, outbox_tasks):
    principal = PrincipalFactory()
    unit = principal.unit
    a = received(unit=unit, applicant_email="", received_at=timezone.now() - datetime.timedelta(days=3))
    dossier_transition(dossier=a, action="start", actor=principal)
    dossier_transition(dossier=a, action="request_supplement", actor=principal, reason="Bổ sung bản sao giấy khai sinh")
    dossier_transition(dossier=a, action="resume", actor=principal)
    new_date = a.due_date + datetime.timedelta(days=14)
    dossier_transition(dossier=a, action="apologize", actor=principal, reason="Cần xác minh thêm", new_due_date=new_date)
    dossier_transition(dossier=a, action="complete", actor=principal)
    b = received(unit=unit, applicant_email="", applicant_phone="0987000111")
    dossier_transition(dossier=b, action="reject", actor=principal, reason="Không thuộc thẩm quyền")
    c = received(unit=unit, applicant_email="", applicant_phone="0987000222")
    dossier_transition(dossier=c, action="stop", actor=principal, reason="Người nộp đề nghị dừng")

    assert list(a.applicant_notices.order_by("id").values_list("action", flat=True)) == [
        "receive", "request_supplement", "apologize", "complete",  # start and resume are the unit's business
    ]
    deliver_all()
    texts = sms_gateway.texts_to(PHONE)
    assert "bổ sung" in texts[1] and "Bổ sung bản sao giấy khai sinh" in texts[1]
    assert "xin lỗi" in texts[2] and new_date.strftime("%d/%m/%Y") in texts[2]
    assert "đã có kết quả" in texts[3]
    assert all(t.startswith("Kính gửi ông/bà") and "/track/" in t for t in texts)
    assert "Không thuộc thẩm quyền" in sms_gateway.texts_to("0987000111")[1]
    assert "dừng giải quyết" in sms_gateway.texts_to("0987000222")[1]


@pytest.mark.django_db
def test_only_the_channels_given_and_configured_get_a_notice(settings, outbox_tasks):
    settings.SMS_BACKEND, settings.ZALO_BACKEND = "console", "off"
    received(applicant_email="")
    assert list(ApplicantNotice.objects.values_list("channel", flat=True)) == ["sms"]
    settings.SMS_BACKEND = "off"
    received(applicant_email=EMAIL)
    assert sorted(ApplicantNotice.objects.values_list("channel", flat=True)) == ["email", "sms"]


@pytest.mark.django_db
def test_a_gateway_answering_500_is_retried_then_marked_failed_and_staff_are_told(failing_sms_gateway, outbox_tasks):
    failing = failing_sms_gateway
    staff = StaffFactory()
    dossier = received(unit=staff.unit, applicant_email="", actor=staff)
    notice = ApplicantNotice.objects.get()
    assert deliver_outbox_row(LABEL, notice.pk) == 0  # retry at once (NOTIFY_RETRY_SECONDS=0)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == ("pending", 1, "HTTP 500")
    deliver_outbox_row(LABEL, notice.pk)
    assert deliver_outbox_row(LABEL, notice.pk) is None
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("failed", 3) and notice.failed_at is not None
    assert len(failing.requests) == 3
    assert deliver_outbox_row(LABEL, notice.pk) is None and len(failing.requests) == 3
    from core.models import Notification

    (alert,) = Notification.objects.filter(user=staff, kind="applicant_notice_failed")
    assert dossier.code in alert.title and "SMS" in alert.title and alert.link == f"/dossiers/{dossier.code}/"
    assert "gọi điện" in alert.body


@pytest.mark.django_db
def test_a_refusal_by_zalo_fails_at_once_without_retry(recording_gateway, settings, monkeypatch, outbox_tasks):
    gateway = recording_gateway("ok")
    use_for_zalo(gateway, settings, monkeypatch)
    monkeypatch.setattr("core.notify._post_json", lambda url, payload, headers: {"error": -124, "message": "invalid access token"})
    received(applicant_email="")
    notice = ApplicantNotice.objects.get(channel="zalo")
    assert deliver_outbox_row(LABEL, notice.pk) is None
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.attempts == 1 and "-124" in notice.last_error


@pytest.mark.django_db
def test_staff_see_a_failed_notice_on_the_dossier_page_and_the_api_masks_addresses(client, sms_gateway, outbox_tasks):
    staff = StaffFactory()
    dossier = received(unit=staff.unit)
    ApplicantNotice.objects.filter(channel="sms").update(status="failed", attempts=3, last_error="HTTP 500")
    deliver_all()
    client.force_login(staff)
    page = client.get(f"/dossiers/{dossier.code}/")
    html = page.content.decode()
    assert 'data-testid="notice-failed"' in html and 'id="notices"' in html and "HTTP 500" in html
    assert "091****678" in html and PHONE not in html.split('id="notices"')[1]

    answer = client.get(f"/api/v1/dossiers/{dossier.code}/notices/").json()
    assert answer["count"] == 2  # paginated, as every list of the API
    api = answer["results"]
    assert [(n["event"], n["channel"], n["to"], n["status"]) for n in api] == [
        ("receive", "email", "an***@example.vn", "sent"), ("receive", "sms", "091****678", "failed"),
    ]
    assert api[0]["sent_at"] and api[1]["sent_at"] is None

    client.force_login(StaffFactory(unit=UnitFactory()))
    assert client.get(f"/api/v1/dossiers/{dossier.code}/notices/").status_code == 404


@pytest.mark.django_db
def test_the_notices_endpoint_is_in_the_openapi_schema_with_an_example(client):
    client.force_login(StaffFactory())
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/dossiers/{code}/notices/"]["get"]
    content = operation["responses"]["200"]["content"]["application/json"]
    assert content["schema"]["$ref"].endswith("/PaginatedApplicantNoticeList")
    example = next(iter(content["examples"].values()))["value"]
    assert set(example["results"][0]) == {"event", "channel", "to", "status", "sent_at"}


@pytest.mark.django_db
def test_the_deadline_engine_sends_what_the_broker_lost(sms_gateway, outbox_tasks):
    from core import engine

    received(applicant_email="")  # enqueue is swallowed: the broker "lost" the task
    run = engine.run()
    assert run.summary["outbox_sent"] == 1 and ApplicantNotice.objects.get().status == "sent"
    assert len(sms_gateway.requests) == 1


# --- with a real Celery worker ----------------------------------------------------------------

def _statuses(dossier):
    return dict(ApplicantNotice.objects.filter(dossier=dossier).values_list("channel", "status"))


WORKER_TIMEOUT = 60.0


@pytest.mark.celery_worker
def test_worker_retries_a_gateway_answering_500_then_shows_the_failure(
    failing_sms_gateway, zalo_gateway, celery_worker_process, client,
):
    failing = failing_sms_gateway
    staff = StaffFactory()
    dossier = received(unit=staff.unit)
    assert _wait_for(lambda: _statuses(dossier) == {"email": "sent", "sms": "failed", "zalo": "sent"}, WORKER_TIMEOUT), _statuses(dossier)
    assert len(failing.requests) == 3  # NOTIFY_MAX_ATTEMPTS
    assert len(zalo_gateway.requests) == 1
    client.force_login(staff)
    assert b'data-testid="notice-failed"' in client.get(f"/dossiers/{dossier.code}/").content
    assert [n["status"] for n in client.get(f"/api/v1/dossiers/{dossier.code}/notices/").json()["results"]] == [
        "sent", "failed", "sent"]


@pytest.mark.celery_worker
def test_a_hanging_gateway_times_out_while_the_other_channels_are_delivered(
    hanging_sms_gateway, zalo_gateway, celery_worker_process,
):
    hanging = hanging_sms_gateway
    dossier = received()
    assert _wait_for(lambda: _statuses(dossier).get("zalo") == "sent" and _statuses(dossier).get("email") == "sent", WORKER_TIMEOUT)
    assert _wait_for(lambda: _statuses(dossier).get("sms") == "failed", WORKER_TIMEOUT), _statuses(dossier)
    sms = ApplicantNotice.objects.get(dossier=dossier, channel="sms")
    assert "timed out" in sms.last_error.lower() and sms.attempts == 3
    assert hanging.requests and len(zalo_gateway.requests) == 1
