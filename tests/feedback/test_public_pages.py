import re

import pytest
from django.urls import reverse

from feedback.models import Feedback
from feedback.services import feedback_add_note, feedback_transition
from tests.factories import StaffFactory, UnitFactory, answered_feedback, published_feedback

HOSTILE_SUBJECT = '<script>alert("x")</script><b>Giờ đón trẻ</b>'
HOSTILE_CONTENT = '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">bấm</a> & "trích dẫn"'
PERSONAL = ("Trần Văn Bình", "0912345678", "binh@example.vn")


def form_data(**overrides):
    data = {
        "kind": "kien-nghi", "subject": "Đề nghị làm mái che sân chơi", "content": "Sân chơi buổi trưa rất nắng.",
        "name": "Trần Văn Bình", "phone": "0912 345 678", "email": "binh@example.vn", "consent_publish": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_parent_sends_feedback_and_gets_a_code_and_private_link(client):
    unit = UnitFactory(slug="mn-tuoi-hong")
    response = client.post("/feedback/new/?unit=mn-tuoi-hong", form_data(), follow=True)
    feedback = Feedback.objects.get()
    assert (feedback.unit, feedback.kind, feedback.status) == (unit, "kien-nghi", "new")
    assert response.redirect_chain[-1][0] == f"/feedback/{feedback.code}/?s={feedback.tracking_secret}&sent=1"
    page = response.content.decode()
    assert feedback.code in page and f"?s={feedback.tracking_secret}" in page
    assert "Cảm ơn" in page


@pytest.mark.django_db
def test_invalid_input_gets_vietnamese_messages_and_loses_nothing(client):
    UnitFactory(slug="mn-tuoi-hong")
    response = client.post(
        "/feedback/new/?unit=mn-tuoi-hong",
        form_data(kind="khac", subject="", content="Sân chơi buổi trưa rất nắng.", email="khong-phai-email", phone="abc"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in ("Hãy chọn loại phản ánh, kiến nghị.", "Hãy nhập tiêu đề.", "Nhập địa chỉ e-mail hợp lệ", "Nhập số điện thoại"):
        assert message in page
    assert "Sân chơi buổi trưa rất nắng." in page and "Trần Văn Bình" in page
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_unknown_unit_is_404_and_no_unit_lists_the_units(client):
    UnitFactory(), UnitFactory()
    assert client.get("/feedback/new/?unit=khong-co").status_code == 404
    assert client.get("/feedback/new/").status_code == 200


@pytest.mark.django_db
def test_tracking_without_the_secret_shows_the_status_only(client):
    feedback = answered_feedback(answer="Câu trả lời riêng")
    page = client.get(f"/feedback/{feedback.code}/").content.decode()
    assert "Đã trả lời" in page
    for private in (feedback.subject, feedback.content, "Câu trả lời riêng", *PERSONAL):
        assert private not in page
    wrong = client.get(f"/feedback/{feedback.code}/?s=sai").content.decode()
    assert "Câu trả lời riêng" not in wrong
    owner = client.get(f"/feedback/{feedback.code}/?s={feedback.tracking_secret}").content.decode()
    assert feedback.subject in owner and "Câu trả lời riêng" in owner


@pytest.mark.django_db
def test_published_page_has_open_graph_tags_and_no_personal_data_or_notes(client):
    staff = StaffFactory()
    feedback = answered_feedback(unit=staff.unit, answer="Đã mở thêm cổng phụ.")
    feedback_add_note(feedback=feedback, body="Ghi chú nội bộ bí mật", author=staff)
    feedback_transition(feedback=feedback, action="publish", actor=staff, public_content="Nội dung đã biên tập")
    response = client.get(reverse("feedback:public-item", args=[staff.unit.slug, feedback.code]))
    page = response.content.decode()
    assert response.status_code == 200
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        assert re.search(rf'<meta property="{prop}" content="[^"]+">', page), prop
    assert f'content="{feedback.subject}"' in page
    assert "Đã mở thêm cổng phụ." in page and "Nội dung đã biên tập" in page
    for secret in (*PERSONAL, "Ghi chú nội bộ bí mật", feedback.content):
        assert secret not in page


@pytest.mark.django_db
def test_unpublished_item_has_no_public_page(client):
    feedback = answered_feedback()
    assert client.get(reverse("feedback:public-item", args=[feedback.unit.slug, feedback.code])).status_code == 404


@pytest.mark.django_db
def test_feed_lists_published_answers_without_personal_data_or_notes(client):
    staff = StaffFactory()
    published = published_feedback(unit=staff.unit, subject="Mái che sân chơi", answer="Sẽ làm trong hè.")
    feedback_add_note(feedback=published, body="Ghi chú nội bộ bí mật", author=staff)
    answered_feedback(unit=staff.unit, subject="Chưa công bố")
    response = client.get(f"/u/{staff.unit.slug}/feedback.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "<title>Mái che sân chơi</title>" in feed and "Sẽ làm trong hè." in feed
    assert f"/u/{staff.unit.slug}/feedback/{published.code}/" in feed
    assert "Chưa công bố" not in feed
    for secret in (*PERSONAL, "Ghi chú nội bộ bí mật"):
        assert secret not in feed


@pytest.mark.django_db
def test_hostile_html_is_escaped_in_pages_and_feed(client):
    unit = UnitFactory()
    feedback = published_feedback(unit=unit, subject=HOSTILE_SUBJECT, content=HOSTILE_CONTENT, answer="<script>bad()</script>")
    pages = [
        client.get(reverse("feedback:public-item", args=[unit.slug, feedback.code])).content.decode(),
        client.get(reverse("feedback:public-list", args=[unit.slug])).content.decode(),
        client.get(f"/u/{unit.slug}/").content.decode(),
        client.get(f"/feedback/{feedback.code}/?s={feedback.tracking_secret}").content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page and "<script>bad" not in page
        assert "<img src=x" not in page and "<b>Giờ" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[0]
    feed = client.get(f"/u/{unit.slug}/feedback.atom").content.decode()
    assert "<script" not in feed and "<img" not in feed and "<b>" not in feed
    assert "&lt;script&gt;alert" in feed  # the title, as text
    assert "&amp;lt;img src=x" in feed  # the summary: escaped HTML, then XML


@pytest.mark.django_db
def test_unit_public_page_shows_latest_published_answers(client):
    unit = UnitFactory()
    published_feedback(unit=unit, subject="Mái che sân chơi", answer="Sẽ làm trong hè.")
    answered_feedback(unit=unit, subject="Chưa công bố")
    page = client.get(f"/u/{unit.slug}/").content.decode()
    assert "Mái che sân chơi" in page and "Sẽ làm trong hè." in page
    assert "Chưa công bố" not in page
    assert f"/feedback/new/?unit={unit.slug}" in page


@pytest.mark.django_db
def test_published_list_and_feed_take_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    unit = UnitFactory()
    for _ in range(4):
        published_feedback(unit=unit)
    with django_assert_max_num_queries(4):
        client.get(f"/u/{unit.slug}/feedback.atom")
    with django_assert_max_num_queries(5):
        client.get(reverse("feedback:public-list", args=[unit.slug]))
