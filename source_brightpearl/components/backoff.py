"""How long to wait before retrying a Brightpearl request.

Brightpearl throttles with HTTP 503 and says how long the current window lasts in `brightpearl-next-throttle-period`
— in milliseconds (PROTOCOL.md §5). Stock `WaitTimeFromHeader` reads seconds, hence this strategy. A 429 (seen only
behind Cloudflare) carries `Retry-After` in seconds. Anything else retryable backs off exponentially. The header is
read for throttling responses only: 401s carry it too, and waiting on it there would stall a token refresh
(CDK-NOTES §9.2).
"""

from __future__ import annotations

import logging
from dataclasses import InitVar, dataclass
from typing import Any, Mapping, Optional, Union

import requests
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy
from airbyte_cdk.sources.types import Config

logger = logging.getLogger("airbyte")

THROTTLE_PERIOD_HEADER = "brightpearl-next-throttle-period"
FALLBACK_THROTTLE_WAIT = 60.0
MIN_THROTTLE_WAIT = 0.25
MAX_EXPONENTIAL_WAIT = 30.0


def _number(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@dataclass
class BrightpearlBackoffStrategy(BackoffStrategy):
    config: Config
    parameters: InitVar[Mapping[str, Any]]
    base_seconds: float = 1.0

    def backoff_time(
        self, response_or_exception: Optional[Union[requests.Response, requests.RequestException]], attempt_count: int
    ) -> Optional[float]:
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code in (429, 503):
            wait = self.throttle_wait(response_or_exception)
            logger.info(
                f"Brightpearl is throttling (HTTP {response_or_exception.status_code}); waiting {wait:.1f} s for the next request window."
            )
            return wait
        return min(self.base_seconds * 2 ** max(attempt_count - 1, 0), MAX_EXPONENTIAL_WAIT)

    @staticmethod
    def throttle_wait(response: requests.Response) -> float:
        period_ms = _number(response.headers.get(THROTTLE_PERIOD_HEADER))
        if period_ms is not None:
            return max(period_ms / 1000.0, MIN_THROTTLE_WAIT)
        retry_after = _number(response.headers.get("Retry-After"))
        if retry_after is not None:
            return max(retry_after, MIN_THROTTLE_WAIT)
        return FALLBACK_THROTTLE_WAIT
