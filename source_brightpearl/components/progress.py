"""Progress people can see: how many records a stream will have, and how far it is.

Every Brightpearl search answers with `metaData.resultsAvailable`, the number of rows that match. That is enough to
estimate a stream's size as soon as its first search page answers, at no extra request:

- rows are records (search-only streams): the estimate is `resultsAvailable`;
- a search for ids, then GETs (search-then-get streams): the estimate is the number of distinct ids, i.e.
  `resultsAvailable` scaled by the share of distinct ids on the first page. It is `resultsAvailable` itself for
  orders, products and contacts (one row per record), much less for journals (one row per journal line) and goods-in
  notes (one row per note, product and location). Streams that turn one detail object into several records
  (product prices per price list, availability per warehouse) are scaled again by the records per id read so far;
- an incremental sync searches window by window: the estimate is the sum over the windows searched so far, and
  grows as the others are searched.

The estimate goes out as the Airbyte protocol's `TRACE` message of type `ESTIMATE` (per stream, `row_estimate`),
from which the Airbyte UI draws its progress bar. The retriever yields the message among its records; the CDK emits
anything a retriever yields that is not a record through its message repository, in order with the records. For CLI
and PyAirbyte users, a stream also logs at INFO about every 30 s: records read of the estimate, rate, time left.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Dict, Hashable, List, Optional

from airbyte_cdk.models import (
    AirbyteEstimateTraceMessage,
    AirbyteMessage,
    AirbyteTraceMessage,
    EstimateType,
    TraceType,
    Type,
)

logger = logging.getLogger("airbyte")

LOG_EVERY_SECONDS = 30.0
# A new estimate is emitted when it moves by at least this share of the last one emitted.
REEMIT_CHANGE = 0.01


def estimate_message(stream: str, rows: int) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ESTIMATE,
            emitted_at=time.time() * 1000,
            estimate=AirbyteEstimateTraceMessage(name=stream, type=EstimateType.STREAM, row_estimate=rows),
        ),
    )


def distinct_share(values: List[Any]) -> float:
    """The share of distinct values among a page's ids (1.0 for an empty page)."""
    return len(set(values)) / len(values) if values else 1.0


class StreamProgress:
    """One stream's estimate and records read, shared by its partitions (thread-safe)."""

    def __init__(self, stream: str, clock: Callable[[], float] = time.monotonic, log_every: float = LOG_EVERY_SECONDS) -> None:
        self.stream = stream
        self._clock = clock
        self._log_every = log_every
        self._lock = threading.Lock()
        self._started: Optional[float] = None
        self._last_log = 0.0
        self._searched: Dict[Hashable, float] = {}  # per search (a slice) → its estimate
        self._ids = 0  # ids read by GET so far, and the records they became
        self._id_records = 0
        self._records = 0
        self._emitted: Optional[int] = None

    # -- estimates ----------------------------------------------------------------------------------------------
    def searched(self, key: Hashable, results_available: Any, share: float = 1.0) -> Optional[AirbyteMessage]:
        """A search (`key`: its slice) answered its first page: note its estimate; the message to emit, if any."""
        if not isinstance(results_available, int) or isinstance(results_available, bool) or results_available < 0:
            return None
        with self._lock:
            self._start()
            estimate = results_available * share
            # Several filters of one window search overlapping sets: the largest is the best guess for the window.
            self._searched[key] = max(self._searched.get(key, 0.0), estimate)
            return self._message_if_changed()

    def fetched(self, ids: int, records: int) -> Optional[AirbyteMessage]:
        """A detail GET for `ids` ids returned `records` records (counted as read too)."""
        with self._lock:
            self._ids += ids
            self._id_records += records
            message = self._message_if_changed()
        self.read(records)
        return message

    def read(self, records: int) -> None:
        """`records` more records were read; logs the progress line when it is due."""
        with self._lock:
            self._start()
            self._records += records
            now = self._clock()
            if now - self._last_log < self._log_every:
                return
            self._last_log = now
            line = self._progress_line(now)
        logger.info(line)

    @property
    def estimate(self) -> Optional[int]:
        with self._lock:
            return self._estimate()

    # -- inside the lock ----------------------------------------------------------------------------------------
    def _start(self) -> None:
        if self._started is None:
            self._started = self._last_log = self._clock()

    def _estimate(self) -> Optional[int]:
        if not self._searched:
            return None
        per_id = self._id_records / self._ids if self._ids else 1.0
        return round(sum(self._searched.values()) * per_id)

    def _message_if_changed(self) -> Optional[AirbyteMessage]:
        estimate = self._estimate()
        if estimate is None:
            return None
        if self._emitted is not None and abs(estimate - self._emitted) < max(1.0, REEMIT_CHANGE * self._emitted):
            return None
        first = self._emitted is None
        self._emitted = estimate
        if first:
            logger.info(f"Stream '{self.stream}': about {estimate:,} records to read (Brightpearl's search count).")
        return estimate_message(self.stream, estimate)

    def _progress_line(self, now: float) -> str:
        elapsed = max(now - (self._started if self._started is not None else now), 1e-9)
        rate = self._records / elapsed
        estimate = self._estimate()
        line = f"Stream '{self.stream}': {self._records:,} records read"
        if estimate:
            line += f" of about {estimate:,} ({min(self._records / estimate, 1.0):.0%})"
        line += f", {rate:,.0f} records/s"
        if estimate and rate > 0 and estimate > self._records:
            line += f", about {_duration((estimate - self._records) / rate)} left"
        return line + "."


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
