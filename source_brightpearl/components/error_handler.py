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
the retries for everything else (5xx, a 503 that is not throttling, proxy pages, dropped connections, timeouts, a 401
that survives a refresh): past it, the request fails at once with the last error's message. Which responses are
throttling is decided in one place, api/throttling.py.

Exceptions: the CDK maps only a few exception classes itself and calls anything else a retryable *system* error; a
timeout or a cut connection is the network's or Brightpearl's problem, so they are transient errors here. A body over
the size bound (api/transport.py) fails at once.

No `from __future__ import annotations` here: the CDK reads this dataclass's field types with `typing.get_type_hints`,
which on Python 3.10 rejects an `InitVar` written as a string (the base class declares one).
"""

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

from source_brightpearl.api.throttling import is_throttled
from source_brightpearl.api.transport import ResponseTooLarge, http_limits

RETRYING_ACTIONS = (ResponseAction.RETRY, ResponseAction.RATE_LIMITED, ResponseAction.REFRESH_TOKEN_THEN_RETRY)


@dataclass
class BrightpearlErrorHandler(DefaultErrorHandler):
    # Failed attempts a request may retry (manifest.yaml sets it); unset, the CDK's `max_retries` bounds them too.
    max_error_retries: Optional[int] = None

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
        if isinstance(response_or_exception, ResponseTooLarge):
            return ErrorResolution(
                response_action=ResponseAction.FAIL,
                failure_type=FailureType.transient_error,
                error_message=f"Refused an oversized answer: {response_or_exception}",
            )
        resolution = self._resolution(response_or_exception)
        if resolution.response_action not in RETRYING_ACTIONS:
            return resolution
        if resolution.response_action == ResponseAction.RATE_LIMITED:
            return resolution  # waited out within max_retries / max_time, not counted as a failure
        failures = self._count_failure(getattr(response_or_exception, "request", None))
        limit = self.max_error_retries if self.max_error_retries is not None else self.max_retries
        if failures <= int(limit or 0):
            return resolution
        # A 401 that outlives token refreshes is the credentials' problem (re-authorise), not a passing fault.
        rejected = resolution.response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY
        return ErrorResolution(
            response_action=ResponseAction.FAIL,
            failure_type=FailureType.config_error if rejected else (resolution.failure_type or FailureType.transient_error),
            error_message=f"{resolution.error_message or _describe(response_or_exception)}; "
            f"still failing after {failures} attempts",
        )

    def _resolution(self, response_or_exception: Optional[Union[requests.Response, Exception]]) -> ErrorResolution:
        """The declared filters' answer, with throttling decided by api/throttling.py and network failures called
        transient."""
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code in (429, 503):
            if is_throttled(response_or_exception):
                return ErrorResolution(
                    response_action=ResponseAction.RATE_LIMITED,
                    failure_type=FailureType.transient_error,
                    error_message=f"Brightpearl is throttling (HTTP {response_or_exception.status_code})",
                )
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=f"Brightpearl answered HTTP {response_or_exception.status_code} (unavailable, not throttling)",
            )
        if isinstance(response_or_exception, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=_network_failure(response_or_exception),
            )
        if isinstance(
            response_or_exception, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)
        ):
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=f"The answer from Brightpearl was cut off or garbled ({type(response_or_exception).__name__})",
            )
        return super().interpret_response(response_or_exception)

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


def _network_failure(error: requests.RequestException) -> str:
    """What went wrong, without the exception's text (it can quote the request, query string included)."""
    limits = http_limits()
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return f"Could not connect to Brightpearl within {limits.connect:g} s"
    if isinstance(error, requests.exceptions.Timeout):
        detail = str(error) if type(error).__module__.startswith("source_brightpearl") else f"no data for {limits.read:g} s"
        return f"Brightpearl did not answer in time ({detail})"
    return f"The connection to Brightpearl failed ({type(error).__name__})"


def _describe(response_or_exception: Any) -> str:
    if isinstance(response_or_exception, requests.Response):
        return f"HTTP {response_or_exception.status_code}"
    return type(response_or_exception).__name__ if response_or_exception is not None else "no response"
