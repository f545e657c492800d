"""Walk every URL and API endpoint as anonymous, staff of another unit, staff,
principal, office and administrator, and check the status each must get.

EXPECTATIONS is the allow-list: a URL pattern without a row fails the suite, so a
new page or endpoint cannot ship without someone deciding who may open it."""
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Document, Submission, SubmissionFile
from feedback.models import FeedbackAttachment
from feedback.notices import rating_token
from kpi.models import Evidence, ExportJob, MonthlyFigure, PlanTaskEvidence
from kpi.report_services import report_create, report_submit
from kpi.services import plan_create, plan_task_save
from tests.factories import (AdminFactory, OfficeUserFactory, PrincipalFactory, ProcedureFactory, ResponseFactory,
                             StaffFactory, UnitFactory, published_feedback, receive_dossier,
                             send_feedback)
from tests.security.urlmap import routes, url_for

ROLES = ("anonymous", "other_unit_staff", "staff", "principal", "office", "admin")
LOGIN = "login"  # 302 to the login page
DENIED = "denied"  # the API's 401 or 403
REDIRECT = "redirect"  # a 301 or 302


def by_role(anonymous, other_unit_staff, staff, principal, office, admin_):
    return dict(zip(ROLES, (anonymous, other_unit_staff, staff, principal, office, admin_)))


PUBLIC = by_role(200, 200, 200, 200, 200, 200)
SIGNED_IN = by_role(LOGIN, 200, 200, 200, 200, 200)  # every account, each sees its own scope
UNIT_OBJECT = by_role(LOGIN, 404, 200, 200, 200, 200)  # a page of unit A's data
PRINCIPAL_PAGE = by_role(LOGIN, 404, 403, 200, 403, 200)
API = by_role(DENIED, 200, 200, 200, 200, 200)
API_OBJECT = by_role(DENIED, 404, 200, 200, 200, 200)
POST_ONLY = by_role(LOGIN, 405, 405, 405, 405, 405)
MANAGE_PAGE = by_role(LOGIN, 403, 403, 200, 403, 200)  # the principal's catalogue; staff and offices may not
OFFICE_PAGE = by_role(LOGIN, 403, 403, 403, 200, 200)  # the office's view of its units' written reports
OWN_JOB = by_role(LOGIN, 404, 404, 404, 200, 404)  # an export job is its requester's alone (here: the office)


@dataclass
class Expect:
    status: dict
    kwargs: Callable[["World"], dict] | None = None
    query: str = ""
    why: str = ""
    extra: dict = field(default_factory=dict)


