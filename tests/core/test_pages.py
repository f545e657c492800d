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
def test_office_home_lists_its_units(client):
    user = OfficeUserFactory()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


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
