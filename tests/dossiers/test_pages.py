"""Staff pages: intake (form 01), a dossier and its buttons, work lists, the register
(form 07) with equal query counts at 10 and many rows, Excel, printed forms, catalogue."""
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dossiers.models import Dossier
from tests.factories import OfficeUserFactory, PrincipalFactory, ProcedureFactory, dossier_in
from tests.sheets import table

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(staff):
    return ProcedureFactory(unit=staff.unit, processing_days=5, required_documents=["Đơn xin nhập học", "Giấy khai sinh"])


def _intake_body(procedure, **extra):
    return {"procedure": procedure.pk, "applicant_name": "Trần Thị Bình", "applicant_phone": "0912 345 678",
            "sets_count": 1, "result_delivery": "desk", f"doc_{procedure.pk}_0": "1", f"kind_{procedure.pk}_0": "original",
            f"count_{procedure.pk}_0": "1", **extra}


def test_intake_registers_the_dossier_with_its_checklist(client, staff, procedure):
    page = client.get(reverse("dossiers:intake"))
    assert page.status_code == 200
    assert "Đơn xin nhập học" in page.content.decode()
    response = client.post(reverse("dossiers:intake"), _intake_body(procedure))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:detail", args=[dossier.code])
    assert dossier.documents == [{"name": "Đơn xin nhập học", "kind": "original", "count": 1, "digitised": False,
                                  "reused": False}]
    assert dossier.received_by == staff and dossier.assigned_to == staff


def test_intake_offers_the_handling_officer_by_full_name_not_login(client, staff, procedure):
    html = client.get(reverse("dossiers:intake")).content.decode()
    assert re.search(rf'<option value="{staff.pk}"[^>]*>Nguyễn Thị Lan</option>', html)
    assert f">{staff.username}</option>" not in html


def test_intake_flags_each_component_digitised_or_reused(client, staff, procedure):
    client.post(reverse("dossiers:intake"), _intake_body(procedure, **{
        f"source_{procedure.pk}_0": "digitised", f"doc_{procedure.pk}_1": "1", f"source_{procedure.pk}_1": "reused"}))
    dossier = Dossier.objects.get()
    assert [(d["name"], d["digitised"], d["reused"]) for d in dossier.documents] == [
        ("Đơn xin nhập học", True, False), ("Giấy khai sinh", False, True)]
    assert dossier.channel == "direct"
    html = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "đã số hóa" in html and "tái sử dụng" in html


