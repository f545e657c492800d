"""Supervision by date (docs/domain/supervision.md): an office sees and counts a unit only
for the days it supervised it; a period crossing the change is split between the offices."""
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from core import access
from core.models import Office, Supervision, Unit
from core.services import supervision_change
from dossiers import selectors as dossier_selectors
from tests.factories import (
    OfficeFactory,
    OfficeUserFactory,
    ProcedureFactory,
    UnitFactory,
    feedback_for_test,
    finish_dossier_for_test,
    receive_dossier,
    survey_response_for_test,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CHANGE = datetime.date(2025, 7, 1)
pytestmark = pytest.mark.django_db


def at(y, m, d, h=9):
    return datetime.datetime(y, m, d, h, tzinfo=VN)


@pytest.fixture
def moved():
    """A school supervised by the district office until 30/6/2025, by the ward from 1/7/2025,
    with one dossier, one feedback and one survey answer on each side of the change."""
    district, ward = OfficeFactory(name="Phòng Nội vụ Quận 1"), OfficeFactory(name="UBND phường Sài Gòn")
    unit = UnitFactory(office=district)
    supervision_change(unit=unit, office=ward, valid_from=CHANGE)
    procedure = ProcedureFactory(unit=unit, processing_days=5)
    before = receive_dossier(procedure=procedure, received_at=at(2025, 6, 20))
    after = receive_dossier(procedure=procedure, received_at=at(2025, 7, 10))
    finish_dossier_for_test(before, completed_at=at(2025, 6, 25), timeliness="on_time")
    finish_dossier_for_test(after, completed_at=at(2025, 7, 20), timeliness="late")
    feedback_for_test(unit=unit, received_at=at(2025, 6, 10))
    feedback_for_test(unit=unit, received_at=at(2025, 7, 11))
    feedback_for_test(unit=unit, received_at=at(2025, 7, 12))
    survey_response_for_test(unit=unit, overall=5, submitted_at=at(2025, 6, 3))
    survey_response_for_test(unit=unit, overall=2, submitted_at=at(2025, 8, 3))
    return {
        "unit": unit, "before": before, "after": after,
        "district": OfficeUserFactory(office=district), "ward": OfficeUserFactory(office=ward),
    }


def test_changing_the_office_keeps_the_history_and_the_current_office():
    district, ward = OfficeFactory(), OfficeFactory()
    unit = UnitFactory(office=district)
    supervision_change(unit=unit, office=ward, valid_from=CHANGE)
    rows = list(Supervision.objects.filter(unit=unit).values_list("office_id", "valid_from", "valid_to"))
    assert rows == [(district.pk, Supervision.FAR_PAST, datetime.date(2025, 6, 30)), (ward.pk, CHANGE, None)]
    assert Unit.objects.get(pk=unit.pk).office_id == ward.pk
    with pytest.raises(ValidationError):
        supervision_change(unit=unit, office=district, valid_from=datetime.date(2025, 1, 1))


def test_an_office_sees_a_units_dossiers_only_within_its_supervision_dates(moved, client):
    district, ward = moved["district"], moved["ward"]
    assert list(dossier_selectors.dossier_list(user=district).values_list("code", flat=True)) == [moved["before"].code]
    assert list(dossier_selectors.dossier_list(user=ward).values_list("code", flat=True)) == [moved["after"].code]
    client.force_login(district)
    assert client.get(reverse("dossiers:detail", args=[moved["before"].code])).status_code == 200
    assert client.get(reverse("dossiers:detail", args=[moved["after"].code])).status_code == 404
    api = APIClient()
    api.force_authenticate(ward)
    codes = [d["code"] for d in api.get("/api/v1/dossiers/").json()["results"]]
    assert codes == [moved["after"].code]
    # Both offices read the unit itself (its page, its catalogue).
    assert set(access.readable_units(district)) == set(access.readable_units(ward)) == {moved["unit"]}


def _kpi(user, **query):
    api = APIClient()
    api.force_authenticate(user)
    body = api.get("/api/v1/kpi/", {"from": "2025-01-01", "to": "2025-12-31", **query}).json()
    return {(r["key"], r["field"]): r for r in body["indicators"]}


@pytest.mark.parametrize("by_slug", [False, True])
def test_a_period_crossing_the_change_counts_each_part_for_the_right_office(moved, by_slug):
    query = {"unit": moved["unit"].slug} if by_slug else {}
    district, ward = _kpi(moved["district"], **query), _kpi(moved["ward"], **query)
    on_time = ("dossier_on_time_rate", None)
    assert (district[on_time]["numerator"], district[on_time]["denominator"]) == (1, 1)
    assert (ward[on_time]["numerator"], ward[on_time]["denominator"]) == (0, 1)
    received = ("feedback_answered_rate", None)
    assert district[received]["denominator"] == 1 and ward[received]["denominator"] == 2
    satisfaction = ("satisfaction_rate", None)
    assert (district[satisfaction]["numerator"], district[satisfaction]["denominator"]) == (1, 1)
    assert (ward[satisfaction]["numerator"], ward[satisfaction]["denominator"]) == (0, 1)


def test_a_period_wholly_after_the_change_is_nothing_for_the_former_office(moved):
    district = _kpi(moved["district"], **{"from": "2025-08-01", "to": "2025-12-31"})
    assert district[("dossier_on_time_rate", None)]["denominator"] == 0
    assert district[("satisfaction_rate", None)]["denominator"] == 0


def test_the_unit_itself_still_counts_the_whole_period(moved):
    from kpi import selectors
    from kpi.indicators import Period

    rows = selectors.indicator_rows(units=Unit.objects.filter(pk=moved["unit"].pk),
                                    period=Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
    on_time = next(r for r in rows if r["key"] == "dossier_on_time_rate" and r["field"] is None)
    assert (on_time["numerator"], on_time["denominator"]) == (1, 2)


def test_the_office_comparison_splits_too(moved, client):
    from kpi import selectors
    from kpi.indicators import Period

    period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    for user, expected in ((moved["district"], (1, 1)), (moved["ward"], (0, 1))):
        [entry] = selectors.unit_comparison(units=access.readable_units(user), period=period)
        row = entry["rows"]["dossier_on_time_rate"]
        assert (row["numerator"], row["denominator"]) == expected


def test_the_comparison_page_lists_the_units_an_office_supervised_during_the_period(moved, client):
    """The district handed the school over on 1/7/2025: its comparison of 2025 still lists the
    school (half a year of it is the district's), its comparison of 2026 lists none and says so
    instead of a row of zeros; the ward's lists the school in both."""
    other = UnitFactory(office=moved["district"].office, name="Trường mầm non Hoa Sen")  # never handed over

    def listed(user, start, end):
        client.force_login(user)
        html = client.get("/kpi/", {"from": start, "to": end}).content.decode()
        return sorted(re.findall(r'data-testid="unit-row" data-unit="([^"]+)"', html)), html

    both = sorted([moved["unit"].slug, other.slug])
    assert listed(moved["district"], "2025-01-01", "2025-12-31")[0] == both
    assert listed(moved["district"], "2026-01-01", "2026-06-30")[0] == [other.slug]
    assert listed(moved["ward"], "2026-01-01", "2026-06-30")[0] == [moved["unit"].slug]
    other.delete()
    units, html = listed(moved["district"], "2026-01-01", "2026-06-30")
    assert units == [] and "Trong kỳ này, Phòng Nội vụ Quận 1 không quản lý đơn vị nào." in html
    assert 'data-testid="missing-summary"' not in html  # no "units without targets" for units not its own


def test_existing_links_are_carried_over_from_the_far_past():
    from importlib import import_module

    from django.apps import apps

    office = Office.objects.create(name="Phòng", code="p")
    unit = Unit.objects.create(office=office, slug="s", code="C", name="Trường")
    Supervision.objects.all().delete()  # as before the migration
    import_module("core.migrations.0007_supervision_by_date").carry_over(apps, None)
    [row] = Supervision.objects.filter(unit=unit)
    assert (row.office_id, row.valid_from, row.valid_to) == (office.pk, Supervision.FAR_PAST, None)


def test_the_feedback_inbox_and_survey_results_follow_the_supervision_dates(moved, client):
    client.force_login(moved["ward"])
    inbox = client.get(reverse("feedback:inbox"), {"unit": moved["unit"].slug})
    assert inbox.status_code == 200
    assert inbox.context["counts"]["total"] == 2
    results = client.get(reverse("surveys:results"), {"unit": moved["unit"].slug, "year": 2025})
    assert results.context["summary"]["responses"] == 1
    client.force_login(moved["district"])
    assert client.get(reverse("feedback:inbox"), {"unit": moved["unit"].slug}).context["counts"]["total"] == 1
    summary = client.get(reverse("surveys:results"), {"unit": moved["unit"].slug, "year": 2025}).context["summary"]
    assert (summary["responses"], summary["satisfied"]) == (1, 1)


def test_the_administrator_moves_a_unit_through_the_supervision_admin(client):
    from tests.factories import UserFactory

    district, ward = OfficeFactory(), OfficeFactory()
    unit = UnitFactory(office=district)
    client.force_login(UserFactory(role="admin", unit=None, is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:core_supervision_add"),
                           {"unit": unit.pk, "office": ward.pk, "valid_from": "2025-07-01"})
    assert response.status_code == 302
    rows = list(Supervision.objects.filter(unit=unit).order_by("valid_from").values_list("office_id", "valid_to"))
    assert rows == [(district.pk, datetime.date(2025, 6, 30)), (ward.pk, None)]
    assert Unit.objects.get(pk=unit.pk).office_id == ward.pk


def test_a_dossier_handled_across_the_change_is_seen_by_both_offices(client):
    """Received under the district, completed under the ward: the ward counts it (by its
    completion) and can open it; the district can too (it received it)."""
    district, ward = OfficeFactory(), OfficeFactory()
    unit = UnitFactory(office=district)
    supervision_change(unit=unit, office=ward, valid_from=CHANGE)
    dossier = receive_dossier(procedure=ProcedureFactory(unit=unit), received_at=at(2025, 6, 27))
    finish_dossier_for_test(dossier, completed_at=at(2025, 7, 3), timeliness="on_time")
    still_open = receive_dossier(procedure=ProcedureFactory(unit=unit), received_at=at(2025, 6, 28))
    for office in (district, ward):
        user = OfficeUserFactory(office=office)
        codes = set(dossier_selectors.dossier_list(user=user).values_list("code", flat=True))
        assert codes == {dossier.code, still_open.code}
    ward_kpi = _kpi(OfficeUserFactory(office=ward))
    assert ward_kpi[("dossier_on_time_rate", None)]["denominator"] == 1
    assert _kpi(OfficeUserFactory(office=district))[("dossier_on_time_rate", None)]["denominator"] == 0


def test_the_scorecard_splits_a_period_crossing_the_change_like_the_indicators(moved):
    """Progress on the national scorecard counts each dossier for the office that supervised
    the unit then (it used to count every dossier of the unit for both offices)."""
    api = APIClient()
    cards = {}
    for who in ("district", "ward"):
        api.force_authenticate(moved[who])
        body = api.get("/api/v1/kpi/scorecard/", {"from": "2025-01-01", "to": "2025-12-31"}).json()
        cards[who] = {c["key"]: c for g in body["groups"] for c in g["criteria"]}
    assert (cards["district"]["dossiers_on_time"]["numerator"], cards["district"]["dossiers_on_time"]["denominator"]) == (1, 1)
    assert (cards["ward"]["dossiers_on_time"]["numerator"], cards["ward"]["dossiers_on_time"]["denominator"]) == (0, 1)


def test_an_office_expects_reports_only_from_the_units_it_supervised_in_the_period(moved, client):
    """Quarter I of 2026 runs from 15/12/2025: the district handed the school over on 1/7/2025,
    so its list of the quarter's reports is empty; the ward's lists the school. Quarter II of
    2025 (15/3–14/6/2025) is still the district's."""
    def statuses(who, **period):
        client.force_login(moved[who])
        html = client.get("/kpi/reports/office/", {"kind": "quarter", **period}).content.decode()
        return re.findall(r'data-testid="unit-([^"]+)" data-status="([a-z]+)"', html)

    slug = moved["unit"].slug
    assert statuses("district", year=2026, quarter=1) == []
    assert statuses("ward", year=2026, quarter=1) == [(slug, "waiting")]
    assert statuses("district", year=2025, quarter=2) == [(slug, "waiting")]
    assert statuses("ward", year=2025, quarter=2) == []


def test_an_offices_targets_for_a_period_are_those_of_the_units_it_supervised_then(moved):
    from kpi.services import plan_create

    plan_create(unit=moved["unit"], year=2026)
    query = {"from": "2026-01-01", "to": "2026-06-30"}
    assert _kpi(moved["ward"], **query)[("dossier_on_time_rate", None)]["target"] is not None
    assert _kpi(moved["district"], **query)[("dossier_on_time_rate", None)]["target"] is None


def test_each_units_scorecard_on_an_office_page_counts_only_that_offices_days(moved):
    """The side-by-side scorecards of an office's page (one per unit) split a period crossing the
    change as the office's own scorecard does."""
    from kpi.indicators import Period
    from kpi.scorecard import office_scorecards

    period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    for who, expected in (("district", (1, 1)), ("ward", (0, 1))):
        [entry] = office_scorecards(units=access.readable_units(moved[who]), period=period)
        card = {c["key"]: c for g in entry["card"]["groups"] for c in g["criteria"]}
        assert (card["dossiers_on_time"]["numerator"], card["dossiers_on_time"]["denominator"]) == expected
    later = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert office_scorecards(units=access.readable_units(moved["district"]), period=later) == []
    # The office's own scorecard of that later period counts no procedure of the school either.
    api = APIClient()
    for who, active in (("district", 0), ("ward", 1)):
        api.force_authenticate(moved[who])
        body = api.get("/api/v1/kpi/scorecard/", {"from": "2026-01-01", "to": "2026-06-30"}).json()
        card = {c["key"]: c for g in body["groups"] for c in g["criteria"]}
        assert card["procedures_published"]["denominator"] == active


def test_units_taken_over_on_the_same_day_share_one_condition():
    """The province takes over every school on one day: its scope is one `unit = ANY(ids)`
    term per window, not a term per school (a thousand ORed terms took the province's
    register 10 s), and it still reads each unit within its own days."""
    province, ward = OfficeFactory(), OfficeFactory()
    together = [UnitFactory(office=ward) for _ in range(3)]
    later = UnitFactory(office=ward)
    for unit in together:
        supervision_change(unit=unit, office=province, valid_from=CHANGE)
    supervision_change(unit=later, office=province, valid_from=datetime.date(2025, 9, 1))
    august = {}
    for unit in [*together, later]:
        procedure = ProcedureFactory(unit=unit)
        august[unit] = receive_dossier(procedure=procedure, received_at=at(2025, 8, 5))
        finish_dossier_for_test(august[unit], completed_at=at(2025, 8, 20), timeliness="on_time")
        june = receive_dossier(procedure=procedure, received_at=at(2025, 6, 5))  # the ward's
        finish_dossier_for_test(june, completed_at=at(2025, 6, 20), timeliness="on_time")
    queryset = dossier_selectors.dossier_list(user=OfficeUserFactory(office=province))
    assert str(queryset.query).count('"unit_id" = ANY(') == 2  # two windows, two terms
    # August's dossiers of the three, not the fourth's (received and completed before 1/9)
    assert set(queryset.values_list("code", flat=True)) == {august[unit].code for unit in together}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_offices_register_is_counted_from_one_index():
    """The count under a province's register (760,000 dossiers on the bench city) reads the
    index of dossiers by unit and receipt, which carries the completion time and the status,
    instead of every row of the table (dossiers/migrations/0012). Committed and vacuumed, as a
    real table is, so that the planner knows the rows are visible without the table; with the
    old index every plan reads the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    province = OfficeFactory()
    for _ in range(2):
        unit = UnitFactory()
        supervision_change(unit=unit, office=province, valid_from=CHANGE)
        receive_dossier(procedure=ProcedureFactory(unit=unit), received_at=at(2025, 8, 5))
    queryset = dossier_selectors.dossier_list(user=OfficeUserFactory(office=province))
    with CaptureQueriesContext(connection) as captured:
        assert queryset.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) dossiers_dossier")  # outside a transaction: autocommit
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute(f"EXPLAIN {captured[-1]['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    assert "Index Only Scan using dossier_unit_received_cov" in plan, plan
