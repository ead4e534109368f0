"""Command-line tasks: `flask --app ims seed-demo | create-site | create-user | grant-app-role | purge-deleted`."""
from __future__ import annotations

import click
from flask import Flask, current_app

from .auth import passwords
from .dbroles import grant_app_role
from .errors import UnprocessableEntity
from .sites.models import ROLES
from .sites.provisioning import AmbiguousSite, ensure_site, ensure_user
from .unit_of_work import transaction


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_site)
    app.cli.add_command(create_user)
    app.cli.add_command(grant_app_role)
    app.cli.add_command(purge_deleted)


@click.command("create-site")
@click.argument("name")
def create_site(name: str) -> None:
    """Create a site called NAME (does nothing if it exists)."""
    click.echo(_create_site(name.strip()))


def _site(name: str):
    try:
        return ensure_site(name)
    except AmbiguousSite as exc:
        raise click.ClickException(str(exc)) from exc


@transaction
def _create_site(name: str) -> str:
    site = _site(name)
    return f"site {site.name!r} has id {site.id}"


@click.command("create-user")
@click.argument("username")
@click.option("--email", required=True, help="Address for password-reset and lockout e-mails.")
@click.option("--password", help="Local password (at least 10 characters); omit for Auth0-only users.")
@click.option("--display-name", help="Name shown in the app; defaults to USERNAME.")
@click.option("--site", "site_name", required=True, help="Site to add the user to (created if missing).")
@click.option("--role", type=click.Choice(ROLES), required=True, help="Role in that site.")
@click.option("--auth0-sub", help="Auth0 subject (e.g. auth0|123) for Auth0 mode.")
def create_user(username, email, password, display_name, site_name, role, auth0_sub) -> None:
    """Create USERNAME with a role in a site; for an existing user, add (or change) the membership
    and update the e-mail, password and display name given."""
    if password:
        problems = passwords.password_problems(password)
        if problems:
            raise click.BadParameter(" ".join(problems), param_hint="--password")
    try:
        click.echo(_create_user(username, email, password, display_name, site_name.strip(), role, auth0_sub))
    except UnprocessableEntity as exc:  # a new username that breaks the username rule
        raise click.BadParameter(" ".join(exc.details["username"]), param_hint="USERNAME") from exc


@transaction
def _create_user(username, email, password, display_name, site_name, role, auth0_sub) -> str:
    site = _site(site_name)
    user = ensure_user(username, email=email, password=password, display_name=display_name, site=site, role=role)
    # For an existing user the command also updates what it was given, rather than ignoring it.
    user.email = email
    if password:
        user.password_hash = passwords.hash_password(password)
    if display_name:
        user.display_name = display_name
    if auth0_sub:
        user.auth0_sub = auth0_sub
    return f"user {user.username!r} is {role} at {site.name!r}"


@click.command("seed-demo")
@click.option("--count", default=200, show_default=True, help="Interactions to create per run.")
def seed_demo(count: int) -> None:
    """Demo sites, users (admin, editor, viewer; password 'demo-password') and interactions. Runs once."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("seed-demo refuses to run in production (APP_ENV=production).")
    from .demo import seed

    created = seed(count)
    click.echo(f"demo data: {created} interactions created" if created else "demo data already present")


@click.command("purge-deleted")
@click.option("--older-than-days", type=click.IntRange(min=0), default=None,
              help="Purge what was deleted more than this many days ago [default: DELETED_RETENTION_DAYS, 30].")
def purge_deleted(older_than_days: int | None) -> None:
    """Permanently remove deleted interactions past their retention, and the files of imports finished
    more than FILE_DAYS (7) ago; schedule it daily."""
    from .imports.limits import FILE_DAYS
    from .imports.service import forget_files
    from .interactions.recovery import purge

    days = current_app.config["DELETED_RETENTION_DAYS"] if older_than_days is None else older_than_days
    count = purge(days)
    click.echo(f"purged {count} interaction{'s' if count != 1 else ''} deleted more than {days} days ago")
    files = forget_files()
    click.echo(f"cleared the files of {files} import{'s' if files != 1 else ''} finished more than {FILE_DAYS} "
               "days ago")
