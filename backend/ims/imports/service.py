"""The use cases of an import: upload, change the mapping and choices, preview, start the run, the
failed rows as CSV, undo, discard. Every read starts from `in_site`, so another site's import is not found."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .. import audit, background, csvfile
from ..auth.models import User
from ..auth.principal import Principal
from ..errors import Conflict, Forbidden, UnprocessableEntity, VersionConflict, get_or_404
from ..extensions import db
from ..paging import page_of
from ..sites.models import Membership, Site
from ..timeutil import as_utc, iso_z, utcnow
from ..unit_of_work import transaction
from . import mapping, parsing, rows, runner, undo as undoing
from .limits import FILE_DAYS, UNDO_DAYS, FileNotKept, max_stored_bytes, storage_full
from .models import Import

NO_IMPORT = "No such import in this site."
SAMPLES = 3
UPLOADS_LOCK = 0x494D50  # pg_advisory_xact_lock's first key for a person's uploads; the second is their user id
NOT_DISCARDED = {
    "running": "The import is running: it can no longer be discarded.",
    "done": "The import has run: undo it to remove its records.",
    "failed": "The import has run in part: resume it, then undo it to remove its records.",
    "undone": "The import has run and was undone: there is nothing left to discard.",
}


def in_site(site_id: int) -> sa.Select:
    """The base of every import read: the site's imports, nothing else."""
    return sa.select(Import).where(Import.site_id == site_id)


def _load(site_id: int, import_id: int, *, lock: bool = False) -> Import:
    query = in_site(site_id).where(Import.id == import_id)
    return get_or_404(db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none(), NO_IMPORT)


def _read(imp: Import) -> parsing.Table:
    if imp.content is None:
        raise FileNotKept(f"The file of this import is no longer kept: its rows and failed rows can be read for "
                          f"{FILE_DAYS} days after it finished. The imported records are in the site.")
    return parsing.read(imp.content, imp.filename, imp.sheet)


def analyse(imp: Import, table: parsing.Table) -> list[rows.Checked]:
    """Check every row with the import's current choices; keep the columns, problems and counts on it."""
    orders = rows.column_orders(table, imp.mapping, imp.date_orders)
    imp.columns = [{"index": index, "header": header, "samples": _samples(table, index),
                    "date_order": orders.get(index, (None, False))[0],
                    "date_order_ambiguous": orders.get(index, (None, False))[1]}
                   for index, header in enumerate(table.header)]
    ambiguous = [index for index, (_, unsure) in sorted(orders.items()) if unsure]
    imp.problems = mapping.problems(table.header, imp.mapping, ambiguous)
    checked = rows.check(table, imp.mapping, orders, imp.timezone)
    rows.mark_duplicates(imp.site_id, checked)
    invalid = sum(1 for row in checked if row.errors)
    duplicate = sum(1 for row in checked if row.duplicate)
    imp.counts = {**(imp.counts or {}), "rows": len(checked), "valid": len(checked) - invalid - duplicate,
                  "invalid": invalid, "duplicate": duplicate}
    return checked


def _samples(table: parsing.Table, index: int) -> list[str]:
    found = []
    for _, cells in table.rows:
        if index < len(cells) and cells[index].strip():
            found.append(cells[index][:200])
            if len(found) == SAMPLES:
                break
    return found


def _counts(imp: Import) -> dict:
    return {"rows": 0, "valid": 0, "invalid": 0, "duplicate": 0, "imported": 0, "skipped": 0, "failed": 0,
            **(imp.counts or {})}


def _may_discard(imp: Import, member: Membership, user_id: int) -> bool:
    """Who may discard an import (before it runs): the person who uploaded it and the site's admins."""
    return member.role == "admin" or imp.created_by == user_id


def dump(imp: Import, username: str | None, may_discard: bool) -> dict:
    finished = imp.finished_at
    return {
        "id": imp.id, "filename": imp.filename, "status": imp.status, "created_at": iso_z(imp.created_at),
        "created_by": username, "finished_at": iso_z(finished),
        "undo_until": iso_z(as_utc(finished) + timedelta(days=UNDO_DAYS)) if finished and imp.status == "done"
        else None,
        "format": imp.format, "encoding": imp.encoding, "delimiter": imp.delimiter, "sheets": imp.sheets or [],
        "sheet": imp.sheet, "timezone": imp.timezone, "duplicates": imp.duplicates,
        "columns": [{**column, "field": imp.mapping.get(str(column["index"]))} for column in imp.columns or []],
        "fields": mapping.fields_list(), "counts": _counts(imp),
        "progress": {"done": imp.progress_done, "total": imp.progress_total},
        "problems": imp.problems or [], "error": imp.error, "version": imp.version,
        "can_discard": may_discard and imp.status == "mapping",
    }


