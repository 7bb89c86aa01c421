"""Thread-safe request counters (what the connector asked for, and what it was served). `snapshot()` returns plain
JSON-ready data: the Python API and `GET /__sandbox/counters` give the same dict."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict


class Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # API requests being served right now (latency included); a reset keeps it, as those requests go on.
        self._in_flight = 0
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._api_requests = 0
            self._by_endpoint: Counter[str] = Counter()
            self._ids_per_get: defaultdict[str, list[int]] = defaultdict(list)
            self._by_status: Counter[str] = Counter()
            self._faults: Counter[str] = Counter()
            self._token_grants: defaultdict[str, Counter[str]] = defaultdict(Counter)
            self._authorize: Counter[str] = Counter()
            self._bytes_served = 0
            # The most API requests served at once since the reset.
            self._max_in_flight = self._in_flight

    def api_request(self, endpoint: str) -> None:
        """One request under /public-api/, keyed by method + route template (`GET order-service/order/{ids}`)."""
        with self._lock:
            self._api_requests += 1
            self._by_endpoint[endpoint] += 1

    def started(self) -> None:
        """An API request is being served (from its arrival, before any latency, until its answer is ready)."""
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def finished(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def ids_requested(self, endpoint: str, count: int) -> None:
        with self._lock:
            self._ids_per_get[endpoint].append(count)

    def response(self, status: int, body_bytes: int) -> None:
        with self._lock:
            self._by_status[str(status)] += 1
            self._bytes_served += body_bytes

    def fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def token_grant(self, grant_type: str, outcome: str) -> None:
        """outcome: "success" or the OAuth error code (invalid_grant, invalid_client, …)."""
        with self._lock:
            self._token_grants[grant_type][outcome] += 1

    def authorize(self, outcome: str) -> None:
        with self._lock:
            self._authorize[outcome] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "api_requests": self._api_requests,
                "requests_by_endpoint": dict(self._by_endpoint),
                "ids_per_get": {k: list(v) for k, v in self._ids_per_get.items()},
                "responses_by_status": dict(self._by_status),
                "unauthorized": self._by_status.get("401", 0),
                "throttled": self._by_status.get("503", 0),
                "faults": dict(self._faults),
                "token_grants": {k: dict(v) for k, v in self._token_grants.items()},
                "authorize": dict(self._authorize),
                "bytes_served": self._bytes_served,
                "in_flight": self._in_flight,
                "max_in_flight": self._max_in_flight,
            }
