"""Liveness (no dependencies), readiness (can this process serve the API: the load balancer's check) and
the database and cache report (with latencies)."""
import time

import sqlalchemy as sa
from flask import current_app
from marshmallow import Schema, fields

from .db_outage import note_if_database_down
from .extensions import Blueprint, db
from .readiness import readiness

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Health checks")


class HealthSchema(Schema):
    status = fields.String(required=True)
    version = fields.String(required=True)


class ReadySchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ready", "unavailable"]})


class CheckSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok", "down", "degraded"]})
    latency_ms = fields.Float(allow_none=True)
    kind = fields.String()
    error = fields.String()


class DependencyReportSchema(Schema):
    status = fields.String(required=True)
    database = fields.Nested(CheckSchema, required=True)
    cache = fields.Nested(CheckSchema, required=True)


@blp.route("")
@blp.response(200, HealthSchema)
@blp.doc(security=[])  # public: no token needed
def health():
    return {"status": "ok", "version": current_app.config["API_VERSION"]}


@blp.route("/ready")
@blp.response(200, ReadySchema)
@blp.alt_response(503, schema=ReadySchema, description="This process cannot serve the API yet (the reason is in its log)")
@blp.doc(security=[])  # public: no token needed, and it says nothing more than ready or not
def ready():
    if readiness().verdict().ready:
        return {"status": "ready"}
    return {"status": "unavailable"}, 503


@blp.route("/db")
@blp.response(200, DependencyReportSchema)
@blp.alt_response(503, schema=DependencyReportSchema, description="The database is unreachable")
@blp.doc(security=[])  # public: no token needed
def health_db():
    started = time.perf_counter()
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    except Exception as exc:  # any failure means "down"; the error type says why
        note_if_database_down(exc)
        db.session.rollback()
        database = {"status": "down", "latency_ms": None, "error": type(exc).__name__}
    cache = current_app.extensions["ims_cache"]
    started = time.perf_counter()
    cache_ok = cache.ping()
    cache_check = {"status": "ok" if cache_ok else "degraded", "kind": cache.kind,
                   "latency_ms": round((time.perf_counter() - started) * 1000, 2) if cache_ok else None}
    healthy = database["status"] == "ok"
    body = {"status": "ok" if healthy else "down", "database": database, "cache": cache_check}
    return body, 200 if healthy else 503
