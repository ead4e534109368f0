"""Ending sessions in PostgreSQL: a sign-out is a `revoked_tokens` row kept until the token could no
longer be accepted anyway; each sign-out clears its user's rows past that point."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from jose import jwt

from ims.auth import tokens
from ims.auth.models import RevokedToken
from ims.extensions import db
from ims.timeutil import as_utc, utcnow
from tests.builders import bearer, login


def revoked_rows() -> list[tuple[int, float]]:
    rows = db.session.execute(sa.select(RevokedToken.user_id, RevokedToken.expires_at)).all()
    return sorted((user_id, as_utc(expires_at).timestamp()) for user_id, expires_at in rows)


def test_a_sign_out_is_kept_until_the_token_expires_plus_the_leeway(client, world):
    token = login(client, "editor").get_json()["access_token"]
    assert client.post("/api/auth/logout", headers=bearer(token)).status_code == 204
    expires = jwt.get_unverified_claims(token)["exp"]
    assert revoked_rows() == [(world.editor.id, expires + tokens.LEEWAY_SECONDS + 1)]
    assert client.post("/api/auth/logout", headers=bearer(token)).status_code == 401  # already signed out


def test_a_sign_out_clears_its_users_expired_rows_only(client, world):
    past = utcnow() - timedelta(seconds=1)
    db.session.add_all([RevokedToken(token_digest="0" * 64, user_id=world.editor.id, expires_at=past),
                        RevokedToken(token_digest="1" * 64, user_id=world.viewer.id, expires_at=past)])
    db.session.commit()
    token = login(client, "editor").get_json()["access_token"]
    assert client.post("/api/auth/logout", headers=bearer(token)).status_code == 204
    assert [user_id for user_id, _ in revoked_rows()] == [world.editor.id, world.viewer.id]
    assert revoked_rows()[0][1] > utcnow().timestamp()  # the editor's expired row is gone, the new one kept
