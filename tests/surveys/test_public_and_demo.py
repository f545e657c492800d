import datetime

import pytest
from django.db.models import Count

from surveys import demo
from surveys.models import Response
from tests.factories import PrincipalFactory, UnitFactory


@pytest.mark.django_db
def test_the_units_public_page_links_the_open_survey_of_every_area(client):
    unit = UnitFactory(slug="mn-tuoi-hong")
    html = client.get("/u/mn-tuoi-hong/").content.decode()
    assert 'data-testid="public-surveys"' in html
    assert 'href="/u/mn-tuoi-hong/survey/cham-soc-giao-duc/"' in html
    assert 'href="/u/mn-tuoi-hong/survey/giao-duc-hoa-nhap/"' in html
    qr = client.get(f"/u/{unit.slug}/survey/giao-duc-hoa-nhap/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


@pytest.mark.django_db
def test_the_posters_print_one_qr_per_area(client):
    principal = PrincipalFactory()
    client.force_login(principal)
    html = client.get("/surveys/posters/").content.decode()
    assert html.count('class="survey-poster"') == 8 and html.count("<svg") == 8
    assert f"/u/{principal.unit.slug}/survey/giao-duc-hoa-nhap/" in html


@pytest.mark.django_db
def test_the_survey_page_needs_no_bootstrap_js_htmx_or_chart_js(client):
    html = client.get(f"/u/{UnitFactory().slug}/survey/tuyen-sinh/").content.decode()
    assert "<script" not in html and 'style="' not in html


@pytest.mark.django_db
def test_demo_seed_makes_a_believable_year_and_is_idempotent():
    unit = UnitFactory()
    principal = PrincipalFactory(unit=unit)
    today = datetime.date(2026, 11, 20)
    assert "responses" in demo.seed(unit=unit, users={"principal": principal}, today=today)
    total = Response.objects.count()
    demo.seed(unit=unit, users={"principal": principal}, today=today)
    assert Response.objects.count() == total > 300
    spread = dict(Response.objects.values_list("overall").annotate(n=Count("id")))
    unhappy = spread.get(1, 0) + spread.get(2, 0)
    assert spread[5] + spread[4] > 0.85 * total and spread[3] > 0 and 0 < unhappy < 0.1 * total
    assert set(Response.objects.values_list("source", flat=True)) == {"dossier", "open"}
    assert Response.objects.values("area").distinct().count() >= 6
    months = Response.objects.dates("submitted_at", "month")
    assert len(months) >= 12
