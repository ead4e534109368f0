"""The key formulas and the migrations agree: the newest migration that sets the database's digest
trigger records the KEYS_VERSION, the source fields and a fingerprint of the formulas this code
computes. Change the folding, the keys or the bitmap without raising KEYS_VERSION in a migration
that replaces the trigger (docs/DEPLOYMENT.md, "Expand and contract"), and rows the database holds
keep keys this release no longer computes: this test fails first."""
from __future__ import annotations

import hashlib

from alembic.config import Config
from alembic.script import ScriptDirectory

from ims.config import BACKEND_DIR
from ims.interactions import search_keys

# Texts the folding, the key budgets and the bitmap each treat in their own way: accents, case folding
# that changes length, compatibility forms, scripts without case, a long text past its key's length.
SAMPLES = ("", "Ana Lopez", "Ángel Ñúñez", "Straße İstanbul", "ﬁgures² Ｆｕｌｌwidth", "Crème brûlée",
           "ΣΊΣΥΦΟΣ", "日本語の会議", "Qx7 a-b c_d", "Zoë " * 80, "🙂 emoji and 10%")


def fingerprint(keys) -> str:
    """md5 of every derived column (search text, bitmap, sort keys, digest) of each sample in each
    source field: it changes with any formula, any key budget or any source field."""
    rows = [sorted(keys.derived_columns({name: text for name in keys.SOURCE_FIELDS}).items()) for text in SAMPLES]
    return hashlib.md5(repr(rows).encode(), usedforsecurity=False).hexdigest()


def migrations_newest_first():
    config = Config()
    config.set_main_option("script_location", str(BACKEND_DIR / "migrations"))
    return [script.module for script in ScriptDirectory.from_config(config).walk_revisions()]


def test_the_newest_migration_that_sets_the_digest_trigger_records_these_formulas():
    [newest, *_] = [m for m in migrations_newest_first() if hasattr(m, "KEYS_FINGERPRINT")]
    recorded = (newest.KEYS_VERSION, newest.SOURCE_FIELDS, newest.KEYS_FINGERPRINT)
    assert recorded == (search_keys.KEYS_VERSION, search_keys.SOURCE_FIELDS, fingerprint(search_keys)), (
        f"the key formulas changed since {newest.revision}: raise KEYS_VERSION and add a migration that "
        "replaces interactions_keys_digest() and records the new version, fields and fingerprint")


def test_a_version_names_one_set_of_formulas():
    versions = [m.KEYS_VERSION for m in migrations_newest_first() if hasattr(m, "KEYS_FINGERPRINT")]
    assert versions and len(set(versions)) == len(versions), f"two migrations record one KEYS_VERSION: {versions}"


def test_migration_0006_keys_the_columns_it_creates_with_the_formulas_it_records():
    [finder_shapes] = [m for m in migrations_newest_first() if m.revision == "0006_finder_shapes"]
    assert set(finder_shapes.KEY_BYTES) == set(finder_shapes.KEYED)
    # today's formulas key every column 0006 creates, within the width 0006 gives it
    for name, width in finder_shapes.KEY_BYTES.items():
        assert len(search_keys.key_of(name, "🙂" * 5000).encode()) <= width, name
