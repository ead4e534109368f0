"""The verdict: every check, then the latency threshold over all the requests the run made."""
from __future__ import annotations

import math

from .checks import FAIL, OK, Check


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile (with a handful of requests: the slowest but the few fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0.0


def latency_check(timings: list[tuple[str, float]], bound_ms: float) -> Check:
    """p95 of every request the run made against the bound; the slowest one named, to know where to look."""
    if not timings:
        return Check("p95 latency", FAIL, "no request was made")
    value = p95([ms for _, ms in timings])
    slowest, slowest_ms = max(timings, key=lambda timing: timing[1])
    verdict = OK if value <= bound_ms else FAIL
    relation = "<=" if verdict == OK else ">"
    return Check("p95 latency", verdict, f"{value:.0f} ms over {len(timings)} requests {relation} {bound_ms:.0f} ms "
                                         f"(slowest: {slowest} {slowest_ms:.0f} ms)")


def render(title: str, checks: list[Check]) -> str:
    width = max(len(check.name) for check in checks)
    lines = [title] + [f"  {check.outcome:<4}  {check.name:<{width}}  {check.detail}" for check in checks]
    failed = [check.name for check in checks if check.outcome == FAIL]
    lines.append(f"smoke test FAILED: {', '.join(failed)}" if failed else f"smoke test passed: {len(checks)} checks")
    return "\n".join(lines)


def passed(checks: list[Check]) -> bool:
    return all(check.outcome != FAIL for check in checks)
