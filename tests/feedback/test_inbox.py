import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from tests.factories import OfficeUserFactory, PrincipalFactory, StaffFactory, answered_feedback, send_feedback


@pytest.mark.django_db
def test_inbox_filters_by_status_overdue_and_assignment(client):
    staff = StaffFactory()
    unit = staff.unit
    late = send_feedback(unit=unit, subject="Quá hạn rồi", received_at=timezone.now() - datetime.timedelta(days=20))
    fresh = send_feedback(unit=unit, subject="Mới gửi hôm nay")
    answered = answered_feedback(unit=unit, subject="Đã trả lời xong")
    Feedback.objects.filter(pk=fresh.pk).update(assigned_to=staff)
    client.force_login(staff)
    page = client.get(reverse("feedback:inbox")).content.decode()
    assert all(s in page for s in ("Quá hạn rồi", "Mới gửi hôm nay", "Đã trả lời xong"))
    assert 'data-testid="overdue"' in page
    page = client.get(reverse("feedback:inbox"), {"status": "answered"}).content.decode()
    assert "Đã trả lời xong" in page and "Mới gửi hôm nay" not in page
    page = client.get(reverse("feedback:inbox"), {"overdue": "1"}).content.decode()
    assert late.subject in page and fresh.subject not in page and answered.subject not in page
    page = client.get(reverse("feedback:inbox"), {"assigned": "me"}).content.decode()
    assert fresh.subject in page and late.subject not in page


@pytest.mark.django_db
def test_inbox_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    staff = StaffFactory()
    for _ in range(3):
        send_feedback(unit=staff.unit)
    client.force_login(staff)
    client.get(reverse("feedback:inbox"))
    # the session with the person, their unit and office and the badge's count (core/sessions.py),
    # count for the pager, totals, page
    with django_assert_num_queries(4) as captured:
        page = client.get(reverse("feedback:inbox"))
    assert page.status_code == 200 and _rows(page) == 3
    for _ in range(5):
        answered_feedback(unit=staff.unit)
    with django_assert_num_queries(len(captured)):
        page = client.get(reverse("feedback:inbox"))
    assert page.status_code == 200 and _rows(page) == 8


def _rows(page) -> int:
    """Feedback items listed on an inbox page (one detail link each)."""
    from feedback.models import Feedback

    html = page.content.decode()
    return sum(1 for code in Feedback.objects.values_list("code", flat=True) if f"/feedback/inbox/{code}/" in html)


@pytest.mark.django_db
def test_staff_answer_then_publish_through_a_preview_of_exactly_the_public_view(client):
    staff = StaffFactory()
    feedback = send_feedback(unit=staff.unit)
    client.force_login(staff)
    client.post(reverse("feedback:act", args=[feedback.code, "start"]))
    client.post(reverse("feedback:note", args=[feedback.code]), {"body": "Ghi chú nội bộ bí mật"})
    response = client.post(reverse("feedback:act", args=[feedback.code, "answer"]), {"answer": ""})
    assert "Hãy viết nội dung trả lời" in response.content.decode()
    client.post(reverse("feedback:act", args=[feedback.code, "answer"]), {"answer": "Đã mở thêm cổng phụ."})
    preview = client.get(reverse("feedback:publish", args=[feedback.code])).content.decode()
    assert "Đã mở thêm cổng phụ." in preview
    edited = {"public_subject": "Giờ đón trẻ", "public_content": "Cổng ùn tắc buổi chiều.", "public_answer": "Đã mở cổng phụ."}
    preview = client.post(reverse("feedback:publish", args=[feedback.code]), {**edited, "preview": "1"}).content.decode()
    shown = preview.split('data-testid="preview"', 1)[1]
    assert "Cổng ùn tắc buổi chiều." in shown and "Đã mở cổng phụ." in shown
    for private in ("Trần Văn Bình", "0912345678", "binh@example.vn", "Ghi chú nội bộ bí mật"):
        assert private not in shown
    assert Feedback.objects.get(pk=feedback.pk).status == "answered"  # a preview publishes nothing
    client.post(reverse("feedback:publish", args=[feedback.code]), {**edited, "confirm": "1"})
    feedback.refresh_from_db()
    assert (feedback.status, feedback.public_answer) == ("published", "Đã mở cổng phụ.")
    public = client.get(reverse("feedback:public-item", args=[staff.unit.slug, feedback.code])).content.decode()
    assert "Cổng ùn tắc buổi chiều." in public and "Ghi chú nội bộ bí mật" not in public


@pytest.mark.django_db
def test_a_step_out_of_order_in_the_page_shows_an_error(client):
    staff = StaffFactory()
    feedback = send_feedback(unit=staff.unit)
    client.force_login(staff)
    response = client.post(reverse("feedback:publish", args=[feedback.code]),
                           {"public_subject": "x", "public_answer": "y", "confirm": "1"}, follow=True)
    assert "Không thể công khai" in response.content.decode()
    assert Feedback.objects.get(pk=feedback.pk).status == "new"


@pytest.mark.django_db
def test_assign_to_a_person_of_the_unit(client):
    staff, principal = StaffFactory(), None
    principal = PrincipalFactory(unit=staff.unit)
    feedback = send_feedback(unit=staff.unit)
    client.force_login(principal)
    client.post(reverse("feedback:assign", args=[feedback.code]), {"assignee": staff.pk})
    assert Feedback.objects.get(pk=feedback.pk).assigned_to == staff
    client.post(reverse("feedback:assign", args=[feedback.code]), {"assignee": StaffFactory().pk})
    assert Feedback.objects.get(pk=feedback.pk).assigned_to == staff


@pytest.mark.django_db
def test_assign_list_names_people_by_full_name_not_login(client):
    staff = StaffFactory(first_name="Bình", last_name="Lê Văn")
    feedback = send_feedback(unit=staff.unit)
    client.force_login(staff)
    html = client.get(reverse("feedback:detail", args=[feedback.code])).content.decode()
    assert re.search(rf'<option value="{staff.pk}"[^>]*>Lê Văn Bình</option>', html)
    assert f">{staff.username}</option>" not in html


@pytest.mark.django_db
def test_other_units_get_404_and_office_reads_without_writing(client):
    staff = StaffFactory()
    feedback = send_feedback(unit=staff.unit)
    client.force_login(StaffFactory())
    assert client.get(reverse("feedback:detail", args=[feedback.code])).status_code == 404
    assert client.post(reverse("feedback:act", args=[feedback.code, "start"])).status_code == 404
    office = OfficeUserFactory(office=staff.unit.office)
    client.force_login(office)
    assert client.get(reverse("feedback:inbox"), {"unit": staff.unit.slug}).status_code == 200
    page = client.get(reverse("feedback:detail", args=[feedback.code]))
    assert page.status_code == 200 and 'data-testid="answer-form"' not in page.content.decode()
    assert client.post(reverse("feedback:act", args=[feedback.code, "start"])).status_code == 403
    assert Feedback.objects.get(pk=feedback.pk).status == "new"
