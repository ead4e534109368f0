"""Every endpoint × role × own/other site answers the expected status, and nothing of another
site leaks through a list, a record, the export, the cache or an error message."""
from __future__ import annotations

import pytest

from ims.auth.principal import load_principal
from ims.extensions import db
from tests.builders import (headers_for, interaction_body, make_interaction, make_site, make_user, run_import,
                            upload_file)

SECRET = "Field-office secret plan"
ROLES = ("viewer", "editor", "admin", "non-member", "anonymous")
READS = {"list", "export", "get"}


@pytest.fixture
def matrix(world):
    world.hq_admin = make_user("hqadmin", {world.hq: "admin"})
    # non-member: an editor of a third site, a member of neither site the requests name
    world.branch_editor = make_user("brancher", {make_site("Branch"): "editor"})
    world.users = {"viewer": world.viewer, "editor": world.editor, "admin": world.hq_admin,
                   "non-member": world.branch_editor, "anonymous": None}
    make_interaction(world.field, world.field_editor, title=SECRET, notes=SECRET)
    return world


def request_for(client, w, endpoint: str, role: str, site: str):
    """`site` own: X-Site-ID = hq and a record of hq; other: a record of the field office, or the
    field office as X-Site-ID for the collection endpoints."""
    user = w.users[role]
    item_site = w.hq if site == "own" else w.field
    header_site = w.hq if (site == "own" or endpoint not in {"list", "export", "create"}) else w.field
    headers = headers_for(user, header_site) if user else {"X-Site-ID": str(header_site.id)}
    item = make_interaction(item_site, w.editor, title="Matrix record").id
    url = f"/api/interactions/{item}"
    call = {
        "list": lambda: client.get("/api/interactions", headers=headers),
        "export": lambda: client.get("/api/interactions/export", headers=headers),
        "create": lambda: client.post("/api/interactions", json=interaction_body(), headers=headers),
        "get": lambda: client.get(url, headers=headers),
        "update": lambda: client.put(url, json=interaction_body(version=1), headers=headers),
        "delete": lambda: client.delete(url, headers=headers),
    }[endpoint]
    return call()


def expected_status(endpoint: str, role: str, site: str) -> int:
    if role == "anonymous":
        return 401
    if role == "non-member":
        return 403  # X-Site-ID names a site the user does not belong to
    collection = endpoint in {"list", "export", "create"}
    if site == "other" and collection:
        return 403  # X-Site-ID of a site the user does not belong to
    if endpoint not in READS and role == "viewer":
        return 403
    if site == "other":
        return 404  # a record of another site does not exist here
    return {"list": 200, "export": 200, "get": 200, "create": 201, "update": 200, "delete": 204}[endpoint]


def test_every_endpoint_role_and_site_answers_as_expected(client, matrix, figures):
    cells = 0
    mismatches = []
    for endpoint in ("list", "export", "get", "create", "update", "delete"):
        for role in ROLES:
            for site in ("own", "other"):
                cells += 1
                response = request_for(client, matrix, endpoint, role, site)
                want = expected_status(endpoint, role, site)
                if response.status_code != want:
                    mismatches.append((endpoint, role, site, response.status_code, want))
                assert SECRET not in response.get_data(as_text=True), (endpoint, role, site)
                if response.status_code >= 400:
                    assert set(response.get_json()["error"]) == {"code", "message", "details"}
    figures.update(cells=cells, mismatches=len(mismatches))
    assert not mismatches


@pytest.mark.parametrize("path", ["/api/auth/me", "/api/sites", "/api/account", "/api/meta/timezones"])
def test_user_level_endpoints_need_a_token_and_show_only_own_sites(client, matrix, path):
    assert client.get(path).status_code == 401
    for role in ("viewer", "editor", "admin", "non-member"):
        response = client.get(path, headers=headers_for(matrix.users[role]))
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        if role != "non-member":
            assert "Field Office" not in text


