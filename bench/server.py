"""gunicorn on 127.0.0.1 with bench settings on the bench database, and a small
HTTP client for figures (sessions for signed-in pages)."""
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import requests

from bench.common import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_settings(**overrides) -> dict:
    """The worker settings of gunicorn.conf.py (what production runs), with ``overrides``."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    found = {key: conf[key] for key in ("worker_class", "workers", "threads")}
    return {**found, **{key: value for key, value in overrides.items() if value is not None}}


@contextmanager
def gunicorn(db_url: str, *, workers: int | None = None, threads: int | None = None, worker_class: str | None = None):
    """gunicorn with the settings of gunicorn.conf.py (``workers``, ``threads``, ``worker_class``
    override them), without its access log, on a free port of 127.0.0.1."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings", "WEB_ACCESS_LOG": ""}
    env.pop("REDIS_URL", None) if os.environ.get("BENCH_NO_REDIS") else None
    log = ROOT / "var" / "bench-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cchc_portal.wsgi", "--config", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5", "--env", "DJANGO_SETTINGS_MODULE=bench.settings",
             *(["--workers", str(workers)] if workers else []), *(["--threads", str(threads)] if threads else []),
             *(["--worker-class", worker_class] if worker_class else [])],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/bench/trivial/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited, see {log}")
        else:
            raise RuntimeError(f"gunicorn did not answer within 60 s, see {log}")
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def signed_in(base: str, username: str, password: str) -> requests.Session:
    """A session logged in through the real login form (CSRF included)."""
    session = requests.Session()
    page = session.get(base + "/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(base + "/accounts/login/", data={"username": username, "password": password,
                                                          "csrfmiddlewaretoken": token},
                          headers={"Referer": base + "/accounts/login/"}, timeout=30, allow_redirects=False)
    if answer.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {answer.status_code}")
    return session
