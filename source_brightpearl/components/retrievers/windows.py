"""A stream slice's time window, as searched: UTC bounds and Brightpearl PERIOD filters."""

from __future__ import annotations

from datetime import datetime
from typing import Dict, Optional, Tuple

from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.datetimes import WINDOW_END_PADDING, format_utc, parse_datetime


def window_bounds(stream_slice: Optional[StreamSlice]) -> Tuple[Optional[datetime], Optional[datetime]]:
    """The slice's time window as UTC datetimes, its end widened by the cursor granularity (one second).

    The CDK's windows are [start, next_start - 1 s]; Brightpearl's PERIOD filters are inclusive at both ends and
    its timestamps have milliseconds, so searching up to `end + 1 s` (the next window's start) leaves no gap
    between windows. A record on the boundary instant is read twice, never missed.
    """
    if not stream_slice:
        return None, None
    start, end = stream_slice.get("start_time"), stream_slice.get("end_time")
    if not start and not end:
        return None, None
    return (parse_datetime(start) if start else None, parse_datetime(end) + WINDOW_END_PADDING if end else None)


def window_params(bounds: Tuple[Optional[datetime], Optional[datetime]], filter_name: Optional[str]) -> Dict[str, str]:
    start, end = bounds
    if not filter_name or (start is None and end is None):
        return {}
    # PERIOD filters are `from/to` (PROTOCOL.md §7), sent in UTC with an explicit Z; the `/` stays raw.
    return {filter_name: f"{format_utc(start) if start else ''}/{format_utc(end) if end else ''}"}
