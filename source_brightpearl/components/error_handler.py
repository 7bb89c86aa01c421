"""The manifest's error handler: the declared response filters, minus their cost on successful responses, and two
retry budgets — a long one for throttling, a short one for failures.

Cost: a response filter with a `predicate` parses the whole response body with the standard library's json module,
on every response, even a 200 (the CDK evaluates predicates before it looks at the status). Brightpearl's detail GETs
are ~0.8 MB each, and two predicate filters made that parse the single largest cost of a sync (about a third of the
CPU). A 2xx JSON response needs none of the filters, so it is accepted at once; everything else goes through them.

Budgets: the CDK has one retry count per request (`max_retries`) for every kind of retry. Throttling is not a
failure: when other integrations use up the account's 200 requests a minute, a request may meet a 503 in several
windows in a row, and giving up after 6 of them would fail a sync only for being patient. So `max_retries` (the
manifest's, with `max_time`) bounds how long one request may wait out throttling, and `max_error_retries` bounds
the retries for everything else (5xx, proxy pages, dropped connections, a 401 that survives a refresh): past it, the
request fails at once with the last error's message.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Union

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.requesters.error_handlers.default_error_handler import DefaultErrorHandler
from airbyte_cdk.sources.streams.http.error_handlers.response_models import (
    SUCCESS_RESOLUTION,
    ErrorResolution,
    ResponseAction,
)

RETRYING_ACTIONS = (ResponseAction.RETRY, ResponseAction.RATE_LIMITED, ResponseAction.REFRESH_TOKEN_THEN_RETRY)
# The body of a throttled 503 (PROTOCOL.md §5): "You have sent too many requests. Please wait before …".
THROTTLED_TEXT = "too many requests"
REMAINING_HEADER = "brightpearl-requests-remaining"


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


@dataclass
class BrightpearlErrorHandler(DefaultErrorHandler):
    max_error_retries: int = 6

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        # Failed attempts per request object (the CDK re-sends the same PreparedRequest on each retry); weak keys,
        # so finished requests leave no trace. Several partitions may share this handler, hence the lock.
        self._failures: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def interpret_response(self, response_or_exception: Optional[Union[requests.Response, Exception]]) -> ErrorResolution:
        if (
            isinstance(response_or_exception, requests.Response)
            and 200 <= response_or_exception.status_code < 300
            and "json" in response_or_exception.headers.get("Content-Type", "")
        ):
            return SUCCESS_RESOLUTION
        resolution = super().interpret_response(response_or_exception)
        if resolution.response_action not in RETRYING_ACTIONS:
            return resolution
        if isinstance(response_or_exception, requests.Response) and is_throttled(response_or_exception):
            return resolution  # waited out within max_retries / max_time, not counted as a failure
        failures = self._count_failure(getattr(response_or_exception, "request", None))
        if failures <= int(self.max_error_retries):
            return resolution
        # A 401 that outlives token refreshes is the credentials' problem (re-authorise), not a passing fault.
        rejected = resolution.response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY
        return ErrorResolution(
            response_action=ResponseAction.FAIL,
            failure_type=FailureType.config_error if rejected else (resolution.failure_type or FailureType.transient_error),
            error_message=f"{resolution.error_message or _describe(response_or_exception)}; "
            f"still failing after {failures} attempts",
        )

    def _count_failure(self, request: Any) -> int:
        if request is None:
            return 1  # nothing to count against (never seen from requests); the CDK's own cap applies
        with self._lock:
            try:
                count = self._failures.get(request, 0) + 1
                self._failures[request] = count
            except TypeError:  # not weak-referenceable
                return 1
        return count


def _describe(response_or_exception: Any) -> str:
    if isinstance(response_or_exception, requests.Response):
        return f"HTTP {response_or_exception.status_code}"
    return type(response_or_exception).__name__ if response_or_exception is not None else "no response"
