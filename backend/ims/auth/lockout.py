"""Failed sign-in budgets, counted atomically in the database, the same way for real and unknown usernames.

Every attempt first *reserves* a slot in two budgets, in a short transaction of its own, before the slow
password check: one per (username, client address), locking after LOCKOUT_THRESHOLD failures, and one
per username shared by addresses, locking after LOCKOUT_ACCOUNT_THRESHOLD. Reserving with one
`INSERT … ON CONFLICT DO UPDATE … RETURNING` means twenty guesses sent at once get slots 1…20: only
those within the budget have their password checked, the rest are refused, and a right password that
arrives with them cannot reset a count the others have already pushed past the limit.

Which username-wide budget an attempt spends depends on its address. Addresses that have never signed
in to the account share the "account" budget: five checks per lockout window, however many addresses
and however simultaneous. An address that signed in to it successfully within LOCKOUT_KNOWN_ADDRESS_DAYS
(a "known" address, remembered on its own throttle row) spends the "known" budget instead, shared by the
account's known addresses. So strangers who lock the account lock it for strangers only: its owner
still signs in from where they signed in before, and a password reset lifts every lock (and forgets the
known addresses, a thief's among them). Usernames and addresses are stored only as HMACs, so the table
says nothing about which names exist or where anyone signs in from.

The HMACs are keyed with SECRET_KEY. After a rotation, counts and locks start again under the new key (at
most one more budget of guesses per rotation), while known addresses remembered under a key of the
overlap window (SECRET_KEY_FALLBACKS) stay known, and a reset or unlock clears the rows of every such key.
"""
from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import as_utc, utcnow
from ..unit_of_work import transaction
from . import keys


class LoginThrottle(db.Model):
    __tablename__ = "login_throttles"

    subject: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    account: Mapped[str] = mapped_column(sa.String(64), index=True)
    failed_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    last_failed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # on an address row: when this address last signed in to the account (it is then a known address)
    signed_in_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


@dataclass(frozen=True)
class Budget:
    subject: str
    account: str
    limit: int
    scope: str  # "address", then "account" (from a new address) or "known" (from a known one)


@dataclass(frozen=True)
class Reservation:
    slots: dict[str, int]  # subject -> this attempt's number within the budget's window

    def refused(self, budgets: list[Budget]) -> list[Budget]:
        """Budgets that refuse this attempt: locked already (so not counted) or over their limit."""
        return [b for b in budgets if b.subject not in self.slots or self.slots[b.subject] > b.limit]


def username_digest(username: str, key: str | None = None) -> str:
    """A keyed digest of a username: stable for counting and auditing, meaningless without SECRET_KEY
    (or `key`, one of the overlap window's)."""
    secret = (key or keys.signing_key()).encode()
    return hmac.new(secret, username.encode(), hashlib.sha256).hexdigest()[:32]


def _address_subject(username: str, address: str | None, key: str | None = None) -> str:
    return "address:" + username_digest(f"{username}\x00{address or '-'}", key)


def budgets_for(username: str, address: str | None) -> list[Budget]:
    """The budgets an attempt for `username` from `address` spends: its address's, then the account's
    (a new address) or the known addresses' (an address that signed in to this account before)."""
    config = current_app.config
    account = username_digest(username)
    address_subject = _address_subject(username, address)
    shared = (Budget("known:" + account, account, config["LOCKOUT_THRESHOLD"], "known")
              if _signed_in_before(username, address) else
              Budget("account:" + account, account, config["LOCKOUT_ACCOUNT_THRESHOLD"], "account"))
    return [Budget(address_subject, account, config["LOCKOUT_THRESHOLD"], "address"), shared]


def _signed_in_before(username: str, address: str | None) -> bool:
    """Whether `address` signed in to `username` lately, remembered under any key of the overlap window."""
    table = LoginThrottle.__table__
    since = utcnow() - timedelta(days=current_app.config["LOCKOUT_KNOWN_ADDRESS_DAYS"])
    subjects = [_address_subject(username, address, key) for key in keys.verifying_keys()]
    return db.session.execute(
        sa.select(table.c.subject).where(table.c.subject.in_(subjects), table.c.signed_in_at > since)
    ).first() is not None


