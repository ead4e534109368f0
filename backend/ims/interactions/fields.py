"""The interaction's fields, listed once: what users edit, in the order screens and exports show them.

Everything that lists fields derives from FIELDS: the model's columns and sort keys (models), the
input and output schemas and the sort allow-list (schemas), the selected row columns and the
serialiser (queries), the columns a delete moves (trash), the search text and keys (search_keys),
the audit and history snapshots (service, history) and the CSV export. Adding a field is one entry
here plus a migration; tests/interactions/test_fields.py checks that every list carries it.

Standard library only: migration 0006 and the benchmark's loader read this module (through
search_keys) without importing the app.
"""
from __future__ import annotations

from dataclasses import dataclass

INTERACTION_TYPES = ("Meeting", "Call", "Email", "Visit", "Conference", "Training", "Webinar", "Other")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "text", "choice" (one of `choices`), "datetime" (aware, stored in UTC) or "timezone" (IANA)
    max_length: int = 0  # the column's length in characters (text, choice, timezone)
    required: bool = True  # False: optional text, stored as "" when absent or null
    choices: tuple[str, ...] = ()
    searched: bool = False  # part of the text the Finder's search matches
    key_bytes: int = 0  # text sorted by a stored folded key `<name>_key` of at most this many bytes
    key_chars: int | None = None  # the key keeps only the text's first characters (long text)
    filtered: bool = False  # the Finder filters it by substring (a query parameter of the same name)
    sortable: bool = True
    description: str | None = None  # for the OpenAPI document

    @property
    def key_column(self) -> str | None:
        return f"{self.name}_key" if self.key_bytes else None


LONG_TEXT_KEY_CHARS = 64  # enough to order by what a reader sees in a truncated cell

FIELDS = (
    Field("title", "text", 200, searched=True, key_bytes=600, filtered=True),
    Field("type", "choice", 20, choices=INTERACTION_TYPES, searched=True, key_bytes=40),
    Field("lead", "text", 100, searched=True, key_bytes=300, filtered=True),
    Field("start_datetime", "datetime", description="ISO 8601 with offset"),
    Field("end_datetime", "datetime", description="ISO 8601 with offset; not before the start"),
    Field("timezone", "timezone", 64, key_bytes=128, description="IANA zone the UI shows the times in"),
    Field("location", "text", 200, required=False, searched=True, key_bytes=600, filtered=True),
    Field("description", "text", 5000, required=False, searched=True, key_bytes=256,
          key_chars=LONG_TEXT_KEY_CHARS),
    Field("notes", "text", 5000, required=False, searched=True, key_bytes=256, key_chars=LONG_TEXT_KEY_CHARS),
)
BY_NAME = {field.name: field for field in FIELDS}

EDITABLE_FIELDS = tuple(field.name for field in FIELDS)
SEARCHED_FIELDS = tuple(field.name for field in FIELDS if field.searched)
DATETIME_FIELDS = tuple(field.name for field in FIELDS if field.kind == "datetime")
OPTIONAL_FIELDS = tuple(field.name for field in FIELDS if not field.required)  # stored as "" when empty
FILTERED_FIELDS = tuple(field.name for field in FIELDS if field.filtered)
KEYED_COLUMNS = {field.name: field.key_bytes for field in FIELDS if field.key_bytes}

# Kept by the server around the fields: a record is (id, site_id, *fields, *RECORD_TAIL), its
# creator and updater named; the sort allow-list is the sortable fields between id and the tail.
RECORD_TAIL = ("version", "created_at", "updated_at")
SORTABLE_FIELDS = ("id", *(field.name for field in FIELDS if field.sortable), "created_at", "updated_at",
                   "version")
