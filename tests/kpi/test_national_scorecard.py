"""The national scorecard (Quyết định 766/QĐ-TTg): the groups and points of the decision,
what the portal measures scored from its records (each number a link that lists them),
what it cannot know marked as such."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Document, Dossier
from kpi.services import plan_create
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    UnitFactory,
    feedback_for_test,
    field,
    finish_dossier_for_test,
    receive_dossier,
)
from tests.kpi.test_drilldown import result_count

VN = ZoneInfo("Asia/Ho_Chi_Minh")
QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


def at(day):
    return datetime.datetime(2026, 3, day, 9, tzinfo=VN)


@pytest.fixture
def unit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = UnitFactory()
    plan_create(unit=unit, year=2026)
    desk = ProcedureFactory(unit=unit, field=field("xac-nhan"), legal_basis="Thông tư 01/2018", fee="Không")
    online = ProcedureFactory(unit=unit, field=field("tuyen-sinh"), online="full")
    early = finish_dossier_for_test(receive_dossier(procedure=desk, received_at=at(2)), completed_at=at(3), timeliness="early")
    finish_dossier_for_test(receive_dossier(procedure=online, received_at=at(2)), completed_at=at(20), timeliness="late")
    for dossier in Dossier.objects.filter(unit=unit, procedure=online):  # save(): the KPI rollup recounts
        dossier.channel = Dossier.Channel.ONLINE
        dossier.save(update_fields=["channel"])
    receive_dossier(procedure=desk, received_at=at(3))  # open, due in March: overdue by now
    Document.objects.create(dossier=early, unit=unit, kind=Document.Kind.RESULT, form="KQ", code=f"{early.code}-KQ1",
                            title="Giấy xác nhận", file=SimpleUploadedFile("kq.pdf", b"%PDF-1.4"), sha256="0" * 64)
    feedback_for_test(unit=unit, received_at=at(4), answered_at=at(5))
    feedback_for_test(unit=unit, received_at=at(6))
    return unit


def criteria(card):
    return {c["key"]: c for g in card["groups"] for c in g["criteria"]}


@pytest.mark.django_db
def test_scorecard_has_the_decisions_groups_and_scores_what_the_records_show(client, unit):
    client.force_login(PrincipalFactory(unit=unit))
    card = client.get("/api/v1/kpi/scorecard/", {**QUERY, "unit": unit.slug}).json()
    assert [(g["key"], g["points"]) for g in card["groups"]] == [
        ("publicity", 18), ("progress", 20), ("online", 22), ("digitisation", 22), ("satisfaction", 18)]
    assert card["points"] == 100
    c = criteria(card)
    # the overdue open dossier counts against progress, as the decision counts it
    assert (c["dossiers_on_time"]["numerator"], c["dossiers_on_time"]["denominator"]) == (1, 3)
    assert c["dossiers_on_time"]["score"] == round(20 * 33.33 / 100, 2)
    assert (c["dossiers_online"]["numerator"], c["dossiers_online"]["denominator"]) == (1, 3)
    assert (c["procedures_online"]["numerator"], c["procedures_online"]["denominator"]) == (1, 2)
    assert (c["online_services_used"]["numerator"], c["online_services_used"]["denominator"]) == (1, 1)
    assert (c["e_results"]["numerator"], c["e_results"]["denominator"]) == (1, 2)
    assert (c["feedback_on_time"]["numerator"], c["feedback_on_time"]["denominator"]) == (1, 2)
    assert (c["procedures_complete"]["numerator"], c["procedures_complete"]["denominator"]) == (1, 2)
    # digitisation at intake is known since dossiers record their digitised components
    assert c["dossiers_digitised"]["known"]
    assert c["dossiers_digitised"]["denominator"] == c["dossiers_online"]["denominator"]
    for unknown in ("procedures_published_on_time", "dossiers_synced", "procedures_paid_online", "data_reused"):
        assert not c[unknown]["known"] and c[unknown]["rate"] is None and c[unknown]["score"] is None
    assert c["payments_online"]["rate"] is None and c["payments_online"]["score"] is None  # no figure entered
    assert card["score"] == round(sum(x["score"] or 0 for x in c.values()), 2)
    assert card["known_points"] < 100


@pytest.mark.django_db
def test_every_scorecard_number_opens_the_records_behind_it(client, unit):
    client.force_login(OfficeUserFactory(office=unit.office))
    page = client.get("/kpi/scorecard/", {**QUERY, "unit": unit.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="criterion-dossiers_synced" data-known="0"' in html and "cổng không có dữ liệu" in html
    card = page.context["card"]
    c = criteria(card)
    for key in ("dossiers_on_time", "dossiers_online", "e_results"):
        for side in ("numerator", "denominator"):
            url = c[key]["links"][side]
            assert f'href="{url.replace("&", "&amp;")}"' in html
            assert result_count(client.get(url).content.decode()) == c[key][side], (key, side)


@pytest.mark.django_db
def test_office_sees_its_units_side_by_side(client, unit):
    UnitFactory(office=unit.office)
    client.force_login(OfficeUserFactory(office=unit.office))
    page = client.get("/kpi/scorecard/", QUERY)
    assert page.status_code == 200 and len(page.context["per_unit"]) == 2
    assert 'data-testid="scorecard-units"' in page.content.decode()


@pytest.mark.django_db
def test_a_province_sees_its_units_side_by_side_fifty_to_a_page(client, unit):
    """A province supervises a thousand schools: the table shows fifty, in Vietnamese order, says
    which of how many, and its pages keep the period; the office's own total counts them all."""
    for i in range(50):
        UnitFactory(office=unit.office, name=f"Trường mầm non Z {i:02d}")
    client.force_login(OfficeUserFactory(office=unit.office))
    first = client.get("/kpi/scorecard/", QUERY)
    html = first.content.decode()
    assert [e["unit"] for e in first.context["per_unit"]][0] == unit and len(first.context["per_unit"]) == 50
    assert "Đơn vị 1–50 trên tổng số 51" in html and 'href="?from=2026-03-01&amp;to=2026-03-31&amp;page=2"' in html
    second = client.get("/kpi/scorecard/", {**QUERY, "page": 2})
    assert [e["unit"].name for e in second.context["per_unit"]] == ["Trường mầm non Z 49"]
    # the total above the table is the office's, every unit together, on either page
    assert criteria(second.context["card"])["dossiers_on_time"]["denominator"] == 3


