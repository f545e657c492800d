"""The list a visitor picks a unit from when a feedback link names none: every unit of a
province reachable, a page at a time, searched by name with or without marks."""
import pytest
from django.db import connection

from feedback.views import UNITS_PER_PAGE
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="folding marks is PostgreSQL's")


def names(response) -> list[str]:
    html = response.content.decode()
    section = html.split('id="unit-list"', 1)[1].split("</div>", 1)[0]
    return [part.split("</a>", 1)[0] for part in section.split('tap-target" href="')[1:] if "</a>" in part]


def test_every_unit_is_reachable_a_page_at_a_time(client):
    for n in range(1, UNITS_PER_PAGE + 6):
        UnitFactory(name=f"Trường Mầm non số {n}")
    first = client.get("/feedback/new/")
    last = client.get("/feedback/new/", {"page": 2})
    assert first.status_code == last.status_code == 200
    assert len(names(first)) == UNITS_PER_PAGE and len(names(last)) == 5
    shown = {name.split(">", 1)[1] for name in names(first) + names(last)}
    assert shown == {f"Trường Mầm non số {n}" for n in range(1, UNITS_PER_PAGE + 6)}
    assert "Trang 2/2" in last.content.decode()


@postgresql_only
def test_the_search_finds_a_name_typed_with_or_without_marks(client):
    UnitFactory(name="Trường Mầm non Tuổi Hồng")
    UnitFactory(name="Trường Mầm non Đồng Xanh")
    UnitFactory(name="Trường Tiểu học Tuổi Thơ")
    for query in ("tuổi hồng", "tuoi hong", "TUOI HONG", "  Tuổi   Hồng "):
        found = names(client.get("/feedback/new/", {"q": query}))
        assert [f.split(">", 1)[1] for f in found] == ["Trường Mầm non Tuổi Hồng"], query
    found = names(client.get("/feedback/new/", {"q": "dong xanh"}))
    assert [f.split(">", 1)[1] for f in found] == ["Trường Mầm non Đồng Xanh"]
    found = names(client.get("/feedback/new/", {"q": "tuoi"}))
    assert [f.split(">", 1)[1] for f in found] == ["Trường Mầm non Tuổi Hồng", "Trường Tiểu học Tuổi Thơ"]


def test_a_search_that_finds_nothing_says_so_and_wildcards_are_text(client):
    UnitFactory(name="Trường Mầm non Hoa Sen")
    UnitFactory(name="Trường Mầm non Sơn Ca")
    for query in ("Vàng Anh", "%", "_"):
        page = client.get("/feedback/new/", {"q": query})
        assert page.status_code == 200 and names(page) == []
        assert "Không có đơn vị nào có tên chứa" in page.content.decode()
    page = client.get("/feedback/new/", {"q": "<script>"}).content.decode()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_one_count_and_one_page_of_names_and_a_portal_of_one_school_goes_to_its_form(client, django_assert_num_queries):
    only = UnitFactory(name="Trường Mầm non Tuổi Hồng")
    with django_assert_num_queries(2):  # the count and the page
        response = client.get("/feedback/new/")
    assert response.status_code == 302 and response["Location"] == f"/feedback/new/?unit={only.slug}"
    UnitFactory(name="Trường Mầm non Sơn Ca")
    with django_assert_num_queries(2):
        page = client.get("/feedback/new/")
    assert page.status_code == 200 and len(names(page)) == 2
