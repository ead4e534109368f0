"""One concise line per step on stderr, stamped with the seconds since the command started."""

import sys
from typing import TextIO

from ims_deploy.probe import Clock


class StepLog:
    def __init__(self, clock: Clock, stream: TextIO | None = None):
        self._clock = clock
        self._start = clock.monotonic()
        self._stream = stream

    def elapsed(self) -> float:
        """Seconds since the command started."""
        return self._clock.monotonic() - self._start

    def step(self, name: str, message: str) -> None:
        stream = self._stream or sys.stderr
        print(f"[{self.elapsed():5.0f}s] {name}: {message}", file=stream, flush=True)
