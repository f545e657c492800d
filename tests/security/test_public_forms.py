"""Every public form fuzzed with hostile input — the open and the dossier survey, the
feedback form with its uploads, the tracking pages — plus hypothesis on free text:
never a server error, never the markup echoed back unescaped, and what is stored is
what was typed (NFC), not something executable on a staff page."""
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from feedback.models import Feedback
from tests.factories import (ProcedureFactory, StaffFactory, UnitFactory, receive_dossier, reload_reference_data,
                             survey_answers)
from tests.security.nasty import NASTY, leaks

SURVEY_FIELDS = ("access", "procedure", "staff", "result", "feedback_handling", "overall", "comment", "started",
                 "website")
FEEDBACK = {"kind": "phan-anh", "subject": "Giờ đón trẻ", "content": "Cổng trường ùn tắc lúc 16 giờ 30.",
            "name": "Trần Văn Bình", "phone": "0912345678", "email": "binh@example.vn", "consent_publish": "on"}
NO_LIMITS = override_settings(SURVEY_ADDRESS_LIMITS=((600, 10**9),))


@pytest.fixture(autouse=True)
def _no_send_limits(monkeypatch):
    monkeypatch.setattr("feedback.spam.LIMITS", ((600, 10**9),))


def check(response, what, problems):
    if response.status_code >= 500:
        problems.append(f"{what}: {response.status_code}")
    elif leak := leaks(response):
        problems.append(f"{what}: echoes {leak!r} unescaped")


def hostile_values():
    return NASTY + ["0", "6", "5.0", "", "1e3", "true"]


@pytest.mark.django_db
@NO_LIMITS
def test_open_survey_with_hostile_input_never_fails_or_leaks(client):
    unit = UnitFactory()
    url = f"/u/{unit.slug}/survey/cham-soc-giao-duc/"
    problems = []
    for name in SURVEY_FIELDS:
        for value in hostile_values():
            client.cookies.clear()
            response = client.post(url, survey_answers(**{name: value}))
            check(response, f"{name}={value[:30]!r}", problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@NO_LIMITS
def test_dossier_survey_with_hostile_input_never_fails_or_leaks(client):
    dossier = receive_dossier(procedure=ProcedureFactory())
    url = f"/survey/{dossier.survey_token}/"
    problems = []
    for name in SURVEY_FIELDS:
        for value in hostile_values():
            check(client.post(url, survey_answers(**{name: value})), f"{name}={value[:30]!r}", problems)
    for value in NASTY:
        check(client.get(f"/survey/{value[:200]}/".replace("\x00", "%00")), f"token {value[:30]!r}", problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_feedback_form_with_hostile_input_never_fails_or_leaks(client):
    unit = UnitFactory()
    staff = StaffFactory(unit=unit)
    url = f"/feedback/new/?unit={unit.slug}"
    problems = []
    for name in ("kind", "subject", "content", "name", "phone", "email", "consent_publish", "website"):
        for value in hostile_values():
            response = client.post(url, {**FEEDBACK, name: value})
            check(response, f"{name}={value[:30]!r}", problems)
            if response.status_code == 302:  # accepted: the tracking page must not echo it raw either
                check(client.get(response["Location"]), f"tracking after {name}={value[:30]!r}", problems)
    # What was stored shows escaped to the staff who open it.
    client.force_login(staff)
    for item in Feedback.objects.filter(unit=unit).order_by("-id")[:40]:
        check(client.get(f"/feedback/inbox/{item.code}/"), f"inbox {item.code}", problems)
    check(client.get("/feedback/", {"q": NASTY[0]}), "inbox search", problems)
    assert not problems, "\n".join(problems)


HOSTILE_UPLOADS = [
    ("<script>alert(1)</script>.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg"),
    ("../../../etc/passwd", b"root:x:0:0", "text/plain"),
    ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "image/svg+xml"),
    ("bao-cao.pdf", b"MZ\x90\x00 an exe named pdf", "application/pdf"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "text/html"),
    ("rong.jpg", b"", "image/jpeg"),
    ("A" * 300 + ".png", b"\x89PNG\r\n\x1a\n", "image/png"),
    ("null\x00byte.jpg", b"\xff\xd8\xff", "image/jpeg"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "content_type"), HOSTILE_UPLOADS, ids=lambda v: str(v)[:20])
def test_feedback_upload_with_hostile_files_never_fails_and_never_serves_markup(client, settings, tmp_path, name,
                                                                                  content, content_type):
    settings.MEDIA_ROOT = tmp_path
    unit = UnitFactory()
    staff = StaffFactory(unit=unit)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(f"/feedback/new/?unit={unit.slug}", {**FEEDBACK, "attachments": upload})
    assert response.status_code < 500
    assert not leaks(response)
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(tmp_path in p.parents for p in stored)  # nothing written outside MEDIA_ROOT
    client.force_login(staff)
    for item in Feedback.objects.filter(unit=unit):
        for attachment in item.attachments.all():
            served = client.get(f"/feedback/inbox/{item.code}/attachments/{attachment.pk}/")
            assert served.status_code == 200
            served_type = served["Content-Type"]
            assert "html" not in served_type and "svg" not in served_type, served_type
            assert served["X-Content-Type-Options"] == "nosniff"


class TestFreeTextWithHypothesis(HypothesisTestCase):
    """Any text a person can type in the feedback subject and content: stored or
    refused, never a 500, never echoed raw."""

    @classmethod
    def setUpTestData(cls):
        reload_reference_data()
        cls.unit = UnitFactory()

    @hsettings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(subject=st.text(max_size=300), content=st.text(min_size=0, max_size=2000))
    def test_feedback_free_text(self, subject, content):
        with mock.patch("feedback.spam.LIMITS", ((600, 10**9),)):
            response = self.client.post(f"/feedback/new/?unit={self.unit.slug}",
                                        {**FEEDBACK, "subject": subject, "content": content})
        assert response.status_code in (200, 302, 400), response.status_code
        assert not leaks(response)


@pytest.mark.django_db
def test_online_submission_with_hostile_input_never_fails_or_leaks(client, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("dossiers.online.LIMITS", ((600, 10**9),))
    procedure = ProcedureFactory(online="full", required_documents=["Đơn <b>đề nghị</b>"])
    url = f"/u/{procedure.unit.slug}/nop-ho-so/{procedure.code}/"
    base = {"applicant_name": "Phạm Thị Thu", "applicant_phone": "0908765432", "applicant_address": "25 Nguyễn Du",
            "request_summary": "Miễn học phí", "consent": "on"}
    problems = []
    for name in (*base, "applicant_email", "website"):
        for value in hostile_values():
            upload = SimpleUploadedFile(value[:40] or "x", b"%PDF-1.4\n%%EOF\n", "application/pdf")
            response = client.post(url, {**base, name: value, "document_1": upload})
            check(response, f"{name}={value[:30]!r}", problems)
    for value in NASTY:  # hostile file names and contents
        upload = SimpleUploadedFile((value or "x")[:60], value.encode(), "application/pdf")
        check(client.post(url, {**base, "document_1": upload}), f"file {value[:30]!r}", problems)
    assert not problems, "\n".join(problems)
