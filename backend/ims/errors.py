"""Domain exceptions and the one place that turns every error into the API's envelope."""
from __future__ import annotations

import logging
from typing import TypeVar

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .db_outage import note_if_database_down
from .ratelimit import retry_after_seconds

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    423: "account_locked",
    429: "rate_limited",
    503: "service_unavailable",
}


class AppError(Exception):
    """An error the client should see, with its HTTP status and envelope code.

    A subclass declares them in its class line: `class Gone(AppError, status=410, message="…")`; the code
    is the status's own (HTTP_CODES) unless it names a more precise one."""

    status = 400
    code = "bad_request"
    message = "The request is not valid."

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, message: str | None = None,
                          **kwargs):
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status, cls.code = status, code or HTTP_CODES[status]
        if message is not None:
            cls.message = message

    def __init__(self, message: str | None = None, *, details: dict | None = None, headers: dict | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details or {}
        self.headers = headers or {}


class BadRequest(AppError):
    """The request is malformed or asks for something impossible."""


class Unauthorized(AppError, status=401, message="Authentication is required."):
    """No valid credentials came with the request."""


class InvalidCredentials(AppError, status=401, code="invalid_credentials", message="Wrong username or password."):
    """A sign-in with a wrong username or password (never says which)."""


class Forbidden(AppError, status=403, message="You do not have permission to do this."):
    """Signed in, but the role or membership does not allow it."""


class NotFound(AppError, status=404, message="Not found."):
    """No such record, or one in a site the caller cannot see (the answer is the same)."""


class VersionConflict(AppError, status=409, code="version_conflict",
                      message="Someone else changed this record since you loaded it."):
    """The record changed since the client loaded it (optimistic concurrency)."""


class Conflict(AppError, status=409, message="This clashes with the current state."):
    """The request is valid but clashes with the current state (last admin, already a member, …)."""


class UnprocessableEntity(AppError, status=422, message="Some fields are not valid."):
    """Fields that parse but are not acceptable; details name them."""


class AccountLocked(AppError, status=423):
    """Too many failed sign-ins; the message says how long to wait."""


class ServiceUnavailable(AppError, status=503,
                         message="A service the API depends on is unavailable; try again shortly."):
    """A dependency (database, cache) is down; the client may retry."""


T = TypeVar("T")


def get_or_404(found: T | None, message: str = NotFound.message) -> T:
    """What a lookup found, or the 404 that says it is not there. The lookup is the caller's, scoped to
    the caller's site, so another site's record is not found either and the answer says no more."""
    if found is None:
        raise NotFound(message)
    return found


def envelope(status: int, code: str, message: str, details: dict | None = None, headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _webargs_messages(exc: HTTPException) -> dict:
    """webargs nests field errors under the location (`json`, `query`); the client wants them flat."""
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    flat: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def handle_app_error(exc: AppError):
        return envelope(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.errorhandler(ValidationError)
    def handle_validation_error(exc: ValidationError):
        return envelope(422, "validation_error", "Some fields are not valid.", exc.normalized_messages())

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        status = exc.code or 500
        details = _webargs_messages(exc)
        if status == 422:
            message = "Some fields are not valid."
        elif status == 400 and "json" in details:
            message = "The body is not valid JSON."
        elif status == 400 and details:
            message = "Some parameters are not valid."
        elif status == 429:
            message = "Too many attempts; wait a moment and try again."
        else:
            message = exc.description or exc.name
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        if status == 429:
            retry_after = retry_after_seconds()
            if retry_after is not None:
                headers["Retry-After"] = str(retry_after)
        return envelope(status, HTTP_CODES.get(status, "error"), message, details, headers)

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def handle_database_down(exc: Exception):
        if isinstance(exc, DBAPIError):
            note_if_database_down(exc)
        log.warning("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        _rollback_quietly()
        return envelope(503, "service_unavailable", ServiceUnavailable.message, headers={"Retry-After": "5"})

    @app.errorhandler(DBAPIError)
    def handle_database_error(exc: DBAPIError):
        _rollback_quietly()
        if exc.connection_invalidated or _is_query_cancelled(exc):
            note_if_database_down(exc)
            log.warning("database unavailable or query cancelled: %s", type(exc.orig).__name__)
            return envelope(503, "service_unavailable", ServiceUnavailable.message, headers={"Retry-After": "5"})
        log.exception("database error on %s %s", request.method, request.path)
        return envelope(500, "internal_error", "Something went wrong on our side; it has been logged.")

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        _rollback_quietly()
        return envelope(500, "internal_error", "Something went wrong on our side; it has been logged.")


def _is_query_cancelled(exc: DBAPIError) -> bool:
    # psycopg2 reports statement_timeout as QueryCanceled (SQLSTATE 57014)
    return getattr(exc.orig, "pgcode", None) in {"57014", "57P01", "57P02", "57P03"}


def _rollback_quietly() -> None:
    from .extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection may be gone; the pool will replace it
        pass
