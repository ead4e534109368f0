"""My account: a person changes their own name, e-mail, default site and password."""
from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..auth import passwords
from ..auth import service as auth_service
from ..auth.models import User
from ..auth.principal import Principal, sites_of
from ..errors import Conflict, UnprocessableEntity
from ..extensions import db
from ..unit_of_work import transaction

PROFILE_FIELDS = ("display_name", "email", "default_site_id")


def account_dict(user: User, principal: Principal) -> dict:
    return {"id": user.id, "username": user.username, "email": user.email, "display_name": user.display_name,
            "default_site_id": user.default_site_id, "has_password": user.password_hash is not None,
            "sites": sites_of(principal)}


def get_account(principal: Principal) -> dict:
    return account_dict(db.session.get(User, principal.user_id), principal)


@transaction
def update_profile(principal: Principal, data: dict) -> dict:
    user = db.session.get(User, principal.user_id)
    if "default_site_id" in data and data["default_site_id"] is not None \
            and data["default_site_id"] not in principal.memberships:
        raise UnprocessableEntity(details={"default_site_id": ["Choose one of your sites."]})
    changes = {name: {"from": getattr(user, name), "to": data[name]}
               for name in PROFILE_FIELDS if name in data and getattr(user, name) != data[name]}
    if changes:
        for name, change in changes.items():
            setattr(user, name, change["to"])
        audit.record("account_update", user_id=user.id, entity_type="user", entity_id=user.id, changes=changes)
    return account_dict(user, principal)


def change_password(principal: Principal, current: str, new: str) -> None:
    """The current password is checked first, counted like a sign-in (its own committed steps: 422 when
    wrong, 423 when the budgets are spent); then the new one is stored, one unit of work."""
    user = db.session.get(User, principal.user_id)
    if user.password_hash is None:
        raise Conflict("Your password is managed by your organisation's sign-in provider.",
                       details={"reason": "external_account"})
    checked_hash = user.password_hash
    auth_service.check_password_counted(user, current)
    _store_password(user.id, checked_hash, current, new)


@transaction
def _store_password(user_id: int, checked_hash: str, current: str, new: str) -> None:
    problems = passwords.password_problems(new)
    if new == current:
        problems.append("Choose a password different from the current one.")
    if problems:
        raise UnprocessableEntity(details={"new_password": problems})
    # Only over the password just checked: a reset confirmed meanwhile is not overwritten.
    stored = db.session.execute(
        sa.update(User).where(User.id == user_id, User.password_hash == checked_hash)
        .values(password_hash=passwords.hash_password(new)).execution_options(synchronize_session=False)
    ).rowcount
    if not stored:
        raise UnprocessableEntity(details={"current_password": ["This is not your current password."]})
    audit.record("password_change", user_id=user_id, entity_type="user", entity_id=user_id)