def remember_address(budgets: list[Budget]) -> None:
    """After a successful sign-in: its address becomes a known address of the account (caller's unit)."""
    table = LoginThrottle.__table__
    db.session.execute(sa.update(table).where(table.c.subject == budgets[0].subject).values(signed_in_at=utcnow()))


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])


def _insert():
    return (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(
        LoginThrottle.__table__)


def _not_locked(table, now):
    return sa.or_(table.c.locked_until.is_(None), table.c.locked_until <= now)


def seconds_locked(budgets: list[Budget]) -> int:
    """Seconds until every one of these budgets is open again (0 when none is locked)."""
    now = utcnow()
    table = LoginThrottle.__table__
    until = db.session.execute(
        sa.select(sa.func.max(table.c.locked_until)).where(table.c.subject.in_([b.subject for b in budgets]))
    ).scalar()
    return max(0, math.ceil((as_utc(until) - now).total_seconds())) if until else 0


@transaction
def reserve(budgets: list[Budget]) -> Reservation:
    """Count this attempt in every budget before its password is checked: a unit of work of its own,
    committed at once. An attempt some budget `refused` is locked out (see `lock_overrun`)."""
    now = utcnow()
    table = LoginThrottle.__table__
    slots: dict[str, int] = {}
    for budget in budgets:
        insert = _insert().values(subject=budget.subject, account=budget.account, failed_count=1,
                                  last_failed_at=now)
        count = insert.excluded.failed_count  # 1
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.subject],
            set_={"failed_count": sa.case((sa.or_(table.c.last_failed_at.is_(None),
                                                  table.c.last_failed_at < now - _window()), count),
                                          else_=table.c.failed_count + 1),
                  "last_failed_at": now},
            where=_not_locked(table, now),  # a locked budget is not counted further: its lock just runs out
        ).returning(table.c.failed_count)
        slot = db.session.execute(statement).scalar()
        if slot is not None:
            slots[budget.subject] = slot
    return Reservation(slots)


def lock_overrun(budgets: list[Budget], reservation: Reservation) -> list[Budget]:
    """Lock the budgets this attempt counted past their limit; returns those it locked (caller's unit)."""
    return lock([b for b in reservation.refused(budgets) if b.subject in reservation.slots])


def spent(budgets: list[Budget], reservation: Reservation) -> list[Budget]:
    """Budgets this failed attempt used up (it held the last slot)."""
    return [b for b in budgets if reservation.slots.get(b.subject, 0) >= b.limit]


def lock(budgets: list[Budget]) -> list[Budget]:
    """Lock these budgets for LOCKOUT_MINUTES unless already locked; returns those this call locked."""
    now = utcnow()
    table = LoginThrottle.__table__
    newly = []
    for budget in budgets:
        result = db.session.execute(
            sa.update(table).where(table.c.subject == budget.subject, _not_locked(table, now))
            .values(locked_until=now + _window(), failed_count=0)
        )
        if result.rowcount:
            newly.append(budget)
    return newly


def clear(budgets: list[Budget], reservation: Reservation) -> None:
    """A successful sign-in starts the counts again, unless attempts arrived after this one: those are
    still being checked, and a right password must not wipe what they counted (caller's transaction)."""
    table = LoginThrottle.__table__
    for budget in budgets:
        db.session.execute(
            sa.update(table).where(table.c.subject == budget.subject,
                                   table.c.failed_count == reservation.slots.get(budget.subject, 0))
            .values(failed_count=0)
        )


def clear_account(username: str) -> None:
    """Lift every lock and count of a username, from every address, and forget its known addresses
    (after a password reset or an admin's unlock: the next sign-in makes its address known again)."""
    table = LoginThrottle.__table__
    accounts = [username_digest(username, key) for key in keys.verifying_keys()]
    db.session.execute(sa.delete(table).where(table.c.account.in_(accounts)))


def locks_of(usernames) -> dict[str, datetime]:
    """When the lock of each of these usernames that is locked now ends (from any address, the latest)."""
    digests = {username_digest(name): name for name in usernames}
    if not digests:
        return {}
    table = LoginThrottle.__table__
    rows = db.session.execute(
        sa.select(table.c.account, sa.func.max(table.c.locked_until))
        .where(table.c.account.in_(list(digests)), table.c.locked_until > utcnow())
        .group_by(table.c.account)
    ).all()
    return {digests[account]: as_utc(until) for account, until in rows}