EXPECTATIONS: dict[str, Expect] = {
    # core
    "home": Expect(SIGNED_IN),
    "healthz": Expect(PUBLIC),
    "notifications": Expect(SIGNED_IN),
    "notifications-read": Expect(POST_ONLY),
    "unit-public": Expect(PUBLIC),
    "login": Expect(PUBLIC),
    "logout": Expect(by_role(405, 405, 405, 405, 405, 405), why="logout is POST only (Django 5)"),
    "password_change": Expect(SIGNED_IN),
    "password_change_done": Expect(SIGNED_IN),
    "set_language": Expect(by_role(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), query="?next=/"),
    "switch-language": Expect(by_role(*[REDIRECT] * 6), query="?language=en&next=/",
                              why="the language links of the public pages (core.views.switch_language)"),
    # API v1
    "api-units": Expect(API),
    "api-fields": Expect(API),
    "api-calendar": Expect(API, query="?year=2026"),
    "api-add-working-days": Expect(API, query="?start=2026-03-10&days=5"),
    "api-schema": Expect(PUBLIC, why="the OpenAPI description is public, as docs/interfaces.md publishes it"),
    "api-docs": Expect(PUBLIC, why="Swagger UI of the public schema; every call it makes needs a token"),
    "favicon.ico": Expect(by_role(*[REDIRECT] * 6)),
    # dossiers: public tracking (printed as QR codes), then the desk
    "dossiers:track": Expect(PUBLIC),
    "dossiers:track-detail": Expect(PUBLIC, kwargs=lambda w: {"code": w.dossier.code}),
    "dossiers:worklist": Expect(by_role(LOGIN, 200, 200, 200, REDIRECT, 200), why="an office picks a unit first"),
    "dossiers:unit": Expect(UNIT_OBJECT, query="?unit={slug}"),
    "dossiers:register": Expect(UNIT_OBJECT, query="?unit={slug}"),
    "dossiers:register-export": Expect(UNIT_OBJECT, query="?unit={slug}"),
    "dossiers:intake": Expect(by_role(LOGIN, 200, 200, 200, 403, 200), why="offices read, never write"),
    "dossiers:procedures": Expect(SIGNED_IN),
    "dossiers:procedure-new": Expect(MANAGE_PAGE),
    "dossiers:procedure-edit": Expect(MANAGE_PAGE, kwargs=lambda w: {"pk": w.procedure.pk}),
    "dossiers:detail": Expect(UNIT_OBJECT, kwargs=lambda w: {"code": w.dossier.code}),
    "dossiers:act": Expect(POST_ONLY, kwargs=lambda w: {"code": w.dossier.code}),
    "dossiers:print": Expect(UNIT_OBJECT, kwargs=lambda w: {"code": w.dossier.code, "form": "receipt"}),
    "dossiers:sign": Expect(POST_ONLY, kwargs=lambda w: {"code": w.dossier.code, "pk": issued(w).pk},
                            why="the principal's signing button; who may sign: tests/signing/test_documents.py"),
    "dossiers:document-file": Expect(UNIT_OBJECT, kwargs=lambda w: {"code": w.dossier.code, "pk": issued(w).pk}),
    "dossiers:verify": Expect(PUBLIC, why="anyone checks a signed PDF (printed QR codes lead here)"),
    "dossiers:verify-document": Expect(PUBLIC, kwargs=lambda w: {"code": issued(w).code}),
    "api-verify": Expect(by_role(405, 405, 405, 405, 405, 405), why="POST only, no account; see tests/signing"),
    "api-trust": Expect(PUBLIC, why="the trust roots are public so that anyone can verify"),
    "dossiers:result-issue": Expect(POST_ONLY, kwargs=lambda w: {"code": w.dossier.code}),
    "dossiers:track-result": Expect(PUBLIC, kwargs=lambda w: {"code": w.dossier.code, "result": w.result.code},
                                    query="?s=walker-secret", why="the private tracking link (its secret) opens the result"),
    "dossiers:track-receipt": Expect(PUBLIC, kwargs=lambda w: {"code": w.dossier.code}, query="?s=walker-secret",
                                     why="form 01 for the applicant holding the private link"),
    # dossiers: online submission (public, no account), then the unit's queue
    "dossiers:online-list": Expect(PUBLIC),
    "dossiers:online-submit": Expect(PUBLIC, kwargs=lambda w: {"slug": w.unit.slug, "code": w.online_procedure.code}),
    "dossiers:online-follow": Expect(PUBLIC, kwargs=lambda w: {"reference": w.submission.reference}, query="?s=walker-secret",
                                     why="the submission's private link"),
    "dossiers:submissions": Expect(UNIT_OBJECT, query="?unit={slug}"),
    "dossiers:submission": Expect(UNIT_OBJECT, kwargs=lambda w: {"reference": w.submission.reference}),
    "dossiers:submission-act": Expect(POST_ONLY, kwargs=lambda w: {"reference": w.submission.reference}),
    "dossiers:submission-file": Expect(by_role(LOGIN, 404, 200, 200, 404, 200),
                                       kwargs=lambda w: {"reference": w.submission.reference, "pk": w.submission_file.pk},
                                       why="a parent's documents are private to the unit's staff, not the office"),
    "api-submissions": Expect(API),
    "api-submission-actions": Expect(by_role(DENIED, 405, 405, 405, 405, 405),
                                     kwargs=lambda w: {"reference": w.submission.reference}, why="POST only"),
    "api-dossier-result": Expect(API_OBJECT, kwargs=lambda w: {"code": w.dossier.code, "result": w.result.code}),
    "dossiers:document-pdf": Expect(API_OBJECT, kwargs=lambda w: {"code": w.dossier.code, "form": "01"},
                                    why="a file URL: token or session, as the API"),
    "api-dossier-documents": Expect(API_OBJECT, kwargs=lambda w: {"code": w.dossier.code}),
    "api-procedures": Expect(API),
    "api-dossiers": Expect(API),
    "api-dossier": Expect(API_OBJECT, kwargs=lambda w: {"code": w.dossier.code}),
    "api-dossier-actions": Expect(by_role(DENIED, 405, 405, 405, 405, 405), kwargs=lambda w: {"code": w.dossier.code},
                                  why="POST only; see the POST test"),
    "api-dossier-notices": Expect(API_OBJECT, kwargs=lambda w: {"code": w.dossier.code}),
    "api-kpi": Expect(API_OBJECT, query="?unit={slug}&from=2026-01-01&to=2026-12-31"),
    "api-reports": Expect(API, query="?year=2026"),
    "api-scorecard": Expect(API_OBJECT, query="?unit={slug}&from=2026-01-01&to=2026-12-31"),
    "api-report-actions": Expect(by_role(DENIED, 405, 405, 405, 405, 405), kwargs=lambda w: {"pk": w.report.pk},
                                 why="POST only; tests/kpi/test_written_reports.py"),
    # surveys: public pages printed as QR codes, then the unit's own pages
    "surveys:dossier": Expect(PUBLIC),
    "surveys:dossier-thanks": Expect(PUBLIC),
    "surveys:open": Expect(PUBLIC),
    "surveys:open-thanks": Expect(PUBLIC),
    "surveys:qr": Expect(PUBLIC),
    "surveys:results": Expect(SIGNED_IN),
    "surveys:comment-handled": Expect(POST_ONLY, kwargs=lambda w: {"pk": w.response.pk}),
    "surveys:posters": Expect(SIGNED_IN),
    "surveys:questionnaire": Expect(SIGNED_IN),
    "surveys:questionnaire-remove": Expect(POST_ONLY),
    # feedback: public form, feed, published answers, tracking; then the inbox
    "feedback:new": Expect(PUBLIC, query="?unit={slug}"),
    "feedback:feed": Expect(PUBLIC),
    "feedback:public-list": Expect(PUBLIC),
    "feedback:public-item": Expect(PUBLIC),
    "feedback:track": Expect(PUBLIC),
    "feedback:rate": Expect(by_role(200, 403, 403, 403, 403, 403), kwargs=lambda w: {"code": w.feedback.code, "token": rating_token(w.feedback)},
                            why="only the sender rates the answer, through the token link; accounts cannot"),
    "feedback:inbox": Expect(SIGNED_IN),
    "feedback:detail": Expect(UNIT_OBJECT),
    "feedback:publish": Expect(by_role(LOGIN, 404, 200, 200, 403, 200)),
    "feedback:assign": Expect(POST_ONLY),
    "feedback:note": Expect(POST_ONLY),
    "feedback:to-dossier": Expect(POST_ONLY),
    "feedback:attachment": Expect(by_role(LOGIN, 404, 200, 200, 404, 200),
                                  kwargs=lambda w: {"code": w.feedback.code, "pk": w.attachment.pk},
                                  why="a sender's photos are private to the unit's staff, not the office"),
    "feedback:act": Expect(POST_ONLY, kwargs=lambda w: {"code": w.feedback.code, "action": "start"}),
    "api-feedback-list": Expect(API),
    "api-feedback-detail": Expect(API_OBJECT),
    "api-feedback-actions": Expect(by_role(DENIED, 405, 405, 405, 405, 405), why="POST only; see the POST test"),
    # kpi
    "kpi:dashboard": Expect(SIGNED_IN),
    "kpi:plan": Expect(SIGNED_IN),
    "kpi:plan-create": Expect(POST_ONLY),
    "kpi:figures": Expect(SIGNED_IN),
    "kpi:evidence": Expect(UNIT_OBJECT, kwargs=lambda w: {"pk": w.evidence.pk}),
    "kpi:evidence-delete": Expect(POST_ONLY, kwargs=lambda w: {"pk": w.evidence.pk}),
    "kpi:reports": Expect(UNIT_OBJECT, query="?unit={slug}"),
    "kpi:scorecard": Expect(UNIT_OBJECT, query="?unit={slug}"),
    "kpi:report-create": Expect(POST_ONLY),
    "kpi:report": Expect(UNIT_OBJECT, kwargs=lambda w: {"pk": w.report.pk}),
    "kpi:report-submit": Expect(POST_ONLY, kwargs=lambda w: {"pk": w.report.pk}),
    "kpi:report-file": Expect(by_role(DENIED, 404, 200, 200, 200, 200), kwargs=lambda w: {"pk": w.report.pk, "ext": "pdf"},
                              why="session or token, as the API"),
    "kpi:reports-office": Expect(OFFICE_PAGE),
    "kpi:reports-office-deadline": Expect(POST_ONLY),
    "kpi:reports-office-download": Expect(OFFICE_PAGE, kwargs=lambda w: {"fmt": "zip"}),
    "kpi:task-add": Expect(POST_ONLY, kwargs=lambda w: {"plan_pk": w.task.plan_id}),
    "kpi:task": Expect(UNIT_OBJECT, kwargs=lambda w: {"pk": w.task.pk}),
    "kpi:task-evidence": Expect(UNIT_OBJECT, kwargs=lambda w: {"pk": w.task_evidence.pk}),
    "kpi:export": Expect(by_role(DENIED, 404, 200, 200, 200, 200), query="?unit={slug}&from=2026-01-01&to=2026-12-31",
                         why="session or token, as the API (docs/interfaces.md)"),
    "kpi:export-job": Expect(OWN_JOB, kwargs=lambda w: {"pk": w.export_job.pk}),
    "kpi:export-job-status": Expect(OWN_JOB, kwargs=lambda w: {"pk": w.export_job.pk}),
    "kpi:export-job-download": Expect(OWN_JOB, kwargs=lambda w: {"pk": w.export_job.pk}),
}


