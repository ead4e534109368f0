"""Forging tokens with a key from the repository: every SECRET_KEY value written anywhere in this
repository (examples, compose, docs, tests) is collected at test time, so the list cannot drift, and
production must refuse each one, as well as any key of too little entropy."""
from __future__ import annotations

import re
import secrets
import subprocess
from pathlib import Path

import pytest

from ims.config import ConfigError, build_settings
from ims.production_guards import check_production
from tests import conftest
from tests.settings_builders import production

REPO = Path(__file__).resolve().parents[3]
# SECRET_KEY=value, SECRET_KEY: value, "SECRET_KEY": "value", ${SECRET_KEY:-value}
ASSIGNMENT = re.compile(r"""SECRET_KEY["']?\s*[:=]\s*["']?(?:\$\{SECRET_KEY:-)?([A-Za-z0-9_\-+/=.!@#%^&*]{8,})""")

REFERENCE = re.compile(r"[a-z_]+(\.[a-z_]+)+")  # Terraform's random_password.secret_key.result: not a key


def published_keys() -> set[str]:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    found: set[str] = set()
    for name in filter(None, files.decode().split("\0")):
        path = REPO / name
        if not path.is_file() or path.stat().st_size > 1_000_000:
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        found.update(v for v in ASSIGNMENT.findall(text) if not REFERENCE.fullmatch(v))
    # keys the tests build from expressions rather than write out
    found.add(conftest.settings_for("postgresql://x/y")["SECRET_KEY"])
    return found


def refused(key: str) -> bool:
    try:
        check_production(build_settings(production(SECRET_KEY=key)))
    except ConfigError as exc:
        return "SECRET_KEY" in str(exc)
    return False


def test_every_key_published_in_the_repository_is_refused_in_production(figures):
    keys = published_keys()
    assert "change-me-to-a-long-random-string-of-at-least-32-chars" in keys  # the scan finds .env.example
    assert "local-development-secret-key-change-me-0123456789" in keys  # and docker-compose.local.yml
    accepted = sorted(k for k in keys if not refused(k))
    assert accepted == []
    figures.update(published_keys_found=len(keys), accepted=0)


@pytest.mark.parametrize("key", [
    "a" * 64, "0123456789" * 4, "abcdefgh" * 8, "password" * 5, "Kx9#" * 12, "correct horse battery staple 2026",
], ids=["one letter", "digits", "repeated", "words", "short cycle", "passphrase"])
def test_low_entropy_keys_are_refused(key):
    assert refused(key)


def test_generated_keys_are_accepted():
    for key in (secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(24)):
        assert not refused(key), key
