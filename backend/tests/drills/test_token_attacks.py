"""Forged, stale and revoked tokens against every protected endpoint (tests/auth covers the basic
cases on /api/auth/me; here each attack meets each endpoint, plus the variants those miss)."""
from __future__ import annotations

import base64
import json
import time

import pytest
from jose import jwt

from ims.auth.models import User
from ims.extensions import db
from ims.sites.models import SiteMembership
from tests.builders import PASSWORD, bearer, interaction_body, login, make_interaction, upload_file

PROTECTED = [("get", "/api/auth/me"), ("get", "/api/sites"), ("get", "/api/interactions"),
             ("get", "/api/interactions/export"), ("post", "/api/interactions"), ("get", "/api/interactions/{id}"),
             ("put", "/api/interactions/{id}"), ("delete", "/api/interactions/{id}"),
             ("get", "/api/meta/timezones"), ("get", "/api/insights"),
             ("get", "/api/account"), ("patch", "/api/account"), ("post", "/api/account/password"),
             ("post", "/api/account/email"),
             ("get", "/api/site/members"), ("post", "/api/site/members"), ("get", "/api/site/members/{user}"),
             ("patch", "/api/site/members/{user}"), ("delete", "/api/site/members/{user}"),
             ("post", "/api/site/members/{user}/unlock"), ("post", "/api/site/members/{user}/reset-link"),
             ("post", "/api/site/members/{user}/deactivate"), ("post", "/api/site/members/{user}/reactivate"),
             ("get", "/api/site/invitations"), ("post", "/api/site/invitations"),
             ("delete", "/api/site/invitations/{id}"), ("get", "/api/site/settings"), ("put", "/api/site/settings"),
             ("get", "/api/site/audit"), ("get", "/api/site/audit/export"), ("get", "/api/interactions/deleted"),
             ("get", "/api/interactions/{id}/history"), ("get", "/api/interactions/{id}/history/{id}"),
             ("post", "/api/interactions/{id}/restore"),
             ("post", "/api/interactions/deleted/{id}/restore"),
             ("get", "/api/views"), ("post", "/api/views"), ("get", "/api/views/{id}"), ("patch", "/api/views/{id}"),
             ("delete", "/api/views/{id}"), ("put", "/api/views/{id}/default"), ("delete", "/api/views/default"),
             ("get", "/api/imports"), ("post", "/api/imports"), ("get", "/api/imports/{id}"),
             ("patch", "/api/imports/{id}"), ("delete", "/api/imports/{id}"), ("get", "/api/imports/{id}/preview"),
             ("get", "/api/imports/{id}/failed.csv"), ("post", "/api/imports/{id}/run"),
             ("post", "/api/imports/{id}/undo"),
             ("post", "/api/bulk/selection"), ("post", "/api/bulk"), ("get", "/api/bulk/{id}"),
             ("post", "/api/bulk/{id}/undo"), ("post", "/api/bulk/{id}/resume"),
             ("post", "/api/auth/logout")]
# A valid body for each write, so only the token can be what refuses the request.
BODIES = {"/api/account": {"display_name": "Forged"},
          "/api/account/password": {"current_password": PASSWORD, "new_password": "forged-password"},
          "/api/account/email": {"current_password": PASSWORD, "new_email": "attacker@example.org"},
          "/api/site/members": {"user": "attacker@example.org", "role": "admin"},
          "/api/site/members/{user}": {"role": "admin"},
          "/api/site/invitations": {"email": "attacker@example.org", "role": "admin"},
          "/api/site/settings": {"name": "Owned", "default_timezone": None},
          "/api/interactions/{id}/restore": {"restore_version": 1, "version": 1},
          "/api/views": {"name": "Forged", "shared": True, "params": {"search": "forged"}},
          "/api/views/{id}": {"name": "Forged", "shared": True},
          "/api/imports/{id}": {"duplicates": "import"},
          "/api/bulk/selection": {"query": {}},
          "/api/bulk": {"action": "delete", "ids": [{"id": 1, "version": 1}]}}
# The upload's file, sent as multipart like the SPA sends it.
UPLOAD = b"Subject,Type,Owner,Start,End\r\nForged,Call,B,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\r\n"


