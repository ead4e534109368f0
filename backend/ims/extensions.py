"""Extension objects, created once and bound to the app in `create_app`."""
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class ImsApi(Api):
    """flask-smorest, documenting our error envelope and leaving error handling to ims.errors."""

    from .schemas import ErrorEnvelopeSchema as ERROR_SCHEMA

    def _register_error_handlers(self):
        pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
