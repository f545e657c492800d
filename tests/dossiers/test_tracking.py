"""Public tracking: QR secret or typed code + last 4 phone digits; nothing otherwise;
initials only; rate limited, failing open when the cache is down."""
import pytest
from django.urls import reverse

from tests.factories import dossier_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return dossier_in("processing", applicant_name="Nguyễn Thị Lan", applicant_phone="0901 234 567",
                      applicant_address="12 Nguyễn Du", applicant_id_number="079123456789")


def _private_data_absent(html, dossier):
    for secret in ("Nguyễn Thị Lan", "0901 234 567", "12 Nguyễn Du", "079123456789"):
        assert secret not in html


def test_the_qr_link_shows_status_and_initials_only(client, dossier):
    response = client.get(reverse("dossiers:track-detail", args=[dossier.code]), {"s": dossier.tracking_secret})
    html = response.content.decode()
    assert response.status_code == 200
    assert "N.T.L." in html and dossier.code in html and 'id="track-status"' in html
    _private_data_absent(html, dossier)


def test_a_wrong_secret_shows_nothing(client, dossier):
    response = client.get(reverse("dossiers:track-detail", args=[dossier.code]), {"s": "guess"})
    assert response.status_code == 404
    assert 'id="track-status"' not in response.content.decode()


def test_a_code_without_secret_asks_for_the_phone_digits(client, dossier):
    response = client.get(reverse("dossiers:track-detail", args=[dossier.code]))
    assert response.status_code == 200
    assert 'id="track-status"' not in response.content.decode()


def test_a_typed_code_needs_the_last_four_phone_digits(client, dossier):
    wrong = client.post(reverse("dossiers:track"), {"code": dossier.code, "phone": "1111"})
    assert 'id="track-status"' not in wrong.content.decode()
    right = client.post(reverse("dossiers:track"), {"code": dossier.code, "phone": "4567"})
    assert 'id="track-status"' in right.content.decode()
    _private_data_absent(right.content.decode(), dossier)


def test_lookups_are_rate_limited(client, dossier):
    for _ in range(20):
        client.post(reverse("dossiers:track"), {"code": dossier.code, "phone": "0000"})
    limited = client.post(reverse("dossiers:track"), {"code": dossier.code, "phone": "4567"})
    assert limited.status_code == 429
    assert 'id="track-status"' not in limited.content.decode()


def test_rate_limit_fails_open_when_the_cache_is_down(client, dossier, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr("dossiers.tracking.cache.add", broken)
    response = client.get(reverse("dossiers:track-detail", args=[dossier.code]), {"s": dossier.tracking_secret})
    assert response.status_code == 200


def test_tracking_page_works_on_a_phone_without_javascript(client):
    html = client.get(reverse("dossiers:track")).content.decode()
    assert '<form method="post"' in html and 'inputmode="numeric"' in html
