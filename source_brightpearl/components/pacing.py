"""One gate in front of every Brightpearl request, shared by all streams and threads of a sync.

Several requests are in flight at once (see `retrievers/pipeline.py`), so pacing has to be decided once for all of
them, not by each worker on its own. Just before a request is sent:

1. **Throttled.** After an answer that says the account's quota is spent (a 503 "too many requests", or a 429), no
   request is sent until the window that answer names is over (`brightpearl-next-throttle-period`, in ms); then one
   request probes the new window and the others follow once it is answered. Without this, every worker would walk
   into its own 503 and wait on its own, and a burst of rejected requests would greet every window.
2. **Nearly spent.** Every answer carries `brightpearl-requests-remaining`: what is left in the account's current
   window, which other apps of the account share. When the requests already in flight would use that up, further
   requests wait for the window to end rather than collect 503s (Brightpearl's own advice, see docs/brightpearl.md).
3. **The budget.** At most `requests_per_minute` in any 60 s (manifest `api_budget`, a moving window): the
   connector's own share, which also holds when no header says anything.

Every wait is bounded (a hold by one throttle window, `HttpLimits.throttle_wait`, as Brightpearl's window is a
minute) and every noticeable one is logged at INFO with its reason.

Why a wrapper on the budget object: the CDK 7.39.1 offers no supported hook. The manifest allows only the stock
HTTPAPIBudget with its stock policies, which neither read Brightpearl's relative headers nor report a wait above
DEBUG. The wrapper is an `APIBudget` that delegates to the one the CDK built from the manifest; the CDK's HTTP session
calls its `acquire_call` before each send and `update_from_response` after it (unit_tests/test_cdk_internals.py
fails if either moves). A budget without those methods is left as it is: pacing is then the budget's own.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from typing import Any, Callable, Optional

import requests
from airbyte_cdk.sources.streams.call_rate import AbstractAPIBudget, AbstractCallRatePolicy, APIBudget

from source_brightpearl.api.throttling import REMAINING_HEADER, THROTTLE_PERIOD_HEADER, announced_wait, is_throttled
from source_brightpearl.api.transport import http_limits

logger = logging.getLogger("airbyte")

# Waits shorter than this are ordinary spacing between requests, not worth a log line.
REPORTED_WAIT_SECONDS = 1.0
# A throttled answer that names no wait: Brightpearl's window is a minute.
FALLBACK_HOLD = 60.0
# Seconds each thread has spent waiting here (gate and budget), so a caller timing a request can tell the API's
# latency from the pacing's (retrievers/pipeline.py sizes its lookahead on the former).
_waited = threading.local()


def waited_in_this_thread() -> float:
    """Seconds this thread has waited for the gate and the budget so far (a running total)."""
    return float(getattr(_waited, "seconds", 0.0))


# A probe that has had no answer for this long (a dropped connection being retried) no longer holds the others.
MAX_PROBE_WAIT = 30.0
# Two answers whose windows end this close together (as seen from here) are about the same window.
SAME_WINDOW_TOLERANCE = 0.5


def _header_int(response: requests.Response, name: str) -> Optional[int]:
    value = response.headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class ThrottleGate:
    """Rules 1 and 2 of the module docstring: who may send now, from what the answers said."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._condition = threading.Condition()
        # Requests sent and not yet answered. Weak: a request that ended in an exception and is never retried
        # must not be counted for ever (the CDK re-sends the same request object when it retries).
        self._in_flight: weakref.WeakSet[Any] = weakref.WeakSet()
        self._hold_until = 0.0
        self._remaining: Optional[int] = None
        self._window_end = 0.0
        # The most requests a window has been seen to allow (its first answer reports that minus one).
        self._window_size: Optional[int] = None
        self._probe_needed = False
        self._probe: Optional[weakref.ref[Any]] = None
        self._probe_sent = 0.0

    @property
    def in_flight(self) -> int:
        with self._condition:
            return len(self._in_flight)

    def wait_until_open(self) -> float:
        """Wait while every request is held (rules 1 and 2); the seconds waited."""
        started = self._clock()
        with self._condition:
            while True:
                now = self._clock()
                if now >= self._hold_until:
                    return now - started
                self._condition.wait(self._hold_until - now)

    def enter(self, request: Any) -> None:
        """Wait until `request` may be sent, then count it as in flight."""
        with self._condition:
            self._in_flight.discard(request)  # a retry of a request whose last attempt got no answer
            while True:
                now = self._clock()
                if now < self._hold_until:
                    self._condition.wait(self._hold_until - now)
                    continue
                if self._probe_needed:
                    # The first request after a throttle hold probes the new window alone.
                    self._probe_needed = False
                    self._probe = weakref.ref(request)
                    self._probe_sent = now
                    break
                probe = self._probe() if self._probe is not None else None
                if probe is not None and probe in self._in_flight and now - self._probe_sent < MAX_PROBE_WAIT:
                    self._condition.wait(min(1.0, MAX_PROBE_WAIT - (now - self._probe_sent)))
                    continue
                self._probe = None
                if now < self._window_end:
                    if self._remaining is not None and self._remaining <= len(self._in_flight):
                        self._hold(
                            self._window_end - now,
                            f"{self._remaining} requests left in Brightpearl's current window (shared by every app of "
                            f"the account) and {len(self._in_flight)} already in flight",
                        )
                        continue
                elif self._window_size is not None and len(self._in_flight) >= self._window_size:
                    # A new window, not heard of yet: no more at once than a whole window holds, until an answer
                    # says what is left (else a cap smaller than the workers would meet 503s at every window).
                    self._condition.wait(1.0)
                    continue
                break
            self._in_flight.add(request)

    def leave(self, request: Any, response: Any) -> None:
        """Learn from an answer: throttled (rule 1) or what the window has left (rule 2)."""
        with self._condition:
            self._in_flight.discard(request)
            if self._probe is not None and self._probe() is request:
                self._probe = None
            if isinstance(response, requests.Response):
                now = self._clock()
                if is_throttled(response):
                    announced = announced_wait(response)
                    # Never longer than one throttle window, whatever a header says (as the backoff, backoff.py).
                    wait = min(FALLBACK_HOLD if announced is None else announced, http_limits().throttle_wait)
                    self._remaining, self._window_end = 0, now + wait
                    self._probe_needed = True
                    self._hold(wait, f"Brightpearl throttled a request (HTTP {response.status_code})")
                else:
                    remaining = _header_int(response, REMAINING_HEADER)
                    period_ms = _header_int(response, THROTTLE_PERIOD_HEADER)
                    if remaining is not None and period_ms is not None:
                        window_end = now + min(period_ms / 1000.0, http_limits().throttle_wait)
                        same_window = abs(window_end - self._window_end) < SAME_WINDOW_TOLERANCE
                        # Answers can overtake each other: within one window, the smallest count is the latest.
                        if not (same_window and self._remaining is not None and remaining > self._remaining):
                            self._remaining, self._window_end = remaining, window_end
                        self._window_size = max(self._window_size or 0, remaining + 1)
            self._condition.notify_all()

    def _hold(self, seconds: float, reason: str) -> None:
        """Hold every request for `seconds` (caller holds the lock); log it once, when it starts."""
        until = self._clock() + seconds
        if until <= self._hold_until:
            return
        self._hold_until = until
        if seconds >= REPORTED_WAIT_SECONDS:
            logger.info(f"{reason}: every request waits {seconds:.1f} s for the next window.")