@pytest.mark.django_db
def test_an_office_ranks_its_units_by_score_across_pages(client, unit):
    """Sorted by score, every unit is scored and ranked, highest first (lowest with dir=asc);
    the pages keep the sort, and equal scores keep the units' name order."""
    for i in range(50):
        UnitFactory(office=unit.office, name=f"Trường mầm non A {i:02d}")  # before ``unit`` by name, no records
    client.force_login(OfficeUserFactory(office=unit.office))
    by_name = client.get("/kpi/scorecard/", QUERY).context["per_unit"]
    assert unit not in [e["unit"] for e in by_name]  # 51st by name: on page 2
    best = client.get("/kpi/scorecard/", {**QUERY, "sort": "score"})
    ranked = best.context["per_unit"]
    assert ranked[0]["unit"] == unit and ranked[0]["card"]["score"] > 0
    assert [e["unit"].name for e in ranked[1:3]] == ["Trường mầm non A 00", "Trường mầm non A 01"]
    html = best.content.decode()
    assert 'aria-sort="descending"' in html and "sort=score&amp;dir=asc" in html
    assert 'href="?from=2026-03-01&amp;to=2026-03-31&amp;sort=score&amp;page=2"' in html
    last = client.get("/kpi/scorecard/", {**QUERY, "sort": "score", "dir": "asc", "page": 2}).context["per_unit"]
    assert [e["unit"] for e in last] == [unit]


