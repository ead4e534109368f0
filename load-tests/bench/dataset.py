"""A realistic, reproducible data set of N interactions over 10 sites, bulk-loaded with COPY.

Text comes from a fixed vocabulary: common words appear in a large share of rows,
surnames in a few percent, and made-up reference codes in about 50 rows per million,
so searches can be drawn as common, medium or rare.
"""
from __future__ import annotations

import importlib.util
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone

import numpy as np
import psycopg

SITES = 10
TIMEZONES = (
    "UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw",
    "Europe/Athens", "Europe/Helsinki", "Europe/Istanbul", "Africa/Nairobi", "Africa/Lagos", "Asia/Dubai",
    "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney", "Pacific/Auckland",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto",
    "America/Mexico_City", "America/Sao_Paulo", "America/Bogota", "America/Halifax",
)
FIRST = ("Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam",
         "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Yara", "Zoe")
LAST = ("Adler", "Baptiste", "Castillo", "Dubois", "Eriksen", "Fischer", "Gallagher", "Hoffmann", "Ivanova",
        "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi",
        "Schneider", "Tanaka", "Ulrich", "Varga", "Weber", "Xu", "Yilmaz", "Zimmermann", "Brennan", "Costa",
        "Delgado", "Engel", "Ferreira", "Novak", "Horvat", "Kaya", "Larsen", "Mendes", "Nilsen", "Ortega")
CITIES = ("Berlin", "Hamburg", "Munich", "Vienna", "Zurich", "Paris", "Lyon", "Madrid", "Barcelona", "Lisbon",
          "Rome", "Milan", "Amsterdam", "Rotterdam", "Brussels", "Copenhagen", "Stockholm", "Oslo", "Helsinki",
          "Warsaw", "Prague", "Budapest", "Athens", "Dublin", "London", "Manchester", "Edinburgh", "Toronto",
          "Chicago", "Boston", "Nairobi", "Singapore", "Tokyo", "Sydney")
PLACES = ("head office", "board room", "client site", "conference centre", "town hall", "training room",
          "regional office", "video call", "warehouse", "partner office")
TOPICS = ("budget", "procurement", "onboarding", "renewal", "compliance", "safety", "logistics", "marketing",
          "recruitment", "maintenance", "strategy", "quarterly review", "audit", "sustainability", "pricing",
          "product roadmap", "customer feedback", "contract", "invoice", "integration", "migration",
          "partnership", "forecast", "inventory", "warranty", "training plan", "security", "fundraising")
ORGS = ("Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark Logistics", "Wayne Foundation",
        "Acme", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Oscorp",
        "Pied Piper", "Monarch", "Aperture", "Massive Dynamic")
VERBS = ("discussed", "reviewed", "agreed", "postponed", "clarified", "escalated", "approved", "questioned",
         "summarised", "prepared", "planned", "confirmed", "rejected", "documented", "negotiated")
OBJECTS = ("the delivery schedule", "the draft contract", "next steps", "open invoices", "the pilot results",
           "staffing needs", "the migration timeline", "risks and mitigations", "the service levels",
           "training material", "the renewal terms", "the spare parts order", "travel arrangements",
           "the data protection checklist", "the shortlist of vendors", "meeting minutes", "the annual plan")
TAILS = ("with the regional team", "before the deadline", "for the coming quarter", "after the site visit",
         "in detail", "with finance", "at short notice", "as requested by the client", "for the board",
         "together with legal", "without objections", "pending approval")
SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vo", "quel", "dri", "sun", "pax", "ori", "zem", "bal", "tur",
             "nix", "gor", "fe", "lun", "cas", "hep")
START = datetime(2021, 1, 1, tzinfo=timezone.utc)
SPAN_DAYS = 5 * 365


