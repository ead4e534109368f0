"""Time helpers: the API stores and speaks UTC; each interaction's timezone is for display."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import available_timezones


class TimeBound(NamedTuple):
    """One end of a time range a filter asks for (the Finder's start dates, the audit log's)."""

    moment: datetime
    exclusive: bool  # an upper bound given as a date is the next midnight, excluded


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything we store is UTC.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def iso_z(value: datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """IANA zone names a person would pick: Region/City plus UTC, without legacy aliases."""
    names = {
        name for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right/"))
    }
    names.add("UTC")
    return tuple(sorted(names))


@lru_cache(maxsize=1)
def valid_timezones() -> frozenset[str]:
    return frozenset(available_timezones())
