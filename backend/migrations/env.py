"""Alembic environment for Flask-Migrate: the app's engine and models' metadata."""
import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name)

target_metadata = current_app.extensions["migrate"].db.metadata


def _migration_url() -> str:
    # MIGRATION_DATABASE_URL: the owner role; the app itself runs as a role that cannot change the schema
    return current_app.config.get("MIGRATION_DATABASE_URI") or current_app.config["SQLALCHEMY_DATABASE_URI"]


def run_migrations_offline():
    context.configure(url=_migration_url(), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    if current_app.config.get("MIGRATION_DATABASE_URI"):
        engine = sa.create_engine(_migration_url(), poolclass=sa.pool.NullPool)
    else:
        engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
