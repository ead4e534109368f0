"""The portable CSV writer: rows read through SQLAlchemy and written by Python's csv module, for any
database (SQLite, the `make run` default); PostgreSQL has the faster copy_writer."""
from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from ...extensions import db
from .columns import EXPORT_COLUMNS

BATCH = 500  # rows per chunk
READ_BATCH = 1000  # rows per fetch from the server-side cursor


def _writer(buffer: io.StringIO):
    return csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def encode_rows(rows) -> bytes:
    """Whole CSV records for `rows` (lists of cells), as this writer encodes them."""
    buffer = io.StringIO()
    _writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def cells(row) -> list:
    return [column.python_cell(row) for column in EXPORT_COLUMNS]


def chunks(select: sa.Select):
    """The records of every row of `select`, streamed from a server-side cursor and yielded in batches, so
    memory stays flat."""
    result = db.session.execute(select.execution_options(stream_results=True, yield_per=READ_BATCH))
    buffer = io.StringIO()
    writer = _writer(buffer)
    for count, row in enumerate(result, 1):
        writer.writerow(cells(row))
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")
