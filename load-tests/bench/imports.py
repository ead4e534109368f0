"""import_100k: a CSV of 100,000 rows (N/10 on a smaller dataset) uploaded and imported into one site while
the Finder keeps answering: the import's wall time, rows/s, and the Finder's latency meanwhile. The import
is undone afterwards, so the scenarios after it read the dataset as loaded."""
from __future__ import annotations

import asyncio
import csv
import io
import json
import random
import time

import aiohttp

from .dataset import TYPES
from .loadgen import Recorder, call, session, timed

IMPORT_ROWS = 100_000
TARGET_S = 30
SITE = 1
POLL_S = 0.25
FINDER_CONNECTIONS = 2


def import_csv(rows: int, seed: int) -> bytes:
    """Rows as a spreadsheet exports them: unique titles (no duplicates of the dataset), ISO times with an
    offset, a line break and a formula-looking cell now and then."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Subject", "Type", "Owner", "Start", "End", "Time zone", "Location", "Notes"])
    for n in range(rows):
        day, hour = rng.randint(1, 28), rng.randint(7, 18)
        writer.writerow([f"Imported follow-up {seed}-{n}", rng.choice(TYPES), f"Import Lead {n % 200}",
                         f"2027-02-{day:02d}T{hour:02d}:00:00+01:00", f"2027-02-{day:02d}T{hour:02d}:45:00+01:00",
                         "Europe/Berlin", "Room 4" if n % 3 else "=Room 5", "First line\nsecond" if n % 7 == 0 else ""])
    return ("\ufeff" + buffer.getvalue()).encode()


async def _finder_until(ctx, http, recorder: Recorder, done: asyncio.Event, rng: random.Random) -> None:
    """Uncached Finder pages of the importing site, one after another, until the import ends."""
    while not done.is_set():
        params = {"sort": rng.choice(("-start_datetime", "title", "lead,-start_datetime")),
                  "page": rng.randint(1, 20)}
        headers = ctx.headers(SITE, **{"Cache-Control": "no-cache"})
        await timed(recorder, lambda: call(http, "GET", ctx.url("/api/interactions", params), headers=headers))


async def import_100k(ctx) -> dict:
    rows = max(1000, min(IMPORT_ROWS, ctx.rows // 10))
    body = import_csv(rows, ctx.seed)
    finder, done = Recorder(), asyncio.Event()
    timeout = aiohttp.ClientTimeout(total=600)
    async with session(FINDER_CONNECTIONS + 2) as http:
        begin = time.perf_counter()
        form = aiohttp.FormData()
        form.add_field("file", body, filename="import_100k.csv", content_type="text/csv")
        async with http.post(ctx.url("/api/imports"), data=form, headers=ctx.headers(SITE), timeout=timeout) as answer:
            item = json.loads(await answer.read())
            if answer.status != 201:
                raise RuntimeError(f"upload -> {answer.status}: {str(item)[:200]}")
        uploaded_s = time.perf_counter() - begin
        if item["problems"] or item["counts"]["invalid"]:
            raise RuntimeError(f"the generated file does not map cleanly: {item['problems']} {item['counts']}")
        url = ctx.url(f"/api/imports/{item['id']}")
        finder.started = time.perf_counter()
        readers = [asyncio.create_task(_finder_until(ctx, http, finder, done, random.Random(ctx.seed + n)))
                   for n in range(FINDER_CONNECTIONS)]
        try:
            # an empty JSON body: a POST without one is sent as application/octet-stream, which the API refuses
            await call(http, "POST", url + "/run", headers=ctx.headers(SITE), json={}, expect=(202,))
            while True:
                _, raw, _ = await call(http, "GET", url, headers=ctx.headers(SITE))
                state = json.loads(raw)
                if state["status"] in ("done", "failed"):
                    break
                await asyncio.sleep(POLL_S)
            import_s = time.perf_counter() - begin
        finally:
            done.set()
            await asyncio.gather(*readers, return_exceptions=True)
            finder.finished = time.perf_counter()
        undo_begin = time.perf_counter()
        if state["status"] == "done":
            async with http.post(url + "/undo", headers=ctx.headers(SITE), json={}, timeout=timeout) as answer:
                await answer.read()
        undo_s = time.perf_counter() - undo_begin
    if state["status"] != "done":
        raise RuntimeError(f"the import ended {state['status']}: {state.get('error')}")
    imported = state["counts"]["imported"]
    return {"import_100k": {**finder.summary(), "rows": rows, "imported": imported,
                            "upload_s": round(uploaded_s, 1), "import_s": round(import_s, 1),
                            "rows_per_s": round(imported / import_s) if import_s else None,
                            "undo_s": round(undo_s, 1), "target_s": TARGET_S,
                            "note": "latencies: the Finder (uncached pages of the importing site) during the import"}}
