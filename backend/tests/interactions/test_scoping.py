"""Site isolation is structural: every interaction query starts from queries.in_site, the one place
that writes the site predicate."""
from __future__ import annotations

import re
from pathlib import Path

import ims

PREDICATE = re.compile(r"Interaction\.site_id\s*==")


def test_the_site_predicate_is_written_once_under_ims():
    found = [(path.relative_to(Path(ims.__file__).parent).as_posix(), line)
             for path in Path(ims.__file__).parent.rglob("*.py")
             for line in path.read_text().splitlines() if PREDICATE.search(line)]
    assert len(found) == 1, found
    assert found[0][0] == "interactions/queries.py" and "def in_site" not in found[0][1]
