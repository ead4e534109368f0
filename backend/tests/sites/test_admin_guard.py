"""Every view of /api/site (administration and the audit log) and the recently deleted list are for the
admins of the current site, each through the one site guard, `site_required(admin=True)`: a view added
there that forgets it fails here."""
from __future__ import annotations

import re

from tests.builders import headers_for


def _site_admin_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("site_admin.", "audit_log.")) or rule.rule == "/api/interactions/deleted":
            path = re.sub(r"<[^>]+>", "1", rule.rule)
            routes += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_every_site_admin_view_refuses_an_editor_and_a_stranger(client, app, world):
    routes = _site_admin_routes(app)
    assert len(routes) >= 12  # members, member actions, invitations, settings
    editor = headers_for(world.editor, world.hq)
    for method, path in routes:
        refused = client.open(path, method=method, json={}, headers=editor)
        assert refused.status_code == 403, (method, path, refused.status_code)
        assert refused.get_json()["error"]["message"] == "Only administrators of this site can do this."
        assert client.open(path, method=method, json={}).status_code == 401, (method, path)
