"""Spreadsheet-safe CSV, as every export of the API writes it: UTF-8 with a byte-order mark (so
spreadsheets read UTF-8), CRLF line ends, minimal quoting, formula prefixes neutralised, streamed
in batches so memory stays flat. The interactions' export and the audit log's both write it."""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator, Sequence

BOM = "\ufeff".encode()
BATCH = 500  # records per chunk

# A cell starting with one of these makes a spreadsheet evaluate it (or, for tab and CR, shifts it).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A leading = + - @ would make a spreadsheet evaluate the cell; a quote keeps it text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _writer(buffer: io.StringIO):
    return csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def encode_rows(rows: Iterable[Sequence]) -> bytes:
    """Whole CSV records for `rows` (sequences of cells, written as they are)."""
    buffer = io.StringIO()
    _writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def header(names: Sequence[str]) -> bytes:
    """The start of a file: the byte-order mark and the header record."""
    return BOM + encode_rows([names])


def records(rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The records of `rows` (sequences of cells, written as they are), in chunks of BATCH records."""
    buffer = io.StringIO()
    writer = _writer(buffer)
    for count, row in enumerate(rows, 1):
        writer.writerow(row)
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def safe_cells(row: Iterable) -> list:
    """A row's cells with every text cell neutralised (numbers are written as they are)."""
    return [neutralise(value) if isinstance(value, str) else value for value in row]
