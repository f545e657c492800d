"""A parent scans the receipt's QR code with a cheap phone, answers in thirty
seconds, is thanked; a second attempt is told politely it was already counted."""
import pytest
from playwright.sync_api import expect

from surveys.links import dossier_survey_path
from surveys.models import Response
from tests.e2e.conftest import ARTIFACTS
from tests.factories import reload_reference_data, UnitFactory, receive_dossier


def weigh(browser, url):
    """Bytes transferred over the network (Chromium's encodedDataLength: headers and
    bodies as sent) to load ``url`` in a fresh phone with an empty cache."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], (e["response"]["url"], e["type"])))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    context.close()
    return [(urls.get(rid, ("?", "?"))[0], urls.get(rid, ("?", "?"))[1], n) for rid, n in sizes.items()]


@pytest.mark.django_db(transaction=True)
def test_scan_answer_thanks_then_a_second_attempt(live_server, phone, browser, screenshot):
    reload_reference_data()
    dossier = receive_dossier(applicant_email="phuhuynh@example.vn")
    scan_link = f"{live_server.url}{dossier_survey_path(dossier)}"  # what the receipt's QR code carries

    loads = weigh(browser, scan_link)
    # Light: no JavaScript at all on the survey page.
    assert not [u for u, kind, _ in loads if kind == "Script"], loads
    weight = sum(n for _, _, n in loads)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "surveys-page-weight.txt").write_text(
        f"survey page, empty cache: {weight} bytes transferred in {len(loads)} requests\n"
        + "\n".join(f"{n:>8}  {kind:<10} {u}" for u, kind, n in loads) + "\n"
    )
    print(f"\nsurvey page weight: {weight} bytes transferred, {len(loads)} requests")

    # A second tab opened on the same link before answering (the parent scanned twice).
    other_tab = phone.context.new_page()
    other_tab.goto(scan_link)

    phone.goto(scan_link)
    phone.wait_for_load_state("networkidle")
    assert phone.locator("h1").inner_text() == "Quý phụ huynh có hài lòng?"
    assert phone.locator("fieldset").count() == 6
    assert phone.get_by_text("Rất không hài lòng").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Big tap targets: every rating option is at least 44 px tall.
    heights = phone.locator(".survey-option").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert min(heights) >= 44
    screenshot(phone, "surveys-1-form-phone")

    # Sending without the overall rating: a clear Vietnamese error, nothing lost.
    phone.get_by_text("Cán bộ, viên chức").scroll_into_view_if_needed()
    phone.locator("label[for=staff-4]").tap()
    phone.locator("button.survey-submit").tap()
    expect(phone.locator("#form-errors")).to_contain_text("Vui lòng chọn mức độ hài lòng chung")
    expect(phone.locator("#staff-4")).to_be_checked()
    screenshot(phone, "surveys-2-error-phone", full_page=False)

    phone.locator("label[for=overall-5]").tap()
    phone.locator("label[for=access-4]").tap()
    phone.fill("textarea[name=comment]", "Cô hướng dẫn rất tận tình, cảm ơn nhà trường.")
    phone.locator("button.survey-submit").tap()
    expect(phone.locator("[data-testid=survey-thanks] h1")).to_have_text("Xin cảm ơn!")
    screenshot(phone, "surveys-3-thanks-phone")
    response = Response.objects.get()
    assert (response.overall, response.staff, response.access, response.source) == (5, 4, 4, "dossier")

    # Second attempt: the scan link again...
    phone.goto(scan_link)
    expect(phone.locator("[data-testid=survey-already] h1")).to_have_text("Ý kiến của quý phụ huynh đã được ghi nhận")
    screenshot(phone, "surveys-4-already-phone")
    # ...and the form left open in the other tab.
    other_tab.locator("label[for=overall-1]").tap()
    other_tab.locator("button.survey-submit").tap()
    expect(other_tab.locator("[data-testid=survey-already]")).to_be_visible()
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_open_survey_from_a_poster_works_without_javascript(live_server, browser, screenshot):
    reload_reference_data()
    unit = UnitFactory(slug="mn-tuoi-hong", name="Trường mầm non Tuổi Hồng")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/u/{unit.slug}/survey/giao-duc-hoa-nhap/")
    assert "Giáo dục hòa nhập" in page.content()
    page.wait_for_timeout(2100)  # a person takes a moment to read
    page.locator("label[for=overall-4]").tap()
    page.locator("button.survey-submit").tap()
    expect(page.locator("[data-testid=survey-thanks]")).to_be_visible()
    screenshot(page, "surveys-5-open-thanks-nojs-phone")
    page.goto(f"{live_server.url}/u/{unit.slug}/survey/giao-duc-hoa-nhap/")
    expect(page.locator("[data-testid=survey-already]")).to_be_visible()
    context.close()
    assert Response.objects.get().area.key == "giao-duc-hoa-nhap"
