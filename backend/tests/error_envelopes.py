"""Every error the API answers is the error envelope: `conftest.py` watches the responses of every
test's requests and fails the test in which an /api/ error (4xx, 5xx) came back in another shape.

The health probes answer the load balancer with a report of their own whatever the status, as the
OpenAPI document says (`PROBE_BODIES`)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import request, request_finished
from marshmallow import ValidationError

from ims.schemas import ErrorEnvelopeSchema

PROBE_BODIES = {"/api/health/ready": "the readiness report", "/api/health/db": "the dependency report"}


def problem_with(path: str, method: str, status: int, body: bytes, mimetype: str | None) -> str | None:
    """Why this response is not an error in the envelope, or None when it is (or is no error)."""
    if status < 400 or not path.startswith("/api/") or path in PROBE_BODIES or method == "HEAD":
        return None
    if mimetype != "application/json":
        return f"{status} answered as {mimetype}"
    try:
        ErrorEnvelopeSchema().loads(body)
    except ValidationError as exc:
        return f"{status} body {body[:200]!r} is not the envelope: {exc.messages}"
    except ValueError:
        return f"{status} body {body[:200]!r} is not JSON"
    return None


@dataclass
class Watch:
    """The error responses a test's requests received in another shape than the envelope."""

    wrong: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def response_finished(self, _app, response, **_extra) -> None:
        if response.is_streamed:
            return  # a started stream has sent its status; its errors end the stream, not a response
        problem = problem_with(request.path, request.method, response.status_code, response.get_data(),
                               response.mimetype)
        if problem:
            with self.lock:
                self.wrong.append(f"{request.method} {request.path}: {problem}")

    def __enter__(self) -> "Watch":
        request_finished.connect(self.response_finished)
        return self

    def __exit__(self, *exc) -> None:
        request_finished.disconnect(self.response_finished)
