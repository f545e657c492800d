"""Counting as the plan says: only timely apologies count for late dossiers (the late
ones beside them), and the SIPAS index per factor with its mean, the same in the API,
the dashboard and the Excel report."""
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from surveys.models import Questionnaire, Response
from tests.factories import (
    PrincipalFactory,
    ProcedureFactory,
    apologise_for_test,
    field,
    finish_dossier_for_test,
    receive_dossier,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
QUERY = {"from": "2026-03-01", "to": "2026-03-31"}
pytestmark = pytest.mark.django_db


def at(day, hour=9):
    return datetime.datetime(2026, 3, day, hour, tzinfo=VN)


@pytest.fixture
def principal():
    return PrincipalFactory()


def _late(unit, day, *, apology=None):
    dossier = receive_dossier(procedure=ProcedureFactory(unit=unit, processing_days=1), received_at=at(day))
    finish_dossier_for_test(dossier, completed_at=at(day + 5), timeliness="late")
    if apology is not None:
        apologise_for_test(dossier, timely=apology)
    return dossier


def _api(user, **query):
    client = APIClient()
    client.force_authenticate(user)
    return client.get("/api/v1/kpi/", {"unit": user.unit.slug, **QUERY, **query}).json()


def test_only_timely_apologies_count_for_late_dossiers(principal, client):
    unit = principal.unit
    timely = _late(unit, 2, apology=True)
    too_late = [_late(unit, 3, apology=False), _late(unit, 4, apology=False)]
    none = _late(unit, 5)
    row = next(r for r in _api(principal)["indicators"] if r["key"] == "late_apology_rate")
    assert (row["numerator"], row["denominator"], row["value"]) == (1, 4, 25.0)
    client.force_login(principal)
    page = client.get(reverse("kpi:dashboard"), {"unit": unit.slug, **QUERY})
    card = page.content.decode()
    assert 'data-testid="late-apology"' in card
    late_list = page.context["late_links"]["late_apology"]
    listed = client.get(late_list)
    assert listed.status_code == 200
    text = listed.content.decode()
    assert all(d.code in text for d in too_late)
    assert timely.code not in text and none.code not in text


def _answer(unit, day, **ratings):
    questionnaire = Questionnaire.objects.filter(unit=None).order_by("-version").first()
    return Response.objects.create(unit=unit, questionnaire=questionnaire, source="open", area=field("cham-soc-giao-duc"),
                                   submitted_at=at(day), **ratings)


def test_sipas_index_per_factor_and_their_mean_agree_in_api_dashboard_and_excel(principal, client):
    unit = principal.unit
    _answer(unit, 2, overall=5, access=5, procedure=4, staff=5, result=2, feedback_handling=5)
    _answer(unit, 3, overall=3, access=3, procedure=4, staff=5, result=5, feedback_handling=None)
    sipas = _api(principal)["sipas"]
    values = {r["key"]: r["value"] for r in sipas["factors"]}
    assert values == {"access": 50.0, "procedure": 100.0, "staff": 100.0, "result": 50.0, "feedback_handling": 100.0}
    assert sipas["overall"]["value"] == 50.0
    assert sipas["mean"] == 80.0
    assert sipas["factors"][4]["denominator"] == 1  # a factor left blank does not count

    client.force_login(principal)
    page = client.get(reverse("kpi:dashboard"), {"unit": unit.slug, **QUERY}).content.decode()
    assert 'data-testid="sipas-mean"' in page and "80" in page.split('data-testid="sipas-mean"')[1].split("</tr>")[0]

    response = client.get("/reports/kpi.xlsx", {"unit": unit.slug, **QUERY})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("Khảo sát"))
    cells = {row[0]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert cells["Chỉ số hài lòng — tiếp cận dịch vụ"] == pytest.approx(0.5)
    assert cells["Chỉ số hài lòng — trung bình 5 yếu tố (SIPAS)"] == pytest.approx(0.8)
