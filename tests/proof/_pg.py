"""Helpers shared by the proof tests: libpq URLs for the test database and
scratch databases created beside it."""
import contextlib
import os
import subprocess
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def db_url(name: str | None = None, **overrides) -> str:
    db = {**settings.DATABASES["default"], **overrides}
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name or connection.settings_dict['NAME']}"


@contextlib.contextmanager
def scratch_database(name: str):
    """An empty database ``name`` on the same server, dropped afterwards."""
    admin = psycopg2.connect(db_url("postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
        yield db_url(name)
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run_script(script: str, *args: str, env: dict, check=True) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT", "BACKUP_ROOT")}
    full_env.update(env)
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args], env=full_env, capture_output=True, text=True,
        timeout=120, check=check, stdin=subprocess.DEVNULL,
    )
