"""Ending every session of a user at once: tokens issued before `users.sessions_valid_after` are refused.

A password change and a deactivation set it by themselves (the listeners below), whichever code path
makes them; "sign out everywhere" sets it on request.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from .. import audit
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import User


def mark_sessions_ended(user: User) -> None:
    """In the caller's transaction: every token issued until now stops working."""
    user.sessions_valid_after = utcnow()


@transaction
def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere (every device, every token) and audit it; one unit of work."""
    mark_sessions_ended(user)
    audit.record("sessions_ended", user_id=user.id)


@event.listens_for(User.password_hash, "set", active_history=True)  # old value even when expired
def _password_changed(user: User, value, old, _initiator):
    if old is not value and old not in (None, NO_VALUE, NEVER_SET):
        mark_sessions_ended(user)


@event.listens_for(User.is_active, "set", active_history=True)
def _deactivated(user: User, value, old, _initiator):
    if value is False and old is not False:
        mark_sessions_ended(user)