def _dump(imp: Import, member: Membership, user_id: int) -> dict:
    username = db.session.execute(sa.select(User.username).where(User.id == imp.created_by)).scalar() \
        if imp.created_by else None
    return dump(imp, username, _may_discard(imp, member, user_id))


def _stored_bytes(user_id: int) -> int:
    """What the files of a person's imports take, those still kept (not yet run, or finished lately)."""
    return db.session.execute(sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(Import.content)), 0))
                              .where(Import.created_by == user_id, Import.content.is_not(None))).scalar_one()


def _check_room(user_id: int, size: int) -> None:
    stored = _stored_bytes(user_id)
    if stored + size > max_stored_bytes():
        raise storage_full(stored, size)


def _uploads_in_turn(user_id: int) -> None:
    """Until the commit, this person's other uploads wait here: each counts what the one before it stored.
    (Not the user's row: an admin's invitation locks the site, then that row, and a new import's site
    reference waits for the site; an advisory lock of its own makes no such cycle.)"""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(UPLOADS_LOCK, user_id)))


@transaction
def upload(member: Membership, principal: Principal, filename: str, content: bytes, sheet: str | None) -> dict:
    """Read and keep the file, within what its uploader's imports may keep (IMPORT_MAX_STORED_BYTES_PER_USER);
    a refused file stores nothing."""
    _check_room(principal.user_id, len(content))  # a person at the bound is refused before the file is read
    table = parsing.read(content, filename, sheet)
    zone = db.session.execute(sa.select(Site.default_timezone).where(Site.id == member.site_id)).scalar()
    imp = Import(site_id=member.site_id, created_by=principal.user_id, created_at=utcnow(), filename=filename[:255],
                 status="mapping", format=table.format, encoding=table.encoding, delimiter=table.delimiter,
                 sheets=table.sheets, sheet=table.sheet, content=content, mapping=mapping.auto(table.header),
                 date_orders={}, timezone=zone or "UTC", duplicates="skip", counts={}, progress_done=0,
                 progress_total=0)
    analyse(imp, table)
    _uploads_in_turn(principal.user_id)
    _check_room(principal.user_id, len(content))  # again, now that uploads sent together are counted in turn
    db.session.add(imp)
    db.session.flush()
    return _dump(imp, member, principal.user_id)


def list_imports(member: Membership, principal: Principal, params: dict) -> dict:
    query = (sa.select(Import, User.username).outerjoin(User, User.id == Import.created_by)
             .where(Import.site_id == member.site_id).order_by(Import.id.desc()))
    return page_of(query, params["page"], params["page_size"],
                   lambda row: dump(row[0], row[1], _may_discard(row[0], member, principal.user_id)))


def get_import(member: Membership, principal: Principal, import_id: int) -> dict:
    return _dump(_load(member.site_id, import_id), member, principal.user_id)


def _mapping_after(imp: Import, change: dict[str, str | None], width: int) -> dict[str, str]:
    """The mapping with `change` applied: a field mapped to a column leaves the column it had before."""
    problems = {index: ["No such column in the file."] for index in change
                if not index.isdigit() or int(index) >= width}
    if problems:
        raise UnprocessableEntity(details={"mapping": problems})
    given = {field for field in change.values() if field}
    kept = {index: field for index, field in imp.mapping.items() if index not in change and field not in given}
    return {**kept, **{index: field for index, field in change.items() if field}}


@transaction
def change(member: Membership, principal: Principal, import_id: int, data: dict,
           expected_version: int | None = None) -> dict:
    """Apply a change of the mapping and choices and raise the version. Under the row lock, so of two
    changes built on the same version the second finds it raised and is refused; a change without a
    version (an older client) applies to whatever is stored."""
    imp = _load(member.site_id, import_id, lock=True)
    if imp.status != "mapping":
        raise Conflict("The import has started: its mapping and choices can no longer change.")
    if expected_version is not None and expected_version != imp.version:
        raise VersionConflict("The import's mapping was changed elsewhere (in another tab, or by someone else) "
                              "since you loaded it.",
                              details={"current": _dump(imp, member, principal.user_id)})
    if "sheet" in data and data["sheet"] != imp.sheet:
        if imp.format != "xlsx":
            raise UnprocessableEntity(details={"sheet": ["Only a workbook (.xlsx) has sheets."]})
        table = parsing.read(imp.content, imp.filename, data["sheet"])
        imp.sheet, imp.mapping, imp.date_orders = table.sheet, mapping.auto(table.header), {}
    else:
        table = _read(imp)
    width = len(table.header)
    if "mapping" in data:
        imp.mapping = _mapping_after(imp, data["mapping"], width)
    if "date_orders" in data:
        bad = {index: ["No such column in the file."] for index in data["date_orders"]
               if not index.isdigit() or int(index) >= width}
        if bad:
            raise UnprocessableEntity(details={"date_orders": bad})
        imp.date_orders = {**imp.date_orders, **data["date_orders"]}
    for name in ("timezone", "duplicates"):
        if name in data:
            setattr(imp, name, data[name])
    imp.version += 1
    analyse(imp, table)
    return _dump(imp, member, principal.user_id)


