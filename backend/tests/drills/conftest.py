"""Shared pieces of the reliability and security drills: figures, envelope checks, a database
fingerprint, and throwaway servers (the API on a real socket, a private Redis) on loopback only."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import redis
from werkzeug.serving import make_server

from ims.extensions import db
from tests.local_http import LocalServer, closed_port

FIGURES: dict[str, dict] = {}


@pytest.fixture
def figures(request):
    """A dict the drill fills with what it tried and what held; printed and written at the end of the run."""
    entry = FIGURES.setdefault(request.node.name, {})
    return entry


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    path = Path(config._tmp_path_factory.getbasetemp()) / "drill-figures.json"
    path.write_text(json.dumps(FIGURES, indent=2, sort_keys=True))
    terminalreporter.section("reliability drill figures")
    for name, values in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {json.dumps(values, sort_keys=True)}")
    terminalreporter.write_line(f"(written to {path})")


def assert_envelope(response, status: int | None = None) -> dict:
    """An error in the one envelope of DESIGN §5; returns the error object."""
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert 400 <= response.status_code < 500, response.status_code
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and set(body) == {"error"}, response.get_data(as_text=True)[:300]
    error = body["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] and error["message"]
    assert isinstance(error["details"], dict)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "psycopg2" not in text and "sqlalchemy" not in text.lower()
    return error


def interactions_fingerprint() -> tuple[int, str]:
    """Row count and a checksum over every stored interaction column: equal before and after = unchanged."""
    db.session.remove()
    count, digest = db.session.execute(db.text(
        "SELECT count(*), md5(coalesce(string_agg(i::text, '|' ORDER BY id), '')) FROM interactions i"
    )).one()
    db.session.remove()
    return count, digest


class ServedApp:
    """The Flask app behind a real threaded WSGI server on 127.0.0.1, so concurrent clients use sockets."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "ServedApp":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class ThrowawayRedis:
    """A private redis-server on a free loopback port (never the shared one on 6379), stoppable mid-run."""

    def __init__(self):
        self.port = closed_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ims-redis-"))
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self._process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def throwaway_redis():
    server = ThrowawayRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def bounded_until(predicate, *, attempts: int = 50, pause: float = 0.1):
    """Call `predicate` until it returns something truthy (bounded); returns the last value."""
    value = None
    for _ in range(attempts):
        value = predicate()
        if value:
            return value
        time.sleep(pause)
    return value



@pytest.fixture
def sendgrid(app, monkeypatch):
    """A SendGrid stand-in answering 202 (tests may change `answer`), configured on the app."""
    with LocalServer() as server:
        server.answer = lambda request: (202, {})
        monkeypatch.setitem(app.config, "SENDGRID_API_KEY", "SG.drill")
        monkeypatch.setitem(app.config, "SENDGRID_API_HOST", server.url)
        yield server


def mailed_reset_token(sendgrid) -> str:
    """The token of the last reset link the stand-in received (waits for delivery, bounded)."""
    sent = bounded_until(lambda: [r for r in sendgrid.requests_to("/v3/mail/send")
                                  if r.json()["subject"] == "Reset your password"], attempts=100)
    assert sent, "no reset mail arrived"
    text = "\n".join(part["value"] for part in sent[-1].json()["content"])
    return re.search(r"/reset-password[?#]token=(\S+)", text).group(1)