@pytest.mark.django_db
def test_each_units_card_on_the_office_page_is_its_own_scorecard_in_a_fixed_number_of_queries(unit):
    """The side-by-side cards are computed for every unit at once from counts grouped by unit;
    each must equal the scorecard of that unit within the office's scope, and the number of
    queries must not grow with the number of units (a province has a thousand)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import access
    from kpi.indicators import Period
    from kpi.scorecard import office_scorecards, scorecard

    other = UnitFactory(office=unit.office)
    procedure = ProcedureFactory(unit=other, field=field("tuyen-sinh"), online="full", legal_basis="Luật", fee="Không")
    finish_dossier_for_test(receive_dossier(procedure=procedure, received_at=at(9)), completed_at=at(10),
                            timeliness="on_time")
    feedback_for_test(unit=other, received_at=at(11), answered_at=at(12))
    UnitFactory(office=unit.office)  # nothing at all: every criterion without records
    office = OfficeUserFactory(office=unit.office)
    period = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    scope = access.readable_units(office)

    cards = office_scorecards(units=scope, period=period)
    assert len(cards) == 3
    for entry in cards:
        alone = scorecard(units=scope.filter(pk=entry["unit"].pk), period=period, unit=entry["unit"])
        for group in alone["groups"]:  # the table links each unit to its page, not each number
            for criterion in group["criteria"]:
                criterion["links"] = {}
        assert entry["card"] == alone, entry["unit"].name
    assert criteria(next(e for e in cards if e["unit"] == unit)["card"])["dossiers_on_time"]["denominator"] == 3

    with CaptureQueriesContext(connection) as three:
        office_scorecards(units=scope, period=period)
    for _ in range(4):
        UnitFactory(office=unit.office)
    with CaptureQueriesContext(connection) as seven:
        assert len(office_scorecards(units=scope, period=period)) == 7
    assert len(seven.captured_queries) == len(three.captured_queries)


@pytest.mark.postgres
@pytest.mark.django_db
def test_online_services_used_reads_the_index_of_online_dossiers(unit):
    """Whether an online service was used is asked per procedure of the online dossiers received
    in the period; without an index for it a province's scorecard spent 0.3 s compiling the
    query (docs/legal/scorecard.md)."""
    from dossiers.models import Procedure
    from kpi.indicators import Period
    from kpi.scorecard import _procedure_counts
    from tests.plans import queryset_plan

    period = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    queryset = Procedure.objects.filter(unit=unit).values("unit_id").annotate(**_procedure_counts(period))
    assert queryset.get()["n_online_used"] == 1
    plan = queryset_plan(queryset)
    assert "dossier_online_procedure" in plan, plan
    assert Procedure.objects.filter(unit=unit).aggregate(**_procedure_counts(
        Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))))["n_online_used"] == 0


@pytest.mark.django_db
def test_the_scorecards_counts_are_grouped_by_thousands(client):
    """A province's scorecard counts hundreds of thousands of dossiers: 1.234 / 1.500, as the
    side-by-side tables write them, not 1234 / 1500."""
    from kpi.models import DayCount, MonthCount

    unit = UnitFactory()
    counts = {"unit": unit, "field": ProcedureFactory(unit=unit).field, "completed": 1500, "on_time": 1234}
    DayCount.objects.create(day=datetime.date(2026, 3, 10), **counts)
    MonthCount.objects.create(month=datetime.date(2026, 3, 1), **counts)
    client.force_login(PrincipalFactory(unit=unit))
    html = client.get("/kpi/scorecard/", QUERY).content.decode()
    row = html[html.index('data-testid="criterion-dossiers_on_time"'):]
    row = row[:row.index("</tr>")]
    assert ">1.234</a>" in row and ">1.500</a>" in row and "1234" not in row
