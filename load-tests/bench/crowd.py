"""A crowd of staff on the Finder: `mixed_users` (a deploy, then minutes of open-loop traffic, its first
minute and its steady state told apart, per action, with where the server's time went) and `capacity`
(the highest open-loop rate at which p95 stays within 100 ms)."""
from __future__ import annotations

import asyncio
import os
import random
import time

from . import profiling, servertime
from .loadgen import Recorder, Sample, open_loop, session, summarise, timed
from .users import SimulatedUser

ACTIONS = ("search", "filter", "next_page", "open", "edit")
CAPACITY_P95_MS = 100.0


def _schedule(users: list, rng: random.Random, think_s: float, duration_s: float) -> list:
    """Each user acts after an exponential think time: an open loop of len(users) / think_s req/s."""
    schedule = []
    for user in users:
        t = rng.uniform(0, think_s)
        while t < duration_s:
            schedule.append((t, user.next_action))
            t += rng.expovariate(1 / think_s)
    schedule.sort(key=lambda item: item[0])
    return schedule


async def _signed_in(ctx, http, rng: random.Random) -> tuple[list[SimulatedUser], Recorder]:
    """The crowd, each user signed in (Argon2id, four at a time) before any clock starts; tokens are kept
    in `ctx.user_tokens` for the next scenario."""
    tokens = ctx.__dict__.setdefault("user_tokens", {})
    users = [SimulatedUser(ctx, http, name, rng.randint(0, 10**9)) for name in ctx.mixed_users]
    login = Recorder(started=time.perf_counter())
    pending = [u for u in users if u.username not in tokens]
    for start in range(0, len(pending), 4):
        await asyncio.gather(*(timed(login, u.login) for u in pending[start:start + 4]))
    login.finished = time.perf_counter()
    for user in users:
        user.token = tokens.setdefault(user.username, user.token)
    return users, login


def phase(samples: list[Sample], begin: float, end: float) -> dict:
    """Percentiles of the requests scheduled in [begin, end), overall and per action."""
    part = [s for s in samples if begin <= s.offset_s < end]
    seconds = max(end - begin, 1e-9)
    by_action = {name: summarise([s for s in part if s.label == name], seconds) for name in ACTIONS}
    return {**summarise(part, seconds), "from_s": round(begin, 1), "to_s": round(end, 1),
            "by_action": {k: v for k, v in by_action.items() if v["requests"]}}


async def mixed_users(ctx, think_s: float = 2.0) -> dict:
    """The crowd signs in, the API is restarted as a deploy would (new workers, same database and Redis,
    traffic once it answers ready), then 100 users act on an open-loop schedule for `mixed_duration_s`:
    search, filter, next page, open a record, edit one in ten. Reported: the whole run, its first
    `mixed_first_s` seconds and the steady state after, each per action; for both phases the client's
    latency split into gunicorn's queue, Python and PostgreSQL (access log, pg_stat_statements); for the
    steady state py-spy's categories of the workers' busy samples."""
    rng = random.Random(ctx.seed)
    duration, first = ctx.mixed_duration_s, min(ctx.mixed_first_s, ctx.mixed_duration_s)
    statements = servertime.Statements(ctx.dsn)
    access = servertime.AccessLog(ctx.server.log_path)
    async with session(8) as http:
        users, login = await _signed_in(ctx, http, rng)
    restart_s = await asyncio.to_thread(ctx.server.restart) if ctx.mixed_restart else None
    async with session(200) as http:
        for user in users:
            user.http = http  # connections to the new processes
        marks: dict[str, tuple] = {}
        spies: list = []

        async def mark(name: str):
            marks[name] = (await asyncio.to_thread(statements.snapshot), access.mark())

        async def steady_begins():
            await mark("steady")
            if ctx.profile and ctx.out_dir:
                spies.extend(profiling.spy(ctx.server, os.path.join(ctx.out_dir, "profile-mixed_users_steady"),
                                           max(1, int(duration - first))))

        await mark("start")
        timeline: list[Sample] = []
        recorder = await open_loop(_schedule(users, rng, think_s, duration), duration, timeline=timeline,
                                   at=[(first, steady_begins)])
        await mark("end")
        await asyncio.to_thread(profiling.finish, spies)
    phases = {"first": phase(timeline, 0, first), "steady": phase(timeline, first, duration)}
    bounds = {"first": ("start", "steady"), "steady": ("steady", "end")}
    server_time = {}
    for name, (a, b) in bounds.items():
        if a not in marks or b not in marks:
            continue
        client_ms = sum(s.ms for s in timeline if phases[name]["from_s"] <= s.offset_s < phases[name]["to_s"])
        db = servertime.statements_between(marks[a][0], marks[b][0]) if statements.available else None
        server_time[name] = servertime.split(client_ms, access.between(marks[a][1], marks[b][1]), db)
    profile = servertime.categories(os.path.join(ctx.out_dir, "profile-mixed_users_steady-*.txt")) \
        if ctx.profile and ctx.out_dir else {}
    actions: dict[str, int] = {}
    for user in users:
        for name, count in user.actions.items():
            actions[name] = actions.get(name, 0) + count
    common = {"users": len(users), "think_time_s": think_s, "target_rps": round(len(users) / think_s, 1)}
    return {
        "mixed_users": {**recorder.summary(), **common, "version_conflicts": sum(u.conflicts for u in users),
                        "actions": actions, "restart_s": round(restart_s, 1) if restart_s is not None else None,
                        "server_time": server_time, "profile": profile,
                        "statements_note": statements.reason or None},
        "mixed_users_first_minute": {**{k: v for k, v in phases["first"].items()}, **common},
        "mixed_users_steady": {**{k: v for k, v in phases["steady"].items()}, **common},
        "mixed_users_login": {**login.summary(), "note": "argon2id verification, before the clock starts"},
    }


async def capacity(ctx) -> dict:
    """The crowd's mix at rising open-loop rates (`capacity_rates`, `capacity_step_s` each): the highest
    rate at which p95 stays within 100 ms with no errors, every lower rate having passed too."""
    rng = random.Random(ctx.seed + 1)
    steps, highest = [], None
    async with session(8) as http:
        users, _ = await _signed_in(ctx, http, rng)
    async with session(400) as http:
        for user in users:
            user.http = http
        for rate in ctx.capacity_rates:
            think_s = len(users) / rate
            recorder = await open_loop(_schedule(users, rng, think_s, ctx.capacity_step_s), ctx.capacity_step_s)
            summary = recorder.summary()
            passed = summary["errors"] == 0 and summary["p95_ms"] is not None and summary["p95_ms"] <= CAPACITY_P95_MS
            steps.append({"rate": rate, **summary, "passed": passed})
            if not passed:
                break  # past the knee: higher rates only queue longer
            highest = rate
    best = next((s for s in steps if s["rate"] == highest), steps[0] if steps else {})
    keys = ("requests", "errors", "p50_ms", "p95_ms", "p99_ms", "max_ms", "rps", "duration_s")
    return {"capacity": {**{k: best.get(k) for k in keys}, "highest_rate": highest, "p95_limit_ms": CAPACITY_P95_MS,
                         "step_s": ctx.capacity_step_s, "users": len(users), "steps": steps}}