def b64(data) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claims_for(user_id, **overrides) -> dict:
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "nbf": now, "exp": now + 600, "jti": "a" * 32,
              "iss": "ims", "aud": "ims-api"}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def forged_tokens(secret: str, user_id: int) -> dict[str, str]:
    now = int(time.time())
    good = claims_for(user_id)
    signed = jwt.encode(good, secret, algorithm="HS256")
    head, body, signature = signed.split(".")
    return {
        "expired": jwt.encode(claims_for(user_id, exp=now - 60, iat=now - 700), secret, algorithm="HS256"),
        "not yet valid": jwt.encode(claims_for(user_id, nbf=now + 600), secret, algorithm="HS256"),
        "wrong signature": f"{head}.{body}.{signature[::-1]}",
        "other secret": jwt.encode(good, "x" * 48, algorithm="HS256"),
        "empty secret": jwt.encode(good, "", algorithm="HS256"),
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(good)}.",
        "alg None with signature": f"{b64({'alg': 'None'})}.{b64(good)}.{signature}",
        "alg NONE": f"{b64({'alg': 'NONE'})}.{b64(good)}.",
        "HS512 with the real secret": jwt.encode(good, secret, algorithm="HS512"),
        "RS256 header, HMAC body": f"{b64({'alg': 'RS256', 'typ': 'JWT'})}.{body}.{signature}",
        "kid and jku pointing elsewhere": jwt.encode(good, "attacker-key-" + "z" * 40, algorithm="HS256",
                                                     headers={"kid": "../../../../dev/null",
                                                              "jku": "http://127.0.0.1:1/jwks.json"}),
        "wrong audience": jwt.encode(claims_for(user_id, aud="another-api"), secret, algorithm="HS256"),
        "wrong issuer": jwt.encode(claims_for(user_id, iss="https://evil.example/"), secret, algorithm="HS256"),
        "no exp": jwt.encode(claims_for(user_id, exp=None), secret, algorithm="HS256"),
        "no sub": jwt.encode(claims_for(user_id, sub=None), secret, algorithm="HS256"),
        "sub not a number": jwt.encode(claims_for("1 OR 1=1"), secret, algorithm="HS256"),
        "sub of nobody": jwt.encode(claims_for(987654321), secret, algorithm="HS256"),
        "payload swapped": f"{head}.{b64(claims_for(user_id + 1))}.{signature}",
        "two dots only": "..",
        "garbage base64": "eyJ!!!.eyJ!!!.sig",
    }


def call(client, method, path, token, item_id, site_id, scheme="Bearer"):
    headers = {"Authorization": f"{scheme} {token}", "X-Site-ID": str(site_id)}
    body = BODIES.get(path, interaction_body(version=1)) if method in ("post", "put", "patch") else None
    url = path.replace("{id}", str(item_id)).replace("{user}", str(item_id))
    if (method, path) == ("post", "/api/imports"):
        return upload_file(client, headers, UPLOAD)
    return getattr(client, method)(url, json=body, headers=headers)


def test_forged_and_stale_tokens_are_refused_everywhere(client, app, world, figures):
    item = make_interaction(world.hq, world.editor).id
    tokens = forged_tokens(app.config["SECRET_KEY"], world.editor.id)
    tried = 0
    for name, token in tokens.items():
        for method, path in PROTECTED:
            tried += 1
            response = call(client, method, path, token, item, world.hq.id)
            assert response.status_code == 401, (name, method, path, response.status_code)
            assert response.get_json()["error"]["code"] == "unauthorized"
    assert client.get(f"/api/interactions/{item}", headers={"X-Site-ID": str(world.hq.id)}).status_code == 401
    figures.update(attacks=len(tokens), endpoints=len(PROTECTED), requests=tried, let_in=0)


def login_token(client, username="editor") -> str:
    return login(client, username).get_json()["access_token"]


@pytest.mark.parametrize("scheme", ["Basic", "Token", "Bearer\t", "JWT"])
def test_only_the_bearer_scheme_carries_a_token(client, world, scheme):
    token = login_token(client)
    response = client.get("/api/auth/me", headers={"Authorization": f"{scheme} {token}".replace("\t ", "\t")})
    assert response.status_code == 401
    assert client.get(f"/api/auth/me?access_token={token}").status_code == 401


def test_token_revoked_by_logout_is_refused_on_every_endpoint(client, world):
    item = make_interaction(world.hq, world.editor).id
    token = login_token(client)
    assert call(client, "post", "/api/auth/logout", token, item, world.hq.id).status_code == 204
    for method, path in PROTECTED:
        assert call(client, method, path, token, item, world.hq.id).status_code == 401, (method, path)
    fresh = login_token(client)  # a new sign-in is not affected by the old token's revocation
    assert call(client, "get", "/api/auth/me", fresh, item, world.hq.id).status_code == 200


def test_changes_after_issue_take_effect_on_the_next_request(client, world):
    item = make_interaction(world.hq, world.editor).id
    token = login_token(client)
    assert call(client, "put", "/api/interactions/{id}", token, item, world.hq.id).status_code == 200

    membership = db.session.execute(db.select(SiteMembership).filter_by(user_id=world.editor.id)).scalar_one()
    membership.role = "viewer"  # demoted: reads still work, writes stop
    db.session.commit()
    assert call(client, "get", "/api/interactions/{id}", token, item, world.hq.id).status_code == 200
    assert call(client, "delete", "/api/interactions/{id}", token, item, world.hq.id).status_code == 403

    db.session.delete(membership)  # membership deleted: the site is closed to the token
    db.session.commit()
    for method, path in PROTECTED[2:8]:
        assert call(client, method, path, token, item, world.hq.id).status_code == 403, (method, path)

    db.session.get(User, world.editor.id).is_active = False  # deactivated: the token stops working at all
    db.session.commit()
    for method, path in PROTECTED:
        assert call(client, method, path, token, item, world.hq.id).status_code == 401, (method, path)


def test_deleted_user_token_is_refused(client, world):
    user_id = world.viewer.id
    token = login_token(client, "viewer")
    db.session.delete(db.session.get(User, user_id))
    db.session.commit()
    assert client.get("/api/auth/me", headers=bearer(token)).status_code == 401
