"""Private servers for fault tests: a Redis and a PostgreSQL cluster of their own,
on free ports of 127.0.0.1, that a test may stop and start at will. The shared
servers that other engineers and CI use are never touched."""
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} within {timeout} s")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.proc = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        if self.proc and self.proc.poll() is None:
            return
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), 10, "private redis-server did not listen")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        wait_for(lambda: not port_open(self.port), 5, "private redis-server did not stop")


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if not path:
        raise FileNotFoundError(f"PostgreSQL's {name} not found (apt-get install postgresql)")
    return path


class PrivatePostgres:
    """A throw-away cluster (initdb in a temporary folder, trust auth, fsync off).
    PostgreSQL refuses to run as root: as root, its commands run as `postgres`."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cchc-proof-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_owner(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                       "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")

    def _as_owner(self, *cmd: str, check=True):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *cmd], check=check, capture_output=True, text=True, timeout=60)

    def url(self, name: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._as_owner(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "start")

    def stop(self, mode: str = "fast"):
        self._as_owner(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self):
        self.stop()
        self.start()

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def portal_env(*, database_url: str, redis_url: str, mail_dir: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, PYTHONPATH=str(ROOT),
               DJANGO_SETTINGS_MODULE="tests.proof.fault_settings", PYTHONUNBUFFERED="1")
    if mail_dir is not None:
        env["EMAIL_FILE_PATH"] = str(mail_dir)
    return env


def _log(name: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return open(ARTIFACTS / name, "ab")


class Gunicorn:
    """The production web server, on 127.0.0.1 only."""

    def __init__(self, env: dict, workers: int = 1):
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.proc = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        with _log("gunicorn-proof.log") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "cchc_portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(self.workers), "--timeout", "30", "--graceful-timeout", "2"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )
        wait_for(lambda: self.proc.poll() is not None or port_open(self.port), 30, "gunicorn did not listen")
        if self.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {ARTIFACTS / 'gunicorn-proof.log'}")

    def worker_pids(self) -> set[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return {int(p) for p in children.read_text().split()} if children.exists() else set()

    def get(self, path: str, timeout: float = 15) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as resp:  # noqa: S310 - 127.0.0.1 only
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class CeleryWorker:
    def __init__(self, env: dict):
        self.env = env
        self.proc = None

    def start(self):
        with _log("celery-proof.log") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "cchc_portal", "worker", "--pool=solo", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_portal(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m tests.proof.actions ...`` or ``manage.py ...`` in a fresh process."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def count_mail(mail_dir: Path) -> dict[str, int]:
    """Messages written by the file e-mail backend, counted per recipient and subject."""
    counts: dict[str, int] = {}
    if not mail_dir.exists():
        return counts
    for path in mail_dir.iterdir():
        to = subject = None
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                to = line[4:]
            elif line.startswith("Subject: "):
                subject = line[9:]
            elif line.startswith("-" * 79):
                counts[f"{to}|{subject}"] = counts.get(f"{to}|{subject}", 0) + 1
                to = subject = None
    return counts


def mail_log(mail_dir: Path) -> str:
    return "\n".join(p.read_text(errors="replace")[:3000] for p in sorted(mail_dir.iterdir())) if mail_dir.exists() else ""


class PrivateReplica(PrivatePostgres):
    """A streaming replica of ``primary`` (pg_basebackup -R), on a port of its own."""

    def __init__(self, primary: PrivatePostgres):  # super().__init__ would initdb a new cluster
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cchc-proof-replica-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_owner(_pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                       "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync")