def issued(world):
    """An issued document of the world's dossier (made once, on first use)."""
    if not hasattr(world, "issued_document"):
        from tests.signing.conftest import issue_test_document

        world.issued_document = issue_test_document(world.dossier)
    return world.issued_document


class World:
    """Unit A (with its staff, principal, office, a dossier) and unit B with its staff."""

    def __init__(self):
        self.staff = StaffFactory(username="staff-a")
        self.unit = self.staff.unit
        self.principal = PrincipalFactory(username="principal-a", unit=self.unit)
        self.office = OfficeUserFactory(username="office-a", office=self.unit.office)
        self.admin = AdminFactory(username="admin")
        self.other_unit = UnitFactory()
        self.other_unit_staff = StaffFactory(username="staff-b", unit=self.other_unit)
        self.procedure = ProcedureFactory(unit=self.unit)
        self.dossier = receive_dossier(procedure=self.procedure, actor=self.staff, tracking_secret="walker-secret")
        self.result = Document.objects.create(
            dossier=self.dossier, unit=self.unit, kind=Document.Kind.RESULT, form="KQ", code=f"{self.dossier.code}-KQ1",
            title="Kết quả", file=SimpleUploadedFile("kq.pdf", b"%PDF-1.4 result"), sha256="0" * 64)
        self.online_procedure = ProcedureFactory(unit=self.unit, online="full")
        self.submission = Submission.objects.create(
            unit=self.unit, procedure=self.online_procedure, reference="WALK-TT-261130-001", applicant_name="Phạm Thị Thu",
            applicant_phone="0908765432", submitted_at=self.dossier.received_at, due_at=self.dossier.due_at,
            secret="walker-secret")
        self.submission_file = SubmissionFile.objects.create(
            submission=self.submission, position=1, name="Đơn", file=SimpleUploadedFile("don.pdf", b"%PDF-1.4 don"),
            original_name="don.pdf", content_type="application/pdf", size=12, sha256="0" * 64)
        self.feedback = published_feedback(unit=self.unit, actor=self.staff)
        self.attachment = FeedbackAttachment.objects.create(
            feedback=self.feedback, file=SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff proof"), original_name="anh.jpg",
            content_type="image/jpeg", size=12)
        self.response = ResponseFactory(unit=self.unit, comment="Cô giáo rất tận tình")
        figure = MonthlyFigure.objects.create(unit=self.unit, key="e_payment_rate", year=2026, month=3, numerator=9,
                                              denominator=10, entered_by=self.principal)
        self.evidence = Evidence.objects.create(figure=figure, file=SimpleUploadedFile("bien-lai.pdf", b"%PDF-1.4"),
                                                original_name="bien-lai.pdf", uploaded_by=self.principal)
        self.task = plan_task_save(plan=plan_create(unit=self.unit, year=2026), group="procedures", title="Công khai TTHC")
        self.task_evidence = PlanTaskEvidence.objects.create(
            task=self.task, file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"), original_name="bien-ban.pdf")
        self.report = report_submit(report=report_create(unit=self.unit, kind="year", year=2026), actor=self.principal)
        self.export_job = ExportJob.objects.create(requested_by=self.office, params={"unit": self.unit.slug},
                                                   status=ExportJob.Status.DONE,
                                                   file=SimpleUploadedFile("bao-cao.xlsx", b"PK\x03\x04"))

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)

    def default_kwargs(self, params) -> dict:
        values = {"slug": self.unit.slug, "code": self.feedback.code, "token": self.dossier.survey_token,
                  "area_key": "cham-soc-giao-duc", "key": "cham-soc-giao-duc"}
        missing = [p for p in params if p not in values]
        assert not missing, f"no value for URL parameters {missing}: give the row kwargs="
        return {p: values[p] for p in params}


