"""Site administration of members: list, add, role, remove, unlock, reset link, deactivate; guard rails."""
from __future__ import annotations


import pytest

from ims.audit import AuditEvent
from ims.auth.models import User
from ims.extensions import db
from tests.builders import bearer, headers_for, login, mails_to, make_user, text_of

URL = "/api/site/members"


@pytest.fixture
def hq(world):
    world.h = headers_for(world.admin, world.hq)
    return world


def events(action: str) -> list[AuditEvent]:
    db.session.rollback()  # a fresh transaction sees what the requests committed
    return db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars().all()


def test_admin_lists_members_with_role_state_and_last_sign_in(client, hq):
    make_user("locky", {hq.hq: "viewer"}, display_name="Locky")
    for _ in range(5):  # five failures lock the account (for this client address)
        login(client, "locky", "wrong-password")
    make_user("gone", {hq.hq: "editor"}, is_active=False, display_name="Gone")
    login(client, "editor")
    body = client.get(URL, headers=hq.h).get_json()
    by_name = {m["username"]: m for m in body["items"]}
    assert set(by_name) == {"admin", "editor", "viewer", "locky", "gone"}  # not the field office's editor
    assert by_name["editor"]["last_login_at"] and by_name["viewer"]["last_login_at"] is None
    assert by_name["locky"]["locked"] and by_name["locky"]["locked_until"]
    assert not by_name["gone"]["is_active"] and not by_name["editor"]["locked"]
    assert by_name["admin"]["role"] == "admin" and body["total"] == 5


def test_search_sort_and_paging(client, hq):
    names = [m["display_name"] for m in client.get(URL, query_string={"sort": "-display_name"},
                                                   headers=hq.h).get_json()["items"]]
    assert names == sorted(names, reverse=True)
    found = client.get(URL, query_string={"search": "VIEW"}, headers=hq.h).get_json()
    assert [m["username"] for m in found["items"]] == ["viewer"]
    by_mail = client.get(URL, query_string={"search": "editor@example"}, headers=hq.h).get_json()
    assert [m["username"] for m in by_mail["items"]] == ["editor"]
    page = client.get(URL, query_string={"page_size": 2, "page": 2, "sort": "username"}, headers=hq.h).get_json()
    assert [m["username"] for m in page["items"]] == ["viewer"] and page["pages"] == 2
    assert client.get(URL, query_string={"sort": "password_hash"}, headers=hq.h).status_code == 400


def test_adding_someone_invites_them_and_answers_alike_whether_or_not_they_have_an_account(client, hq, sendgrid):
    newbie = make_user("newbie", {}, email="Newbie@Example.com")
    known = client.post(URL, json={"user": "newbie@example.com", "role": "editor"}, headers=hq.h)
    unknown = client.post(URL, json={"user": "nobody@example.org", "role": "editor"}, headers=hq.h)
    assert known.status_code == unknown.status_code == 202
    assert set(known.get_json()) == set(unknown.get_json()) == {"id", "email", "role", "invited_by", "created_at",
                                                                "expires_at"}
    assert known.get_json()["role"] == "editor"
    db.session.rollback()
    assert db.session.get(User, newbie.id).memberships == []  # a member only once they accept
    assert mails_to(sendgrid, "newbie@example.com") and mails_to(sendgrid, "nobody@example.org")
    by_username = client.post(URL, json={"user": "newbie", "role": "viewer"}, headers=hq.h)
    assert by_username.status_code == 422 and "e-mail" in by_username.get_json()["error"]["details"]["user"][0]
    assert client.post(URL, json={"user": "Editor@example.com", "role": "viewer"}, headers=hq.h).status_code == 409
    assert len(events("invite")) == 2 and events("member_add") == []


def test_change_role_is_audited_and_takes_effect(client, hq):
    response = client.patch(f"{URL}/{hq.viewer.id}", json={"role": "editor"}, headers=hq.h)
    assert response.status_code == 200 and response.get_json()["role"] == "editor"
    [event] = events("role_change")
    assert event.changes == {"role": {"from": "viewer", "to": "editor"}} and event.user_id == hq.admin.id
    assert event.site_id == hq.hq.id and event.entity_id == hq.viewer.id
    write = client.post("/api/interactions", json={}, headers=headers_for(hq.viewer, hq.hq))
    assert write.status_code == 422  # now allowed to write (the empty body is what fails)


def test_the_last_admin_cannot_be_demoted_removed_or_deactivated(client, world):
    solo = make_user("solo", {world.field: "admin"})
    h = headers_for(solo, world.field)
    # world.admin is also admin of the field office: deactivate them so solo is the last active admin
    world.admin.is_active = False
    db.session.commit()
    demote = client.patch(f"{URL}/{solo.id}", json={"role": "editor", "confirm_self": True}, headers=h)
    assert demote.status_code == 409 and demote.get_json()["error"]["details"]["reason"] == "last_admin"
    remove = client.delete(f"{URL}/{solo.id}", query_string={"confirm_self": "true"}, headers=h)
    assert remove.status_code == 409
    # an inactive admin does not count: reactivated, they make demotion possible
    world.admin.is_active = True
    db.session.commit()
    assert client.patch(f"{URL}/{solo.id}", json={"role": "editor", "confirm_self": True},
                        headers=h).status_code == 200


