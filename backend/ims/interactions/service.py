"""Create, update and delete interactions: server-kept audit fields, optimistic concurrency, one unit
of work each (the answer is read before the commit, so a committed write always answers)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from .. import audit
from ..auth.principal import Principal
from ..errors import AppError, UnprocessableEntity, VersionConflict, get_or_404
from ..extensions import db
from ..sites import generation
from ..timeutil import as_utc, iso_z, utcnow
from ..unit_of_work import transaction
from . import queries, trash
from .fields import DATETIME_FIELDS, EDITABLE_FIELDS, FIELDS, stored_defaults
from .models import Interaction
from .search_keys import derived_columns

DEFAULTS = stored_defaults(FIELDS)  # what an optional field left empty is stored as


def normalise(data: dict) -> dict:
    """A create's or an update's fields as stored: optional fields left empty take their default, times UTC."""
    values = {name: data.get(name) for name in EDITABLE_FIELDS}
    for name, default in DEFAULTS.items():
        values[name] = values[name] or default
    for name in DATETIME_FIELDS:
        values[name] = as_utc(values[name])
    return values


def jsonable(value):
    return iso_z(value) if isinstance(value, datetime) else value


def record_write(action: str, site_id: int, user_id: int | None, interaction_id: int,
                 changes: dict | None = None) -> None:
    """The tail of every write of an interaction, in its unit of work: the audit event, and a new
    generation of the site, which makes its cached Finder pages stale."""
    audit.record(action, user_id=user_id, site_id=site_id, entity_type="interaction", entity_id=interaction_id,
                 changes=changes)
    generation.bump(site_id)


def _load(site_id: int, interaction_id: int, *, lock: bool = False) -> Interaction:
    query = queries.in_site(site_id).where(Interaction.id == interaction_id)
    return get_or_404(db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none(),
                      queries.NO_INTERACTION)


@transaction
def create(site_id: int, principal: Principal, data: dict) -> dict:
    values = normalise(data)
    now = utcnow()
    interaction = Interaction(site_id=site_id, **values, created_at=now, created_by=principal.user_id,
                              updated_at=now, updated_by=principal.user_id)
    db.session.add(interaction)
    db.session.flush()
    record_write("create", site_id, principal.user_id, interaction.id,
                 {k: jsonable(v) for k, v in values.items()})
    return queries.fetch_one(site_id, interaction.id)


def _conflict(site_id: int, interaction_id: int) -> AppError:
    current = get_or_404(queries.fetch_one(site_id, interaction_id), queries.NO_INTERACTION)
    return VersionConflict(details={"current": current})


@transaction
def update(site_id: int, principal: Principal, interaction_id: int, data: dict, expected_version: int | None,
           *, action: str = "update", note: dict | None = None) -> dict:
    """Replace the editable fields; `action` and `note` say in the audit trail why (e.g. a restore)."""
    if expected_version is None:
        raise UnprocessableEntity("Send the version you loaded (body `version` or an If-Match header).",
                                  details={"version": ["Missing: send the version you loaded."]})
    loaded = _load(site_id, interaction_id)
    if loaded.version != expected_version:
        raise _conflict(site_id, interaction_id)
    values = {name: getattr(loaded, name) for name in EDITABLE_FIELDS}
    changes = {}
    for name, new in normalise(data).items():
        old = values[name]
        if (as_utc(old) if isinstance(old, datetime) else old) != new:
            changes[name] = {"from": jsonable(old), "to": jsonable(new)}
            values[name] = new
    if not changes:
        return queries.fetch_one(site_id, interaction_id)
    # A statement, not a flush of `loaded`: it names the site (the flush would write by id alone), and
    # `version = expected` makes a concurrent writer's UPDATE match nothing instead of overwriting.
    table = Interaction.__table__
    written = db.session.execute(
        sa.update(table)
        .where(table.c.site_id == site_id, table.c.id == interaction_id, table.c.version == expected_version)
        .values(**{name: values[name] for name in changes}, **derived_columns(values), updated_at=utcnow(),
                updated_by=principal.user_id, version=expected_version + 1))
    if written.rowcount != 1:
        raise _conflict(site_id, interaction_id)
    record_write(action, site_id, principal.user_id, interaction_id, {**changes, **(note or {})})
    return queries.fetch_one(site_id, interaction_id)


@transaction
def delete(site_id: int, principal: Principal, interaction_id: int) -> None:
    """Move the record to deleted_interactions (restorable until purged); the Finder no longer sees it."""
    # FOR UPDATE: a concurrent delete of the same record waits, then finds nothing (404).
    found = _load(site_id, interaction_id, lock=True)
    snapshot = {name: jsonable(getattr(found, name)) for name in EDITABLE_FIELDS}
    trash.move_to_deleted(site_id, interaction_id, principal.user_id, utcnow())
    record_write("delete", site_id, principal.user_id, interaction_id, snapshot)