def test_intake_with_errors_keeps_what_was_typed(client, staff, procedure):
    response = client.post(reverse("dossiers:intake"), _intake_body(procedure, applicant_phone="abc"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trần Thị Bình" in html and "is-invalid" in html
    assert f'name="doc_{procedure.pk}_0" id="doc_{procedure.pk}_0" value="1" checked' in html
    assert not Dossier.objects.exists()


def test_office_accounts_cannot_register(client, procedure):
    client.force_login(OfficeUserFactory(office=procedure.unit.office))
    assert client.get(reverse("dossiers:intake")).status_code == 403


def test_an_office_is_not_offered_a_desks_work_lists(client, staff, procedure):
    """"My dossiers" and "Whole unit" are a desk's lists; an office reads its units' register."""
    work_lists = (f'href="{reverse("dossiers:worklist")}"', f'href="{reverse("dossiers:unit")}"')
    html = client.get(reverse("dossiers:register")).content.decode()
    assert all(link in html for link in work_lists)
    client.force_login(OfficeUserFactory(office=procedure.unit.office))
    html = client.get(reverse("dossiers:register")).content.decode()
    assert 'href="/dossiers/register/"' in html and not any(link in html for link in work_lists)
    # and the register is in its main menu, where a desk has its work lists
    home = client.get(reverse("home")).content.decode()
    assert '<a class="nav-link" href="/dossiers/register/">Sổ theo dõi hồ sơ</a>' in home


def test_an_office_register_says_each_dossiers_unit(client, staff, procedure):
    """An office reads many schools' dossiers: the page names each one's unit (the download's
    "handling body" column always does); a school's own register, or an office's narrowed to
    one school, does not repeat it."""
    dossier_in("processing", procedure=procedure, applicant_name="Lê Văn Cường")
    unit = procedure.unit
    assert f"<td class=\"wrap\">{unit.name}</td>" not in client.get(reverse("dossiers:register")).content.decode()
    client.force_login(OfficeUserFactory(office=unit.office))
    html = client.get(reverse("dossiers:register")).content.decode()
    assert "<th>Đơn vị</th>" in html and f"<td class=\"wrap\">{unit.name}</td>" in html
    narrowed = client.get(reverse("dossiers:register"), {"unit": unit.slug}).content.decode()
    assert "<th>Đơn vị</th>" not in narrowed
    header, rows = table(load_workbook(io.BytesIO(client.get(reverse("dossiers:register-export")).content))[
        "Sổ theo dõi hồ sơ"])
    assert header[6] == "Cơ quan chủ trì giải quyết" and rows[0][6] == unit.name and rows[0][4] == "Lê Văn Cường"


def test_detail_shows_only_the_buttons_the_state_allows(client, staff, procedure):
    dossier = dossier_in("processing", procedure=procedure)
    html = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    for action in ("request_supplement", "complete", "reject", "withdraw"):
        assert f'id="action-{action}"' in html
    for action in ("start", "return", "resume", "apologize"):  # apology: principal only
        assert f'id="action-{action}"' not in html


def test_action_form_moves_the_dossier_and_refusals_are_explained(client, staff, procedure):
    dossier = dossier_in("received", procedure=procedure)
    url = reverse("dossiers:act", args=[dossier.code])
    client.post(url, {"action": "start"})
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"
    response = client.post(url, {"action": "start"}, follow=True)
    assert "không thể" in response.content.decode() or "cannot" in response.content.decode()


def test_another_units_dossier_is_404(client, staff):
    other = dossier_in("received")
    assert client.get(reverse("dossiers:detail", args=[other.code])).status_code == 404
    assert client.post(reverse("dossiers:act", args=[other.code]), {"action": "start"}).status_code == 404


def _many(procedure, staff, n):
    now = timezone.now()
    for i in range(n):
        dossier_in("processing", procedure=procedure, actor=staff, received_at=now - datetime.timedelta(days=i % 20, hours=2))


def _bulk(template, n):
    """``n`` open copies of ``template`` written in one go (the service is pinned elsewhere)."""
    template.events.all().delete()
    rows = []
    for i in range(n):
        template.pk = None
        template.code = f"BULK-{i:06d}"
        template.survey_token = f"bulk-{i}"
        template.due_at = template.due_at + datetime.timedelta(minutes=1)
        rows.append(Dossier(**{f.attname: getattr(template, f.attname) for f in Dossier._meta.concrete_fields}))
    Dossier.objects.bulk_create(rows, batch_size=2000)


@pytest.mark.parametrize("url_name", ["dossiers:worklist", "dossiers:unit", "dossiers:register"])
def test_lists_issue_the_same_number_of_queries_at_10_and_10000_rows(client, staff, procedure, url_name):
    _many(procedure, staff, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _bulk(Dossier.objects.filter(unit=staff.unit).first(), 10_000)  # pagination, not row count, bounds the work
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(many) == len(few)


def test_register_filters_and_searches(client, staff, procedure):
    dossier_in("returned", procedure=procedure, applicant_name="Lê Văn Cường")
    dossier_in("processing", procedure=procedure, applicant_name="Phạm Thị Dung")
    html = client.get(reverse("dossiers:register"), {"q": "Cường"}).content.decode()
    assert "Lê Văn Cường" in html and "Phạm Thị Dung" not in html
    html = client.get(reverse("dossiers:register"), {"status": "processing"}).content.decode()
    assert "Phạm Thị Dung" in html and "Lê Văn Cường" not in html


def test_the_register_page_names_the_form_in_force(client, staff):
    """Thông tư 03/2025 numbers the register 07 (it was 06 of Thông tư 01/2018), as the Excel sheet."""
    html = client.get(reverse("dossiers:register")).content.decode()
    assert "<h1 class=\"h3\">Sổ theo dõi hồ sơ (mẫu số 07, Thông tư 03/2025/TT-VPCP)</h1>" in html
    assert "mẫu 06" not in html


def test_register_exports_to_excel(client, staff, procedure):
    dossier_in("returned", procedure=procedure, applicant_name="Lê Văn Cường")
    response = client.get(reverse("dossiers:register-export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Sổ theo dõi hồ sơ"]
    header, rows = table(sheet)
    assert header[1] == "Mã hồ sơ" and len(rows) == 1
    assert rows[0][4] == "Lê Văn Cường"
    # the same writer as the KPI report: title block, the register form in force, the channel
    assert sheet["A1"].value == "Sổ theo dõi hồ sơ (mẫu số 07, Thông tư 03/2025/TT-VPCP)"
    assert header[-1] == "Hình thức tiếp nhận" and rows[0][-1] == "Trực tiếp tại bộ phận một cửa"
    assert sheet.print_title_rows and sheet.page_setup.orientation == "landscape"


@pytest.mark.parametrize("form", ["receipt", "control"])
def test_printed_forms(client, staff, procedure, form):
    dossier = dossier_in("processing", procedure=procedure)
    html = client.get(reverse("dossiers:print", args=[dossier.code, form])).content.decode()
    assert dossier.code in html
    if form == "receipt":
        assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
        assert html.count("<svg") == 2
        assert f"/track/{dossier.code}/?s={dossier.tracking_secret}" in html


def test_forms_are_versioned_by_the_rules_in_force(client, staff, procedure):
    principal = PrincipalFactory(unit=staff.unit)
    client.force_login(principal)
    from dossiers.services import dossier_transition

    old = dossier_in("processing", procedure=procedure, received_at=timezone.make_aware(datetime.datetime(2024, 3, 4, 9)))
    dossier_transition(dossier=old, action="apologize", actor=principal, reason="Xác minh",
                       at=timezone.make_aware(datetime.datetime(2024, 3, 6, 9)), new_due_date=datetime.date(2024, 3, 20))
    new = dossier_in("processing", procedure=procedure, received_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9)))
    dossier_transition(dossier=new, action="apologize", actor=principal, reason="Xác minh",
                       at=timezone.make_aware(datetime.datetime(2026, 3, 4, 9)), new_due_date=datetime.date(2026, 3, 20))
    old_html = client.get(reverse("dossiers:print", args=[old.code, "apology"])).content.decode()
    new_html = client.get(reverse("dossiers:print", args=[new.code, "apology"])).content.decode()
    assert "01/2018/TT-VPCP" in old_html and "HẸN LẠI NGÀY TRẢ KẾT QUẢ" in old_html
    assert "03/2025/TT-VPCP" in new_html and "ĐỀ NGHỊ GIA HẠN" in new_html


def test_supplement_and_rejection_forms_exist_only_after_the_event(client, staff, procedure):
    dossier = dossier_in("processing", procedure=procedure)
    assert client.get(reverse("dossiers:print", args=[dossier.code, "rejection"])).status_code == 404
    rejected = dossier_in("rejected", procedure=procedure)
    html = client.get(reverse("dossiers:print", args=[rejected.code, "rejection"])).content.decode()
    assert "PHIẾU TỪ CHỐI" in html and "Thiếu giấy tờ" in html
    waiting = dossier_in("awaiting_supplement", procedure=procedure)
    assert "BỔ SUNG" in client.get(reverse("dossiers:print", args=[waiting.code, "supplement"])).content.decode()


def test_principal_manages_the_catalogue_staff_only_read_it(client, staff, procedure):
    assert client.get(reverse("dossiers:procedures")).status_code == 200
    assert client.get(reverse("dossiers:procedure-new")).status_code == 403
    client.force_login(PrincipalFactory(unit=staff.unit))
    response = client.post(reverse("dossiers:procedure-new"), {
        "code": "MN-XN-09", "name": "Xác nhận", "field": procedure.field.pk, "processing_days": 2,
        "clock_on_supplement": "restart", "required_documents_text": "Đơn\nGiấy khai sinh", "is_published": "on", "is_active": "on",
        "online": "partial",
    })
    assert response.status_code == 302
    created = staff.unit.procedures.get(code="MN-XN-09")
    assert created.required_documents == ["Đơn", "Giấy khai sinh"] and created.online == "partial"


def test_unit_public_page_lists_published_procedures(client, procedure):
    ProcedureFactory(unit=procedure.unit, name="Thủ tục nội bộ", is_published=False)
    html = client.get(reverse("unit-public", args=[procedure.unit.slug])).content.decode()
    assert procedure.name in html and "Thủ tục nội bộ" not in html