def test_other_sites_records_never_surface_in_search_sort_pages_or_cache(client, matrix, figures):
    """The admin of both sites fills the cache for the field office; headquarters' users then query
    with the very same parameters and must see none of it."""
    queries = [{}, {"search": "secret"}, {"title": "Field"}, {"sort": "title", "page_size": 100},
               {"page": 2, "page_size": 1}, {"search": "plan", "type": "Visit"}]
    for query in queries:
        primed = client.get("/api/interactions", query_string=query, headers=headers_for(matrix.admin, matrix.field))
        assert primed.status_code == 200
    seen = 0
    for query in queries:
        for role in ("viewer", "editor", "admin"):
            for _ in range(2):  # the second answer comes from the cache
                response = client.get("/api/interactions", query_string=query,
                                      headers=headers_for(matrix.users[role], matrix.hq))
                seen += 1
                assert response.status_code == 200
                assert SECRET not in response.get_data(as_text=True)
                assert all(item["site_id"] == matrix.hq.id for item in response.get_json()["items"])
    export = client.get("/api/interactions/export", query_string={"search": "secret"},
                        headers=headers_for(matrix.editor, matrix.hq))
    assert export.status_code == 200 and SECRET not in export.get_data(as_text=True)
    figures.update(requests=seen + len(queries) + 1, leaks=0)


def test_guessing_other_sites_ids_looks_like_absence(client, matrix):
    """Existing ids of another site and ids that exist nowhere answer the same 404 body."""
    headers = headers_for(matrix.editor, matrix.hq)
    foreign = make_interaction(matrix.field, matrix.field_editor, title=SECRET).id
    missing = foreign + 10_000
    for method, body in (("get", None), ("put", interaction_body(version=1)), ("delete", None)):
        a = getattr(client, method)(f"/api/interactions/{foreign}", json=body, headers=headers)
        b = getattr(client, method)(f"/api/interactions/{missing}", json=body, headers=headers)
        assert a.status_code == b.status_code == 404
        assert a.get_json() == b.get_json()


