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


def test_the_web_server_runs_with_the_settings_make_load_measures():
    """docker-compose, the image and bench/server.py all start gunicorn with gunicorn.conf.py."""
    import runpy

    from bench.server import gunicorn_settings

    assert "--config gunicorn.conf.py" in " ".join(load()["services"]["web"]["command"])
    assert '"--config", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["worker_class"] == "gthread" and conf["threads"] >= 2 and conf["workers"] >= 2
    assert gunicorn_settings() == {key: conf[key] for key in ("worker_class", "workers", "threads")}
    assert gunicorn_settings(threads=1)["threads"] == 1
