"""The interaction's fields, listed once: what users edit, in the order screens and exports show them,
and everything each one needs — its kind, length, choices, default, example, how the Finder filters
and sorts it, whether it is a long text.

Everything that lists fields derives from FIELDS: the model's columns, CHECK constraints and sort keys
(models), the input and output schemas, the Finder's query parameters and the sort allow-list
(schemas), the Finder's filters as SQL (filters), the cache key (finder_cache), the selected row
columns and the serialiser (queries), the columns a delete moves (trash), the search text and keys
(search_keys), the audit and history snapshots (service, history), the CSV export, test fixtures, demo
data and the benchmark's dataset. Each derivation is a function of a field list, so a test can hand
it a longer one. Adding a field is one entry here plus a migration (see ARCHITECTURE.md).

Standard library only: migration 0006 and the benchmark's loader read this module (through
search_keys, or by its path) without importing the app.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

KINDS = ("text", "choice", "datetime", "timezone")
FILTER_KINDS = ("substring", "any_of", "range")
# A keyed text's whole folded key equal to the value's: what insights group leads and locations by, so a bar's
# link shows exactly its records where a substring filter would also find the names containing it.
EXACT = "exact"
EXACT_SUFFIX = "_is"
# A datetime read on the viewer's clock (the query's `tz`): its ISO weekday (1 = Monday) and its hour.
CLOCK_KINDS = ("weekday", "hour")
SORTS = ("value", "rank")
LONG_TEXT_KEY_CHARS = 64  # enough to order by what a reader sees in a truncated cell


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "text", "choice" (one of `choices`), "datetime" (aware, stored in UTC) or "timezone" (IANA)
    max_length: int = 0  # the column's length in characters (text, choice, timezone)
    required: bool = True  # False: the API may leave it out; it is then stored as `default`
    choices: tuple[str, ...] = ()  # in the order screens offer them (and a rank sort orders them)
    default: str | None = None  # stored when left out (optional fields; optional text defaults to "")
    example: str = ""  # a typical value: the OpenAPI document's example, test fixtures and demo rows
    searched: bool = False  # part of the text the Finder's search matches
    key_bytes: int = 0  # text sorted by a stored folded key `<name>_key` of at most this many bytes
    filter: str | None = None  # how the Finder filters it: "substring", "any_of" (choices) or "range" (datetime)
    filter_name: str | None = None  # its query parameter (a range: `<name>_from`, `<name>_to`); default: the field's
    exact_filter: bool = False  # also filtered by its whole folded key (`<name>_is`), as insights group it
    sort: str | None = "value"  # "value" (text by its folded key), "rank" (a choice by its place in `choices`), None
    clock_filters: bool = False  # a datetime the Finder also filters by `weekday` and `hour` in the viewer's zone
    long_text: bool = False  # a textarea: sorted by its first characters, shown in the history as an excerpt
    description: str | None = None  # for the OpenAPI document

    def __post_init__(self):
        problems = [
            self.kind not in KINDS and f"kind {self.kind!r} is not one of {KINDS}",
            (self.kind == "choice") != bool(self.choices) and "a choice field and only one has choices",
            self.filter not in (None, *FILTER_KINDS) and f"filter {self.filter!r} is not one of {FILTER_KINDS}",
            self.filter == "substring" and not self.key_bytes and "a substring filter matches the folded key: "
                                                                  "give key_bytes",
            self.filter == "any_of" and self.kind != "choice" and "an any_of filter needs choices",
            self.filter == "range" and self.kind != "datetime" and "a range filter needs a datetime",
            self.exact_filter and (not self.key_bytes or self.long_text)
            and "an exact filter matches the whole folded key: give key_bytes, not a long text",
            self.clock_filters and self.kind != "datetime" and "clock filters need a datetime",
            self.sort not in (None, *SORTS) and f"sort {self.sort!r} is not one of {SORTS}",
            self.sort == "rank" and self.kind != "choice" and "a rank sort needs choices",
            self.default is not None and self.required and "a field with a default is optional: required=False",
            self.default is not None and self.choices and self.default not in self.choices
            and "the default is not one of the choices",
        ]
        problems = [problem for problem in problems if problem]
        if problems:
            raise ValueError(f"field {self.name}: " + "; ".join(problems))

    @property
    def key_column(self) -> str | None:
        return f"{self.name}_key" if self.key_bytes else None

    @property
    def key_chars(self) -> int | None:
        """The key keeps only a long text's first characters."""
        return LONG_TEXT_KEY_CHARS if self.long_text else None

    @property
    def sortable(self) -> bool:
        return self.sort is not None

    @property
    def stored_default(self) -> str | None:
        """What the column holds when the field is left out (None: the field is required)."""
        if self.required:
            return None
        return "" if self.default is None else self.default


