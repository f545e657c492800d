import pytest

from tests.factories import StaffFactory


@pytest.mark.django_db(transaction=True)
def test_staff_log_in_and_land_on_their_unit_home(live_server, phone, login, screenshot):
    staff = StaffFactory(unit__name="Trường mầm non Tuổi Hồng")
    login(phone, staff)
    assert phone.url == f"{live_server.url}/"
    heading = phone.locator("h1")
    assert heading.inner_text() == "Trường mầm non Tuổi Hồng"
    assert phone.locator("[data-testid=home-tiles] .card").count() == 4
    # Phone layout: the menu collapses behind the toggler and nothing overflows sideways.
    assert phone.locator(".navbar-toggler").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert screenshot(phone, "foundation-home-phone").exists()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_shows_a_vietnamese_error(live_server, desktop, login, screenshot):
    staff = StaffFactory()
    login(desktop, staff, password="sai-mat-khau")
    assert "Sai tên đăng nhập hoặc mật khẩu" in desktop.content()
    screenshot(desktop, "foundation-login-error")