def preview(member: Membership, import_id: int, params: dict) -> dict:
    imp = _load(member.site_id, import_id)
    table = _read(imp)
    db.session.expunge(imp)  # a preview reads: what analyse notes on the row is not kept
    checked = analyse(imp, table)
    counts = _counts(imp)
    only = params["only"]
    shown = [row for row in checked if only == "all" or (only == "invalid" and row.errors)
             or (only == "duplicate" and row.duplicate)]
    page, size = params["page"], params["page_size"]
    items = [{"row": row.row, "values": row.values, "errors": row.errors, "duplicate": row.duplicate}
             for row in shown[(page - 1) * size:page * size]]
    return {"items": items, "total": len(shown), "page": page, "page_size": size,
            "counts": counts}


@transaction
def _claim(member: Membership, principal: Principal, import_id: int) -> dict:
    imp = _load(member.site_id, import_id, lock=True)
    if imp.status in ("done", "undone"):
        raise Conflict(f"The import is {'done' if imp.status == 'done' else 'undone'}: it cannot run again.")
    now = utcnow()
    if imp.status == "running" and imp.heartbeat_at and not background.stopped_since(imp.heartbeat_at):
        raise Conflict("The import is already running.")
    if imp.status == "mapping":
        analyse(imp, _read(imp))
    if imp.problems:
        raise UnprocessableEntity("The mapping is not complete: " + "; ".join(imp.problems) + ".",
                                  details={"mapping": list(imp.problems)})
    imp.status, imp.heartbeat_at, imp.error = "running", now, None
    return _dump(imp, member, principal.user_id)


def run(member: Membership, principal: Principal, import_id: int) -> dict:
    """Claim the import for one run (a second, concurrent request finds it running: 409), then import in
    the background; the client follows the import's progress."""
    answer = _claim(member, principal, import_id)
    background.start(f"import-{import_id}", runner.run, member.site_id, import_id, principal.user_id,
                     current_app.config["IMPORT_BATCH_ROWS"], on_behalf_of=principal.user_id)
    return answer


def failed_csv(member: Membership, import_id: int) -> tuple[str, bytes]:
    imp = _load(member.site_id, import_id)
    table = _read(imp)
    checked = rows.check(table, imp.mapping, rows.column_orders(table, imp.mapping, imp.date_orders), imp.timezone)
    body = csvfile.header([*table.header, "Reason"]) + csvfile.encode_rows(
        csvfile.safe_cells([*row.cells, rows.reason(row.errors)]) for row in checked if row.errors)
    stem = imp.filename.rsplit(".", 1)[0] or "import"
    return f"{stem}-failed.csv", body


@transaction
def undo(member: Membership, principal: Principal, import_id: int) -> dict:
    imp = _load(member.site_id, import_id, lock=True)
    if imp.status == "undone":
        raise Conflict("This import is already undone.")
    if imp.status != "done":
        raise Conflict("Only a finished import can be undone.")
    if as_utc(imp.finished_at) + timedelta(days=UNDO_DAYS) < utcnow():
        raise Conflict(f"This import finished more than {UNDO_DAYS} days ago: it can no longer be undone as a "
                       "whole; delete its records one by one.")
    removed, gone = undoing.remove_records(imp, principal.user_id)
    imp.status = "undone"
    audit.record("import_undo", user_id=principal.user_id, site_id=imp.site_id, entity_type="import",
                 entity_id=imp.id, changes={"filename": imp.filename, "removed": removed, "already_gone": gone})
    return _dump(imp, member, principal.user_id)


@transaction
def discard(member: Membership, principal: Principal, import_id: int) -> None:
    """Remove an import that has not run, its file with it. Locked as a run's claim locks it: of a discard
    and a run sent together one wins, and the other finds the import gone (404) or running (409)."""
    imp = _load(member.site_id, import_id, lock=True)
    if not _may_discard(imp, member, principal.user_id):
        raise Forbidden("Only the person who uploaded this import, or an admin of the site, can discard it.")
    if imp.status != "mapping":
        raise Conflict(NOT_DISCARDED[imp.status])
    db.session.delete(imp)


@transaction
def forget_files(older_than_days: int = FILE_DAYS) -> int:
    """Clear the file of every import finished (done or undone) more than `older_than_days` ago: it can
    no longer run, and its preview and failed rows are offered only that long. An import still to run
    (mapping, failed) keeps its file. The number of files cleared."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    return db.session.execute(sa.update(Import).where(
        Import.content.is_not(None), Import.status.in_(("done", "undone")), Import.finished_at < cutoff)
        .values(content=None)).rowcount
