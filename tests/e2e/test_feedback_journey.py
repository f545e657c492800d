"""A parent sends feedback on a phone; staff answer and publish it; the answer appears
on the unit's public page, on its own shareable page and in the Atom feed."""
from urllib.parse import urlsplit

import pytest

from tests.factories import StaffFactory


@pytest.mark.django_db(transaction=True)
def test_parent_sends_staff_answer_and_publish_answer_is_public(live_server, phone, desktop, login, screenshot):
    staff = StaffFactory(unit__slug="mn-tuoi-hong", unit__name="Trường mầm non Tuổi Hồng", unit__code="000.00.01.H29")
    base = live_server.url

    # 1. A parent, on a phone, sends a recommendation.
    phone.goto(f"{base}/feedback/new/?unit=mn-tuoi-hong")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.check("input[name=kind][value=kien-nghi]")
    phone.fill("input[name=subject]", "Đề nghị làm mái che sân chơi")
    phone.fill("textarea[name=content]", "Buổi trưa sân chơi rất nắng, các cháu không ra chơi được.")
    phone.fill("input[name=name]", "Trần Văn Bình")
    phone.fill("input[name=phone]", "0912345678")
    assert phone.is_checked("input[name=consent_publish]")
    assert phone.locator(".feedback-hp").bounding_box()["x"] < 0  # the honeypot: off screen for people
    screenshot(phone, "feedback-form-phone")
    phone.click("form[data-testid=feedback-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=tracking-code]")
    code = phone.inner_text("[data-testid=tracking-code]").strip()
    assert code.startswith("000.00.01.H29-PA-")
    private_link = phone.get_attribute("[data-testid=private-link]", "href")
    screenshot(phone, "feedback-sent-phone")

    # 2. Staff answer it and publish it after the preview.
    login(desktop, staff)
    desktop.goto(f"{base}/feedback/")
    desktop.click(f"text={code}")
    desktop.click("text=Bắt đầu xử lý")
    desktop.fill("textarea[name=answer]", "Nhà trường sẽ làm mái che trong dịp hè, hoàn thành trước năm học mới.")
    desktop.click("form[data-testid=answer-form] button[type=submit]")
    assert desktop.inner_text("[data-testid=status]") == "Đã trả lời"
    screenshot(desktop, "feedback-detail-desktop")
    desktop.click("text=Công khai…")
    preview = desktop.locator("[data-testid=preview]")
    assert "mái che trong dịp hè" in preview.inner_text()
    assert "Trần Văn Bình" not in preview.inner_text() and "0912345678" not in preview.inner_text()
    screenshot(desktop, "feedback-publish-preview-desktop")
    desktop.click("form[data-testid=publish-form] button[name=confirm]")
    assert desktop.inner_text("[data-testid=status]") == "Đã công khai"

    # 3. The answer is on the unit's public page, its own page (Open Graph) and the feed.
    phone.goto(f"{base}/u/mn-tuoi-hong/")
    section = phone.locator("[data-testid=feedback-section]")
    assert "Đề nghị làm mái che sân chơi" in section.inner_text()
    screenshot(phone, "feedback-unit-public-phone")
    section.locator("text=Đề nghị làm mái che sân chơi").click()
    assert "mái che trong dịp hè" in phone.inner_text("[data-testid=public-answer]")
    assert phone.get_attribute("meta[property='og:title']", "content") == "Đề nghị làm mái che sân chơi"
    assert phone.get_attribute("meta[property='og:type']", "content") == "article"
    assert code in phone.get_attribute("meta[property='og:url']", "content")
    assert "Trần Văn Bình" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "feedback-public-item-phone")
    feed = phone.request.get(f"{base}/u/mn-tuoi-hong/feedback.atom").text()
    assert "Đề nghị làm mái che sân chơi" in feed and "mái che trong dịp hè" in feed
    assert "Trần Văn Bình" not in feed and "0912345678" not in feed

    # 4. The parent's private link shows the answer.
    # The link carries the portal's SITE_URL; the live server lives elsewhere.
    parts = urlsplit(private_link)
    assert parts.query.startswith("s=")
    phone.goto(f"{base}{parts.path}?{parts.query}")
    assert "mái che trong dịp hè" in phone.inner_text("[data-testid=answer]")
    screenshot(phone, "feedback-track-answered-phone")