# ------------------------------------------------------------ site administration, history, recovery
# endpoint: (kind, method, path template, body, success status). kind: "admin" needs the site's admin
# role, "write" an editor or admin, "read" any member. {user}: a member of the item's site,
# {invitation}: a pending invitation of it, {id}: an interaction of it, {entry}: an entry of that
# interaction's history, {deleted}: a deleted one.
ADMIN_ENDPOINTS = {
    "members": ("admin", "get", "/api/site/members", None, 200),
    "member_add": ("admin", "post", "/api/site/members", {"user": "{loner}", "role": "viewer"}, 202),
    "member_get": ("admin", "get", "/api/site/members/{user}", None, 200),
    "member_role": ("admin", "patch", "/api/site/members/{user}", {"role": "editor"}, 200),
    "member_remove": ("admin", "delete", "/api/site/members/{user}", None, 204),
    "member_unlock": ("admin", "post", "/api/site/members/{user}/unlock", None, 200),
    "member_reset_link": ("admin", "post", "/api/site/members/{user}/reset-link", None, 204),
    "member_deactivate": ("admin", "post", "/api/site/members/{user}/deactivate", None, 200),
    "member_reactivate": ("admin", "post", "/api/site/members/{user}/reactivate", None, 200),
    "invitations": ("admin", "get", "/api/site/invitations", None, 200),
    "invite": ("admin", "post", "/api/site/invitations", {"email": "new@example.org", "role": "viewer"}, 201),
    "invitation_revoke": ("admin", "delete", "/api/site/invitations/{invitation}", None, 204),
    "settings": ("admin", "get", "/api/site/settings", None, 200),
    "settings_put": ("admin", "put", "/api/site/settings", {"name": "{site_name}", "default_timezone": "UTC"}, 200),
    "audit": ("admin", "get", "/api/site/audit", None, 200),
    "audit_export": ("admin", "get", "/api/site/audit/export", None, 200),
    "deleted": ("admin", "get", "/api/interactions/deleted", None, 200),
    "insights": ("read", "get", "/api/insights", None, 200),
    "history": ("read", "get", "/api/interactions/{id}/history", None, 200),
    "history_entry": ("read", "get", "/api/interactions/{id}/history/{entry}", None, 200),
    "restore": ("write", "post", "/api/interactions/{id}/restore", {"restore_version": 1, "version": 1}, 200),
    "undelete": ("write", "post", "/api/interactions/deleted/{deleted}/restore", None, 200),
    # saved views; {view}: a view the admin of both sites shared in the item's site ("change": only its owner
    # or an admin of the site, judged on the view found, so another site's view is absent for every role)
    "views": ("read", "get", "/api/views", None, 200),
    "view_save": ("read", "post", "/api/views", {"name": "Mine", "params": {"type": "Call"}}, 201),
    "view_get": ("read", "get", "/api/views/{view}", None, 200),
    "view_change": ("change", "patch", "/api/views/{view}", {"name": "Renamed"}, 200),
    "view_delete": ("change", "delete", "/api/views/{view}", None, 204),
    "view_default": ("read", "put", "/api/views/{view}/default", None, 200),
    "view_default_clear": ("read", "delete", "/api/views/default", None, 204),
    # spreadsheet imports, editors and admins only (viewers not even read them); {import}: an import of the
    # item's site being mapped, {done_import}: one imported, UPLOAD: the file as multipart ("uploader": only
    # who uploaded it, here the admin of both sites, or an admin of the site; never for viewers)
    "imports": ("write", "get", "/api/imports", None, 200),
    "import_upload": ("write", "post", "/api/imports", "UPLOAD", 201),
    "import_get": ("write", "get", "/api/imports/{import}", None, 200),
    "import_change": ("write", "patch", "/api/imports/{import}", {"duplicates": "import"}, 200),
    "import_preview": ("write", "get", "/api/imports/{import}/preview", None, 200),
    "import_failed": ("write", "get", "/api/imports/{import}/failed.csv", None, 200),
    "import_run": ("write", "post", "/api/imports/{import}/run", None, 202),
    "import_undo": ("write", "post", "/api/imports/{done_import}/undo", None, 200),
    "import_discard": ("uploader", "delete", "/api/imports/{import}", None, 204),
    # bulk actions (editors and admins); {ids}: the item's id and version, {job}: a bulk delete the editor
    # made in the item's site (of {deleted}), which the editor and an admin may undo; {stalled}: the editor's
    # change of {id} whose process ended an hour ago, which the editor and an admin may resume
    "bulk_selection": ("write", "post", "/api/bulk/selection", {"query": {"type": ["Call"]}}, 200),
    "bulk": ("write", "post", "/api/bulk", {"action": "change", "changes": {"type": "Call"}, "ids": "{ids}"}, 200),
    "bulk_job": ("write", "get", "/api/bulk/{job}", None, 200),
    "bulk_undo": ("write", "post", "/api/bulk/{job}/undo", None, 200),
    "bulk_resume": ("write", "post", "/api/bulk/{stalled}/resume", None, 200),
}
IMPORT_CSV = (f"Subject,Type,Owner,Start,End,Notes\r\n{SECRET},Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,\r\n"
              f",Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,{SECRET}\r\n").encode()


def _import_of(client, w, site, *, done: bool) -> int:
    """An import of `site` by the admin of both sites; the field office's file holds the secret."""
    from ims import background

    content = IMPORT_CSV if site is w.field else IMPORT_CSV.replace(SECRET.encode(), b"Plan")
    headers = headers_for(w.admin, site)
    item = upload_file(client, headers, content).get_json()["id"]
    if done:
        run_import(client, headers, item)
    assert background.wait_idle(30)
    return item


def admin_expected(endpoint: str, role: str, site: str) -> int:
    kind, _method, path, _body, success = ADMIN_ENDPOINTS[endpoint]
    itemised = "{" in path
    if role == "anonymous":
        return 401
    if role == "non-member" or (site == "other" and not itemised):
        return 403
    if kind == "change" and site == "other":
        return 404
    if kind in ("write", "uploader") and role == "viewer":
        return 403
    if kind == "uploader" and site == "other":
        return 404
    if kind in ("admin", "change", "uploader") and role != "admin":
        return 403
    return 404 if site == "other" else success


