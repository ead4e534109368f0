"""Create, update and delete interactions: server-kept audit fields, optimistic concurrency, one commit each."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..auth.principal import Principal
from ..errors import AppError, NotFound, UnprocessableEntity, VersionConflict
from ..extensions import db
from ..sites import generation
from ..timeutil import as_utc, iso_z, utcnow
from . import deleted, queries
from .fields import EDITABLE_FIELDS
from .models import Interaction, derived_columns



def _normalise(data: dict) -> dict:
    values = {name: data.get(name) for name in EDITABLE_FIELDS}
    for name in ("location", "description", "notes"):
        values[name] = values[name] or ""
    for name in ("start_datetime", "end_datetime"):
        values[name] = as_utc(values[name])
    return values


def _jsonable(value):
    return iso_z(value) if isinstance(value, datetime) else value


def touch_site(site_id: int) -> None:
    generation.bump(site_id)  # same transaction as the write: the Finder cache keys on it


def _load(site_id: int, interaction_id: int) -> Interaction:
    found = db.session.execute(queries.in_site(site_id).where(Interaction.id == interaction_id)).scalar_one_or_none()
    if found is None:
        raise NotFound("No such interaction in this site.")
    return found


def create(site_id: int, principal: Principal, data: dict) -> dict:
    values = _normalise(data)
    now = utcnow()
    interaction = Interaction(
        site_id=site_id, **values, **derived_columns(values),
        created_at=now, created_by=principal.user_id, updated_at=now, updated_by=principal.user_id,
    )
    db.session.add(interaction)
    db.session.flush()
    audit.record("create", user_id=principal.user_id, site_id=site_id, entity_type="interaction",
                 entity_id=interaction.id, changes={k: _jsonable(v) for k, v in values.items()})
    touch_site(site_id)
    db.session.commit()
    return queries.fetch_one(site_id, interaction.id)


def _conflict(site_id: int, interaction_id: int) -> AppError:
    db.session.rollback()
    current = queries.fetch_one(site_id, interaction_id)
    if current is None:
        return NotFound("No such interaction in this site.")
    return VersionConflict(details={"current": current})


def update(site_id: int, principal: Principal, interaction_id: int, data: dict, expected_version: int | None,
           *, action: str = "update", note: dict | None = None) -> dict:
    """Replace the editable fields; `action` and `note` say in the audit trail why (e.g. a restore)."""
    if expected_version is None:
        raise UnprocessableEntity("Send the version you loaded (body `version` or an If-Match header).",
                                  details={"version": ["Missing: send the version you loaded."]})
    interaction = _load(site_id, interaction_id)
    if interaction.version != expected_version:
        raise _conflict(site_id, interaction_id)
    values = _normalise(data)
    changes = {}
    for name, new in values.items():
        old = getattr(interaction, name)
        if (as_utc(old) if isinstance(old, datetime) else old) != new:
            changes[name] = {"from": _jsonable(old), "to": _jsonable(new)}
            setattr(interaction, name, new)
    if not changes:
        db.session.rollback()
        return queries.fetch_one(site_id, interaction_id)
    for name, value in derived_columns(values).items():
        setattr(interaction, name, value)
    interaction.updated_at = utcnow()
    interaction.updated_by = principal.user_id
    try:
        db.session.flush()  # UPDATE … WHERE version = expected: a concurrent writer makes it miss
    except StaleDataError:
        raise _conflict(site_id, interaction_id) from None
    audit.record(action, user_id=principal.user_id, site_id=site_id, entity_type="interaction",
                 entity_id=interaction_id, changes={**changes, **(note or {})})
    touch_site(site_id)
    db.session.commit()
    return queries.fetch_one(site_id, interaction_id)


def delete(site_id: int, principal: Principal, interaction_id: int) -> None:
    """Move the record to deleted_interactions (restorable until purged); the Finder no longer sees it."""
    # FOR UPDATE: a concurrent delete of the same record waits, then finds nothing (404).
    found = db.session.execute(queries.in_site(site_id).where(Interaction.id == interaction_id)
                               .with_for_update()).scalar_one_or_none()
    if found is None:
        raise NotFound("No such interaction in this site.")
    snapshot = {name: _jsonable(getattr(found, name)) for name in EDITABLE_FIELDS}
    deleted.move_to_deleted(site_id, interaction_id, principal.user_id, utcnow())
    audit.record("delete", user_id=principal.user_id, site_id=site_id, entity_type="interaction",
                 entity_id=interaction_id, changes=snapshot)
    touch_site(site_id)
    db.session.commit()