class PacedBudget(APIBudget):
    """The manifest's API budget (rule 3) behind the throttle gate (rules 1 and 2). An `APIBudget` by type, as the
    CDK's HTTP client expects; every call is delegated to the wrapped budget."""

    def __init__(self, budget: AbstractAPIBudget, requests_per_minute: int, gate: Optional[ThrottleGate] = None) -> None:
        super().__init__(policies=[])
        self.budget = budget
        self.requests_per_minute = requests_per_minute
        self.gate = gate or ThrottleGate()

    def acquire_call(self, request: Any, block: bool = True, timeout: Optional[float] = None) -> None:
        arrived = time.monotonic()
        # Wait out a hold before taking a slot of the budget, so the budget's moving window counts real send times.
        self.gate.wait_until_open()
        started = time.monotonic()
        self.budget.acquire_call(request, block=block, timeout=timeout)
        waited = time.monotonic() - started
        if waited >= REPORTED_WAIT_SECONDS:
            logger.info(
                f"Waited {waited:.1f} s for the request budget ({self.requests_per_minute} requests per minute, shared by all "
                "streams) before the next Brightpearl call."
            )
        self.gate.enter(request)
        _waited.seconds = waited_in_this_thread() + (time.monotonic() - arrived)

    def update_from_response(self, request: Any, response: Any) -> None:
        self.gate.leave(request, response)
        self.budget.update_from_response(request, response)

    def get_matching_policy(self, request: Any) -> Optional[AbstractCallRatePolicy]:
        return self.budget.get_matching_policy(request)


def paced(budget: Optional[APIBudget], requests_per_minute: int) -> Optional[APIBudget]:
    """The budget behind the gate (once: an already paced budget is returned as it is). A budget without the two
    calls the gate relies on is returned unchanged."""
    if budget is None or isinstance(budget, PacedBudget):
        return budget
    if not all(callable(getattr(budget, name, None)) for name in ("acquire_call", "update_from_response")):
        logger.debug("The API budget lacks acquire_call/update_from_response; requests are paced by it alone.")
        return budget
    return PacedBudget(budget, requests_per_minute)
