"""A full run's numbers compare with another's only when nothing else shared the machine: a run that
regenerates RESULTS.md starts only at a one-minute load average of at most LIMIT, unless forced, and a
forced run says so in its table. Standard library only."""
from __future__ import annotations

LIMIT = 1.0


def refusal(load: float, force: bool, limit: float = LIMIT) -> str | None:
    """Why a full run must not start at this load; None when it may (quiet, or forced)."""
    if load <= limit or force:
        return None
    return (f"the load average is {load:.2f}, above {limit:.1f}: something else is running, so these numbers would "
            "compare with nothing. Run the benchmark alone, after the tests; or FORCE=1 make bench (--force) to run "
            "anyway, marked as forced in RESULTS.md.")


def forced_at(load: float, force: bool, limit: float = LIMIT) -> float | None:
    """The load a forced run started at, when forcing was needed (the table marks the run)."""
    return round(load, 2) if force and load > limit else None
