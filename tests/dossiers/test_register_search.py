"""The register's search box, as staff type at the desk: without marks, in any case, part of
a code; kept in the dossier's folded column and answered by its trigram index
(docs/decisions/register-search.md)."""
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from core.text import fold
from dossiers.filters import RegisterFilter
from dossiers.models import Dossier
from tests.factories import ProcedureFactory, dossier_in
from tests.plans import queryset_plan

pytestmark = pytest.mark.django_db

NAMES = ["Lê Văn Cường", "Phạm Thị Dung", "Đặng Minh Giang", "ĐỖ THỊ ÁNH"]


@pytest.fixture
def dossiers(staff):
    procedure = ProcedureFactory(unit=staff.unit, processing_days=5)
    return {name: dossier_in("processing", procedure=procedure, applicant_name=name) for name in NAMES}


def _found(client, query) -> set[str]:
    html = client.get(reverse("dossiers:register"), {"q": query}).content.decode()
    return {name for name in NAMES if name in html}


@pytest.mark.parametrize("query, names", [
    ("cuong", {"Lê Văn Cường"}),
    ("CƯỜNG", {"Lê Văn Cường"}),
    ("le van cuong", {"Lê Văn Cường"}),
    ("  Phạm Thị  ", {"Phạm Thị Dung"}),
    ("dang minh", {"Đặng Minh Giang"}),  # đ is d
    ("đỗ thị ánh", {"ĐỖ THỊ ÁNH"}),
    ("thi", {"Phạm Thị Dung", "ĐỖ THỊ ÁNH"}),
    ("nguyen", set()),
    ("%", set()),  # a wildcard typed is a character
    ("_", set()),
])
def test_names_are_found_without_marks_and_in_any_case(client, dossiers, query, names):
    assert _found(client, query) == names


def test_a_part_of_the_code_in_any_case_finds_the_dossier(client, dossiers):
    dossier = dossiers["Phạm Thị Dung"]
    assert _found(client, dossier.code[-9:].lower()) == {"Phạm Thị Dung"}
    assert _found(client, dossier.code.upper()) == {"Phạm Thị Dung"}


def test_the_api_searches_the_same_way(staff, dossiers):
    api = APIClient()
    api.force_authenticate(staff)
    data = api.get("/api/v1/dossiers/", {"q": "GIANG"}).json()
    assert data["count"] == 1 and data["results"][0]["applicant_name"] == "Đặng Minh Giang"


def test_the_folded_column_follows_the_row(staff, dossiers):
    dossier = dossiers["Lê Văn Cường"]
    assert Dossier.objects.get(pk=dossier.pk).search_text == f"{dossier.code.lower()} le van cuong"
    # corrected at the desk (the admin saves the whole row): the search follows the new name
    dossier.applicant_name = "Lê Văn Cảnh"
    dossier.save()
    assert Dossier.objects.get(pk=dossier.pk).search_text.endswith(" le van canh")
    dossier.applicant_name = "Trần Bảo Ngọc"
    dossier.save(update_fields=["applicant_name", "search_text"])
    assert RegisterFilter({"q": "bao ngoc"}, queryset=Dossier.objects.all()).qs.get() == dossier
    # bulk_create (the demo data) writes it too
    copy = Dossier(**{f.attname: getattr(dossier, f.attname) for f in Dossier._meta.concrete_fields
                      if f.attname not in ("id", "search_text")})
    copy.code, copy.survey_token, copy.applicant_name = copy.code + "-B", "token-b", "Hồ Thị Xuân"
    Dossier.objects.bulk_create([copy])
    assert Dossier.objects.get(code=copy.code).search_text == f"{copy.code.lower()} ho thi xuan"


@pytest.mark.postgres
def test_the_migration_fills_the_column_as_python_folds(dossiers):
    """The fill of dossiers that were there before the column (SQL's translate, on PostgreSQL)
    writes what Python's fold writes for new ones."""
    expected = dict(Dossier.objects.values_list("pk", "search_text"))
    assert all(expected.values())
    Dossier.objects.update(search_text="")
    migration = importlib.import_module("dossiers.migrations.0009_register_search")
    with connection.schema_editor(atomic=False) as editor:
        migration.fill(apps, editor)
    assert dict(Dossier.objects.values_list("pk", "search_text")) == expected
    assert {fold(f"{d.code} {d.applicant_name}") for d in Dossier.objects.all()} == set(expected.values())


@pytest.mark.postgres
def test_the_search_reads_the_trigram_index(dossiers):
    # Unordered: in a table of four rows the planner may as well walk dossier_received for
    # the register's order and filter; the question is whether the search can use its index.
    queryset = RegisterFilter({"q": "cuong"}, queryset=Dossier.objects.all()).qs.order_by().values("pk")
    plan = queryset_plan(queryset)
    assert "Bitmap Index Scan on dossier_search" in plan, plan


def test_the_count_is_written_with_vietnamese_grouping(client, staff, dossiers):
    """An office's register counts hundreds of thousands: "1.004 hồ sơ", not "1004"."""
    template = dossiers["Phạm Thị Dung"]
    rows = [Dossier(**{f.attname: getattr(template, f.attname) for f in Dossier._meta.concrete_fields if f.attname != "id"}
                    | {"code": f"{template.code}-{i}", "survey_token": f"grouping-{i}"}) for i in range(1_000)]
    Dossier.objects.bulk_create(rows)
    html = client.get(reverse("dossiers:register")).content.decode()
    assert '<strong data-testid="result-count">1.004</strong> hồ sơ' in html


def test_the_yes_no_filters_offer_all_not_unknown(client, staff):
    import re

    client.force_login(staff)
    html = client.get(reverse("dossiers:register")).content.decode()
    overdue = re.search(r'<select name="overdue"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", overdue) == ["Tất cả", "Có", "Không"]
    assert "Chưa xác định" not in html
