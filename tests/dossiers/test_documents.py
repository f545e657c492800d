"""The one-stop forms as PDF files: number, title and heading by the legal basis in force
on the day of each form's event, the presentation of Nghị định 30/2020, one page for the
receipt, the control sheet's hand-overs and results, issued versions, the API and access."""
import datetime
import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers import documents, legal
from dossiers.models import Document
from dossiers.services import dossier_transition
from tests.factories import (OfficeUserFactory, PrincipalFactory, ProcedureFactory, StaffFactory, UnitFactory,
                             dossier_in)

pytestmark = pytest.mark.django_db
BEFORE = timezone.make_aware(datetime.datetime(2025, 6, 2, 9, 0))  # Monday, Thông tư 01/2018 in force
AFTER = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))  # Monday, Thông tư 03/2025
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    """Without any white space: a long sentence may wrap anywhere, even after a slash."""
    return "".join(text.split())


@pytest.fixture
def unit():
    return UnitFactory(name="Trường mầm non Tuổi Hồng", parent_body="Ủy ban nhân dân phường Sài Gòn",
                       place_name="Thành phố Hồ Chí Minh", abbreviation="MNTH", head_name="Trần Thị Mỹ Hạnh",
                       phone="028 3822 1234")


@pytest.fixture
def staff(unit):
    return StaffFactory(unit=unit, first_name="Lan", last_name="Nguyễn Thị")


@pytest.fixture
def principal(unit):
    return PrincipalFactory(unit=unit, first_name="Hạnh", last_name="Trần Thị Mỹ")


@pytest.fixture
def deputy(unit):
    return PrincipalFactory(unit=unit, first_name="Minh", last_name="Lê Văn", is_deputy_head=True,
                            job_title="Phó Hiệu trưởng")


@pytest.fixture
def procedure(unit):
    return ProcedureFactory(unit=unit, name="Tiếp nhận trẻ vào trường mầm non", processing_days=5)


def _dossier(status, procedure, staff, received_at, **details):
    details.setdefault("applicant_name", "Phạm Thị Thu")
    details.setdefault("register_line", 42)
    return dossier_in(status, procedure=procedure, received_at=received_at, actor=staff, **details)