def _app_module(name: str):
    """One of the app's standard-library modules (the field list, the folding of text into search text and
    sort keys), loaded from its file: no app imports, no copy of the lists or formulas here."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "backend", "ims", "interactions",
                        f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


SEARCH_KEYS = _app_module("search_keys")
FIELDS = _app_module("fields").FIELDS
TYPES = next(field.choices for field in FIELDS if field.name == "type")
# the fields this file draws from its vocabulary; any other field takes one of its choices, or its example
DRAWN = ("title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location", "description", "notes")
OTHER_FIELDS = tuple(field for field in FIELDS if field.name not in DRAWN)
KEYED = tuple(SEARCH_KEYS.KEYED_COLUMNS)
COLUMNS = ("site_id", *(field.name for field in FIELDS), "search_text", "created_at", "created_by", "updated_at",
           "updated_by", "version", *(f"{name}_key" for name in KEYED), "search_grams", "keys_digest")


def rare_codes(rng: random.Random, count: int = 20000) -> list[str]:
    """Made-up words (e.g. 'renpaxdri') used as reference codes: each lands in ~50 rows per million."""
    codes = set()
    while len(codes) < count:
        codes.add("".join(rng.choice(SYLLABLES) for _ in range(4)))
    return sorted(codes)


class Vocabulary:
    def __init__(self, seed: int = 7):
        rng = random.Random(seed)
        self.codes = rare_codes(rng)
        self.sentences = [
            f"{rng.choice(FIRST)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
            f" regarding {rng.choice(TOPICS)} at {rng.choice(ORGS)}."
            for _ in range(6000)
        ]
        self.leads = [f"{f} {l}" for f in FIRST for l in LAST]
        self.locations = [f"{c} {p}" for c in CITIES for p in PLACES] + [""] * 20

    # words the search scenarios draw from, by how often they match
    def common_words(self) -> list[str]:
        return ["budget", "contract", "review", "invoice", "team", "plan", "client", "meeting", "berlin", "agreed"]

    def medium_words(self) -> list[str]:
        return [w.lower() for w in LAST[:20]] + ["wonka", "gringotts", "warranty", "helsinki"]

    def rare_words(self, count: int = 40) -> list[str]:
        return self.codes[:: len(self.codes) // count][:count]


def _calendar() -> tuple[list[str], list[str]]:
    """Day and 5-minute-slot strings, so formatting a million timestamps is two list look-ups each."""
    days = [(START + timedelta(days=d)).strftime("%Y-%m-%d") for d in range(-40, SPAN_DAYS + 2)]
    slots = [f"{m // 60:02d}:{m % 60:02d}:00+00" for m in range(0, 24 * 60, 5)]
    return days, slots


def rows(n: int, users_by_site: dict[int, int], seed: int = 11, batch: int = 5000):
    """COPY text lines for n interactions, spread round-robin over the sites, drawn in numpy batches."""
    vocab = Vocabulary()
    rng = np.random.default_rng(seed)
    days, slots = _calendar()
    sentences, leads, locations, codes = vocab.sentences, vocab.leads, vocab.locations, vocab.codes
    # The parts of a search text are joined by spaces and newlines, so its gram bitmap is the OR of
    # theirs (see search_keys): computed once per distinct part instead of once per character of each row.
    masks: dict[str, int] = {}

    def mask(part: str) -> int:
        found = masks.get(part)
        if found is None:
            found = masks[part] = SEARCH_KEYS.grams_int(SEARCH_KEYS.fold(part))
        return found

    durations = np.array((3, 6, 9, 12, 18, 24, 48))  # in 5-minute slots: 15 min … 4 h
    for first in range(0, n, batch):
        size = min(batch, n - first)
        kinds = rng.integers(0, len(TYPES), size)
        topics = rng.integers(0, len(TOPICS), size)
        orgs = rng.integers(0, len(ORGS), size)
        lead_ix = rng.integers(0, len(leads), size)
        loc_ix = rng.integers(0, len(locations), size)
        sent_ix = rng.integers(0, len(sentences), (size, 5))
        sent_n = rng.integers(2, 5, size)
        code_ix = rng.integers(0, len(codes), size)
        tz_ix = rng.integers(0, len(TIMEZONES), size)
        start_slot = rng.integers(0, SPAN_DAYS * 288, size)
        end_slot = start_slot + durations[rng.integers(0, len(durations), size)]
        created_day = start_slot // 288 - rng.integers(0, 31, size) + 40
        others = {field.name: rng.integers(0, len(field.choices), size) for field in OTHER_FIELDS if field.choices}
        lines = []
        for j in range(size):
            site_id = (first + j) % SITES + 1
            kind = TYPES[kinds[j]]
            title = f"{TOPICS[topics[j]].capitalize()} {kind.lower()} with {ORGS[orgs[j]]}"
            lead = leads[lead_ix[j]]
            location = locations[loc_ix[j]]
            row_sentences = sent_ix[j]
            description = " ".join(sentences[k] for k in row_sentences[: sent_n[j]])
            notes = f"{sentences[row_sentences[4]]} Ref {codes[code_ix[j]]}."
            zone = TIMEZONES[tz_ix[j]]
            s, e = int(start_slot[j]), int(end_slot[j])
            values = {"title": title, "type": kind, "lead": lead, "timezone": zone, "location": location,
                      "description": description, "notes": notes,
                      "start_datetime": f"{days[s // 288 + 40]} {slots[s % 288]}",
                      "end_datetime": f"{days[e // 288 + 40]} {slots[e % 288]}"}
            for field in OTHER_FIELDS:
                values[field.name] = field.choices[others[field.name][j]] if field.choices else field.example
            search = SEARCH_KEYS.search_text_of(values).replace("\n", "\\n")  # COPY's text format escapes line ends
            keys = SEARCH_KEYS.keys_of(values)
            grams = (mask(title) | mask(kind) | mask(lead) | mask(location) | mask(sentences[row_sentences[4]])
                     | mask("ref") | mask(codes[code_ix[j]]))
            for k in row_sentences[: sent_n[j]]:
                grams |= mask(sentences[k])
            for field in OTHER_FIELDS:
                if field.searched:
                    grams |= mask(values[field.name])
            created = f"{days[created_day[j]]} {slots[s % 288]}"
            user = str(users_by_site[site_id])
            lines.append("\t".join((str(site_id), *(values[field.name] for field in FIELDS),
                                     search, created, user, created, user, "1",
                                     *(keys[f"{name}_key"] for name in KEYED),
                                     "\\\\x" + SEARCH_KEYS.grams_bytes(grams).hex(), SEARCH_KEYS.keys_digest_of(values))))
        yield "\n".join(lines) + "\n"


def load(dsn: str, n: int, users_by_site: dict[int, int], log) -> dict:
    """Drop the interaction indexes, COPY n rows, rebuild the indexes on two connections, ANALYZE."""
    timings = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'interactions' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        started = time.monotonic()
        conn.execute("SET synchronous_commit = off")
        with conn.cursor() as cur, conn.transaction():
            with cur.copy(f"COPY interactions ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for chunk in rows(n, users_by_site):
                    copy.write(chunk)
        timings["copy_s"] = time.monotonic() - started
        log(f"COPY {n} rows: {timings['copy_s']:.1f} s")
    started = time.monotonic()
    _build_indexes(dsn, [definition for _, definition in indexes])
    timings["index_s"] = time.monotonic() - started
    log(f"{len(indexes)} indexes rebuilt: {timings['index_s']:.1f} s")
    started = time.monotonic()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) interactions")
        conn.execute("ANALYZE")
    timings["analyze_s"] = time.monotonic() - started
    timings["total_s"] = timings["copy_s"] + timings["index_s"] + timings["analyze_s"]
    return timings


def _build_indexes(dsn: str, definitions: list[str]) -> None:
    """Two connections (one per core) take the slowest (trigram) indexes first."""
    import threading

    queue = sorted(definitions, key=lambda d: "gin" not in d)
    lock = threading.Lock()
    errors = []

    def worker():
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("SET max_parallel_maintenance_workers = 0")
            while True:
                with lock:
                    if not queue:
                        return
                    definition = queue.pop(0)
                try:
                    conn.execute(definition)
                except psycopg.Error as exc:  # pragma: no cover - reported by the caller
                    errors.append(exc)
                    return

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=1800)
    if errors:
        raise errors[0]