@dataclass(frozen=True)
class Filter:
    """One Finder query parameter: which field it filters and how (a range is two, one per bound)."""
    field: Field
    kind: str  # one of FILTER_KINDS, EXACT or CLOCK_KINDS
    bound: str | None = None  # a range's "from" or "to"


def filters_of(fields: Iterable[Field]) -> dict[str, Filter]:
    """The Finder's filters by query parameter, in field order (react-admin's one `filter` object)."""
    found = {}
    for field in fields:
        name = field.filter_name or field.name
        if field.filter == "range":
            found[f"{name}_from"] = Filter(field, "range", "from")
            found[f"{name}_to"] = Filter(field, "range", "to")
        elif field.filter:
            found[name] = Filter(field, field.filter)
        if field.exact_filter:
            found[name + EXACT_SUFFIX] = Filter(field, EXACT)
        if field.clock_filters:  # named by the clock alone: one field of a list may have them
            found.update({kind: Filter(field, kind) for kind in CLOCK_KINDS})
    return found


def sortable_of(fields: Iterable[Field]) -> tuple[str, ...]:
    """The sort allow-list: the sortable fields between the id and what the server keeps."""
    return ("id", *(field.name for field in fields if field.sortable), "created_at", "updated_at", "version")


def stored_defaults(fields: Iterable[Field]) -> dict[str, str]:
    """The value each optional field is stored with when it is left out."""
    return {field.name: field.stored_default for field in fields if not field.required}


INTERACTION_TYPES = ("Meeting", "Call", "Email", "Visit", "Conference", "Training", "Webinar", "Other")

FIELDS = (
    Field("title", "text", 200, searched=True, key_bytes=600, filter="substring", example="Quarterly budget review"),
    Field("type", "choice", 20, choices=INTERACTION_TYPES, searched=True, key_bytes=40, filter="any_of",
          example="Meeting"),
    Field("lead", "text", 100, searched=True, key_bytes=300, filter="substring", exact_filter=True,
          example="Amelia Hart"),
    Field("start_datetime", "datetime", filter="range", filter_name="start", clock_filters=True, example="2026-03-02T10:00:00+01:00",
          description="ISO 8601 with offset"),
    Field("end_datetime", "datetime", example="2026-03-02T11:30:00+01:00",
          description="ISO 8601 with offset; not before the start"),
    Field("timezone", "timezone", 64, key_bytes=128, example="Europe/Berlin",
          description="IANA zone the UI shows the times in"),
    Field("location", "text", 200, required=False, searched=True, key_bytes=600, filter="substring",
          exact_filter=True, example="Board room"),
    Field("description", "text", 5000, required=False, searched=True, key_bytes=256, long_text=True,
          example="Agreed next steps."),
    Field("notes", "text", 5000, required=False, searched=True, key_bytes=256, long_text=True,
          example="Send slides to all participants."),
)
BY_NAME = {field.name: field for field in FIELDS}
FILTERS = filters_of(FIELDS)

EDITABLE_FIELDS = tuple(field.name for field in FIELDS)
SEARCHED_FIELDS = tuple(field.name for field in FIELDS if field.searched)
DATETIME_FIELDS = tuple(field.name for field in FIELDS if field.kind == "datetime")
OPTIONAL_FIELDS = tuple(field.name for field in FIELDS if not field.required)  # stored as their default when empty
LONG_TEXTS = tuple(field.name for field in FIELDS if field.long_text)
KEYED_COLUMNS = {field.name: field.key_bytes for field in FIELDS if field.key_bytes}

# Kept by the server around the fields: a record is (id, site_id, *fields, *RECORD_TAIL), its
# creator and updater named; the sort allow-list is the sortable fields between id and the tail.
RECORD_TAIL = ("version", "created_at", "updated_at")
SORTABLE_FIELDS = sortable_of(FIELDS)
