"""My account: a person changes their own name, e-mail, default site and password."""
from __future__ import annotations

from .. import audit
from ..auth import passwords
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


@transaction
def change_password(principal: Principal, current: str, new: str) -> None:
    user = db.session.get(User, principal.user_id)
    if user.password_hash is None:
        raise Conflict("Your password is managed by your organisation's sign-in provider.",
                       details={"reason": "external_account"})
    # 422, not 401: a mistyped current password must not end the session it was typed in.
    if not passwords.verify_password(user.password_hash, current):
        raise UnprocessableEntity(details={"current_password": ["This is not your current password."]})
    problems = passwords.password_problems(new)
    if new == current:
        problems.append("Choose a password different from the current one.")
    if problems:
        raise UnprocessableEntity(details={"new_password": problems})
    user.password_hash = passwords.hash_password(new)
    audit.record("password_change", user_id=user.id, entity_type="user", entity_id=user.id)