def _at(day: datetime.date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- the table ----------------------------------------------------------------------------

def test_the_form_set_switches_on_the_circulars_effective_date():
    old = legal.form_for("apology", datetime.date(2025, 9, 14))
    new = legal.form_for("apology", datetime.date(2025, 9, 15))
    assert (old.basis.key, old.number, old.title) == ("nd118-2025", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    assert (new.basis.key, new.number, new.title) == (
        "tt03-2025", "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
    assert legal.form_for("control", datetime.date(2025, 1, 2)).number == "05"
    assert legal.form_for("control", datetime.date(2026, 1, 2)).number == "06"
    assert legal.form_for("register", datetime.date(2026, 1, 2)).number == "07"
    # A stop has no 2018 form: it is notified on form 05 of 2025 whenever it happened.
    stop = legal.form_for("stop", datetime.date(2025, 8, 1))
    assert (stop.basis.key, stop.number, stop.title) == ("tt03-2025", "05", "Thông báo dừng giải quyết hồ sơ")
    assert [len(b.forms) for b in legal.BASES] == [6, 6, 7]
    # Between the decree (1/7/2025) and its circular: the 2018 forms, citing the decree.
    gap = legal.form_for("receipt", datetime.date(2025, 7, 1))
    assert (gap.basis.key, gap.number) == ("nd118-2025", "01")
    assert "Thông tư số 01/2018/TT-VPCP" in gap.basis.citation and "118/2025/NĐ-CP" in gap.basis.citation
    assert legal.form_for("receipt", datetime.date(2025, 6, 30)).basis.key == "tt01-2018"


def test_date_line_puts_a_zero_before_small_days_and_months_one_and_two():
    assert documents.date_line(datetime.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert documents.date_line(datetime.date(2025, 11, 20)) == "ngày 20 tháng 11 năm 2025"
    assert documents.date_line(datetime.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


# --- each form as a PDF, before and after the switch ------------------------------------

def _check_heading(text, unit, spec, *, numbered):
    assert f"Mẫu số {spec.number}" in text
    assert squash(spec.basis.citation) in squash(text)
    assert spec.title.upper() in text
    for line in MOTTO:
        assert line in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN" in text
    assert "TRƯỜNG MẦM NON TUỔI HỒNG" in text
    assert ("Số: 42/" in text) is numbered
    assert "Phòng Nội vụ" not in text and unit.office.name.upper() not in text  # not the supervising office


@pytest.mark.parametrize("received_at, basis", [(BEFORE, "tt01-2018"), (AFTER, "tt03-2025")])
def test_receipt_carries_number_title_heading_place_and_intake_date_on_one_page(unit, staff, procedure, received_at, basis):
    dossier = _dossier("processing", procedure, staff, received_at)
    pages, text = pdf_text(documents.render_form_pdf(dossier=dossier, form="01"))
    text = flat(text)
    spec = legal.form_for("receipt", received_at.date())
    assert spec.basis.key == basis
    _check_heading(text, unit, spec, numbered=False)
    assert f"Thành phố Hồ Chí Minh, {documents.date_line(received_at.date())}" in text
    assert pages == 1  # with its two QR codes
    assert "Tra cứu hồ sơ" in text and "Đánh giá hài lòng" in text
    assert dossier.code in text and "Vào Sổ theo dõi hồ sơ, Số: 42" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Nguyễn Thị Lan" in text


@pytest.mark.parametrize("received_at, number", [(BEFORE, "02"), (AFTER, "02")])
def test_supplement_request_carries_the_date_of_the_request_not_of_printing(unit, staff, procedure, received_at, number):
    dossier = _dossier("processing", procedure, staff, received_at)
    asked = received_at + datetime.timedelta(days=1, hours=2)
    dossier_transition(dossier=dossier, action="request_supplement", actor=staff, at=asked,
                       reason="Bản sao giấy khai sinh có chứng thực")
    pages, text = pdf_text(documents.render_form_pdf(dossier=dossier, form="02"))
    text = flat(text)
    _check_heading(text, unit, legal.form_for("supplement", asked.date()), numbered=True)
    assert f"Thành phố Hồ Chí Minh, {documents.date_line(asked.date())}" in text
    assert documents.date_line(timezone.localdate()) not in text
    assert "Bản sao giấy khai sinh có chứng thực" in text and "Số: 42/MNTH" in text
    assert "Kính gửi: ông/bà Phạm Thị Thu" in text


@pytest.mark.parametrize("received_at", [BEFORE, AFTER])
def test_refusal_carries_the_date_of_the_refusal(unit, staff, procedure, received_at):
    dossier = _dossier("received", procedure, staff, received_at)
    refused = received_at + datetime.timedelta(days=2)
    dossier_transition(dossier=dossier, action="reject", actor=staff, at=refused, reason="Không thuộc thẩm quyền")
    _pages, text = pdf_text(documents.render_form_pdf(dossier=dossier, form="03"))
    text = flat(text)
    _check_heading(text, unit, legal.form_for("rejection", refused.date()), numbered=True)
    assert f"Thành phố Hồ Chí Minh, {documents.date_line(refused.date())}" in text
    assert "Không thuộc thẩm quyền" in text


def test_apology_wording_follows_the_basis_of_the_letters_date(unit, staff, principal, procedure):
    old = _dossier("processing", procedure, staff, BEFORE)
    dossier_transition(dossier=old, action="apologize", actor=principal, reason="Cần xác minh",
                       at=BEFORE + datetime.timedelta(days=2), new_due_date=datetime.date(2025, 6, 20))
    new = _dossier("processing", procedure, staff, AFTER)
    dossier_transition(dossier=new, action="apologize", actor=principal, reason="Cần xác minh",
                       at=AFTER + datetime.timedelta(days=2), new_due_date=datetime.date(2026, 3, 20))
    _p, old_text = pdf_text(documents.render_form_pdf(dossier=old, form="04"))
    _p, new_text = pdf_text(documents.render_form_pdf(dossier=new, form="04"))
    old_text, new_text = flat(old_text), flat(new_text)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in old_text and "Thông tư số 01/2018/TT-VPCP" in old_text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in new_text
    assert squash("đề nghị ông/bà đồng ý gia hạn thời gian giải quyết hồ sơ đến ngày 20/03/2026") in squash(new_text)
    assert "Thông tư số 03/2025/TT-VPCP" in new_text and "gây phiền hà" not in new_text
    assert f"Thành phố Hồ Chí Minh, {documents.date_line((AFTER + datetime.timedelta(days=2)).date())}" in new_text
    assert "HIỆU TRƯỞNG" in new_text and "Trần Thị Mỹ Hạnh" in new_text and "KT." not in new_text
    assert "Nơi nhận:" in new_text
    # The reason as typed ends its sentence with a full stop, in both wordings.
    assert squash("Lý do: Cần xác minh.") in squash(old_text) and squash("Lý do: Cần xác minh.") in squash(new_text)


def test_a_reason_typed_with_its_own_full_stop_gets_no_second_one(unit, staff, principal, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    dossier_transition(dossier=dossier, action="apologize", actor=principal, reason="Chờ ý kiến phường. ",
                       at=AFTER + datetime.timedelta(days=1), new_due_date=datetime.date(2026, 3, 20))
    _p, text = pdf_text(documents.render_form_pdf(dossier=dossier, form="04"))
    assert squash("Lý do: Chờ ý kiến phường.") in squash(text) and "phường.." not in squash(text)


def test_a_deputy_signs_on_behalf_of_the_head(unit, staff, deputy, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    dossier_transition(dossier=dossier, action="apologize", actor=deputy, reason="Chờ ý kiến phường",
                       at=AFTER + datetime.timedelta(days=1), new_due_date=datetime.date(2026, 3, 20))
    _p, text = pdf_text(documents.render_form_pdf(dossier=dossier, form="04"))
    text = flat(text)
    assert "KT. HIỆU TRƯỞNG PHÓ HIỆU TRƯỞNG" in text and "Lê Văn Minh" in text


def test_stop_notice_is_form_05_of_2025_with_the_reason_and_the_date_of_the_stop(unit, staff, principal, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    stopped = AFTER + datetime.timedelta(days=3)
    dossier_transition(dossier=dossier, action="stop", actor=principal, at=stopped,
                       reason="Phụ huynh chuyển nơi cư trú ra tỉnh khác")
    _p, text = pdf_text(documents.render_form_pdf(dossier=dossier, form="05"))
    text = flat(text)
    _check_heading(text, unit, legal.form_for("stop", stopped.date()), numbered=True)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Số: 42/TB-MNTH" in text
    assert "Phụ huynh chuyển nơi cư trú ra tỉnh khác" in text
    assert f"kể từ ngày {stopped:%d/%m/%Y}" in text
    assert f"Thành phố Hồ Chí Minh, {documents.date_line(stopped.date())}" in text
    # Its control sheet goes with the 2025 set: form 06, and numbers never collide.
    numbers = [f.number for f in documents.forms_of(dossier=dossier)]
    assert numbers == ["01", "05", "06"]


def test_control_sheet_lists_every_step_with_hand_over_and_result_against_its_deadline(unit, staff, principal, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)  # due Monday 9/3/2026
    dossier_transition(dossier=dossier, action="complete", actor=staff, at=_at(datetime.date(2026, 3, 10)))
    dossier_transition(dossier=dossier, action="return", actor=staff, at=_at(datetime.date(2026, 3, 10), 15))
    pages, text = pdf_text(documents.render_form_pdf(dossier=dossier, form="06"))
    text = flat(text)
    spec = legal.form_for("control", datetime.date(2026, 3, 10))
    assert f"Mẫu số {spec.number}" in text and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Người giao" in text and "Người nhận" in text
    steps = documents.control_steps(dossier=dossier, events=list(dossier.events.select_related("actor").order_by("at", "id")))
    assert [s["event"].action for s in steps] == ["receive", "start", "complete", "return"]
    assert [s["result"] for s in steps] == ["Trước hạn", "Trước hạn", "Quá hạn", "Quá hạn"]
    assert (steps[0]["giver"], steps[0]["receiver"]) == ("Phạm Thị Thu", "Nguyễn Thị Lan")
    assert (steps[3]["giver"], steps[3]["receiver"]) == ("Nguyễn Thị Lan", "Phạm Thị Thu")
    assert text.count("Quá hạn") >= 2 and "Trước hạn" in text and "Hạn: 09/03/2026" in text


def test_control_sheet_on_the_due_day_is_on_time_and_a_restart_gives_a_new_deadline(unit, staff, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    dossier_transition(dossier=dossier, action="request_supplement", actor=staff, at=_at(datetime.date(2026, 3, 3)),
                       reason="Thiếu giấy khai sinh")
    dossier_transition(dossier=dossier, action="resume", actor=staff, at=_at(datetime.date(2026, 3, 5)))
    dossier_transition(dossier=dossier, action="complete", actor=staff, at=_at(datetime.date(2026, 3, 12)))
    steps = documents.control_steps(dossier=dossier, events=list(dossier.events.select_related("actor").order_by("at", "id")))
    resume, complete = steps[3], steps[4]
    assert resume["result"] == "" and (resume["giver"], resume["receiver"]) == ("Phạm Thị Thu", "Nguyễn Thị Lan")
    assert complete["due"] == datetime.date(2026, 3, 12) and complete["result"] == "Đúng hạn"


# --- which forms a dossier has; issued versions; the API --------------------------------

def test_a_dossier_has_the_forms_its_events_gave_it(unit, staff, principal, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    assert [(f.number, f.kind) for f in documents.forms_of(dossier=dossier)] == [("01", "receipt"), ("06", "control")]
    dossier_transition(dossier=dossier, action="request_supplement", actor=staff, at=AFTER + datetime.timedelta(hours=3),
                       reason="Thiếu")
    dossier_transition(dossier=dossier, action="apologize", actor=principal, at=AFTER + datetime.timedelta(hours=4),
                       reason="Chậm", new_due_date=datetime.date(2026, 3, 20))
    assert [f.number for f in documents.forms_of(dossier=dossier)] == ["01", "02", "04", "06"]
    old = _dossier("rejected", procedure, staff, BEFORE)
    assert [(f.number, f.legal_basis) for f in documents.forms_of(dossier=old)] == [
        ("01", "tt01-2018"), ("03", "tt01-2018"), ("05", "tt01-2018")]


def test_issuing_stores_a_new_version_with_its_hash(unit, staff, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    first = documents.issue_document(dossier=dossier, form="01", actor=staff)
    second = documents.issue_document(dossier=dossier, form="01", actor=staff)
    assert (first.code, first.version, second.version) == (f"{dossier.code}-01", 1, 2)
    assert second.supersedes == first and second.legal_basis == "tt03-2025"
    assert second.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" and second.issued_by == staff
    content = second.file.read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == second.sha256
    assert second.size == len(content) and not second.is_signed


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_the_documents_and_serves_each_pdf(unit, staff, procedure):
    dossier = _dossier("rejected", procedure, staff, AFTER)
    response = _api(staff).get(f"/api/v1/dossiers/{dossier.code}/documents/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["form"], r["title"], r["legal_basis"], r["signed"]) for r in rows] == [
        ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "tt03-2025", False),
        ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "tt03-2025", False),
        ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "tt03-2025", False),
    ]
    assert rows[1]["code"] == f"{dossier.code}-03"
    assert rows[1]["url"].endswith(f"/dossiers/{dossier.code}/documents/03.pdf")
    pdf = _api(staff).get(rows[1]["url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "PHIẾU TỪ CHỐI" in pdf_text(pdf.content)[1]
    assert _api(staff).get(f"/dossiers/{dossier.code}/documents/02.pdf").status_code == 404


def test_the_pdf_url_serves_the_latest_issued_version_with_a_token(unit, staff, procedure):
    from rest_framework.authtoken.models import Token

    dossier = _dossier("processing", procedure, staff, AFTER)
    documents.issue_document(dossier=dossier, form="01")
    issued = documents.issue_document(dossier=dossier, form="01")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    response = client.get(f"/dossiers/{dossier.code}/documents/01.pdf")
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == issued.sha256
    Document.objects.filter(pk=issued.pk).update(signed_at=timezone.now())
    rows = client.get(f"/api/v1/dossiers/{dossier.code}/documents/").json()["results"]
    assert rows[0]["signed"] is True and rows[1]["signed"] is False


def test_principal_and_office_read_other_units_get_404_anonymous_is_refused(client, unit, staff, principal, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    url = f"/dossiers/{dossier.code}/documents/01.pdf"
    client.force_login(principal)
    assert client.get(url).status_code == 200
    client.force_login(OfficeUserFactory(office=unit.office))
    assert client.get(url).status_code == 200
    assert client.get(f"/api/v1/dossiers/{dossier.code}/documents/").status_code == 200
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}/documents/").status_code == 404
    client.logout()
    assert client.get(url).status_code in (401, 403)


def test_dossier_page_links_its_documents(client, unit, staff, procedure):
    dossier = _dossier("rejected", procedure, staff, AFTER)
    client.force_login(staff)
    html = client.get(f"/dossiers/{dossier.code}/").content.decode()
    for number in ("01", "03", "06"):
        assert f"/dossiers/{dossier.code}/documents/{number}.pdf" in html
    assert f"/dossiers/{dossier.code}/documents/05.pdf" not in html


def test_the_schema_documents_the_document_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/dossiers/{code}/documents/" in schema["paths"]
    pdf = schema["paths"]["/dossiers/{code}/documents/{form}.pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]


def test_no_network_is_needed_to_render():
    from dossiers.documents import _fetcher

    with pytest.raises(ValueError):
        _fetcher().fetch("https://fonts.example.com/font.woff2")


# --- for a person to look at -------------------------------------------------------------

@pytest.mark.parametrize("form, status", [("01", "processing"), ("02", "awaiting_supplement"), ("03", "rejected"),
                                          ("04", "apology"), ("05", "stopped"), ("06", "returned")])
def test_page_one_renders_to_png_for_review(unit, staff, deputy, procedure, form, status):
    if shutil.which("pdftoppm") is None:
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)("pdftoppm (poppler-utils) is missing")
    dossier = _dossier("processing" if status == "apology" else status, procedure, staff, AFTER,
                       documents=[{"name": "Đơn xin nhập học", "kind": "original", "count": 1},
                                  {"name": "Bản sao giấy khai sinh", "kind": "certified", "count": 1}])
    if status == "apology":
        dossier_transition(dossier=dossier, action="apologize", actor=deputy, reason="Chờ xác minh hộ khẩu với phường",
                           at=AFTER + datetime.timedelta(days=3), new_due_date=datetime.date(2026, 3, 20))
    out = Path(settings.BASE_DIR) / "var" / "test-artifacts"
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / f"form-{form}.pdf"
    pdf.write_bytes(documents.render_form_pdf(dossier=dossier, form=form))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out / f"form-{form}")],
                   check=True)
    assert (out / f"form-{form}.png").stat().st_size > 5000


def test_a_full_receipt_still_fits_one_page(unit, staff, procedure):
    docs = [{"name": f"Giấy tờ số {n}: bản sao giấy chứng nhận có chứng thực của cơ quan có thẩm quyền", "kind": "certified",
             "count": 1} for n in range(1, 8)]
    dossier = _dossier("processing", procedure, staff, AFTER, documents=docs, representative_name="Nguyễn Văn Bình",
                       applicant_address="25 Nguyễn Du, phường Sài Gòn, Thành phố Hồ Chí Minh",
                       request_summary="Xin miễn, giảm học phí năm học 2025–2026 cho trẻ thuộc hộ nghèo")
    content = documents.render_form_pdf(dossier=dossier, form="01")
    (Path(settings.BASE_DIR) / "var" / "test-artifacts").mkdir(parents=True, exist_ok=True)
    (Path(settings.BASE_DIR) / "var" / "test-artifacts" / "form-01-full.pdf").write_bytes(content)
    pages, text = pdf_text(content)
    assert pages == 1 and "Giấy tờ số 7" in text and "Đánh giá hài lòng" in flat(text)


def test_the_pdf_carries_its_title_and_author(unit, staff, procedure):
    dossier = _dossier("processing", procedure, staff, AFTER)
    meta = PdfReader(io.BytesIO(documents.render_form_pdf(dossier=dossier, form="01"))).metadata
    assert meta.title == f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả — {dossier.code}"
    assert meta.author == "Trường mầm non Tuổi Hồng"


def test_a_number_under_ten_takes_a_leading_zero_and_the_copy_is_filed(unit, staff, procedure):
    dossier = _dossier("stopped", procedure, staff, AFTER, register_line=5)
    text = flat(pdf_text(documents.render_form_pdf(dossier=dossier, form="05"))[1])
    assert "Số: 05/TB-MNTH" in text and "- Như trên; - Lưu: VT, MNTH." in text
