"""The one client address and rate counter of the public pages (core/ratelimit.py)."""
import pytest

from core import ratelimit
from feedback.models import Feedback
from feedback.spam import LIMITS
from tests.factories import UnitFactory

FEEDBACK = {"kind": "gop-y", "subject": "Góp ý", "content": "Thêm rau xanh vào thực đơn.", "consent_publish": "on"}


def test_without_trusted_proxies_only_remote_addr_counts(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert ratelimit.client_address(request) == "10.0.0.2"


@pytest.mark.parametrize(("proxies", "expected"), [(1, "203.0.113.9"), (2, "1.1.1.1"), (3, "10.0.0.2")])
def test_the_nth_address_from_the_right_is_the_client_behind_n_proxies(rf, settings, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert ratelimit.client_address(request) == expected  # 3: the header is too short, REMOTE_ADDR


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_x_forwarded_for_does_not_reset_the_feedback_count(client, settings, proxies):
    """Each send writes a new first X-Forwarded-For value; the per-address limit still hits."""
    settings.TRUSTED_PROXY_COUNT = proxies
    unit = UnitFactory()
    allowed = LIMITS[0][1]
    statuses = []
    for n in range(allowed + 2):
        # behind one proxy, it appends the address it saw (203.0.113.50) to what the client wrote
        forwarded = f"198.51.100.{n}" + (", 203.0.113.50" if proxies else "")
        response = client.post(f"/feedback/new/?unit={unit.slug}", FEEDBACK,
                               REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
        statuses.append(response.status_code)
    assert statuses == [302] * allowed + [400, 400]
    assert Feedback.objects.count() == allowed


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_does_not_reset_the_tracking_count(client, monkeypatch):
    from dossiers import tracking

    monkeypatch.setattr(tracking, "TYPED_LIMIT", (600, 2))
    statuses = [
        client.post("/track/", {"code": "NOPE-0000", "phone": "0000"}, REMOTE_ADDR="10.0.0.9",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_the_counter_fails_open_when_the_cache_is_down(rf, settings):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }}
    request = rf.get("/", REMOTE_ADDR="10.0.0.2")
    assert all(ratelimit.allows(request, scope="test", limits=[(60, 0)]) for _ in range(3))


def test_each_window_is_counted_and_the_tightest_decides(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.3")
    results = [ratelimit.allows(request, scope="test", limits=[(60, 5), (3600, 2)]) for _ in range(3)]
    assert results == [True, True, False]
    other = rf.get("/", REMOTE_ADDR="10.0.0.4")
    assert ratelimit.allows(other, scope="test", limits=[(60, 5), (3600, 2)])
