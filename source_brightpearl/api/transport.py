"""How long the connector waits on Brightpearl, and how much it accepts: the one definition of every HTTP bound.

Every request the connector sends (API calls through the manifest's requester, token requests) gets:
- a connect timeout of 10 s: the TCP and TLS handshakes with Brightpearl's edge take well under a second; 10 s
  covers three retransmissions of a lost SYN (sent again after 1, 2 and 4 s), after which the host is unreachable
  and a new attempt does better than waiting;
- a read timeout of 120 s, for the first byte of the answer and between any two reads: Brightpearl's API sits behind
  Cloudflare, which answers 524 itself when the origin has not started answering within 100 s, so a connection that
  stays silent for longer than that will not answer at all;
- 300 s to read a body once its headers have arrived, whatever the pace: a read timeout alone never fires on a
  server that sends a byte every few seconds. The largest body Brightpearl sends (200 orders with custom fields,
  about 1 MB) takes seconds even on a slow link;
- at most 64 MiB of (decompressed) body, read in chunks so an oversized answer is refused without ever being held
  whole in memory: 64 times the largest legitimate response.

A timeout or a cut connection is a failed attempt, retried within the error handler's failure budget
(`max_error_retries`). A body over the size bound is refused at once: resending the request would only repeat it.

Tests shorten these with the environment variable `BRIGHTPEARL_HTTP_LIMITS` (e.g. `connect=2,read=2,body=3`), and so
can a user whose network path needs more patience; `throttle_wait` caps a single throttling wait (backoff.py).
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, fields, replace
from typing import Any, List, Optional, Tuple

import requests

LIMITS_ENVIRONMENT_VARIABLE = "BRIGHTPEARL_HTTP_LIMITS"
_CHUNK_BYTES = 1 << 16


@dataclass(frozen=True)
class HttpLimits:
    connect: float = 10.0  # seconds to establish a connection
    read: float = 120.0  # seconds of silence tolerated while waiting for (more of) an answer
    body: float = 300.0  # seconds to read a body, once the headers are in
    max_body_bytes: int = 64 * 1024 * 1024
    # Brightpearl's throttle window is a minute, so no throttled request needs to wait longer than that (plus a few
    # seconds of clock difference), whatever `brightpearl-next-throttle-period` says.
    throttle_wait: float = 65.0

    @property
    def timeouts(self) -> Tuple[float, float]:
        """The (connect, read) pair `requests` takes as `timeout`."""
        return (self.connect, self.read)


def http_limits() -> HttpLimits:
    """The limits in force: the defaults above, with any `BRIGHTPEARL_HTTP_LIMITS=name=value,...` override."""
    override = os.environ.get(LIMITS_ENVIRONMENT_VARIABLE, "").strip()
    limits = HttpLimits()
    if not override:
        return limits
    names = {field.name: field.type for field in fields(HttpLimits)}
    changes: dict = {}
    for item in override.split(","):
        name, _, value = item.partition("=")
        name = name.strip()
        if name not in names:
            raise ValueError(f"{LIMITS_ENVIRONMENT_VARIABLE}: unknown limit '{name}'; known: {', '.join(names)}")
        number = float(value)
        if number <= 0:
            raise ValueError(f"{LIMITS_ENVIRONMENT_VARIABLE}: '{name}' must be positive")
        changes[name] = int(number) if name == "max_body_bytes" else number
    return replace(limits, **changes)


class ResponseTooLarge(requests.exceptions.RequestException):
    """A body larger than `HttpLimits.max_body_bytes`: refused, never retried."""


class ResponseTooSlow(requests.exceptions.ReadTimeout):
    """A body that took longer than `HttpLimits.body` to arrive: a failed attempt, like any timeout."""


def read_body_within_limits(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
    """A `requests` response hook: read the body now, in chunks, within the time and size bounds.

    Hooks run after the headers arrive and before `requests` reads the body itself (`stream=False`), which then
    finds it read. A timer shuts the connection down if the body is not complete in time: a blocked read returns at
    once, whatever the server's pace. Responses the caller streams (`stream=True`) are left to the caller.
    """
    if kwargs.get("stream") or getattr(response, "_content_consumed", True):
        return response
    limits = http_limits()
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        response.close()
        raise _too_large(response, limits)
    watchdog = _Watchdog(response, limits.body)
    chunks: List[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(_CHUNK_BYTES):
            size += len(chunk)
            if size > limits.max_body_bytes:
                response.close()
                raise _too_large(response, limits)
            chunks.append(chunk)
    except requests.exceptions.RequestException:
        if watchdog.fired:
            raise _too_slow(response, limits) from None
        raise
    finally:
        watchdog.cancel()
    if watchdog.fired:  # the shut-down connection looked like the end of a body without a length
        raise _too_slow(response, limits)
    response._content = b"".join(chunks)
    response._content_consumed = True  # type: ignore[attr-defined]  # what Response.content sets itself
    return response


def _too_large(response: requests.Response, limits: HttpLimits) -> ResponseTooLarge:
    return ResponseTooLarge(
        f"the answer from {_endpoint(response)} is larger than {limits.max_body_bytes // (1024 * 1024)} MiB; "
        "no Brightpearl response is nearly that large, so it was refused",
        response=response,
    )


def _too_slow(response: requests.Response, limits: HttpLimits) -> ResponseTooSlow:
    return ResponseTooSlow(
        f"the answer from {_endpoint(response)} did not arrive within {limits.body:g} s (it came too slowly)",
        response=response,
    )


def _endpoint(response: requests.Response) -> str:
    """Scheme, host and path: never the query string (it can hold ids and filters, never wanted in messages)."""
    return (response.url or "Brightpearl").split("?", 1)[0]


class _Watchdog:
    """Shuts a response's connection down after `seconds`, unless cancelled first."""

    def __init__(self, response: requests.Response, seconds: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._done = False
        connection = getattr(response.raw, "connection", None)
        self._sock: Optional[socket.socket] = getattr(connection, "sock", None)
        self._timer: Optional[threading.Timer] = None
        if self._sock is not None:
            self._timer = threading.Timer(seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._done or self._sock is None:
                return
            self.fired = True
            try:
                # The plain socket's shutdown, also for TLS sockets: it wakes the reading thread without touching
                # the TLS object that thread is using.
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        with self._lock:
            self._done = True
        if self._timer is not None:
            self._timer.cancel()
