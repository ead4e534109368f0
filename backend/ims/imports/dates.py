"""Times as files write them: ISO 8601 (with or without an offset), day-first or month-first numeric
dates (`02/03/2026 14:30`, `2.3.2026`), and dates with month names. A column's order is detected from
its values; when every value reads both ways the column is ambiguous and someone must choose."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

ORDERS = ("day_first", "month_first")
NUMERIC = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                     r"\s*([AaPp][Mm])?)?\s*$")
MONTH_NAME = re.compile(r"[A-Za-z]{3,}")


def detect(values: list[str]) -> tuple[str | None, bool]:
    """(order, ambiguous) of a column's values: "iso" when all read as ISO, "day_first" or "month_first"
    when a numeric date shows which (a part above 12), ambiguous when none does."""
    day_first = month_first = numeric = False
    for value in values:
        found = NUMERIC.match(value)
        if not found:
            continue
        numeric = True
        first, second = int(found.group(1)), int(found.group(2))
        day_first |= first > 12
        month_first |= second > 12
    if not numeric:
        return ("iso" if values else None), False
    if day_first != month_first:
        return ("day_first" if day_first else "month_first"), False
    return None, not day_first  # both: the values disagree (each is judged alone); neither: ambiguous


def _numeric(found: re.Match, order: str) -> datetime:
    first, second, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    day, month = (first, second) if order == "day_first" else (second, first)
    year = year + 2000 if year < 100 else year
    hour, minute, second_of = int(found.group(4) or 0), int(found.group(5) or 0), int(found.group(6) or 0)
    meridiem = (found.group(7) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError("hour")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return datetime(year, month, day, hour, minute, second_of)


def parse(value: str, order: str | None, zone: str) -> datetime | None:
    """The moment `value` names (aware), reading a time written without an offset in `zone`; None when it
    is not a time this module reads (the interaction schema then says why)."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        moment = None
    if moment is None:
        found = NUMERIC.match(text)
        try:
            if found and order in ORDERS:
                moment = _numeric(found, order)
            elif not found and MONTH_NAME.search(text):
                moment = dateutil_parser.parse(text, dayfirst=order == "day_first")
        except (ValueError, OverflowError, dateutil_parser.ParserError):
            return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))
