"""What an import accepts, enforced on the server (documented in the README, "Importing a spreadsheet").
The byte limits are settings (IMPORT_MAX_BYTES, IMPORT_MAX_UNCOMPRESSED_BYTES, IMPORT_MAX_STORED_BYTES_PER_USER);
the others are fixed."""
from __future__ import annotations

from flask import current_app

from ..errors import AppError

MAX_ROWS = 100_000  # data rows, the header not counted
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000  # the longest field (description, notes) holds 5,000
MAX_HEADER_CHARS = 200
UNDO_DAYS = 7
FILE_DAYS = 7  # a finished import's file is kept this long: its preview and failed rows read it
MB = 1024 * 1024


class FileRefused(AppError, status=422, message="The file cannot be imported."):
    """A file that is read but not acceptable (empty, a header only, too many rows or columns)."""


class NotASpreadsheet(AppError, status=415, message="The file is not a CSV, TSV or .xlsx spreadsheet."):
    """Binary data, a web page, an archive that is not a workbook."""


class FileTooLarge(AppError, status=413, message="The file is too large."):
    """Beyond the byte limits, compressed or not."""


def max_bytes() -> int:
    return current_app.config["IMPORT_MAX_BYTES"]


def max_uncompressed_bytes() -> int:
    return current_app.config["IMPORT_MAX_UNCOMPRESSED_BYTES"]


def too_large() -> FileTooLarge:
    return FileTooLarge(f"The file is larger than {max_bytes() // MB} MB; split it into smaller files.")


class StorageFull(AppError, status=409, code="storage_full", message="Your imports keep as many files as they may."):
    """One more file would take what a person's imports keep past IMPORT_MAX_STORED_BYTES_PER_USER: the
    files of imports not yet run, and of finished ones for FILE_DAYS. Waiting does not help; discarding does."""


def max_stored_bytes() -> int:
    return current_app.config["IMPORT_MAX_STORED_BYTES_PER_USER"]


def storage_full(stored: int, size: int) -> StorageFull:
    limit = max_stored_bytes()
    return StorageFull(
        f"Your imports keep {stored / MB:.1f} MB of files, and this one ({size / MB:.1f} MB) would take them past the "
        f"{limit / MB:.0f} MB one person may keep. Discard the imports you no longer need (Discard, in the recent "
        f"imports), then upload the file again. A finished import's file is let go {FILE_DAYS} days after it "
        "finished.", details={"stored_bytes": stored, "file_bytes": size, "limit_bytes": limit})


class FileNotKept(AppError, status=410, message="The file of this import is no longer kept."):
    """A finished import's file, cleared FILE_DAYS after it finished (`service.forget_files`)."""
