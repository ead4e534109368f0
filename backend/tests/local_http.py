"""A local HTTP server in a thread standing in for a SaaS endpoint (Auth0, SendGrid): it records
every request it receives and answers with whatever the test sets."""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 refuses connections when 20+ clients call at once.
    request_queue_size = 128
    daemon_threads = True


class InThread:
    """A server (anything with serve_forever/shutdown/server_close) run from a daemon thread while the
    `with` block lasts."""

    def __init__(self, httpd):
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class LocalServer(InThread):
    """`answer(request) -> (status, json_body)` decides each response; by default 200 {}."""

    def __init__(self):
        self.requests: list[Received] = []
        self.answer = lambda request: (200, {})
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                received = Received(self.command, self.path, dict(self.headers), self.rfile.read(length))
                server.requests.append(received)
                status, body = server.answer(received)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

            def log_message(self, *args):  # keep test output quiet
                pass

        super().__init__(_Server(("127.0.0.1", 0), Handler))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def requests_to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