def test_self_demotion_and_removal_need_confirmation(client, hq):
    make_user("second", {hq.hq: "admin"})
    unconfirmed = client.patch(f"{URL}/{hq.admin.id}", json={"role": "viewer"}, headers=hq.h)
    assert unconfirmed.status_code == 409
    assert unconfirmed.get_json()["error"]["details"]["reason"] == "confirmation_required"
    assert client.delete(f"{URL}/{hq.admin.id}", headers=hq.h).status_code == 409
    assert client.get(URL, headers=hq.h).status_code == 200  # still admin
    confirmed = client.patch(f"{URL}/{hq.admin.id}", json={"role": "viewer", "confirm_self": True}, headers=hq.h)
    assert confirmed.status_code == 200
    assert client.get(URL, headers=hq.h).status_code == 403  # demoted: the admin screens close


def test_remove_member_moves_their_default_site(client, hq):
    both = make_user("both", {hq.hq: "viewer", hq.field: "viewer"}, default_site_id=hq.hq.id)
    assert client.delete(f"{URL}/{both.id}", headers=hq.h).status_code == 204
    db.session.rollback()
    assert db.session.get(User, both.id).default_site_id == hq.field.id
    assert client.get("/api/interactions", headers=headers_for(both, hq.hq)).status_code == 403
    assert client.delete(f"{URL}/{both.id}", headers=hq.h).status_code == 404


def test_unlock_ends_a_lockout(client, hq):
    for _ in range(5):
        login(client, "viewer", "wrong-password")
    assert login(client, "viewer").status_code == 423
    member = client.get(f"{URL}/{hq.viewer.id}", headers=hq.h).get_json()
    assert member["locked"]
    unlocked = client.post(f"{URL}/{hq.viewer.id}/unlock", headers=hq.h)
    assert unlocked.status_code == 200 and not unlocked.get_json()["locked"]
    assert login(client, "viewer").status_code == 200
    assert events("unlock")[0].changes == {"was_locked": True}


def test_reset_link_is_mailed_and_works(client, hq, sendgrid):
    assert client.post(f"{URL}/{hq.viewer.id}/reset-link", headers=hq.h).status_code == 204
    [mail] = mails_to(sendgrid, "viewer@example.com")
    token = text_of(mail).split("reset-password#token=")[1].split()[0]
    confirm = client.post("/api/auth/password-reset/confirm", json={"token": token, "password": "brand-new-pass-1"})
    assert confirm.status_code == 204
    assert login(client, "viewer", "brand-new-pass-1").status_code == 200
    external = make_user("ext", {hq.hq: "viewer"}, password=None)
    external.password_hash = None
    db.session.commit()
    assert client.post(f"{URL}/{external.id}/reset-link", headers=hq.h).status_code == 409


def test_deactivation_ends_sessions_and_reactivation_restores_sign_in(client, hq):
    token = login(client, "editor").get_json()["access_token"]
    own = bearer(token)
    assert client.get("/api/auth/me", headers=own).status_code == 200
    response = client.post(f"{URL}/{hq.editor.id}/deactivate", headers=hq.h)
    assert response.status_code == 200 and not response.get_json()["is_active"]
    assert client.get("/api/auth/me", headers=own).status_code == 401  # the open session ends at once
    assert login(client, "editor").status_code == 401
    assert client.post(f"{URL}/{hq.editor.id}/reactivate", headers=hq.h).get_json()["is_active"]
    assert login(client, "editor").status_code == 200
    assert [e.action for e in events("deactivate") + events("reactivate")] == ["deactivate", "reactivate"]


def test_admin_cannot_deactivate_themselves_nor_reach_the_accounts_of_people_of_other_sites(client, world):
    hq_admin = make_user("hqadmin", {world.hq: "admin"})
    h = headers_for(hq_admin, world.hq)
    assert client.post(f"{URL}/{hq_admin.id}/deactivate", headers=h).status_code == 409
    shared = make_user("shared", {world.hq: "viewer", world.field: "viewer"})
    for action in ("deactivate", "reactivate", "unlock", "reset-link"):  # powers over the whole account
        refused = client.post(f"{URL}/{shared.id}/{action}", headers=h)
        assert refused.status_code == 403 and refused.get_json()["error"]["details"]["reason"] == "other_sites"
    db.session.rollback()
    assert db.session.get(User, shared.id).is_active
    assert events("reset_link") == [] and events("unlock") == []
    # the list says so up front, so the screen offers those powers only where they are the admin's
    listed = {m["username"]: m["account_wide"] for m in client.get(URL, headers=h).get_json()["items"]}
    assert listed["shared"] is False and listed["viewer"] is True and listed["admin"] is False  # admin: Field Office too
    assert client.get(f"{URL}/{shared.id}", headers=h).get_json()["account_wide"] is False
    both = client.get(f"{URL}/{shared.id}", headers=headers_for(world.admin, world.hq)).get_json()
    assert both["account_wide"] is True  # the admin of both sites answers for the whole account


def test_members_of_another_site_are_not_found(client, world):
    h = headers_for(make_user("hqadmin", {world.hq: "admin"}), world.hq)
    target = world.field_editor.id
    for method, path in (("get", ""), ("patch", ""), ("delete", ""), ("post", "/unlock"), ("post", "/reset-link"),
                         ("post", "/deactivate"), ("post", "/reactivate")):
        body = {"role": "viewer"} if method == "patch" else None
        response = getattr(client, method)(f"{URL}/{target}{path}", json=body, headers=h)
        assert response.status_code == 404, (method, path)
        assert "fielder" not in response.get_data(as_text=True)
