"""A recording SMS / Zalo gateway for tests: a real HTTP server on 127.0.0.1, in a thread,
that keeps every request it receives.

Fixtures (imported by tests/conftest.py, so every test can ask for them):

* ``sms_gateway`` — answers 200; the portal's SMS backend points at it.
* ``zalo_gateway`` — answers 200 as Zalo ZNS does; the portal's Zalo backend points at it.
* ``failing_sms_gateway`` / ``hanging_sms_gateway`` — the SMS gateway answering 500 /
  never answering.
* ``outbox_tasks`` — replaces the broker: the (label, pk) of every outbox row that would
  have been enqueued after commit; ``deliver_outbox(label)`` then sends the pending rows
  in this process, as the worker would.
* ``recording_gateway(mode)`` — a factory for more: ``"ok"``, ``"error"`` (HTTP 500 to
  everything) or ``"hang"`` (accepts the request and never answers, until the test ends).

Each gateway fixture configures both this process (Django settings) and the environment
a Celery worker inherits: ask for it BEFORE ``celery_worker_process`` in the test's
arguments so the worker starts with the gateway's address. They also make retries
quick: NOTIFY_HTTP_TIMEOUT=1, NOTIFY_RETRY_SECONDS=0, NOTIFY_MAX_ATTEMPTS=3.

A browser journey (live_server) reads the parent's SMS either through a real worker::

    def test_journey(sms_gateway, celery_worker_process, live_server, settings, page):
        settings.SITE_URL = live_server.url          # the links in the SMS open the test server
        ...                                          # submit, accept, complete in the browser
        (text,) = sms_gateway.wait_for(lambda g: g.texts_to("0912345678")[-1:])
        page.goto(sms_gateway.links_to("0912345678")[-1])

or without one: ask for ``outbox_tasks`` and call ``deliver_outbox("dossiers.ApplicantNotice")``
after the step that should have sent it.

Reading what was "sent"::

    gateway.wait_for(lambda g: g.texts_to("0912345678"))   # polls with a deadline
    gateway.texts_to("0912345678")   # SMS texts to that number, oldest first
    gateway.links_to("0912345678")   # every http(s) link in them
    gateway.requests                 # [{"path", "headers" (lower-case names), "json"}] of every request
"""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

URL = re.compile(r"https?://\S+")


def _international(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


class RecordingGateway:
    def __init__(self, mode: str = "ok"):
        if mode not in ("ok", "error", "hang"):
            raise ValueError(mode)
        self.mode = mode
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    payload = json.loads(raw or b"{}")
                except ValueError:
                    payload = {"raw": raw.decode("utf-8", "replace")}
                with gateway._lock:
                    gateway.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "json": payload})
                    number = len(gateway.requests)
                if gateway.mode == "hang":
                    gateway._release.wait()  # until the test ends: the client must time out
                    return
                if gateway.mode == "error":
                    self._answer(500, {"error": "internal"})
                    return
                # Both shapes at once: a generic SMS gateway's id and Zalo's {"error": 0, "data"}.
                self._answer(200, {"id": f"msg-{number}", "error": 0, "message": "Success",
                                   "data": {"msg_id": f"zns-{number}"}})

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    # --- reading what was received ------------------------------------------------------
    def payloads(self) -> list[dict]:
        with self._lock:
            return [r["json"] for r in self.requests]

    def texts_to(self, phone: str) -> list[str]:
        """SMS texts sent to ``phone`` (any written form: 0912..., 84912...)."""
        number = _international(phone)
        return [p.get("text", "") for p in self.payloads() if _international(str(p.get("to", ""))) == number]

    def zns_to(self, phone: str) -> list[dict]:
        """Zalo ZNS template_data sent to ``phone``."""
        number = _international(phone)
        return [p.get("template_data", {}) for p in self.payloads() if _international(str(p.get("phone", ""))) == number]

    def links_to(self, phone: str) -> list[str]:
        links = []
        for text in self.texts_to(phone):
            links += URL.findall(text)
        for data in self.zns_to(phone):
            links += [v for v in data.values() if isinstance(v, str) and URL.fullmatch(v)]
        return links

    def wait_for(self, predicate, timeout: float = 30.0):
        """Poll ``predicate(self)`` until it is truthy (returned) or ``timeout`` passes (None)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate(self)
            if value:
                return value
            time.sleep(0.1)
        return None

    def close(self):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()


def _configure(settings, monkeypatch, values: dict):
    """Point this process (Django settings) and a worker started later (environment) at
    the gateway."""
    for name, value in values.items():
        setattr(settings, name, value)
        monkeypatch.setenv(name, str(value))


QUICK_RETRIES = {"NOTIFY_HTTP_TIMEOUT": 1.0, "NOTIFY_RETRY_SECONDS": 0, "NOTIFY_MAX_ATTEMPTS": 3}


def use_for_sms(gateway, settings, monkeypatch):
    _configure(settings, monkeypatch, {
        **QUICK_RETRIES, "SMS_BACKEND": "http", "SMS_GATEWAY_URL": gateway.url, "SMS_GATEWAY_KEY": "test-sms-key",
        "SMS_SENDER": "CCHC",
    })


def use_for_zalo(gateway, settings, monkeypatch):
    _configure(settings, monkeypatch, {
        **QUICK_RETRIES, "ZALO_BACKEND": "zns", "ZALO_ZNS_URL": gateway.url, "ZALO_OA_ACCESS_TOKEN": "test-zalo-token",
        "ZALO_ZNS_TEMPLATE_ID": "123456",
    })


@pytest.fixture
def recording_gateway():
    """``recording_gateway(mode)`` starts one more gateway; all are closed after the test."""
    started = []

    def start(mode: str = "ok") -> RecordingGateway:
        gateway = RecordingGateway(mode)
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.close()


def _sms(mode):
    @pytest.fixture
    def fixture(recording_gateway, settings, monkeypatch):
        gateway = recording_gateway(mode)
        use_for_sms(gateway, settings, monkeypatch)
        return gateway

    return fixture


sms_gateway = _sms("ok")
failing_sms_gateway = _sms("error")  # HTTP 500 to every message
hanging_sms_gateway = _sms("hang")  # never answers: the portal's timeout must end it


@pytest.fixture
def zalo_gateway(recording_gateway, settings, monkeypatch):
    gateway = recording_gateway("ok")
    use_for_zalo(gateway, settings, monkeypatch)
    return gateway


@pytest.fixture
def outbox_tasks(monkeypatch):
    """The tasks that would go to the broker after commit, as (label, pk): nothing is
    enqueued, nothing is sent until the test calls ``deliver_outbox``."""
    calls = []
    monkeypatch.setattr("core.tasks.enqueue", lambda task, *args: calls.append(args))
    return calls


def deliver_outbox(label: str) -> None:
    """What the worker does: one delivery per pending row of ``label``."""
    from django.apps import apps

    from core.notify import deliver_outbox_row

    model = apps.get_model(label)
    for pk in model.objects.filter(status="pending").values_list("pk", flat=True):
        deliver_outbox_row(label, pk)
