"""Step-by-step progress with durations, on stderr so stdout stays clean for results."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


class Progress:
    def __init__(self, stream=None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.durations: dict[str, float] = {}

    @contextmanager
    def step(self, name: str):
        if self.enabled:
            self.stream.write(f"  {name} …")
            self.stream.flush()
        start = time.perf_counter()
        try:
            yield
        except BaseException:
            if self.enabled:
                self.stream.write(" failed\n")
            raise
        elapsed = time.perf_counter() - start
        self.durations[name] = elapsed
        if self.enabled:
            self.stream.write(f" {elapsed:.2f} s\n")
            self.stream.flush()


QUIET = Progress(enabled=False)
