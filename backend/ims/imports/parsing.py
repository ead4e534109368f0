"""A file's bytes as a table of text cells: CSV or TSV in any common encoding and separator, or a sheet
of an .xlsx workbook (read-only, its uncompressed size checked before it is opened).

Refusals say what is wrong, and nothing is stored for a refused file."""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import charset_normalizer

from .limits import (MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, FileRefused, FileTooLarge, NotASpreadsheet,
                     max_uncompressed_bytes)

DELIMITERS = (",", ";", "\t")
HTML_STARTS = ("<!doctype html", "<html", "<?xml", "<head", "<body", "<table")


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None


def read(content: bytes, filename: str, sheet: str | None = None) -> Table:
    if not content:
        raise FileRefused("The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return read_xlsx(content, sheet)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise NotASpreadsheet("The file is named like a workbook but is not an .xlsx file; save it as .xlsx or CSV.")
    return read_csv(content)


# ------------------------------------------------------------------------------------------- CSV

def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "utf-16"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in content[:4096]:  # neither UTF-8 nor UTF-16 with its mark: binary data
        raise NotASpreadsheet("The file holds binary data, not text: upload a CSV, TSV or .xlsx file.")
    best = charset_normalizer.from_bytes(content[:1_000_000]).best()
    if best is None:
        raise NotASpreadsheet("The file's text encoding is not recognised: save it as UTF-8 CSV.")
    return content.decode(best.encoding, errors="strict"), best.encoding


def _check_text(text: str) -> None:
    if "\x00" in text or sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t") > 8:
        raise NotASpreadsheet("The file holds binary data, not text: upload a CSV, TSV or .xlsx file.")
    if text.lstrip()[:20].lower().startswith(HTML_STARTS):
        raise NotASpreadsheet("The file is a web page (HTML), not a spreadsheet: export the data as CSV or .xlsx.")


def _delimiter(text: str) -> str:
    """The separator that splits the first line into the most columns (a comma when none does)."""
    first = next(iter(text.splitlines()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] > 1 else ","


def read_csv(content: bytes) -> Table:
    try:
        text, encoding = _decode(content)
    except (UnicodeDecodeError, LookupError) as exc:
        raise NotASpreadsheet("The file's text is not in one encoding: save it as UTF-8 CSV.") from exc
    _check_text(text)
    delimiter = _delimiter(text)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header, rows = _collect(([cell for cell in record] for record in records))
    except csv.Error as exc:
        raise FileRefused(f"A cell is longer than {MAX_CELL_CHARS:,} characters or the file is not valid CSV "
                          f"({exc}).") from exc
    return Table("csv", header, rows, encoding=encoding, delimiter=delimiter)


def _collect(records) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty rows, numbered as a spreadsheet shows them; limits checked as read."""
    header = None
    rows = []
    for number, cells in enumerate(records, 1):
        if header is None:
            header = _trim(cells)
            if not any(cell.strip() for cell in header):
                raise FileRefused("The first row must name the columns; it is empty.")
            if len(header) > MAX_COLUMNS:
                raise FileRefused(f"The file has {len(header):,} columns; at most {MAX_COLUMNS} are read.")
            _check_cells(header, number)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > MAX_COLUMNS:
            raise FileRefused(f"Row {number} has {len(cells):,} cells; at most {MAX_COLUMNS} columns are read.")
        _check_cells(cells, number)
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise FileRefused(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
    if header is None:
        raise FileRefused("The file is empty.")
    if not rows:
        raise FileRefused("The file has a header but no rows to import.")
    return header, rows


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _check_cells(cells: list[str], number: int) -> None:
    for index, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            raise FileRefused(f"Row {number}, column {index + 1} holds {len(cell):,} characters; a cell may hold "
                              f"at most {MAX_CELL_CHARS:,}.")


# ------------------------------------------------------------------------------------------- xlsx

def _open_workbook(content: bytes):
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise NotASpreadsheet("The file is a damaged archive, not an .xlsx workbook.") from exc
    if "xl/workbook.xml" not in names:
        raise NotASpreadsheet("The file is an archive but not an .xlsx workbook.")
    if unpacked > max_uncompressed_bytes():
        raise FileTooLarge(f"The workbook unpacks to more than {max_uncompressed_bytes() // (1024 * 1024)} MB; "
                           "save the sheet as CSV or split it.")
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise NotASpreadsheet("The workbook cannot be read; open it and save it again as .xlsx.") from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ") if value.tzinfo else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(content: bytes, sheet: str | None) -> Table:
    workbook = _open_workbook(content)
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise FileRefused(f"The workbook has no sheet named {sheet!r}; its sheets: {', '.join(names)}.",
                              details={"sheet": ["No such sheet in the workbook."]})
        chosen = sheet or names[0]
        records = ([_cell_text(value) for value in row[:MAX_COLUMNS + 1]]
                   for row in workbook[chosen].iter_rows(values_only=True))
        try:
            header, rows = _collect(records)
        except Exception as exc:
            if isinstance(exc, FileRefused):
                raise
            raise NotASpreadsheet("The workbook cannot be read; open it and save it again as .xlsx.") from exc
    finally:
        workbook.close()
    return Table("xlsx", header, rows, sheets=names, sheet=chosen)
