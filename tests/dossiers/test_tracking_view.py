"""The public tracking page reads everything it shows in one query (dossiers.selectors.
tracking_view, issue 15): the same dossier, apology, results and steps as the ORM reads
they replaced, and no session, no session cookie, for the parent who opens the QR link."""
import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from dossiers import selectors
from dossiers.models import DossierEvent
from dossiers.services import result_issue
from tests.factories import StaffFactory, apologise_for_test, dossier_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def completed():
    """A completed dossier with an apology, an internal warning, and a result issued twice."""
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng", unit__phone="028 3822 1234")
    dossier = dossier_in("completed", unit=staff.unit, actor=staff, applicant_name="Phạm Thị Thu",
                         applicant_phone="0908 765 432")
    apologise_for_test(dossier)
    DossierEvent.objects.create(dossier=dossier, action="apology_warning",
                                at=dossier.received_at + datetime.timedelta(minutes=30), note="due in one working day")
    result_issue(dossier=dossier, file_bytes=PDF, actor=staff)
    result_issue(dossier=dossier, file_bytes=PDF + b"% changed\n", actor=staff)
    return dossier


def _orm_reading(dossier):
    """What the page read through the ORM before (three queries)."""
    found = selectors.tracked_dossier(code=dossier.code, secret=dossier.tracking_secret)
    steps = DossierEvent.objects.filter(dossier=found).exclude(action__in=["apology_warning"]).order_by("at", "id")
    return {
        "code": found.code, "status": found.status, "received_at": found.received_at, "due_date": found.due_date,
        "completed_at": found.completed_at, "returned_at": found.returned_at, "survey_token": found.survey_token,
        "survey_answered_at": found.survey_answered_at, "unit_name": found.unit.name, "unit_phone": found.unit.phone,
        "procedure_name": found.procedure.name, "new_due_date": found.apology.new_due_date,
        "result_codes": tuple(d.code for d in selectors.dossier_results(dossier=found)),
        "steps": [(e.at, e.action, e.label) for e in steps],
    }


def test_the_one_query_reads_what_the_orm_read(completed):
    view = selectors.tracking_view(code=completed.code, secret=completed.tracking_secret)
    expected = _orm_reading(completed)
    assert {key: getattr(view, key) for key in expected if key != "steps"} == {
        key: value for key, value in expected.items() if key != "steps"}
    assert [(s.at, s.action, s.label) for s in view.steps] == expected["steps"]
    assert [s.action for s in view.steps] == ["receive", "start", "complete", "issue_result", "issue_result"]
    assert view.result_codes == (f"{completed.code}-KQ1", f"{completed.code}-KQ2")
    assert view.steps[0].at.tzinfo is not None and view.applicant_initials == "P.T.T."
    assert not hasattr(view, "applicant_phone") and not hasattr(view, "tracking_secret")


def test_the_prepared_statement_and_the_plain_one_read_the_same(completed, settings):
    """The statement is prepared once per connection (core/db.py); with the setting off it
    is sent as text, and both readings are the same for the rows it reads, many times over
    (PostgreSQL switches to a generic plan after five executions)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    readings = []
    for prepared in (True, False):
        settings.DATABASE_PREPARED_STATEMENTS = prepared
        with CaptureQueriesContext(connection) as context:
            readings.append([selectors.tracking_view(code=completed.code, secret=completed.tracking_secret)
                             for _ in range(7)])
        assert all(q["sql"].startswith("EXECUTE ") == (prepared and connection.vendor == "postgresql")
                   for q in context.captured_queries)
    assert readings[0] == readings[1] and readings[0][0] == readings[0][-1]
    assert readings[0][0].result_codes == (f"{completed.code}-KQ1", f"{completed.code}-KQ2")


def test_the_same_rule_for_who_may_see_it(completed):
    assert selectors.tracking_view(code=f"  {completed.code} ", phone_last4="5432").code == completed.code
    for wrong in ({"secret": "guess"}, {"phone_last4": "1111"}, {"phone_last4": "432"}, {}):
        assert selectors.tracking_view(code=completed.code, **wrong) is None
    assert selectors.tracking_view(code="000.00.00.H29-000000-0000", secret=completed.tracking_secret) is None


def test_a_dossier_with_no_step_apology_or_result(client):
    dossier = dossier_in("received")
    view = selectors.tracking_view(code=dossier.code, secret=dossier.tracking_secret)
    assert view.new_due_date is None and view.result_codes == () and [s.action for s in view.steps] == ["receive"]


def test_the_qr_link_takes_one_query_and_shows_everything(client, completed, django_assert_num_queries):
    url = reverse("dossiers:track-detail", args=[completed.code])
    with django_assert_num_queries(1):
        response = client.get(url, {"s": completed.tracking_secret})
    html = response.content.decode()
    assert response.status_code == 200 and "P.T.T." in html and "Phạm Thị Thu" not in html
    assert completed.apology.new_due_date.strftime("%d/%m/%Y") in html
    assert f"/track/{completed.code}/results/{completed.code}-KQ2/?s=" in html
    assert "tel:028 3822 1234" in html and "Tuổi Hồng" in html
    assert html.count('<li><div class="small text-muted">') == 5  # every step but the internal warning


def test_a_public_page_sets_no_session_cookie(client, completed):
    for response in (
        client.get(reverse("dossiers:track-detail", args=[completed.code]), {"s": completed.tracking_secret}),
        client.post(reverse("dossiers:track"), {"code": completed.code, "phone": "5432"}),
    ):
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert not response.wsgi_request.session.accessed  # not even read