def admin_request(client, w, endpoint: str, role: str, site: str, serial: int):
    from datetime import timedelta

    from ims.audit import AuditEvent
    from ims.bulk.models import BulkItem, BulkJob
    from ims.interactions import trash
    from ims.saved_views.models import SavedView
    from ims.sites.invitations import invite
    from ims.timeutil import utcnow

    kind, method, path, body, _success = ADMIN_ENDPOINTS[endpoint]
    user = w.users[role]
    item_site = w.hq if site == "own" else w.field
    header_site = w.field if (site == "other" and "{" not in path) else w.hq
    headers = headers_for(user, header_site) if user else {"X-Site-ID": str(header_site.id)}
    member = make_user(f"member{serial}", {item_site: "viewer"})
    loner = make_user(f"loner{serial}", {})
    # the editor deleted it, so the editor's Undo is allowed
    gone = make_interaction(item_site, w.editor, title="Matrix record").id
    trash.move_to_deleted(item_site.id, gone, w.editor.id, utcnow())
    db.session.commit()
    invitation = invite(item_site.id, load_principal(user_id=w.admin.id), f"guest{serial}@example.org", "viewer")
    item = make_interaction(item_site, w.editor).id
    edit = AuditEvent(action="update", user_id=w.editor.id, site_id=item_site.id, entity_type="interaction",
                      entity_id=item, changes={"title": {"from": "Draft", "to": "Site visit"}})
    # the field office's view names the secret: it must never surface in headquarters
    view = SavedView(site_id=item_site.id, owner_id=w.admin.id, name=f"Matrix view {serial}", shared=True,
                     params={"search": [SECRET if item_site is w.field else "plan"]})
    job = BulkJob(site_id=item_site.id, user_id=w.editor.id, action="delete", status="done", changes={},
                  criteria={"selected_rows": 1}, targets=[[gone, 1]], total=1, processed=1, changed=1,
                  created_at=utcnow() - timedelta(minutes=1), finished_at=utcnow())
    stalled = BulkJob(site_id=item_site.id, user_id=w.editor.id, action="change", status="running",
                      changes={"type": "Call"}, criteria={"selected_rows": 1}, targets=[[item, 1]], total=1,
                      created_at=utcnow() - timedelta(hours=1), heartbeat_at=utcnow() - timedelta(hours=1))
    db.session.add_all([edit, view, job, stalled])
    db.session.flush()
    db.session.add(BulkItem(job_id=job.id, interaction_id=gone, outcome="changed"))
    db.session.commit()
    values = {"user": member.id, "invitation": invitation["id"], "id": item, "entry": edit.id,
              "deleted": gone, "loner": loner.email, "site_name": header_site.name, "view": view.id, "job": job.id,
              "stalled": stalled.id}
    if "{import}" in path or "{done_import}" in path:
        values[path[path.index("{") + 1:path.index("}")]] = _import_of(client, w, item_site,
                                                                       done="{done_import}" in path)
    url = path.format(**values)
    if body == "UPLOAD":
        return upload_file(client, headers, IMPORT_CSV.replace(SECRET.encode(), b"Plan"))
    lists = {"{ids}": [{"id": item, "version": 1}]}
    payload = {k: (lists.get(v) or v.format(**values) if isinstance(v, str) else v)
               for k, v in (body or {}).items()} or None
    return getattr(client, method)(url, json=payload, headers=headers)


def test_every_admin_history_and_recovery_endpoint_role_and_site_answers_as_expected(client, matrix, figures):
    mismatches, serial = [], 0
    for endpoint in ADMIN_ENDPOINTS:
        for role in ROLES:
            for site in ("own", "other"):
                serial += 1
                response = admin_request(client, matrix, endpoint, role, site, serial)
                want = admin_expected(endpoint, role, site)
                if response.status_code != want:
                    mismatches.append((endpoint, role, site, response.status_code, want))
                text = response.get_data(as_text=True)
                assert SECRET not in text and "fielder" not in text, (endpoint, role, site)
                if response.status_code >= 400:
                    assert set(response.get_json()["error"]) == {"code", "message", "details"}
    from ims import background

    assert background.wait_idle(30)
    figures.update(cells=serial, mismatches=len(mismatches))
    assert not mismatches
