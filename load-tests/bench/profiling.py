"""py-spy on every gunicorn worker while a scenario runs; `summary` folds the stacks into a short table."""
from __future__ import annotations

import collections
import glob
import os
import subprocess
import sys


def start(server, scenario: str, args) -> list[subprocess.Popen]:
    return spy(server, os.path.join(args.out, f"profile-{scenario}"), int(args.duration) + 2)


def spy(server, prefix: str, seconds: int) -> list[subprocess.Popen]:
    """py-spy on every worker for `seconds`, raw stacks to `<prefix>-<pid>.txt`."""
    binary = os.path.join(os.path.dirname(sys.executable), "py-spy")
    return [subprocess.Popen([binary, "record", "--pid", str(worker.pid), "--duration", str(seconds), "--rate", "200",
                              "--nonblocking", "--format", "raw", "--output", f"{prefix}-{worker.pid}.txt"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for worker in server.workers()]


def finish(spies: list[subprocess.Popen]) -> None:
    for spy in spies:
        try:
            spy.wait(timeout=60)
        except subprocess.TimeoutExpired:
            spy.kill()


def summary(pattern: str, top: int = 25) -> str:
    """Share of samples per frame (inclusive), over every file matching `pattern`, idle threads removed."""
    inclusive, total = collections.Counter(), 0
    for path in glob.glob(pattern):
        for line in open(path):
            stack, _, count = line.rstrip().rpartition(" ")
            frames = stack.split(";")
            if any(idle in stack for idle in ("wait (threading.py", "select (selectors.py", "sleep (gunicorn",
                                               "run_for_one", "_worker (concurrent")) and "handle" not in stack:
                continue
            total += int(count)
            for frame in set(frames):
                inclusive[frame] += int(count)
    lines = [f"{n / max(total, 1):6.1%}  {frame}" for frame, n in inclusive.most_common(top)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25))
