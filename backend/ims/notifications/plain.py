"""Names people chose (a display name, a site name) made inert for a plain-text mail: one line that can
neither start a paragraph of its own nor become a link a mail client would let the reader click."""
from __future__ import annotations

import re
import unicodedata

# A word a mail client could turn into a link: a scheme ("https://", "mailto:"), "www.", an address
# ("@"), or a dotted host name ("evil.example"). Such a word keeps its letters; the characters that
# join it into a link become spaces.
_LINK_LIKE = re.compile(r"\S*(?:[a-z][a-z0-9+.-]*://|\b(?:mailto|tel|sms|javascript|data):|www\.|@|\w\.[a-z]{2,})\S*",
                        re.IGNORECASE)
_JOINERS = re.compile(r"[:/@.\\]+")


def _visible(character: str) -> str:
    # Control, format (bidi overrides, zero-width), line and paragraph separators: all become spaces.
    category = unicodedata.category(character)
    return " " if category[0] == "C" or category in ("Zl", "Zp") else character


def inert(text: str, limit: int = 60) -> str:
    """`text` as one line of at most `limit` characters, with nothing link-like left in it."""
    line = " ".join("".join(map(_visible, text)).split())
    line = _LINK_LIKE.sub(lambda word: _JOINERS.sub(" ", word.group(0)), line)
    line = " ".join(line.split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"
