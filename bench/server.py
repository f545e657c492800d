"""gunicorn on 127.0.0.1 with bench settings on the bench database, and a small
HTTP client for figures (sessions for signed-in pages)."""
import os
import re
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


@contextmanager
def gunicorn(db_url: str, *, workers: int = 3, threads: int = 1):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    env.pop("REDIS_URL", None) if os.environ.get("BENCH_NO_REDIS") else None
    log = ROOT / "var" / "bench-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cchc_portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "5",
             "--env", "DJANGO_SETTINGS_MODULE=bench.settings"],
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
