"""Units and offices listed by name in the order Vietnamese readers expect: the Vietnamese
alphabet (accented first letters and Đ in their places, not after Z as in the database's C
order) and numbers by value (docs/decisions/vietnamese-order.md)."""
import datetime

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Office, Unit
from kpi import selectors
from kpi.indicators import Period
from tests.factories import OfficeFactory, OfficeUserFactory, UnitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the ICU collation is PostgreSQL's"),
]

# As a reader of Vietnamese orders them; the database's C order would give
# "Bé Ngoan, Dạ Lan, số 10, số 2, Ánh Dương, Đồng Xanh".
EXPECTED = [
    "Trường Mầm non Ánh Dương",
    "Trường Mầm non Bé Ngoan",
    "Trường Mầm non Dạ Lan",
    "Trường Mầm non Đồng Xanh",
    "Trường Mầm non số 2",
    "Trường Mầm non số 10",
]


@pytest.fixture
def office():
    office = OfficeFactory(name="Phòng Giáo dục và Đào tạo")
    for name in ["Trường Mầm non số 10", "Trường Mầm non Đồng Xanh", "Trường Mầm non Bé Ngoan",
                 "Trường Mầm non số 2", "Trường Mầm non Ánh Dương", "Trường Mầm non Dạ Lan"]:
        UnitFactory(office=office, name=name)
    return office


def test_units_and_offices_are_listed_in_vietnamese_order(office):
    assert list(Unit.objects.values_list("name", flat=True)) == EXPECTED
    OfficeFactory(name="Ủy ban nhân dân phường Bến Thành")
    OfficeFactory(name="Sở Giáo dục và Đào tạo")
    assert list(Office.objects.values_list("name", flat=True)) == [
        "Phòng Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo", "Ủy ban nhân dân phường Bến Thành"]


def test_the_office_comparison_lists_its_units_in_vietnamese_order_both_ways(client, office):
    client.force_login(OfficeUserFactory(office=office))
    for direction, expected in (("asc", EXPECTED), ("desc", EXPECTED[::-1])):
        html = client.get("/kpi/", {"sort": "name", "dir": direction}).content.decode()
        positions = [html.index(f">{name}<") for name in expected]
        assert positions == sorted(positions), direction


def test_the_comparison_behind_the_excel_sheet_and_the_api_follow_the_same_order(office):
    today = timezone.localdate()
    period = Period(datetime.date(today.year, 1, 1), today)
    rows = selectors.unit_comparison(units=Unit.objects.supervised_by(office.pk), period=period)
    assert [row["unit"].name for row in rows] == EXPECTED
    api = APIClient()
    api.force_authenticate(OfficeUserFactory(office=office))
    body = api.get("/api/v1/units/").json()
    assert [u["name"] for u in body["results"]] == EXPECTED


def test_the_office_report_overview_and_scorecards_follow_the_same_order(office):
    from kpi import report_selectors, scorecard

    units = Unit.objects.supervised_by(office.pk)
    today = timezone.localdate()
    _, rows = report_selectors.period_overview(office=office, units=units, kind="quarter", year=today.year,
                                               quarter=1, today=today)
    assert [row.unit.name for row in rows] == EXPECTED
    cards = scorecard.office_scorecards(units=units, period=Period(datetime.date(today.year, 1, 1), today))
    assert [entry["unit"].name for entry in cards] == EXPECTED
