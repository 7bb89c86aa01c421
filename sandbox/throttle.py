"""Per-account request throttle (docs/brightpearl-api.md §P5).

The docs say "200 requests per minute … rolling", but recorded headers behave like a fixed window that is not
aligned to the client's first request: the first request of a window reports 199 remaining with an arbitrary
`next-throttle-period`. So: fixed windows of `window` seconds, phase-shifted by a random offset from server
start. Every API request, 401s included, spends one unit; past the cap the answer is 503.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleDecision:
    allowed: bool
    remaining: int  # brightpearl-requests-remaining
    next_period_ms: int  # brightpearl-next-throttle-period: milliseconds until the window ends


class Throttle:
    def __init__(self, cap: int, window: float, rng: random.Random, clock=time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._rng = rng
        self.configure(cap, window)

    def configure(self, cap: int, window: float) -> None:
        """(Re)start counting with a new cap/window; a fresh random phase, a fresh quota."""
        with self._lock:
            self._cap = cap
            self._window = window
            self._origin = self._clock() - self._rng.uniform(0.0, window)
            self._window_index = -1
            self._used = 0
            self._busy_until_index = -1

    def exhaust(self, windows: int) -> None:
        """Other integrations on the account use up the whole quota of the current window and the next
        `windows - 1` ones: every request in them is answered 503 (docs/brightpearl-api.md §P5, the quota is per account)."""
        if windows < 1:
            raise ValueError("windows must be at least 1")
        with self._lock:
            index = math.floor((self._clock() - self._origin) / self._window)
            self._busy_until_index = index + windows - 1

    def spend(self) -> ThrottleDecision:
        with self._lock:
            now = self._clock()
            index = math.floor((now - self._origin) / self._window)
            if index != self._window_index:
                self._window_index = index
                self._used = 0
            window_end = self._origin + (index + 1) * self._window
            next_ms = max(1, math.ceil((window_end - now) * 1000))
            if self._used >= self._cap or index <= self._busy_until_index:
                return ThrottleDecision(False, 0, next_ms)
            self._used += 1
            return ThrottleDecision(True, self._cap - self._used, next_ms)
