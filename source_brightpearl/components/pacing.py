"""Make the API budget's waits visible.

The CDK's HTTPAPIBudget (manifest.yaml `api_budget`) paces every request to `requests_per_minute`, but it reports
its waits only at DEBUG. A sync that slows down to stay under Brightpearl's limit should say so at INFO, so the
budget's `acquire_call` is timed and any noticeable wait is logged (once per wait, with the budget in force).

Why a wrapper on the budget object: the CDK 7.39.1 offers no supported hook — the manifest allows only the stock
HTTPAPIBudget with its stock policies, and nothing reports a wait above DEBUG. The wrapper only times the CDK's own
`acquire_call`; if that method is missing, nothing is wrapped and pacing is unchanged (the INFO lines are lost).
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
    acquire = getattr(budget, "acquire_call", None)
    if not callable(acquire):
        # A CDK whose budget no longer has `acquire_call`: pacing is the budget's own and goes on; only these INFO
        # lines are lost (unit_tests/test_cdk_internals.py fails on such an upgrade).
        logger.debug("The API budget has no acquire_call; its waits are not logged at INFO.")
        return

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