def matches(expected, response) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    if expected == DENIED:
        return response.status_code in (401, 403)
    if expected == REDIRECT:
        return response.status_code in (301, 302)
    return response.status_code == expected


def test_every_url_has_an_expectation():
    found = routes()
    missing = sorted(set(found) - set(EXPECTATIONS))
    assert not missing, f"URLs without a row in EXPECTATIONS (decide who may open them): {missing}"
    stale = sorted(set(EXPECTATIONS) - set(found))
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(client, role):
    world = World()
    user = world.user(role)
    if user:
        client.force_login(user)
    wrong = []
    for key, route in sorted(routes().items()):
        expect = EXPECTATIONS.get(key)
        if expect is None:
            continue  # reported by test_every_url_has_an_expectation
        kwargs = expect.kwargs(world) if expect.kwargs else world.default_kwargs(route.params)
        url = url_for(route, kwargs) + expect.query.format(slug=world.unit.slug)
        response = client.get(url)
        if not matches(expect.status[role], response):
            wrong.append(f"{url} as {role}: got {response.status_code}, expected {expect.status[role]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_unit_staff", "staff", "admin"])
def test_other_units_public_page_is_public_and_unknown_units_404(client, role):
    world = World()
    client.force_login(world.user(role))
    assert client.get(reverse("unit-public", kwargs={"slug": world.other_unit.slug})).status_code == 200
    assert client.get(reverse("unit-public", kwargs={"slug": "khong-co"})).status_code == 404


