"""Make the API budget's waits visible.

The CDK's HTTPAPIBudget (manifest.yaml `api_budget`) paces every request to `requests_per_minute`, but it reports
its waits only at DEBUG. A sync that slows down to stay under Brightpearl's limit should say so at INFO, so the
budget's `acquire_call` is timed and any noticeable wait is logged (once per wait, with the budget in force).
"""

from __future__ import annotations

import logging
import time
from functools import wraps
from typing import Any

logger = logging.getLogger("airbyte")

# Waits shorter than this are ordinary spacing between requests, not worth a log line.
REPORTED_WAIT_SECONDS = 1.0


def log_budget_waits(budget: Any, requests_per_minute: int) -> None:
    if budget is None or getattr(budget, "_brightpearl_logged", False):
        return
    acquire = budget.acquire_call

    @wraps(acquire)
    def timed_acquire(request: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            return acquire(request, *args, **kwargs)
        finally:
            waited = time.monotonic() - started
            if waited >= REPORTED_WAIT_SECONDS:
                logger.info(
                    f"Waited {waited:.1f} s for the request budget ({requests_per_minute} requests per minute, shared by all "
                    "streams) before the next Brightpearl call."
                )

    budget.acquire_call = timed_acquire
    budget._brightpearl_logged = True
