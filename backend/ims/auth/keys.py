"""SECRET_KEY and the keys it replaced: new signatures always use SECRET_KEY; what was signed with a key
listed in SECRET_KEY_FALLBACKS still verifies, so rotating the key signs nobody out and breaks no mailed
link during the overlap window (the setting Django calls the same)."""
from __future__ import annotations

from flask import current_app


def signing_key() -> str:
    return current_app.config["SECRET_KEY"]


def verifying_keys() -> list[str]:
    """The current key first, then the fallbacks in the order they are configured (newest first)."""
    return [signing_key(), *current_app.config.get("SECRET_KEY_FALLBACKS", ())]
