"""Staff answer a parent's feedback; a real Celery worker sends the answer by SMS to the
recording gateway; the parent opens the SMS's link on a phone and rates the answer, once."""
import pytest

from feedback.services import feedback_receive
from tests.factories import StaffFactory

PHONE_NUMBER = "0912345678"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_parent_rates_the_answer_from_the_sms_on_a_phone(
    sms_gateway, celery_worker_process, live_server, settings, phone, desktop, login, screenshot,
):
    settings.SITE_URL = live_server.url  # the links in the SMS open the test server
    staff = StaffFactory(unit__slug="mn-tuoi-hong", unit__name="Trường mầm non Tuổi Hồng")
    feedback = feedback_receive(unit=staff.unit, kind="kien-nghi", subject="Đề nghị làm mái che sân chơi",
                                content="Buổi trưa sân chơi rất nắng.", name="Trần Văn Bình", phone=PHONE_NUMBER)

    # 1. Staff answer in the browser.
    login(desktop, staff)
    desktop.goto(f"{live_server.url}/feedback/inbox/{feedback.code}/")
    desktop.fill("textarea[name=answer]", "Nhà trường sẽ làm mái che trong dịp hè.")
    desktop.click("form[data-testid=answer-form] button[type=submit]")
    assert desktop.inner_text("[data-testid=status]") == "Đã trả lời"

    # 2. The worker sends the SMS; the parent opens its rating link on a phone.
    texts = sms_gateway.wait_for(lambda g: g.texts_to(PHONE_NUMBER), timeout=60)
    assert texts and texts[0].startswith("Kính gửi ông/bà Trần Văn Bình,")
    rate_link = next(link for link in sms_gateway.links_to(PHONE_NUMBER) if "/rate/" in link)
    phone.goto(rate_link)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.inner_text("h1") == "Đánh giá câu trả lời"
    phone.click("label[for=score-4]")
    phone.fill("textarea[name=comment]", "Cảm ơn nhà trường")
    screenshot(phone, "feedback-rating-phone")
    phone.click("[data-testid=rating-submit]")
    assert "Đánh giá đã được ghi nhận" in phone.inner_text("[data-testid=rating-thanks]")

    # 3. Once only; staff see the rating beside the answer.
    phone.goto(rate_link)
    assert "mỗi câu trả lời chỉ được đánh giá một lần" in phone.inner_text("[data-testid=rating-again]")
    desktop.goto(f"{live_server.url}/feedback/inbox/{feedback.code}/")
    assert "4/5" in desktop.inner_text("[data-testid=answer-rating]")
