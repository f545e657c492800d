import unicodedata

import pytest
from django.urls import reverse

from core.models import Unit
from tests.factories import PASSWORD, OfficeUserFactory, StaffFactory


@pytest.mark.django_db
def test_login_page_is_in_vietnamese(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode()


@pytest.mark.django_db
def test_staff_land_on_their_unit_home(client):
    staff = StaffFactory()
    response = client.post(reverse("login"), {"username": staff.username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert staff.unit.name in response.content.decode()


@pytest.mark.django_db
def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_office_home_lists_the_units_it_supervises_today_and_counts_those_handed_over(client):
    """The ward handed one school over on 1/7/2025: its home lists the two it still supervises,
    in Vietnamese order, and says that one more moved to another office."""
    import datetime

    from core.services import supervision_change
    from tests.factories import OfficeFactory, UnitFactory

    user = OfficeUserFactory()
    for name in ("Trường mầm non Ánh Dương", "Trường mầm non Bông Sen", "Trường mầm non An Phú"):
        UnitFactory(office=user.office, name=name)
    moved = Unit.objects.get(name="Trường mầm non Bông Sen")
    supervision_change(unit=moved, office=OfficeFactory(), valid_from=datetime.date(2025, 7, 1))
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    listed = html[html.index('data-testid="office-units"'):html.index("</ul>", html.index('data-testid="office-units"'))]
    assert "Trường mầm non An Phú" in listed and "Trường mầm non Ánh Dương" in listed
    assert listed.index("An Phú") < listed.index("Ánh Dương") and "Bông Sen" not in listed
    assert "2 đơn vị trực thuộc" in html
    assert "1 đơn vị trước đây trực thuộc nay do cơ quan khác quản lý" in html


@pytest.mark.django_db
def test_an_office_with_no_unit_today_says_so_once(client):
    user = OfficeUserFactory()
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "Hiện chưa có đơn vị nào trực thuộc." in html
    assert "0 đơn vị trực thuộc" not in html and 'data-testid="office-units"' not in html
    assert "So sánh" in html  # the comparison stays reachable for the units of its past


@pytest.mark.django_db
def test_a_province_home_shows_its_units_a_page_at_a_time(client):
    from tests.factories import UnitFactory

    user = OfficeUserFactory()
    UnitFactory.create_batch(51, office=user.office)
    client.force_login(user)
    first = client.get(reverse("home")).content.decode()
    assert first.count('<li class="list-group-item d-flex') == 50 and "51 đơn vị trực thuộc" in first
    assert "Trang 1/2" in first and 'href="?page=2"' in first
    second = client.get(reverse("home"), {"page": 2}).content.decode()
    assert second.count('<li class="list-group-item d-flex') == 1


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account(client, settings):
    staff = StaffFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": staff.username, "password": "sai-mat-khau"})
    response = client.post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Quá nhiều lần" in response.content.decode()


@pytest.mark.django_db
def test_a_lockout_of_one_account_does_not_lock_another_on_the_same_wifi(client, settings):
    guessed, other = StaffFactory(), StaffFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": guessed.username, "password": "sai"})
    response = client.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk  # signed in
    locked = client.post(reverse("login"), {"username": guessed.username, "password": PASSWORD})
    assert locked.status_code != 302  # while the guessed account stays locked


@pytest.mark.django_db
def test_english_is_available(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_form_input_is_stored_in_nfc(client):
    """Decomposed Vietnamese (as some phone keyboards send it) reaches views as NFC."""
    staff = StaffFactory()
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert decomposed != "Nguyễn Thị Ánh"
    client.post(reverse("login"), {"username": decomposed, "password": "x"})
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "Nguyễn Thị Ánh"
    assert staff  # the account itself is untouched


@pytest.mark.django_db
def test_unit_public_page_is_public(client):
    unit = StaffFactory().unit
    response = client.get(reverse("unit-public", args=[unit.slug]))
    assert response.status_code == 200
    assert unit.name in response.content.decode()
    assert client.get("/u/khong-co/").status_code == 404
    assert Unit.objects.count() == 1


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_switch_is_used(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in page.content.decode()


def test_the_dossier_survey_link_is_the_path_surveys_serves():
    """core/links.py prints /survey/<token>/ for dossiers and surveys alike."""
    from django.urls import reverse

    from core import links

    assert links.dossier_survey_path("abc123") == reverse("surveys:dossier", args=["abc123"])
    assert links.qr_svg(links.dossier_survey_url("abc123")).startswith("<svg")
