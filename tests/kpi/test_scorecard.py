"""The online-service indicators (docs/kpi/online-services.md): online, end to end,
electronic results, digitised components, satisfaction with feedback answers — the same
numbers in the API, the dashboard and the Excel report, with targets in the plan."""
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dossiers.models import Document
from feedback.services import feedback_rate
from kpi.models import Target
from kpi.services import plan_create, plan_update
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    UnitFactory,
    answered_feedback,
    finish_dossier_for_test,
    receive_dossier,
    send_feedback,
)
from tests.kpi.test_reports_agree import excel_rows

VN = ZoneInfo("Asia/Ho_Chi_Minh")
QUERY = {"from": "2026-03-01", "to": "2026-03-31"}
KEYS = ("online_submission_rate", "end_to_end_rate", "e_result_rate", "digitised_rate", "feedback_satisfaction_rate")
SCANNED = [{"name": "Đơn đề nghị", "kind": "original", "count": 1, "digitised": True}]
PAPER = [{"name": "Đơn đề nghị", "kind": "original", "count": 1}]


def at(month, day):
    return datetime.datetime(2026, month, day, 9, tzinfo=VN)


def issue_result_for_test(dossier):
    """TEST ONLY: an electronic result (the signing helper builds the real one)."""
    return Document.objects.create(
        dossier=dossier, unit=dossier.unit, kind=Document.Kind.RESULT, form="KQ", code=f"{dossier.code}-KQ1",
        title="Kết quả giải quyết", file="documents/2026/03/kq.pdf", sha256="0" * 64,
    )


@pytest.fixture
def unit(outbox_tasks):
    unit = UnitFactory(slug="mn-scorecard")
    plan_create(unit=unit, year=2026)
    full = ProcedureFactory(unit=unit, online="full")
    partial = ProcedureFactory(unit=unit, online="partial")
    # received in March: online end to end and scanned, completed with an electronic result
    a = receive_dossier(procedure=full, received_at=at(3, 2), channel="online", documents=SCANNED)
    issue_result_for_test(finish_dossier_for_test(a, completed_at=at(3, 5), timeliness="early"))
    # online, partly: paper components, completed on paper
    b = receive_dossier(procedure=partial, received_at=at(3, 3), channel="online", documents=PAPER)
    finish_dossier_for_test(b, completed_at=at(3, 6), timeliness="early")
    # at the desk, scanned, still open
    receive_dossier(procedure=partial, received_at=at(3, 4), documents=SCANNED)
    # received in February, completed in March with an electronic result
    d = receive_dossier(procedure=partial, received_at=at(2, 20), channel="online", documents=SCANNED)
    issue_result_for_test(finish_dossier_for_test(d, completed_at=at(3, 2), timeliness="on_time"))
    # feedback received in March, answers rated 5, 4 and 2; one answer not rated; one from April
    for score in (5, 4, 2):
        feedback_rate(feedback=answered_feedback(unit=unit, received_at=at(3, 10)), score=score)
    answered_feedback(unit=unit, received_at=at(3, 11))
    feedback_rate(feedback=answered_feedback(unit=unit, received_at=at(4, 1)), score=1)
    send_feedback(unit=unit, received_at=at(3, 12))
    return unit


EXPECTED = {
    "online_submission_rate": (2, 3, 66.67),
    "end_to_end_rate": (1, 3, 33.33),
    "e_result_rate": (2, 3, 66.67),
    "digitised_rate": (2, 3, 66.67),
    "feedback_satisfaction_rate": (2, 3, 66.67),
}


@pytest.mark.django_db
def test_api_dashboard_and_excel_agree_on_the_online_service_indicators(client, unit):
    client.force_login(PrincipalFactory(unit=unit))
    api = {r["key"]: r for r in client.get("/api/v1/kpi/", {**QUERY, "unit": unit.slug}).json()["indicators"] if r["field"] is None}
    for key, (numerator, denominator, value) in EXPECTED.items():
        assert (api[key]["numerator"], api[key]["denominator"], api[key]["value"]) == (numerator, denominator, value), key
    assert (api["online_submission_rate"]["target"], api["online_submission_rate"]["met"]) == (50.0, True)
    assert (api["e_result_rate"]["target"], api["e_result_rate"]["met"]) == (100.0, False)
    assert api["feedback_satisfaction_rate"]["target"] == 90.0

    page = client.get("/kpi/", QUERY)
    cards = {row["key"]: row for row in page.context["cards"]}
    html = page.content.decode()
    for key in KEYS:
        assert (cards[key]["numerator"], cards[key]["denominator"], cards[key]["value"]) == EXPECTED[key]
        assert f'data-testid="kpi-card-{key}"' in html

    _book, rows = excel_rows(b"".join(client.get("/reports/kpi.xlsx", QUERY).streaming_content))
    for key in KEYS:
        x = rows[(key, None)]
        assert (x[4], x[5], round(x[3] * 100, 2), round(x[2] * 100, 2)) == (
            api[key]["numerator"], api[key]["denominator"], api[key]["value"], api[key]["target"]), key


@pytest.mark.django_db
def test_an_office_sees_the_same_numbers_per_unit(client, unit):
    client.force_login(OfficeUserFactory(office=unit.office))
    page = client.get("/kpi/", QUERY)
    (entry,) = [e for e in page.context["comparison"] if e["unit"] == unit]
    for key, (numerator, denominator, value) in EXPECTED.items():
        assert (entry["rows"][key]["numerator"], entry["rows"][key]["denominator"], entry["rows"][key]["value"]) == (
            numerator, denominator, value)
    api = {r["key"]: r for r in client.get("/api/v1/kpi/", QUERY).json()["indicators"] if r["field"] is None}
    assert all((api[k]["numerator"], api[k]["denominator"]) == EXPECTED[k][:2] for k in KEYS)


@pytest.mark.django_db
def test_the_denominator_links_open_exactly_the_dossiers_counted(client, unit):
    client.force_login(PrincipalFactory(unit=unit))
    rows = {r["key"]: r for r in client.get("/kpi/", QUERY).context["cards"]}
    received = client.get(rows["online_submission_rate"]["links"]["denominator"])
    assert f'data-testid="result-count">{EXPECTED["online_submission_rate"][1]}<' in received.content.decode()
    completed = client.get(rows["e_result_rate"]["links"]["denominator"])
    assert f'data-testid="result-count">{EXPECTED["e_result_rate"][1]}<' in completed.content.decode()


@pytest.mark.django_db
def test_the_targets_are_in_the_plan_and_editable(client, unit):
    plan = unit.plans.get(year=2026)
    defaults = dict(Target.objects.filter(plan=plan, key__in=KEYS).values_list("key", "value"))
    assert defaults == {"online_submission_rate": Decimal(50), "end_to_end_rate": Decimal(50), "e_result_rate": Decimal(100),
                        "digitised_rate": Decimal(100), "feedback_satisfaction_rate": Decimal(90)}
    plan_update(plan=plan, number=plan.number, title=plan.title, targets={("end_to_end_rate", ""): Decimal("30")})
    client.force_login(PrincipalFactory(unit=unit))
    html = client.get("/kpi/plan/", {"year": 2026}).content.decode()
    assert 'name="t__end_to_end_rate__"' in html and 'name="t__feedback_satisfaction_rate__"' in html
    api = {r["key"]: r for r in client.get("/api/v1/kpi/", {**QUERY, "unit": unit.slug}).json()["indicators"]}
    assert (api["end_to_end_rate"]["target"], api["end_to_end_rate"]["met"]) == (30.0, True)
