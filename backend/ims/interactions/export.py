"""CSV export of a Finder query: streamed, spreadsheet-friendly and safe to open."""
from __future__ import annotations

import csv
import io
import re

from ..timeutil import iso_z, utcnow

COLUMNS = ("id", "title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location",
           "description", "notes", "created_by", "created_at", "updated_by", "updated_at", "version")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def neutralise(value: str) -> str:
    """A leading = + - @ would make a spreadsheet evaluate the cell; a quote keeps it text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cells(row) -> list:
    values = {
        "id": row.id, "title": row.title, "type": row.type, "lead": row.lead,
        "start_datetime": iso_z(row.start_datetime), "end_datetime": iso_z(row.end_datetime),
        "timezone": row.timezone, "location": row.location or "", "description": row.description or "",
        "notes": row.notes or "", "created_by": row.created_by_name or "", "created_at": iso_z(row.created_at),
        "updated_by": row.updated_by_name or "", "updated_at": iso_z(row.updated_at), "version": row.version,
    }
    return [neutralise(v) if isinstance(v, str) else v for v in (values[c] for c in COLUMNS)]


def csv_chunks(rows):
    """Yield the file in chunks: a BOM (so spreadsheets read UTF-8), the header, then rows in batches."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, 1):
        writer.writerow(_cells(row))
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def filename_for(site_name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"
    return f"interactions-{slug}-{utcnow().date().isoformat()}.csv"
