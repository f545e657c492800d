import pytest

from feedback.models import Feedback
from feedback.spam import LIMITS
from tests.factories import UnitFactory

DATA = {"kind": "gop-y", "subject": "Góp ý thực đơn", "content": "Thêm rau xanh vào thực đơn.", "consent_publish": "on"}


@pytest.mark.django_db
def test_a_filled_honeypot_looks_sent_but_stores_nothing(client):
    unit = UnitFactory()
    response = client.post(f"/feedback/new/?unit={unit.slug}", {**DATA, "website": "http://spam.example"})
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db
def test_one_address_is_limited_but_another_is_not(client):
    unit = UnitFactory()
    limit = LIMITS[0][1]
    for _ in range(limit):
        assert client.post(f"/feedback/new/?unit={unit.slug}", DATA, REMOTE_ADDR="10.0.0.1").status_code == 302
    refused = client.post(f"/feedback/new/?unit={unit.slug}", DATA, REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 400 and "Có quá nhiều phản ánh" in refused.content.decode()
    assert "Thêm rau xanh vào thực đơn." in refused.content.decode()  # nothing lost
    assert client.post(f"/feedback/new/?unit={unit.slug}", DATA, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert Feedback.objects.count() == limit + 1


@pytest.mark.django_db
def test_feedback_is_still_accepted_when_redis_is_down(client, settings):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }}
    unit = UnitFactory()
    for _ in range(LIMITS[0][1] + 1):
        assert client.post(f"/feedback/new/?unit={unit.slug}", DATA).status_code == 302
    assert Feedback.objects.count() == LIMITS[0][1] + 1
