"""CSV export of a Finder query: streamed, spreadsheet-friendly and safe to open.

One ordered column list (columns) feeds two writers that write the same bytes: PostgreSQL's COPY
(copy_writer) and Python's csv module (python_writer, for SQLite). `stream` picks one by dialect."""
from __future__ import annotations

import itertools
import re

from ...extensions import db
from ...timeutil import utcnow
from .. import queries
from . import copy_writer, python_writer
from .columns import COLUMNS, EXPORT_COLUMNS, FORMULA_PREFIXES, neutralise
from .trail import RowCounter, audited

__all__ = ["COLUMNS", "EXPORT_COLUMNS", "FORMULA_PREFIXES", "RowCounter", "audited", "filename_for", "header",
           "neutralise", "stream"]


def header() -> bytes:
    """A BOM (so spreadsheets read UTF-8), then the header record."""
    return "\ufeff".encode() + python_writer.encode_rows([COLUMNS])


def stream(site_id: int, query):
    """The CSV file of every row of the site matching `query`, in its sort order, as an iterator of
    byte chunks. The statement is built now (a bad query fails before the response starts); rows are
    read as the chunks are taken."""
    select = queries.matching(site_id, query)
    writer = copy_writer if db.session.get_bind().dialect.name == "postgresql" else python_writer
    return itertools.chain([header()], writer.chunks(select))


def filename_for(site_name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-") or "site"
    return f"interactions-{slug}-{utcnow().date().isoformat()}.csv"
