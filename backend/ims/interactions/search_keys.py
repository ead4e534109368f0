"""Case- and accent-folded text: the sort keys of the Finder's text columns and the text its search
and substring filters match. Standard library only, so the benchmark's loader can compute the same
keys for its COPY without importing the app.

`fold("Ángel Ñúñez")` is "angel nunez": Unicode case folding, compatibility decomposition (NFKD,
so "ﬁ" is "fi" and "²" is "2"), combining marks dropped. Keys are compared by code point
(`COLLATE "C"` on PostgreSQL, BINARY on SQLite), so the order is the same on every database
whatever its default collation: "ana lopez", "Ana Lopez" and "Ána López" are equal and the id
decides between them.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import unicodedata


def _fields():
    """The field list (fields.py), also when this file is loaded by its path, outside the package."""
    if __package__:
        from . import fields
        return fields
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fields.py")
    spec = importlib.util.spec_from_file_location(f"{__name__}_fields", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


_DEFINED = _fields()

# The text columns with a stored key, and the most UTF-8 bytes each key keeps (see fields.py).
# Short fields keep all of their text (three bytes a character for a field's full length), so their
# substring filters can match the key; descriptions and notes keep their first ~64 characters:
# enough to order by what a reader sees in a truncated cell. The budgets keep every index entry that
# carries keys (the covering indexes of 0006 carry lead, title and location) under PostgreSQL's
# ~2.7 kB B-tree limit.
KEYED_COLUMNS = _DEFINED.KEYED_COLUMNS
_KEY_CHARS = {field.name: field.key_chars for field in _DEFINED.FIELDS if field.key_chars}

_MARKS: dict[int, None] | None = None


def _marks() -> dict[int, None]:
    global _MARKS
    if _MARKS is None:
        _MARKS = {cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}
    return _MARKS


def fold(text: str | None) -> str:
    """Lower-case (case-folded), accent-free text for sorting and matching."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_marks())


def key_within(text: str | None, budget: int, chars: int | None = None) -> str:
    """Folded text cut to its first `chars` characters and to `budget` UTF-8 bytes: a key as stored."""
    key = fold(text)[:chars]
    if len(key) * 4 <= budget:
        return key
    return key.encode()[:budget].decode(errors="ignore")


def key_of(column: str, text: str | None) -> str:
    """The stored sort key of `column`'s value, cut to the column's byte budget."""
    return key_within(text, KEYED_COLUMNS[column], _KEY_CHARS.get(column))


def keys_of(values: dict) -> dict:
    """{"<column>_key": key} for every keyed column present in `values`."""
    return {f"{name}_key": key_of(name, values.get(name)) for name in KEYED_COLUMNS if name in values}


def search_text_of(values: dict) -> str:
    """The folded text the global search matches against (one column, one trigram index)."""
    return fold("\n".join((values.get(name) or "") for name in _DEFINED.SEARCHED_FIELDS))


# --- freshness of the derived columns ---------------------------------------------------------
# Every write by this code stores `keys_digest`, a digest of the fields the derived columns are
# computed from and of KEYS_VERSION. On PostgreSQL a trigger (migration 0013) computes the same
# digest in SQL on every insert and update and sets the column to NULL when the writer's does not
# match: a row written by a release that computes no keys, or other keys, or none for these values,
# is marked stale, and the Finder computes its keys again before it reads the site (freshness).
# Raise KEYS_VERSION with any change to fold(), the keys, the bitmap or SOURCE_FIELDS, in the same
# release as a migration that gives the trigger the same version and columns and records them with
# the formulas' fingerprint (tests/interactions/test_search_keys.py fails until it does;
# docs/DEPLOYMENT.md, "Expand and contract").
KEYS_VERSION = "1"
SOURCE_FIELDS = tuple(field.name for field in _DEFINED.FIELDS if field.searched or field.key_bytes)


def digest_input(values: dict) -> str:
    """What the digest covers: the version, then each source field as `<length>:<text>;` (lengths, so
    no field's text can pass for another's). The trigger builds the same string in SQL."""
    return KEYS_VERSION + ";" + "".join(f"{len(text)}:{text};" for text in
                                        ((values.get(name) or "") for name in SOURCE_FIELDS))


def keys_digest_of(values: dict) -> str:
    return hashlib.md5(digest_input(values).encode(), usedforsecurity=False).hexdigest()


def derived_columns(values: dict) -> dict:
    """The columns computed from an interaction's fields: search text, its gram bitmap, the folded
    sort keys and the digest that says they are fresh. The model computes them on every insert and
    update (models.py); only writes that bypass the ORM (the API's site-scoped update, bulk loads, a
    restored row, the repair of stale rows) call this themselves. `values` holds every source field."""
    text = search_text_of(values)
    return {"search_text": text, "search_grams": grams_bytes(grams_int(text)), **keys_of(values),
            "keys_digest": keys_digest_of(values)}


DERIVED_COLUMNS = ("search_text", "search_grams", *(f"{name}_key" for name in KEYED_COLUMNS), "keys_digest")


# --- short search words -----------------------------------------------------------------------
# A trigram index cannot serve a search word of one or two characters. Each row therefore keeps a
# bitmap of the letters/digits and of the adjacent letter/digit pairs its folded search text holds
# (36 + 36 × 36 bits, 167 bytes): a one- or two-character word of letters and digits occurs in the
# text exactly when its bit is set, and the bitmaps of a site are read from a narrow index-only scan.
GRAM_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_GRAM_INDEX = {c: i for i, c in enumerate(GRAM_ALPHABET)}
GRAM_BITS = len(GRAM_ALPHABET) + len(GRAM_ALPHABET) ** 2
GRAM_BYTES = (GRAM_BITS + 7) // 8
ALL_GRAMS = b"\xff" * GRAM_BYTES  # "may hold anything": the safe value for a row not yet computed


def gram_bit(word: str) -> int | None:
    """The bit of a folded one- or two-character word of letters/digits; None for any other word."""
    if len(word) == 1 and word in _GRAM_INDEX:
        return _GRAM_INDEX[word]
    if len(word) == 2 and word[0] in _GRAM_INDEX and word[1] in _GRAM_INDEX:
        return len(GRAM_ALPHABET) + _GRAM_INDEX[word[0]] * len(GRAM_ALPHABET) + _GRAM_INDEX[word[1]]
    return None


def grams_int(folded: str) -> int:
    """The bitmap of folded text as an int (bit n = gram n); texts joined by a non-alphanumeric
    character have the OR of their bitmaps."""
    bits, previous = 0, None
    for char in folded:
        index = _GRAM_INDEX.get(char)
        if index is None:
            previous = None
            continue
        bits |= 1 << index
        if previous is not None:
            bits |= 1 << (len(GRAM_ALPHABET) + previous * len(GRAM_ALPHABET) + index)
        previous = index
    return bits


def grams_bytes(bits: int) -> bytes:
    """Stored form: byte n // 8, bit n % 8 (least significant first), as PostgreSQL's get_bit reads it."""
    return bits.to_bytes(GRAM_BYTES, "little")
