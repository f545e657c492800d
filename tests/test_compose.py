"""docker-compose.yml cannot be run here (no Docker engine); check its shape instead."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services_with_health_checks():
    services = load()["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    for name in ("db", "redis", "web", "worker"):
        assert "test" in services[name]["healthcheck"], name
    assert services["db"]["image"].startswith("postgres:") and int(services["db"]["image"].split(":")[1]) >= 15


def test_app_services_share_one_configuration_and_wait_for_their_dependencies():
    services = load()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(env), name
        assert env["DEBUG"] == "false"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "migrate" in " ".join(services["web"]["command"]) and "gunicorn" in " ".join(services["web"]["command"])
    assert "DatabaseScheduler" in " ".join(services["beat"]["command"])


def test_named_volumes_keep_data():
    compose = load()
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media", "keys"}
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
