"""How long to wait before retrying a Brightpearl request.

Throttled responses (api/throttling.py decides which) are waited out for as long as they announce — Brightpearl's
`brightpearl-next-throttle-period` is in milliseconds, which stock `WaitTimeFromHeader` (seconds) cannot read — but
never longer than one throttle window (`HttpLimits.throttle_wait`, 65 s): a header claiming a day would otherwise put
even `check` to sleep for a day. A capped wait is logged as such. Anything else retryable backs off exponentially.
The throttle header is read for throttling responses only: 401s carry it too, and waiting on it there would stall a
token refresh.

No `from __future__ import annotations` here: the CDK reads this dataclass's field types with `typing.get_type_hints`,
which on Python 3.10 rejects an `InitVar` written as a string.
"""

import logging
from dataclasses import InitVar, dataclass
from typing import Any, Mapping, Optional, Union

import requests
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy
from airbyte_cdk.sources.types import Config

from source_brightpearl.api.throttling import announced_wait, is_throttled
from source_brightpearl.api.transport import http_limits

logger = logging.getLogger("airbyte")

# A throttled response that names no wait: Brightpearl's window is a minute.
FALLBACK_THROTTLE_WAIT = 60.0
MAX_EXPONENTIAL_WAIT = 30.0


@dataclass
class BrightpearlBackoffStrategy(BackoffStrategy):
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    base_seconds: float = 1.0

    def backoff_time(
        self, response_or_exception: Optional[Union[requests.Response, requests.RequestException]], attempt_count: int
    ) -> Optional[float]:
        if isinstance(response_or_exception, requests.Response) and is_throttled(response_or_exception):
            return self.throttle_wait(response_or_exception)
        return min(self.base_seconds * 2 ** max(attempt_count - 1, 0), MAX_EXPONENTIAL_WAIT)

    @staticmethod
    def throttle_wait(response: requests.Response) -> float:
        """The wait for a throttled response, capped at one throttle window; logged."""
        announced = announced_wait(response)
        wait = FALLBACK_THROTTLE_WAIT if announced is None else announced
        cap = http_limits().throttle_wait
        if wait > cap:
            asked = f"asks for a wait of {wait:,.0f} s" if announced is not None else f"names no wait (assumed {wait:.0f} s)"
            logger.warning(
                f"Brightpearl is throttling (HTTP {response.status_code}) and {asked}, longer than one throttle window; "
                f"waiting {cap:g} s instead, then trying again."
            )
            return cap
        logger.info(f"Brightpearl is throttling (HTTP {response.status_code}); waiting {wait:.1f} s for the next request window.")
        return wait
