"""Interaction Management System API: `create_app` builds the Flask application."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cache_sync, db_outage, read_replica
from .cache import make_cache
from .config import build_settings, engine_options
from .errors import register_error_handlers
from .extensions import ImsApi, db, migrate, release_sessions_quietly
from .notifications.email import warn_if_mail_cannot_be_delivered
from .notifications.outbox import install_mail_delivery
from .logs import configure_logging, install_request_logging
from .production_guards import check_production
from .ratelimit import install_rate_limits
from .web import install_compression, install_security, install_spa


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment; `config` overrides settings (tests use it)."""
    settings = build_settings()
    settings.update(config or {})
    if config and "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(settings["SQLALCHEMY_DATABASE_URI"], os.environ)
    check_production(settings)

    app = Flask(__name__)
    app.config.update(settings)
    if settings["TRUSTED_PROXY_HOPS"]:
        # Rate limits, audit and access logs then see the client the load balancer saw, not the balancer.
        hops = settings["TRUSTED_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.json.sort_keys = False  # envelopes and records read in their declared order
    app.config["API_SPEC_OPTIONS"] = {
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        "security": [{"bearerAuth": []}],
        "info": {"description": "Record interactions and find them again. Site context: header X-Site-ID."},
    }
    configure_logging(app.config["LOG_LEVEL"])

    db.init_app(app)
    release_sessions_quietly(app)
    db_outage.install(app)
    read_replica.install(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    app.extensions["ims_cache"] = make_cache(app.config["REDIS_URL"], app.config["REDIS_KEY_PREFIX"],
                                             cluster=app.config["REDIS_CLUSTER"])
    cache_sync.install(app)

    register_error_handlers(app)
    install_request_logging(app)
    install_compression(app)  # registered before the headers' hook, so it runs after it, on the finished answer
    install_security(app)

    from . import cli, health
    from .account import routes as account_routes
    from .audit_log import routes as audit_routes
    from .auth import routes as auth_routes
    from .bulk import routes as bulk_routes
    from .imports import routes as import_routes
    from .insights import routes as insights_routes
    from .interactions import recovery_routes
    from .interactions import routes as interaction_routes
    from .saved_views import routes as view_routes
    from .sites import admin_routes
    from .sites import routes as site_routes
    from .timezones import routes as timezones_routes

    api = ImsApi(app)  # one per app: the OpenAPI spec belongs to the app it documents
    for blueprint in (health.blp, auth_routes.blp, account_routes.blp, site_routes.blp, admin_routes.blp,
                      admin_routes.public, audit_routes.blp, interaction_routes.blp, recovery_routes.blp,
                      timezones_routes.blp, view_routes.blp, insights_routes.blp, import_routes.blp, bulk_routes.blp):
        api.register_blueprint(blueprint)
    install_rate_limits(app)
    install_mail_delivery(app)
    warn_if_mail_cannot_be_delivered(app.config)
    cli.register(app)
    install_spa(app)
    return app


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"
