"""Which column feeds which field: matched by header (this product's export headers, then common
synonyms), then as the person edits it; the problems that keep an import from running."""
from __future__ import annotations

import re

from ..interactions.fields import FIELDS
from ..interactions.search_keys import fold

LABELS = {"title": "Title", "type": "Type", "lead": "Lead", "start_datetime": "Start", "end_datetime": "End",
          "timezone": "Time zone", "location": "Location", "description": "Description", "notes": "Notes"}
MAPPABLE = tuple(field.name for field in FIELDS)
# Fields a file must give; the time zone defaults to the import's.
REQUIRED = tuple(field.name for field in FIELDS if field.required and field.kind != "timezone")

SYNONYMS = {
    "title": ("title", "subject", "name", "topic", "heading", "interaction"),
    "type": ("type", "kind", "category", "interactiontype", "channel"),
    "lead": ("lead", "owner", "organiser", "organizer", "host", "responsible", "assignee", "leadby", "ledby"),
    "start_datetime": ("startdatetime", "start", "date", "startdate", "starttime", "begin", "begins", "from",
                       "when", "datetime", "startsat", "startedat"),
    "end_datetime": ("enddatetime", "end", "enddate", "endtime", "finish", "ends", "until", "to", "endsat"),
    "timezone": ("timezone", "tz", "zone", "timezonename"),
    "location": ("location", "place", "venue", "where", "room", "address"),
    "description": ("description", "details", "summary", "agenda", "body"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "memo"),
}
_BY_WORD = {word: name for name, words in SYNONYMS.items() for word in words}


def _word(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header))


def auto(header: list[str]) -> dict[str, str]:
    """{column index: field} by header; each field from its first matching column."""
    found: dict[str, str] = {}
    for index, name in enumerate(header):
        field = _BY_WORD.get(_word(name))
        if field and field not in found.values():
            found[str(index)] = field
    return found


def problems(header: list[str], mapping: dict[str, str], ambiguous: list[int]) -> list[str]:
    """What must be settled before a run, in words a person acts on."""
    said = []
    for name in REQUIRED:
        if name not in mapping.values():
            said.append(f"Column '{LABELS[name]}' is required: map a column to it")
    seen: dict[str, int] = {}
    for index, name in sorted(mapping.items(), key=lambda item: int(item[0])):
        if name in seen:
            said.append(f"'{LABELS[name]}' is mapped from two columns: keep one")
        seen[name] = int(index)
    for index in ambiguous:
        said.append(f"Column '{header[index]}' has dates that read day-first and month-first: choose the order")
    return said


def fields_list() -> list[dict]:
    return [{"name": name, "label": LABELS[name], "required": name in REQUIRED} for name in MAPPABLE]
