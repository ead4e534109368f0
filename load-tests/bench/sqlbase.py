"""The Finder's SQL run straight through psycopg (count + page), to show what the API adds on top.

It mirrors ims.interactions.queries: the page as ids first (sorted, offset) joined back to the
full rows with their creator and updater names, and the capped count (1,000 for searches,
10,000 otherwise). Unlike the API it always counts, even when the page shows the end.
"""
from __future__ import annotations

from .dataset import SEARCH_KEYS

COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 1_000
SORTABLE = {"id", "title", "type", "lead", "start_datetime", "end_datetime", "timezone", "location",
            "created_at", "updated_at", "version"}
KEYED = set(SEARCH_KEYS.KEYED_COLUMNS)  # sorted by their folded key
PAGE_SQL = """
SELECT i.id, i.site_id, i.title, i.type, i.lead, i.start_datetime, i.end_datetime, i.timezone, i.location,
       i.description, i.notes, i.version, i.created_at, i.updated_at, i.created_by, c.display_name,
       i.updated_by, u.display_name
FROM interactions i
JOIN (SELECT i.id FROM interactions i WHERE {where} ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s) AS p
  ON p.id = i.id
LEFT JOIN users c ON c.id = i.created_by LEFT JOIN users u ON u.id = i.updated_by
ORDER BY {order}"""
COUNT_SQL = "SELECT count(*) FROM (SELECT i.id FROM interactions i WHERE {where} LIMIT %(cap)s) AS capped"


def _like(word: str) -> str:
    return "%" + word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _order(sort: str) -> str:
    keys = []
    for name in sort.split(","):
        column = name.lstrip("-")
        assert column in SORTABLE
        keys.append(f"i.{column}{'_key' if column in KEYED else ''} {'DESC' if name.startswith('-') else 'ASC'}")
    first_desc = sort.startswith("-")
    return ", ".join(keys + [f"i.id {'DESC' if first_desc else 'ASC'}"])


async def _count_and_page(conn, where: str, order: str, args: dict, page: int, cap: int, page_size: int = 25):
    args = {**args, "limit": page_size, "offset": (page - 1) * page_size, "cap": cap + 1}
    async with conn.cursor() as cur:
        await cur.execute(COUNT_SQL.format(where=where), args)
        await cur.fetchone()
        await cur.execute(PAGE_SQL.format(where=where, order=order), args)
        await cur.fetchall()


async def search(conn, site: int, term: str) -> None:
    words = term.split()
    where = " AND ".join(["i.site_id = %(site)s"] + [f"i.search_text LIKE %(w{n})s" for n in range(len(words))])
    args = {"site": site, **{f"w{n}": _like(w) for n, w in enumerate(words)}}
    await _count_and_page(conn, where, _order("-start_datetime"), args, 1, SEARCH_COUNT_CAP)


async def filtered(conn, site: int, params: dict) -> None:
    where = ("i.site_id = %(site)s AND i.type = ANY(%(types)s) AND i.start_datetime >= %(start_from)s"
             " AND i.start_datetime <= %(start_to)s")
    args = {"site": site, "types": sorted(params["type"]), "start_from": params["start_from"],
            "start_to": params["start_to"] + " 23:59:59.999999+00"}
    await _count_and_page(conn, where, _order(params["sort"]), args, params["page"], COUNT_CAP)
