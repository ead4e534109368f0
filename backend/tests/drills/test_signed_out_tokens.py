"""A signed-out token replayed later: it must stay refused for as long as any check would accept it
(expiry plus the clock-skew leeway), and production must share the deny-list between processes."""
from __future__ import annotations

import time

import pytest
from jose import jwt

from ims.config import ConfigError, build_settings
from ims.production_guards import check_production
from tests.builders import bearer, login
from tests.servers import bounded_until
from tests.settings_builders import production


def test_a_signed_out_token_stays_refused_through_the_leeway_after_expiry(client, app, world, monkeypatch,
                                                                           figures):
    monkeypatch.setitem(app.config, "TOKEN_TTL_SECONDS", 2)
    token = login(client, "editor").get_json()["access_token"]
    headers = bearer(token)
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    expires = jwt.get_unverified_claims(token)["exp"]
    assert bounded_until(lambda: time.time() > expires + 1, attempts=60), "the token did not expire"
    replay = client.get("/api/auth/me", headers=headers)  # past exp, inside the 30 s leeway
    assert replay.status_code == 401, replay.get_data(as_text=True)
    assert "signed out" in replay.get_json()["error"]["message"]
    figures.update(token_ttl_s=2, replayed_after_expiry_s=round(time.time() - expires, 1), status=401)


def test_production_refuses_to_start_without_a_shared_deny_list():
    assert build_settings(production())["REDIS_URL"]  # the baseline starts
    with pytest.raises(ConfigError, match="Redis is required"):
        check_production(build_settings(production(REDIS_HOST="")))
