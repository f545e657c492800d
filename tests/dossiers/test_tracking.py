"""Public tracking: QR secret or typed code + last 4 phone digits; nothing otherwise;
initials only; limits that never lock out a school's Wi-Fi (QR links) but stop guessing
(typed codes), failing open when the cache is down."""
import pytest
from django.test import Client
from django.urls import reverse

from dossiers import tracking
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


def test_the_steps_are_listed_under_their_heading_and_no_heading_without_steps(client, dossier):
    from dossiers.models import DossierEvent

    url, secret = reverse("dossiers:track-detail", args=[dossier.code]), {"s": dossier.tracking_secret}
    html = client.get(url, secret).content.decode()
    assert "Các bước xử lý" in html and html.count("<li>", html.index('class="track-steps"')) >= 1
    # A dossier loaded from another system without its history: no empty heading.
    DossierEvent.objects.filter(dossier=dossier).delete()
    html = client.get(url, secret).content.decode()
    assert "Các bước xử lý" not in html and 'class="track-steps"' not in html and 'id="track-status"' in html


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


def _qr(client, dossier):
    return client.get(reverse("dossiers:track-detail", args=[dossier.code]), {"s": dossier.tracking_secret})


def _typed(client, dossier, digits):
    return client.post(reverse("dossiers:track"), {"code": dossier.code, "phone": digits})


CACHE_DOWN = {"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}}


def test_thirty_parents_behind_one_school_wifi_each_open_their_qr_link(dossier):
    school_wifi = Client(REMOTE_ADDR="203.0.113.20")
    dossiers = [dossier] + [dossier_in("received", applicant_phone=f"0903 000 {n:03d}") for n in range(29)]
    for each in dossiers:
        for _ in range(2):  # and each opens it again later
            response = _qr(school_wifi, each)
            assert response.status_code == 200 and 'id="track-status"' in response.content.decode()


def test_five_wrong_digits_lock_the_typed_lookup_of_that_code_only(client, dossier):
    for _ in range(tracking.CODE_FAILURES[1]):
        wrong = _typed(client, dossier, "0000")
        assert wrong.status_code == 200 and "Không tìm thấy hồ sơ" in wrong.content.decode()
    locked = _typed(client, dossier, "4567")  # the sixth try, even with the right digits
    html = locked.content.decode()
    assert locked.status_code == 429
    assert 'id="track-code-locked"' in html and "tạm dừng trong một giờ" in html and 'id="track-status"' not in html
    # from another connection too: the limit belongs to the code, not the address
    assert _typed(Client(REMOTE_ADDR="198.51.100.9"), dossier, "4567").status_code == 429
    # the owner's QR link still works, and so does another dossier's typed lookup
    assert _qr(client, dossier).status_code == 200
    other = dossier_in("received", applicant_phone="0911 222 333")
    assert 'id="track-status"' in _typed(client, other, "2333").content.decode()


def test_a_right_typed_lookup_does_not_count_as_a_failure(client, dossier):
    for _ in range(tracking.CODE_FAILURES[1] + 3):
        assert 'id="track-status"' in _typed(client, dossier, "4567").content.decode()


def test_typed_lookups_from_one_address_are_limited(client, dossier, monkeypatch):
    monkeypatch.setattr(tracking, "TYPED_LIMIT", (600, 3))
    others = [dossier_in("received", applicant_phone=f"0904 000 {n:03d}") for n in range(3)]
    for each in others:
        assert _typed(client, each, "0000").status_code == 200  # wrong digits on three codes
    limited = _typed(client, dossier, "4567")
    assert limited.status_code == 429 and 'id="track-status"' not in limited.content.decode()
    assert "tra cứu quá nhiều lần" in limited.content.decode()
    # another address is not affected, and QR links of this address still open
    assert _typed(Client(REMOTE_ADDR="198.51.100.10"), dossier, "4567").status_code == 200
    assert _qr(client, dossier).status_code == 200


def test_qr_links_from_one_address_meet_a_flood_guard(client, dossier, monkeypatch):
    monkeypatch.setattr(tracking, "QR_LIMIT", (600, 3))
    for _ in range(3):
        assert _qr(client, dossier).status_code == 200
    flooded = _qr(client, dossier)
    assert flooded.status_code == 429 and 'id="track-status"' not in flooded.content.decode()


def test_the_default_limits(settings):
    assert tracking.QR_LIMIT == (600, 300)  # (window in seconds, lookups allowed)
    assert tracking.TYPED_LIMIT == (600, 60)
    assert tracking.CODE_FAILURES == (3600, 5)


@pytest.mark.redis
def test_the_counters_hold_neither_the_address_nor_the_code(client, dossier):
    import redis
    from django.conf import settings

    _typed(client, dossier, "0000")
    _qr(client, dossier)
    r = redis.Redis.from_url(settings.REDIS_URL)
    keys = [k.decode() for k in r.scan_iter(match="*track-*")]
    assert len(keys) == 3  # typed and QR lookups of the address, failures of the code
    assert all("127.0.0.1" not in k and dossier.code not in k for k in keys)
    assert all(0 < r.ttl(k) <= 3600 for k in keys)


def test_every_limit_fails_open_when_the_cache_is_down(client, dossier, settings):
    settings.CACHES = CACHE_DOWN
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    assert _qr(client, dossier).status_code == 200
    for _ in range(tracking.CODE_FAILURES[1] + 1):
        assert _typed(client, dossier, "0000").status_code == 200
    assert 'id="track-status"' in _typed(client, dossier, "4567").content.decode()


def test_a_code_typed_on_a_phone_in_lower_case_with_spaces_is_found(client, dossier):
    typed = dossier.code.lower().replace(".", ". ")  # what autocorrect makes of "000.00.01.H29…"
    html = client.post(reverse("dossiers:track"), {"code": f" {typed} ", "phone": "4567"}).content.decode()
    assert 'id="track-status"' in html
    form = client.get(reverse("dossiers:track")).content.decode()
    assert 'autocorrect="off"' in form and 'autocapitalize="characters"' in form


def test_tracking_page_works_on_a_phone_without_javascript(client):
    html = client.get(reverse("dossiers:track")).content.decode()
    assert '<form method="post"' in html and 'inputmode="numeric"' in html


@pytest.mark.django_db
def test_a_stopped_dossier_says_so_to_the_parent_not_withdrawn(client):
    from dossiers.services import dossier_transition
    from tests.factories import receive_dossier

    dossier = receive_dossier()
    dossier_transition(dossier=dossier, action="stop", reason="Hồ sơ trùng lặp")
    text = client.get(f"/track/{dossier.code}/", {"s": dossier.tracking_secret}).content.decode()
    assert "dừng giải quyết hồ sơ này" in text and "rút theo đề nghị" not in text
