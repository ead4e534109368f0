"""Invitations: e-mailed through SendGrid, single-use, expiring, only a hash stored; accept = new account,
or, for an address that has an account, that account joins once signed in."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from ims.audit import AuditEvent
from ims.auth.models import User
from ims.extensions import db
from ims.sites.models import Invitation
from ims.timeutil import utcnow
from tests.builders import headers_for, login, mails_to, make_user, text_of

URL = "/api/site/invitations"
NEW_PASSWORD = "a-long-new-password"


def invite_into_headquarters(client, world, sendgrid, email: str):
    """Headquarters' admin invites `email` as editor; the world gains the invitation, its mail and token."""
    response = client.post(URL, json={"email": email, "role": "editor"}, headers=headers_for(world.admin, world.hq))
    assert response.status_code == 201, response.get_json()
    [mail] = mails_to(sendgrid, email)
    assert "Headquarters" in mail["subject"]
    world.mail = text_of(mail)
    # the token travels in the fragment, which browsers never send to a server
    world.token = world.mail.split("/accept-invitation#token=")[1].split()[0]
    world.invitation = response.get_json()
    return world


@pytest.fixture
def invited(client, world, sendgrid):
    """Headquarters' admin invites dana@example.org as editor."""
    return invite_into_headquarters(client, world, sendgrid, "dana@example.org")


def accept(client, token, username="dana", password=NEW_PASSWORD):
    return client.post("/api/invitations/accept",
                       json={"token": token, "username": username, "display_name": "Dana Scully", "password": password})


def test_only_a_hash_of_the_token_is_stored(invited):
    stored = db.session.get(Invitation, invited.invitation["id"])
    assert stored.token_hash == hashlib.sha256(invited.token.encode()).hexdigest()
    assert invited.token not in str(db.session.execute(db.text("SELECT * FROM invitations")).all())
    assert invited.token not in str(db.session.execute(db.text("SELECT changes FROM audit_events")).all())


def test_lookup_shows_site_role_and_inviter(client, invited):
    preview = client.post("/api/invitations/lookup", json={"token": invited.token}).get_json()
    assert preview["site_name"] == "Headquarters" and preview["role"] == "editor"
    assert preview["email"] == "dana@example.org" and preview["invited_by"] == "Admin"
    assert preview["auth_mode"] == "local"


def test_accepting_creates_the_account_and_membership_then_the_link_is_used_up(client, invited):
    accepted = accept(client, invited.token)
    assert accepted.status_code == 201 and accepted.get_json() == {"username": "dana", "site_name": "Headquarters"}
    signed_in = login(client, "dana", NEW_PASSWORD)
    assert signed_in.status_code == 200
    user = signed_in.get_json()["user"]
    assert [(s["name"], s["role"]) for s in user["sites"]] == [("Headquarters", "editor")]
    assert user["email"] == "dana@example.org" and user["default_site_id"] == invited.hq.id
    again = accept(client, invited.token, username="dana2")
    assert again.status_code == 400 and "token" in again.get_json()["error"]["details"]
    assert client.post("/api/invitations/lookup", json={"token": invited.token}).status_code == 400
    assert client.get(URL, headers=headers_for(invited.admin, invited.hq)).get_json() == {"items": []}
    actions = [e.action for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert actions[:2] == ["invite", "invite_accept"]


def test_an_expired_invitation_is_refused(client, invited):
    stored = db.session.get(Invitation, invited.invitation["id"])
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert accept(client, invited.token).status_code == 400
    assert login(client, "dana", NEW_PASSWORD).status_code == 401


def test_a_revoked_or_resent_invitation_stops_working(client, invited, sendgrid):
    h = headers_for(invited.admin, invited.hq)
    assert client.post(URL, json={"email": "DANA@example.org", "role": "viewer"}, headers=h).status_code == 201
    assert accept(client, invited.token).status_code == 400  # replaced by the new link
    newest = text_of(mails_to(sendgrid, "DANA@example.org")[-1]).split("token=")[1].split()[0]
    [pending] = client.get(URL, headers=h).get_json()["items"]
    assert pending["role"] == "viewer"
    assert client.delete(f"{URL}/{pending['id']}", headers=h).status_code == 204
    assert accept(client, newest).status_code == 400
    assert client.delete(f"{URL}/{pending['id']}", headers=h).status_code == 404


def test_accept_checks_username_and_password_all_at_once(client, invited):
    response = accept(client, invited.token, username="editor", password="short")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"username", "password"}
    assert accept(client, invited.token).status_code == 201  # the failed attempt did not use the link up


