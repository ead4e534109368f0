"""Load generation on loopback: closed loops (N connections back to back) and open loops (a schedule
of arrivals, each timed from its scheduled send time, so a slow server cannot hide its queue).

Every loop is bounded by a deadline and a request count.
"""
from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

import aiohttp

MAX_REQUESTS = 2_000_000
REQUEST_TIMEOUT_S = 30


@dataclass
class Recorder:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0

    def ok(self, ms: float) -> None:
        self.latencies_ms.append(ms)

    def fail(self, ms: float, what: str) -> None:
        self.latencies_ms.append(ms)
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what[:200])

    def summary(self) -> dict:
        data = sorted(self.latencies_ms)
        elapsed = max(self.finished - self.started, 1e-9)

        def pct(p: float) -> float | None:
            if not data:
                return None
            return round(data[min(len(data) - 1, max(0, math.ceil(p / 100 * len(data)) - 1))], 2)

        return {
            "requests": len(data), "errors": self.errors, "p50_ms": pct(50), "p95_ms": pct(95),
            "p99_ms": pct(99), "max_ms": round(data[-1], 2) if data else None,
            "rps": round(len(data) / elapsed, 1), "duration_s": round(elapsed, 2),
            **({"error_samples": self.error_samples} if self.error_samples else {}),
        }


def session(connections: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=connections, ttl_dns_cache=3600, force_close=False)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S))


async def call(http: aiohttp.ClientSession, method: str, url: str, *, headers=None, json=None,
               expect=(200,)) -> tuple[int, bytes | None, dict]:
    async with http.request(method, url, headers=headers, json=json) as response:
        body = await response.read()
        if response.status not in expect:
            raise RuntimeError(f"{method} {url} -> {response.status}: {body[:120]!r}")
        return response.status, body, response.headers


class ActionFailed(Exception):
    """An action that failed, with the name it goes by in a timeline."""

    def __init__(self, label: str, cause: Exception):
        super().__init__(f"{label}: {type(cause).__name__}: {cause}")
        self.label = label


@dataclass
class Sample:
    offset_s: float  # scheduled send time, from the start of the loop
    label: str       # what the action was (search, open, …), as the action returned it
    ms: float
    ok: bool


async def timed(recorder: Recorder, action, scheduled: float | None = None,
                timeline: list[Sample] | None = None, offset_s: float = 0.0) -> None:
    """Run one action (a coroutine function); time it from `scheduled` when given (open loop).
    With a `timeline`, the action returns its label and each request is also kept as a Sample."""
    begin = scheduled if scheduled is not None else time.perf_counter()
    label, error = "", None
    try:
        label = await action() or ""
    except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
        label, error = getattr(exc, "label", ""), f"{type(exc).__name__}: {exc}"
    ms = (time.perf_counter() - begin) * 1000
    if error is None:
        recorder.ok(ms)
    else:
        recorder.fail(ms, error)
    if timeline is not None:
        timeline.append(Sample(offset_s, label, ms, error is None))


def summarise(samples: list[Sample], seconds: float) -> dict:
    """A Recorder's summary of some samples of a timeline, over `seconds` of schedule."""
    part = Recorder(started=0.0, finished=seconds)
    for sample in samples:
        if sample.ok:
            part.ok(sample.ms)
        else:
            part.fail(sample.ms, sample.label)
    return part.summary()


async def closed_loop(next_action, connections: int, duration_s: float, max_requests: int = MAX_REQUESTS,
                      recorder: Recorder | None = None) -> Recorder:
    """`connections` workers, each sending its next request as soon as the last one answered."""
    recorder = recorder or Recorder()
    deadline = time.perf_counter() + duration_s
    sent = 0

    async def worker(index: int):
        nonlocal sent
        while time.perf_counter() < deadline and sent < max_requests:
            sent += 1
            await timed(recorder, next_action(index))

    recorder.started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(worker(i) for i in range(connections))),
                           timeout=duration_s + REQUEST_TIMEOUT_S + 5)
    recorder.finished = time.perf_counter()
    return recorder


async def open_loop(schedule, duration_s: float, max_in_flight: int = 2000,
                    recorder: Recorder | None = None, timeline: list[Sample] | None = None,
                    at=()) -> Recorder:
    """Send each (offset_s, action) of `schedule` at its time, whether or not earlier ones answered.

    Latency counts from the scheduled time, so time spent waiting behind a slow server is
    included; arrivals beyond `max_in_flight` are counted as errors rather than queued unseen.
    `timeline` keeps every request as a Sample; `at` is a list of (offset_s, coroutine function)
    run once their time has come (e.g. a snapshot of the database's statistics between phases).
    """
    recorder = recorder or Recorder()
    tasks: set[asyncio.Task] = set()
    hooks = sorted(at, key=lambda item: item[0])
    recorder.started = start = time.perf_counter()
    for offset, action in schedule:
        if offset > duration_s:
            break
        while hooks and hooks[0][0] <= offset:
            tasks.add(task := asyncio.create_task(hooks.pop(0)[1]()))
            task.add_done_callback(tasks.discard)
        delay = start + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        scheduled = start + offset
        if len(tasks) >= max_in_flight:
            recorder.fail((time.perf_counter() - scheduled) * 1000, "client: too many requests in flight")
            continue
        task = asyncio.create_task(timed(recorder, action, scheduled, timeline, offset))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    for _, hook in hooks:  # the schedule ended before their time: run them at its end
        tasks.add(task := asyncio.create_task(hook()))
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=REQUEST_TIMEOUT_S + 5)
    recorder.finished = time.perf_counter()
    return recorder
