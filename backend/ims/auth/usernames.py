"""What a username may be, for every way an account is made (invitation, command line, provisioning,
first Auth0 sign-in): 2 to 150 letters, digits, ".", "_" or "-", stored lower-cased. Never an e-mail
address: with no "@", nothing a person types as an e-mail can name someone else's account."""
from __future__ import annotations

import re

from ..errors import UnprocessableEntity

MIN_LENGTH, MAX_LENGTH = 2, 150
ALLOWED = re.compile(r"[a-z0-9._-]+")
NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")


def normalise(username: str) -> str:
    return username.strip().lower()


def problems(username: str) -> list[str]:
    """Why `username` cannot name a new account (empty when it can)."""
    name = normalise(username)
    found = []
    if "@" in name:
        found.append("A username cannot be an e-mail address (no \"@\"); choose a name like jane.doe.")
    elif not ALLOWED.fullmatch(name or "-"):
        found.append("Use letters, digits and . _ - only.")
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        found.append(f"Use {MIN_LENGTH} to {MAX_LENGTH} characters.")
    return found


def checked(username: str) -> str:
    """The username as stored; 422 with the reasons when it cannot name a new account."""
    if found := problems(username):
        raise UnprocessableEntity(details={"username": found})
    return normalise(username)


def from_email(email: str) -> str:
    """A username for an account named by its e-mail alone (first Auth0 sign-in): the local part,
    with what a username may not hold replaced by "-"; the caller makes it unique."""
    local = NOT_ALLOWED.sub("-", normalise(email).split("@")[0]).strip("-")[:MAX_LENGTH - 10]
    return local if len(local) >= MIN_LENGTH else f"user-{local}".rstrip("-")