@pytest.mark.django_db
def test_api_accepts_a_token_and_refuses_a_wrong_one(client):
    from rest_framework.authtoken.models import Token

    world = World()
    token = Token.objects.create(user=world.staff)
    ok = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert ok.status_code == 200 and [u["slug"] for u in ok.json()["results"]] == [world.unit.slug]
    assert client.get("/api/v1/units/", HTTP_AUTHORIZATION="Token " + "0" * 40).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "staff", "principal", "office"])
def test_admin_site_is_for_administrators_only(client, role):
    world = World()
    user = world.user(role)
    if user:
        client.force_login(user)
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


@pytest.mark.django_db
def test_admin_site_opens_every_model_for_the_administrator(client):
    world = World()
    client.force_login(world.admin)
    wrong = [f"{url}: {r.status_code}" for url in admin_urls() if (r := client.get(url)).status_code != 200]
    assert not wrong, wrong


def admin_urls():
    yield reverse("admin:index")
    for model in admin.site._registry:
        opts = model._meta
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("anonymous", (401, 403)), ("other_unit_staff", (404,)),
                                                ("office", (403,)), ("staff", (200,))])
def test_api_actions_on_another_units_feedback_are_404_and_offices_cannot_write(client, role, expected):
    world = World()
    answered = world.feedback
    fresh = send_feedback(unit=world.unit)
    user = world.user(role)
    if user:
        client.force_login(user)
    response = client.post(f"/api/v1/feedback/{fresh.code}/actions/", {"action": "start"},
                           content_type="application/json")
    assert response.status_code in expected, response.content[:300]
    assert answered.code != fresh.code


@pytest.mark.django_db
def test_another_units_principal_gets_404_on_this_units_catalogue_and_dossiers(client):
    world = World()
    client.force_login(PrincipalFactory(unit=world.other_unit))
    assert client.get(reverse("dossiers:procedure-edit", kwargs={"pk": world.procedure.pk})).status_code == 404
    assert client.get(reverse("dossiers:detail", kwargs={"code": world.dossier.code})).status_code == 404
    assert client.post(f"/api/v1/dossiers/{world.dossier.code}/actions/", {"action": "start"},
                       content_type="application/json").status_code == 404
