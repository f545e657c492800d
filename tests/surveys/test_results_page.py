import datetime

import pytest
from django.utils import timezone

from surveys.models import Response
from tests.factories import (
    OfficeUserFactory, PrincipalFactory, ResponseFactory, StaffFactory, UnitFactory,
)

URL = "/surveys/results/"


def this_year(month=1):
    return timezone.make_aware(datetime.datetime(timezone.localdate().year, month, 10, 9))


@pytest.mark.django_db
def test_the_principal_sees_rates_per_area_factor_averages_trend_and_comments(client):
    principal = PrincipalFactory()
    for overall in (3, 4, 5, 5):
        ResponseFactory(unit=principal.unit, overall=overall, submitted_at=this_year())
    ResponseFactory(unit=principal.unit, overall=5, comment="Cô giáo rất tận tình", submitted_at=this_year())
    client.force_login(principal)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="overall-rate">80,00%' in html
    assert '<tr data-area="cham-soc-giao-duc"><td>Chăm sóc, giáo dục trẻ</td><td class="text-end">5</td>' in html
    assert "Cô giáo rất tận tình" in html and "Đánh dấu đã xử lý" in html
    assert 'id="trend-data"' in html and "chart.umd.min.js" in html and 'data-testid="trend-table"' in html


@pytest.mark.django_db
def test_staff_mark_a_comment_handled_and_it_records_who_and_when(client):
    staff = StaffFactory()
    response = ResponseFactory(unit=staff.unit, comment="Cần thêm ghế chờ", submitted_at=this_year())
    client.force_login(staff)
    answer = client.post(f"/surveys/comments/{response.pk}/handled/", {"handled": "1"})
    assert answer.status_code == 302
    response.refresh_from_db()
    assert response.comment_handled_by == staff and response.comment_handled_at is not None
    assert "Cần thêm ghế chờ" not in client.get(URL).content.decode()
    assert "Cần thêm ghế chờ" in client.get(URL + "?comments=handled").content.decode()
    client.post(f"/surveys/comments/{response.pk}/handled/", {"handled": "0"})
    response.refresh_from_db()
    assert response.comment_handled_at is None


@pytest.mark.django_db
def test_an_office_account_reads_its_units_results_but_cannot_mark_comments(client):
    office_user = OfficeUserFactory()
    unit = UnitFactory(office=office_user.office)
    response = ResponseFactory(unit=unit, comment="Góp ý", submitted_at=this_year())
    client.force_login(office_user)
    page = client.get(URL + f"?unit={unit.slug}")
    assert page.status_code == 200 and "Góp ý" in page.content.decode()
    assert "Đánh dấu đã xử lý" not in page.content.decode()
    assert client.post(f"/surveys/comments/{response.pk}/handled/").status_code == 403
    assert Response.objects.get().comment_handled_at is None


@pytest.mark.django_db
def test_another_units_results_and_comments_are_not_found(client):
    principal = PrincipalFactory()
    other = ResponseFactory(comment="Bí mật", submitted_at=this_year())
    client.force_login(principal)
    assert client.get(URL + f"?unit={other.unit.slug}").status_code == 404
    assert client.post(f"/surveys/comments/{other.pk}/handled/").status_code == 404


@pytest.mark.django_db
def test_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


@pytest.mark.django_db
def test_the_results_page_takes_the_same_queries_for_5_or_60_responses(client, django_assert_num_queries):
    principal = PrincipalFactory()
    client.force_login(principal)

    def fill(n):
        Response.objects.all().delete()
        for i in range(n):
            ResponseFactory(unit=principal.unit, overall=1 + i % 5, comment=f"Ý kiến {i}", submitted_at=this_year(1 + i % 12))

    fill(5)
    # the session with the person, their unit and office and the badge's count (core/sessions.py),
    # summary, fields, by area, factors, trend, comments count, comments page
    with django_assert_num_queries(8):
        page = client.get(URL)
    assert page.status_code == 200
    assert 'data-testid="result-count">5</strong>' in page.content.decode()
    fill(60)
    with django_assert_num_queries(8):
        page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="result-count">60</strong>' in html and "Ý kiến 59" in html
