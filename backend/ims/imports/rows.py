"""Each row of a file as the import would store it: cells converted by the mapping, checked by the
interaction input schema itself (the same messages the form and the API give), and marked duplicate
when a record of the site or an earlier row has the same title, start and lead."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from marshmallow import ValidationError

from ..csvfile import FORMULA_PREFIXES
from ..extensions import db
from ..interactions import queries
from ..interactions.fields import BY_NAME, DATETIME_FIELDS
from ..interactions.models import Interaction
from ..interactions.schemas import InteractionInSchema
from ..interactions.service import normalise
from ..timeutil import as_utc, iso_z
from . import dates
from .mapping import LABELS
from .parsing import Table

LOOKUP_CHUNK = 500  # starts per duplicate lookup


@dataclass
class Checked:
    row: int
    cells: list[str]
    values: dict  # field → value as stored (valid rows) or as read (invalid ones); None when empty
    errors: dict = field(default_factory=dict)  # field → [messages]
    duplicate: bool = False
    stored: dict | None = None  # what a create stores (valid rows)

    @property
    def key(self) -> tuple | None:
        return (self.stored["title"], self.stored["start_datetime"], self.stored["lead"]) if self.stored else None


def unneutralise(text: str) -> str:
    """Undo csvfile.neutralise: the quote the export puts before a formula-looking cell."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def column_orders(table: Table, mapping: dict[str, str], chosen: dict[str, str]) -> dict[int, tuple]:
    """{column: (order, ambiguous)} for the columns mapped to a time: the chosen order, else the detected."""
    found = {}
    for index, name in mapping.items():
        if name not in DATETIME_FIELDS:
            continue
        column = int(index)
        if chosen.get(index) in dates.ORDERS:
            found[column] = (chosen[index], False)
            continue
        values = [cells[column].strip() for _, cells in table.rows if column < len(cells) and cells[column].strip()]
        found[column] = dates.detect(values)
    return found


def _cell(cells: list[str], column: int) -> str:
    return cells[column] if column < len(cells) else ""


def _choice(value: str, choices: tuple[str, ...]) -> str:
    return next((choice for choice in choices if choice.casefold() == value.strip().casefold()), value)


def payload(cells: list[str], mapping: dict[str, str], orders: dict[int, tuple], zone: str) -> dict:
    """What the form would send for this row: an empty required cell is left out, a time is read in
    `zone` when it has no offset, a time zone left empty is the import's."""
    sent: dict = {}
    for index, name in mapping.items():
        column, spec = int(index), BY_NAME[name]
        raw = _cell(cells, column)
        if not raw.strip() and (spec.required or spec.kind == "choice"):
            continue
        if spec.kind == "datetime":
            moment = dates.parse(raw, orders.get(column, (None, False))[0], zone)
            sent[name] = moment.isoformat() if moment else raw.strip()
        elif spec.kind == "choice":
            sent[name] = _choice(raw, spec.choices)
        elif spec.kind == "timezone":
            sent[name] = raw.strip()
        else:
            sent[name] = unneutralise(raw)
    sent.setdefault("timezone", zone)
    return sent


def _shown(value):
    return iso_z(value) if isinstance(value, datetime) else value


def check(table: Table, mapping: dict[str, str], orders: dict[int, tuple], zone: str, *,
          shown: bool = True) -> list[Checked]:
    """Every row through the input schema; `values` (what a preview shows) only when `shown`."""
    schema = InteractionInSchema()
    checked = []
    for number, cells in table.rows:
        sent = payload(cells, mapping, orders, zone)
        try:
            stored = normalise(schema.load(sent))
        except ValidationError as exc:
            messages = exc.normalized_messages()
            errors = {name: list(found) if isinstance(found, list) else [str(found)]
                      for name, found in messages.items()}
            values = {name: (sent.get(name) or None) for name in mapping.values()} if shown else {}
            checked.append(Checked(number, cells, values, errors))
            continue
        values = {name: _shown(value) if value != "" else None for name, value in stored.items()} if shown else {}
        checked.append(Checked(number, cells, values, stored=stored))
    return checked


def mark_duplicates(site_id: int, checked: list[Checked]) -> None:
    """Duplicate: the same title, start and lead as a record of the site or an earlier valid row."""
    valid = [row for row in checked if row.stored]
    existing = set()
    starts = sorted({row.stored["start_datetime"] for row in valid})
    for offset in range(0, len(starts), LOOKUP_CHUNK):
        chunk = starts[offset:offset + LOOKUP_CHUNK]
        query = queries.in_site(site_id, Interaction.title, Interaction.start_datetime, Interaction.lead) \
            .where(Interaction.start_datetime.in_(chunk))
        existing |= {(title, as_utc(start), lead) for title, start, lead in db.session.execute(query)}
    seen = set()
    for row in valid:
        key = row.key
        row.duplicate = key in existing or key in seen
        seen.add(key)


def reason(errors: dict) -> str:
    """A failed row's messages in one cell: `Title: Missing data for required field.; End: …`."""
    return "; ".join(f"{LABELS.get(name, name)}: {' '.join(str(m) for m in messages)}"
                     for name, messages in errors.items())