def test_inviting_a_current_member_is_a_conflict_and_garbage_tokens_are_400(client, world, sendgrid):
    h = headers_for(world.admin, world.hq)
    assert client.post(URL, json={"email": "Editor@example.com", "role": "viewer"}, headers=h).status_code == 409
    assert client.post(URL, json={"email": "not-an-email", "role": "viewer"}, headers=h).status_code == 422
    assert client.post(URL, json={"email": "x@example.com", "role": "owner"}, headers=h).status_code == 422
    assert not sendgrid.requests
    for token in ("nope", "' OR 1=1 --", "x" * 200):
        assert client.post("/api/invitations/lookup", json={"token": token}).status_code == 400


def test_an_invitation_of_one_site_never_touches_another(client, invited):
    other = headers_for(make_user("fieldadmin", {invited.field: "admin"}), invited.field)
    assert client.get(URL, headers=other).get_json() == {"items": []}
    assert client.delete(f"{URL}/{invited.invitation['id']}", headers=other).status_code == 404
    assert accept(client, invited.token).status_code == 201
    signed_in = login(client, "dana", NEW_PASSWORD).get_json()
    assert [s["name"] for s in signed_in["user"]["sites"]] == ["Headquarters"]


ACCEPT_SIGNED_IN = "/api/invitations/accept-signed-in"


@pytest.fixture
def existing(client, world, sendgrid):
    """Headquarters' admin invites the address of an existing account (the field office's editor)."""
    return invite_into_headquarters(client, world, sendgrid, "Fielder@Example.com")


def _users() -> int:
    db.session.rollback()
    return db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one()


def test_an_existing_account_is_asked_to_sign_in_and_accept(client, existing):
    assert "sign in with your existing account and accept" in existing.mail
    preview = client.post("/api/invitations/lookup", json={"token": existing.token}).get_json()
    assert preview["existing_account"] is True
    users = _users()
    refused = accept(client, existing.token, username="fielder2")
    assert refused.status_code == 409 and refused.get_json()["error"]["details"]["reason"] == "existing_account"
    assert client.post(ACCEPT_SIGNED_IN, json={"token": existing.token}).status_code == 401
    other = client.post(ACCEPT_SIGNED_IN, json={"token": existing.token}, headers=headers_for(existing.editor))
    assert other.status_code == 403
    joined = client.post(ACCEPT_SIGNED_IN, json={"token": existing.token}, headers=headers_for(existing.field_editor))
    assert joined.status_code == 200, joined.get_json()
    assert joined.get_json() == {"site_id": existing.hq.id, "site_name": "Headquarters", "role": "editor"}
    sites = client.get("/api/sites", headers=headers_for(existing.field_editor)).get_json()["items"]
    assert sorted((s["name"], s["role"]) for s in sites) == [("Field Office", "editor"), ("Headquarters", "editor")]
    assert _users() == users  # no account was made
    again = client.post(ACCEPT_SIGNED_IN, json={"token": existing.token}, headers=headers_for(existing.field_editor))
    assert again.status_code == 400


def test_a_member_accepting_keeps_their_role(client, existing):
    make_user("fielder", {existing.hq: "viewer"})  # joined another way meanwhile
    joined = client.post(ACCEPT_SIGNED_IN, json={"token": existing.token}, headers=headers_for(existing.field_editor))
    assert joined.status_code == 200 and joined.get_json()["role"] == "viewer"
    [event] = db.session.execute(db.select(AuditEvent).filter_by(action="invite_accept")).scalars().all()
    assert event.changes["already_member"] is True


def test_a_new_address_is_offered_a_new_account(client, invited):
    preview = client.post("/api/invitations/lookup", json={"token": invited.token}).get_json()
    assert preview["existing_account"] is False
