"""Plans of the query shapes that used to be slow, as the API sends them, with EXPLAIN (ANALYZE, BUFFERS).

Each entry is the API's SQL for one Finder request on site 3 (see ims.interactions.queries): the
page ids (sorted, offset), and the capped count where the API would count. A short search word
first reads its candidates from the gram bitmaps, as the API does, and the page uses those ids.
"""
from __future__ import annotations

import re

import psycopg

from .dataset import SEARCH_KEYS

SITE = 3
SHAPES = (
    ("location=hq (two characters), newest first, page 1",
     "SELECT id FROM interactions WHERE site_id = {site} AND strpos(location_key, 'hq') > 0 "
     "ORDER BY start_datetime DESC, id DESC LIMIT 25",
     "SELECT count(*) FROM (SELECT id FROM interactions WHERE site_id = {site} "
     "AND strpos(location_key, 'hq') > 0 LIMIT 10001) c"),
    ("lead=an, sorted by lead then title, page 40",
     "SELECT id FROM interactions WHERE site_id = {site} AND strpos(lead_key, 'an') > 0 "
     "ORDER BY lead_key, title_key, id LIMIT 25 OFFSET 975", None),
    ("title=xq (matches nothing), sorted by title",
     "SELECT id FROM interactions WHERE site_id = {site} AND strpos(title_key, 'xq') > 0 "
     "ORDER BY title_key, id LIMIT 25", None),
    ("search=xj (two characters, rare), newest first",
     "SELECT id FROM interactions WHERE site_id = {site} AND id = ANY(%(ids)s) AND strpos(search_text, 'xj') > 0 "
     "ORDER BY start_datetime DESC, id DESC LIMIT 25", None),
    ("search=budget + location=z, sorted by title, page 9",
     "SELECT id FROM interactions WHERE site_id = {site} AND search_text LIKE '%%budget%%' "
     "AND strpos(location_key, 'z') > 0 ORDER BY title_key, id LIMIT 25 OFFSET 200", None),
    ("search=e (matches everything), count to 1,000",
     "SELECT id FROM interactions WHERE site_id = {site} AND strpos(search_text, 'e') > 0 "
     "ORDER BY start_datetime DESC, id DESC LIMIT 25",
     "SELECT count(*) FROM (SELECT id FROM interactions WHERE site_id = {site} "
     "AND strpos(search_text, 'e') > 0 LIMIT 1001) c"),
    ("sorted by description (descending), page 2,000",
     "SELECT id FROM interactions WHERE site_id = {site} ORDER BY description_key DESC, id DESC "
     "LIMIT 25 OFFSET 49975", None),
    ("sorted by id, page 3,960",
     "SELECT id FROM interactions WHERE site_id = {site} ORDER BY id LIMIT 25 OFFSET 98975", None),
    # a one- or two-character word is its bitmap bit alone (migration 0017: the date index carries the bitmaps)
    ("search=mü ann, sorted by timezone, page 7 of 100",
     "SELECT id FROM interactions WHERE site_id = {site} AND id = ANY(%(ids)s) AND get_bit(search_grams, {mu}) > 0 "
     "AND search_text LIKE '%%ann%%' ORDER BY timezone_key, id LIMIT 101 OFFSET 600", None),
    ("search=is g ah, sorted by timezone, page 35 of 100",
     "SELECT id FROM interactions WHERE site_id = {site} AND get_bit(search_grams, {is}) > 0 "
     "AND get_bit(search_grams, {g}) > 0 AND get_bit(search_grams, {ah}) > 0 "
     "ORDER BY timezone_key, id LIMIT 101 OFFSET 3400", None),
    ("search=ke + title=ec, newest created first, page 50 of 100",
     "SELECT id FROM interactions WHERE site_id = {site} AND id = ANY(%(ids)s) "
     "ORDER BY created_at DESC, id DESC LIMIT 101 OFFSET 4900", None),
)
# the candidates of a page that names %(ids)s: its words' bits and its filters in one index-only scan
# (a short word's bit is exact, so they are the matches and the page sorts them without a recheck)
CANDIDATES = {"search=mü ann, sorted by timezone, page 7 of 100":
              "SELECT id FROM interactions WHERE site_id = {site} AND get_bit(search_grams, {mu}) = 1 "
              "AND get_bit(search_grams, {an}) = 1 AND get_bit(search_grams, {nn}) = 1 LIMIT 5001",
              "search=ke + title=ec, newest created first, page 50 of 100":
              "SELECT id FROM interactions WHERE site_id = {site} AND strpos(title_key, 'ec') > 0 "
              "AND get_bit(search_grams, {ke}) = 1 LIMIT 5001"}
CANDIDATES_XJ = ("SELECT id FROM interactions WHERE site_id = {site} AND get_bit(search_grams, {xj}) = 1 "
                 "LIMIT 5001")
BITS = ("xj", "mu", "an", "nn", "is", "g", "ah", "ke")
KEEP = re.compile(r"(Scan|Sort|Limit|Aggregate|Gather|Filter|Cond|Removed|Execution Time|Buffers: shared|Nested|Join)")


def _explain(conn, sql: str, args: dict | None = None) -> list[str]:
    rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, args or {}).fetchall()
    return [line if len(line) <= 240 else line[:240] + " …" for (line,) in rows if KEEP.search(line)]


def explain_all(dsn: str) -> str:
    """Markdown: each shape with its plan lines (warm: every statement runs once before it is explained)."""
    out = []
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as conn:
        values = {"site": SITE, **{word: SEARCH_KEYS.gram_bit(word) for word in BITS}}
        for label, page_sql, count_sql in SHAPES:
            out += [f"**{label}**", "", "```"]
            args = None
            if "%(ids)s" in page_sql:
                candidate_sql = CANDIDATES.get(label, CANDIDATES_XJ).format(**values)
                conn.execute(candidate_sql)
                out += ["-- candidates from the gram bitmaps", *_explain(conn, candidate_sql)]
                args = {"ids": [i for (i,) in conn.execute(candidate_sql).fetchall()]}
                out.append(f"-- {len(args['ids'])} candidates; the page:")
            for sql in filter(None, (page_sql, count_sql)):
                sql = sql.format(**values)
                conn.execute(sql, args or {})
                out += _explain(conn, sql, args)
            out += ["```", ""]
    return "\n".join(out)
