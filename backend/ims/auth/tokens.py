"""Access tokens: HS256 JWTs we sign in local mode, Auth0 RS256 JWTs verified against the tenant's JWKS."""
from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass

from flask import Flask, current_app
from jose import JWSError, JWTError, jws, jwt

from ..errors import Unauthorized
from . import keys

log = logging.getLogger(__name__)

LOCAL_ISSUER = "ims"
LOCAL_AUDIENCE = "ims-api"
KID = re.compile(r"[A-Za-z0-9._~+/=-]{1,200}")
LEEWAY_SECONDS = 30  # clock skew allowed on exp/nbf/iat; a revoked token must stay denied this long past exp


@dataclass(frozen=True)
class VerifiedToken:
    subject: str
    token_id: str  # the jti, or a digest of the token when the issuer sets none
    expires_at: int
    issued_at: float = 0.0  # sessions of a user end together: tokens issued before users.sessions_valid_after fail


def auth_mode(app: Flask | None = None) -> str:
    return "auth0" if (app or current_app).config.get("AUTH0_DOMAIN") else "local"


def issue_local_token(user_id: int) -> tuple[str, int]:
    ttl = current_app.config["TOKEN_TTL_SECONDS"]
    issued = math.ceil(time.time() * 1000) / 1000  # milliseconds, rounded up: a session started right
    now = int(issued)                                # after "sign out everywhere" is never taken as before it
    claims = {
        "sub": str(user_id), "iat": issued, "nbf": now, "exp": now + ttl,
        "jti": uuid.uuid4().hex, "iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE,
    }
    return jwt.encode(claims, keys.signing_key(), algorithm="HS256"), ttl


def verify(token: str) -> VerifiedToken:
    try:
        header = jwt.get_unverified_header(token)
    except JWTError as exc:
        raise Unauthorized("The access token is malformed.") from exc
    if auth_mode() == "auth0":
        claims = _verify_auth0(token, header)
    else:
        claims = _verify_local(token, header)
    if not claims.get("sub") or not isinstance(claims.get("exp"), int):
        raise Unauthorized("The access token lacks required claims.")
    token_id = claims.get("jti") or hashlib.sha256(token.encode()).hexdigest()
    issued_at = claims.get("iat")
    return VerifiedToken(subject=str(claims["sub"]), token_id=str(token_id), expires_at=claims["exp"],
                         issued_at=float(issued_at) if isinstance(issued_at, (int, float)) else 0.0)


def _decode(token: str, key, algorithm: str, audience: str, issuer: str) -> dict:
    try:
        return jwt.decode(
            token, key, algorithms=[algorithm], audience=audience, issuer=issuer,
            # require_aud: without it python-jose accepts a token that has no audience at all
            options={"require_exp": True, "require_iat": True, "require_sub": True, "require_aud": True,
                     "require_iss": True, "leeway": LEEWAY_SECONDS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The access token has expired; sign in again.") from exc
    except JWTError as exc:
        raise Unauthorized("The access token is not valid.") from exc


def _verify_local(token: str, header: dict) -> dict:
    # Only our own algorithm: `none`, RS256 and friends are refused before any key is used.
    if header.get("alg") != "HS256":
        raise Unauthorized("The access token is not valid.")
    return _decode(token, _local_key(token), "HS256", LOCAL_AUDIENCE, LOCAL_ISSUER)


def _local_key(token: str) -> str:
    """The key of the overlap window whose signature the token carries: the current key, or a fallback
    (SECRET_KEY_FALLBACKS) while a rotation's old tokens are still alive. Its claims are checked after."""
    for key in keys.verifying_keys():
        try:
            jws.verify(token, key, algorithms=["HS256"])
        except JWSError:
            continue
        return key
    raise Unauthorized("The access token is not valid.")


def _auth0_settings() -> tuple[str, str, str]:
    config = current_app.config
    domain = config["AUTH0_DOMAIN"]
    issuer = config.get("AUTH0_ISSUER") or f"https://{domain}/"
    jwks_url = config.get("AUTH0_JWKS_URL") or f"https://{domain}/.well-known/jwks.json"
    return issuer, jwks_url, config.get("AUTH0_AUDIENCE") or ""


def _verify_auth0(token: str, header: dict) -> dict:
    if header.get("alg") != "RS256":
        raise Unauthorized("The access token is not valid.")
    issuer, jwks_url, audience = _auth0_settings()
    kid = header.get("kid")
    if not isinstance(kid, str) or not KID.fullmatch(kid):  # a list or object would not even hash
        raise Unauthorized("The access token is not valid.")
    key = jwks_cache().key_for(jwks_url, kid, current_app.config["AUTH0_JWKS_CACHE_SECONDS"])
    if key is None:
        raise Unauthorized("The access token is signed with an unknown key.")
    return _decode(token, key, "RS256", audience, issuer)


class JwksCache:
    """The tenant's signing keys: refreshed when older than AUTH0_JWKS_CACHE_SECONDS (so a key the tenant
    withdraws stops working) and when a token names an unknown `kid` (a rotation), at most every
    MIN_REFRESH_SECONDS so made-up kids cannot make the API hammer the tenant."""

    MIN_REFRESH_SECONDS = 30

    def __init__(self):
        self._keys: dict[str, dict] = {}
        self._fetched_at = float("-inf")  # last successful fetch
        self._tried_at = float("-inf")  # last attempt, successful or not
        self._lock = threading.Lock()

    def key_for(self, url: str, kid: str, max_age: float) -> dict | None:
        if kid in self._keys and time.monotonic() - self._fetched_at < max_age:
            return self._keys[kid]
        with self._lock:
            now = time.monotonic()
            since_try = now - self._tried_at
            expired = now - self._fetched_at >= max_age and since_try >= min(max_age, self.MIN_REFRESH_SECONDS)
            rotated = kid not in self._keys and since_try >= self.MIN_REFRESH_SECONDS
            if expired or rotated:
                self._refresh(url)
        return self._keys.get(kid)

    def _refresh(self, url: str) -> None:
        self._tried_at = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=3) as response:  # nosec B310 - https URL from config
                document = json.load(response)
            keys = {k["kid"]: k for k in document.get("keys", [])
                    if isinstance(k, dict) and isinstance(k.get("kid"), str) and k.get("kty") == "RSA"}
        except (OSError, ValueError, AttributeError) as exc:
            # The keys already known stay in use: a brief tenant outage must not sign everyone out.
            log.warning("could not fetch JWKS from %s: %s", url, exc)
            return
        self._keys, self._fetched_at = keys, time.monotonic()
        log.info("loaded %d signing keys from JWKS", len(self._keys))


def jwks_cache() -> JwksCache:
    return current_app.extensions.setdefault("ims_jwks", JwksCache())
