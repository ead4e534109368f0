"""Extension objects, created once and bound to the app in `create_app`."""
import logging

from flask import Flask
from flask_migrate import Migrate
import flask_smorest
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase

log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    pass


class ImsApi(Api):
    """flask-smorest, documenting our error envelope and leaving error handling to ims.errors."""

    from .schemas import ErrorEnvelopeSchema as ERROR_SCHEMA

    def _register_error_handlers(self):
        pass


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint, documenting an error response as the error envelope that ims.errors
    answers it with, unless the response names a body of its own (the health probes' reports)."""

    def alt_response(self, status_code, response=None, *, schema=None, **kwargs):
        if response is None and schema is None and int(status_code) >= 400:
            schema = ImsApi.ERROR_SCHEMA
        return super().alt_response(status_code, response, schema=schema, **kwargs)


READ_BIND = "ims_read_bind"  # session.info: the replica's engine while a read runs there (ims.read_replica)


class RoutedSession(FlaskSession):
    """The request's session. While `ims.read_replica` runs a read on the replica, every statement that
    names no bind of its own goes there; everything else, and every write, goes to the primary."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.info.get(READ_BIND) is not None:
            return self.info[READ_BIND]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutedSession})
migrate = Migrate()


def release_sessions_quietly(app: Flask) -> None:
    """Return each request's session even when its connection died under it (database restarted).

    Flask-SQLAlchemy's own teardown rolls back on the dead connection and the error escapes the
    app after the response was made, so the client would get a bare 500 instead of the answer.
    Registered after `db.init_app`, this runs first and leaves nothing for that teardown to do.
    """

    @app.teardown_appcontext
    def release_session(_exc):
        try:
            db.session.remove()
        except SQLAlchemyError as exc:
            log.warning("database connection lost while releasing the session: %s", type(exc).__name__)
            db.session.registry.clear()
