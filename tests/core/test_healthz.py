import pytest
from django.core.management import call_command

from core.models import EngineRun


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_last_engine_run(client):
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["deadline_engine"]["last_run"] is None
    call_command("check_deadlines", "--now", "2026-03-10T09:00:00+07:00")
    body = client.get("/healthz").json()
    assert body["deadline_engine"]["last_run"] is not None
    assert EngineRun.objects.get().now.isoformat().startswith("2026-03-10T02:00:00")


@pytest.mark.django_db
@pytest.mark.redis
def test_healthz_broker_ok_with_redis(client):
    assert client.get("/healthz").json()["broker"] == "ok"


@pytest.mark.django_db
def test_check_deadlines_prints_one_line(capsys):
    call_command("check_deadlines")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("deadline engine:")


@pytest.mark.django_db
def test_check_deadlines_rejects_a_bad_time():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("check_deadlines", "--now", "hôm qua")
