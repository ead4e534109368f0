"""The least-privilege PostgreSQL role the API runs as: it may read and write the application's rows,
nothing else. Tables stay owned by the migration (owner) role, so the application role can neither
change nor drop them; default privileges extend the grants to tables later migrations create."""
from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from .extensions import db

ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def _quote(connection, identifier: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(identifier)


def grant_application_role(role: str, password: str | None) -> list[str]:
    """Create (or update) `role` and grant it row access to every application table; returns the SQL run."""
    url = current_app.config.get("MIGRATION_DATABASE_URI") or current_app.config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name != "postgresql":
        raise click.ClickException("grant-app-role needs PostgreSQL (DATABASE_URL or MIGRATION_DATABASE_URL).")
    with engine.begin() as connection:
        name = _quote(connection, role)
        owner = _quote(connection, connection.execute(text("SELECT current_user")).scalar_one())
        database = _quote(connection, connection.execute(text("SELECT current_database()")).scalar_one())
        exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        statements = [] if exists else [f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"]
        statements += [
            f"GRANT CONNECT ON DATABASE {database} TO {name}",
            f"GRANT USAGE ON SCHEMA public TO {name}",
            f"REVOKE CREATE ON SCHEMA public FROM {name}",
            f"GRANT {ROW_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
            # the schema version is the migrations' business: the API may read it, not move it
            f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {name}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT {ROW_PRIVILEGES} ON TABLES TO {name}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}",
        ]
        for statement in statements:
            connection.execute(text(statement))
        if password:
            # bound, not formatted: the password never appears in the statement log
            connection.execute(text(f"ALTER ROLE {name} PASSWORD :password").bindparams(password=password))
    return statements


@click.command("grant-app-role")
@click.argument("role", required=False)
@click.option("--role-env", metavar="VARIABLE",
              help="Environment variable holding the role's name instead of ROLE (the application secret's "
                   "username, which a password rotation alternates between two roles).")
@click.option("--password-env", metavar="VARIABLE",
              help="Environment variable holding the role's password (never on the command line).")
def grant_app_role(role: str | None, role_env: str | None, password_env: str | None) -> None:
    """Create ROLE (if missing) with row access (SELECT, INSERT, UPDATE, DELETE) to the application's
    tables and nothing else; run it as the owner (MIGRATION_DATABASE_URL) after `flask db upgrade`."""
    import os

    if bool(role) == bool(role_env):
        raise click.UsageError("name the role: either ROLE or --role-env")
    role = role or os.environ.get(role_env or "")
    if not role:
        raise click.BadParameter(f"environment variable {role_env} is empty or unset", param_hint="--role-env")
    password = os.environ.get(password_env) if password_env else None
    if password_env and not password:
        raise click.BadParameter(f"environment variable {password_env} is empty or unset", param_hint="--password-env")
    db.session.remove()
    for statement in grant_application_role(role, password):
        click.echo(statement + ";")
    click.echo(f"role {role!r} may read and write the application's rows; it cannot change the schema")
