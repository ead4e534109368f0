"""JSON logs: one access line per request with its id, duration, status, user and site."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

import orjson
from flask import Flask, g, request

access_log = logging.getLogger("ims.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # orjson: one line per request is on the hot path of every cached page
        try:
            return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
        except TypeError:  # e.g. an integer beyond 64 bits
            return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    logging.Formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Access lines are the request record (who, what, status, client), not diagnostics: written whatever
    # LOG_LEVEL says, through their own handler, so production's INFO-less level does not silence them.
    access_log.handlers[:] = [handler]
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
    # python_http_client (under SendGrid's client) logs each request's headers and body at DEBUG: the API
    # key and every reset and invitation link. Never below WARNING, whatever LOG_LEVEL says.
    for noisy in ("werkzeug", "botocore", "urllib3", "python_http_client"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def install_request_logging(app: Flask) -> None:
    @app.before_request
    def start_timer():
        # g lives on the app context, which an outer context (CLI, tests) can share across requests.
        for name in ("principal", "site", "prefetched", "database_down_elsewhere", "finder_entry"):
            g.pop(name, None)
        g.started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def log_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        principal = g.get("principal")
        site = g.get("site")
        access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": {
            "request_id": g.get("request_id"), "method": request.method, "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
            "user_id": principal.user_id if principal else None,
            "site_id": site.site_id if site else None,
            "remote_addr": request.remote_addr,
        }})
        return response
