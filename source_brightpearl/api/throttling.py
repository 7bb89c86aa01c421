"""Brightpearl's throttling (docs/brightpearl.md, "Rate limiting"): 200 requests per minute per account; past it, HTTP
503 with `brightpearl-requests-remaining: 0`, `brightpearl-next-throttle-period` = milliseconds until the window
ends, and the body "You have sent too many requests. Please wait before …". Cloudflare in front of the API may
answer 429 with `Retry-After` in seconds.

The one definition of "this response means: wait for the next window", used by the error handler (throttling does
not use up the failure budget) and the backoff strategy (how long to wait). A 503 that is not throttling
(maintenance, an outage) is a failure like a 500.
"""

from __future__ import annotations

from typing import Optional

import requests

THROTTLED_TEXT = "too many requests"
REMAINING_HEADER = "brightpearl-requests-remaining"
THROTTLE_PERIOD_HEADER = "brightpearl-next-throttle-period"
# Never wait less than this: a period of 0 ms (the window ends now) must not turn into a busy loop.
MIN_THROTTLE_WAIT = 0.25


def is_throttled(response: requests.Response) -> bool:
    """A 429, or a 503 that Brightpearl sent because the quota is spent (not a maintenance or outage 503)."""
    if response.status_code == 429:
        return True
    if response.status_code != 503:
        return False
    if response.headers.get(REMAINING_HEADER, "").strip() == "0":
        return True
    try:
        return THROTTLED_TEXT in response.text[:1000].lower()
    except (UnicodeDecodeError, requests.RequestException):
        return False


def announced_wait(response: requests.Response) -> Optional[float]:
    """Seconds the throttled response says to wait (the Brightpearl header in ms, else `Retry-After` in s), or None
    when it says nothing usable."""
    period_ms = _number(response.headers.get(THROTTLE_PERIOD_HEADER))
    if period_ms is not None:
        return max(period_ms / 1000.0, MIN_THROTTLE_WAIT)
    retry_after = _number(response.headers.get("Retry-After"))
    if retry_after is not None:
        return max(retry_after, MIN_THROTTLE_WAIT)
    return None


def _number(value: Optional[str]) -> Optional[float]:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    # NaN and infinities are not waits; a negative period is read as "now".
    if number is None or number != number or number in (float("inf"), float("-inf")):
        return None
    return max(number, 0.0)
