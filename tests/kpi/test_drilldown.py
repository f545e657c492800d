"""Every number of the dashboard is a link to the records behind it: render the
dashboard, follow each numerator and denominator link as the same user and count what
the page lists. Hand-built data sits on the edges of the period rule (completed on the
last evening, open and overdue, withdrawn, published then closed, other unit)."""
import datetime
import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from feedback.models import Feedback
from kpi.services import plan_create
from tests.factories import (
    OfficeUserFactory,
    PrincipalFactory,
    ProcedureFactory,
    UnitFactory,
    apologise_for_test,
    feedback_for_test,
    field,
    finish_dossier_for_test,
    receive_dossier,
    set_dossier_status_for_test,
    survey_response_for_test,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
RECORD_PAGES = ("/dossiers/register/", "/feedback/", "/surveys/results/")


def at(month, day, hour=9, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=VN)


def _activity(unit):
    """One unit's records; ``records`` of the other unit must never show up."""
    petitions = ProcedureFactory(unit=unit, field=field("xu-ly-don"), processing_days=5)
    certificates = ProcedureFactory(unit=unit, field=field("xac-nhan"), processing_days=3)

    def finished(procedure, completed_at, timeliness, status="completed"):
        dossier = receive_dossier(procedure=procedure, received_at=at(3, 2))
        return finish_dossier_for_test(dossier, completed_at=completed_at, timeliness=timeliness, status=status)

    finished(petitions, at(3, 4), "early")
    finished(certificates, at(3, 5), "on_time", status="returned")
    apologise_for_test(finished(petitions, at(3, 20), "late"), timely=True)
    apologise_for_test(finished(certificates, at(3, 21), "late"), timely=False)
    finished(petitions, at(3, 22), "late")
    finished(petitions, at(3, 31, 23, 30), "late")  # the last evening of March: in
    finished(petitions, at(4, 1, 0, 10), "late")  # ten minutes into April: out
    finished(certificates, at(4, 20), "early")
    # open and overdue, due in March (counted there) with and without apology; due in February
    receive_dossier(procedure=petitions, received_at=at(3, 2))
    apologise_for_test(receive_dossier(procedure=certificates, received_at=at(3, 3)))
    receive_dossier(procedure=petitions, received_at=at(2, 2))
    set_dossier_status_for_test(receive_dossier(procedure=petitions, received_at=at(3, 2)), "withdrawn")
    set_dossier_status_for_test(receive_dossier(procedure=petitions, received_at=at(3, 3)), "rejected")

    feedback_for_test(unit=unit, received_at=at(3, 5), answered_at=at(3, 6), published_at=at(3, 7))
    closed = feedback_for_test(unit=unit, received_at=at(3, 5), answered_at=at(3, 6), published_at=at(3, 7))
    Feedback.objects.filter(pk=closed.pk).update(status=Feedback.Status.CLOSED)  # published, then archived
    feedback_for_test(unit=unit, received_at=at(3, 5), due_at=at(3, 12), answered_at=at(3, 20))  # late answer
    feedback_for_test(unit=unit, received_at=at(3, 6), answered_at=at(3, 7), publishable=False)
    feedback_for_test(unit=unit, received_at=at(3, 7))
    feedback_for_test(unit=unit, received_at=at(3, 31, 23))
    feedback_for_test(unit=unit, received_at=at(4, 1, 8))

    for overall in (5, 4, 2):
        survey_response_for_test(unit=unit, overall=overall, submitted_at=at(3, 10))
    survey_response_for_test(unit=unit, overall=5, submitted_at=at(3, 11), area_key="giao-duc-hoa-nhap")
    survey_response_for_test(unit=unit, overall=5, submitted_at=at(3, 12), area_key="xu-ly-don", source="dossier")
    survey_response_for_test(unit=unit, overall=3, submitted_at=at(3, 12), area_key="xu-ly-don", source="dossier")
    survey_response_for_test(unit=unit, overall=5, submitted_at=at(4, 2))


@pytest.fixture
def unit():
    unit = UnitFactory(slug="mn-tuoi-hong")
    other = UnitFactory(slug="mn-hoa-mai", office=unit.office)
    plan_create(unit=unit, year=2026)
    _activity(unit)
    _activity(other)
    return unit


class _NumberLinks(HTMLParser):
    """``[(number, href)]`` of every link whose text starts with a number."""

    def __init__(self):
        super().__init__()
        self.links, self._href, self._text = [], None, ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            match = re.match(r"\s*(\d+)\b", self._text)
            if match:
                self.links.append((int(match.group(1)), self._href, " ".join(self._text.split())))
            self._href = None


def number_links(page_html):
    parser = _NumberLinks()
    parser.feed(page_html)
    return [(n, href, text) for n, href, text in parser.links if urlparse(href).path in RECORD_PAGES + ("/kpi/figures/",)]


def result_count(page_html) -> int:
    counts = re.findall(r'data-testid="result-count">(\d+)<', page_html)
    assert len(counts) == 1, "exactly one result count on the page"
    return int(counts[0])


def listed_rows(path, page_html) -> int | None:
    """Rows of the register or inbox table on this page (None for the survey results)."""
    if path not in RECORD_PAGES[:2]:
        return None
    table = re.search(r'<table[^>]*(?:table-register|data-testid="inbox")[^>]*>.*?<tbody>(.*?)</tbody>', page_html, re.S)
    if table is None:
        assert 'data-testid="empty"' in page_html or "Không có hồ sơ" in page_html
        return 0
    return table.group(1).count("<tr")


def follow_every_link(client, dashboard_url):
    page = client.get(dashboard_url)
    assert page.status_code == 200
    links = number_links(page.content.decode())
    checked = []
    for number, href, text in links:
        url = html.unescape(href)
        answer = client.get(url)
        assert answer.status_code == 200, url
        if urlparse(url).path == "/kpi/figures/":  # monthly figures are entered by hand, not records
            continue
        body = answer.content.decode()
        assert result_count(body) == number, f"{text!r} -> {url}"
        rows = listed_rows(urlparse(url).path, body)
        if rows is not None:
            assert rows == min(number, 25), f"{text!r} -> {url}"
        checked.append((number, url, text))
    return checked


def by_path(checked, path, **params):
    """The numbers behind links to ``path`` whose query holds ``params``."""
    out = []
    for number, url, _text in checked:
        query = parse_qs(urlparse(url).query)
        if urlparse(url).path == path and all(query.get(k) == ([v] if isinstance(v, str) else v) for k, v in params.items()):
            out.append(number)
    return out


def assert_expected_numbers(checked):
    register, inbox, results = RECORD_PAGES
    # on time: early + on time / completed in March (the last evening in, April out, withdrawn out)
    assert by_path(checked, register, timeliness=["early", "on_time"], field=None) == [2]
    assert 6 in by_path(checked, register, completed_from="2026-03-01", timeliness=None, apology=None)
    # late apology: (4 late + 2 overdue) of which 3 with an apology letter, 2 of them in
    # time (the numerator) and 1 too late (the drill-down line beside it)
    assert by_path(checked, register, late="1", apology="timely") == [2]
    assert by_path(checked, register, late="1", apology="late") == [1]
    assert by_path(checked, register, late="1", apology=None) == [6]
    assert by_path(checked, register, timeliness="late", apology="none") == [2]
    assert by_path(checked, register, overdue="1", apology="none") == [1]
    # feedback: received 6 in March, answered 4, 3 by the deadline, publishable 3, published 2 (one closed since)
    assert 6 in by_path(checked, inbox, answered=None, published=None)
    assert by_path(checked, inbox, answered="1", on_time="1") == [3]
    assert by_path(checked, inbox, answered="1", publishable="1", published="1") == [2]
    assert by_path(checked, inbox, answered="1", publishable="1", published=None) == [3]
    # surveys: 6 responses in March, 4 satisfied; 2 dossier survey responses, 1 satisfied
    assert by_path(checked, results, satisfied=None, area=None, source=None) == [6]
    assert by_path(checked, results, satisfied="1", area=None, source=None) == [4]
    assert by_path(checked, results, source="dossier", satisfied="1") == [1]
    assert by_path(checked, results, area="xu-ly-don", satisfied=None) == [2]


@pytest.mark.django_db
def test_every_number_of_the_principals_dashboard_opens_exactly_its_records(client, unit):
    client.force_login(PrincipalFactory(unit=unit))
    checked = follow_every_link(client, f"{reverse('kpi:dashboard')}?from={PERIOD['from']}&to={PERIOD['to']}")
    # cards (numerator and denominator of 7 measured indicators), the two "without apology"
    # lines and the late apologies, and the per-field and per-area rows with records in March
    assert len(checked) >= 14 + 2 + 4
    assert_expected_numbers(checked)
    assert all("unit=" not in url for _n, url, _t in checked)  # a principal reads only their own unit


@pytest.mark.django_db
def test_every_number_of_one_unit_opens_its_records_for_the_office(client, unit):
    client.force_login(OfficeUserFactory(office=unit.office))
    checked = follow_every_link(client, f"{reverse('kpi:dashboard')}?unit={unit.slug}&from={PERIOD['from']}&to={PERIOD['to']}")
    assert len(checked) >= 14 + 2 + 4
    assert_expected_numbers(checked)
    assert all(parse_qs(urlparse(url).query)["unit"] == [unit.slug] for _n, url, _t in checked)


@pytest.mark.django_db
def test_the_register_excel_export_holds_the_same_dossiers_as_the_late_link(client, unit):
    import io

    import openpyxl

    client.force_login(PrincipalFactory(unit=unit))
    query = "period_from=2026-03-01&period_to=2026-03-31&late=1&apology=any"
    assert result_count(client.get(f"/dossiers/register/?{query}").content.decode()) == 3
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/dossiers/register.xlsx?{query}").content))
    assert book.active.max_row - 1 == 3
    # the apology letter sent in time or late, and the open dossiers counted by their due date
    assert result_count(client.get("/dossiers/register/?apology=timely").content.decode()) == 2
    assert result_count(client.get("/dossiers/register/?apology=late").content.decode()) == 1
    assert result_count(client.get("/dossiers/register/?period_from=2026-02-01&period_to=2026-02-28").content.decode()) == 1


@pytest.mark.django_db
def test_bad_filter_values_are_reported_and_lose_nothing(client, unit):
    client.force_login(PrincipalFactory(unit=unit))
    register = client.get("/dossiers/register/?completed_from=31/03/2026&timeliness=soon&q=An").content.decode()
    assert 'role="alert"' in register and 'value="An"' in register
    inbox = client.get("/feedback/?received_from=2026-03-31&received_to=2026-03-01").content.decode()
    assert 'role="alert"' in inbox and 'value="2026-03-31"' in inbox
    assert result_count(inbox) == 7  # the filter is not applied: every item of the unit
