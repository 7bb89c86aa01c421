"""A stream slice's time window, as searched: UTC bounds and Brightpearl PERIOD filters."""

from __future__ import annotations

from datetime import datetime
from typing import Dict, Optional, Tuple

from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.datetimes import WINDOW_END_PADDING, format_utc, parse_datetime

Window = Tuple[Optional[datetime], Optional[datetime]]


def window_bounds(stream_slice: Optional[StreamSlice]) -> Window:
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


def searched_window(stream_slice: Optional[StreamSlice], now: datetime) -> Window:
    """The window as it will be searched at `now` (the moment before its first search is sent): `window_bounds`,
    its end never later than `now` in whole seconds (PERIOD filters are sent in whole seconds).

    The last window of a sync ends at the sync's start, and the padding puts its end up to a second later: searching
    that far would let `syncCursor` (capped at the window's end) and so the state run ahead of what was searched, and
    a change landing in between would never be read. A window whose start is later than `now` is empty: its end
    comes out before its start.
    """
    start, end = window_bounds(stream_slice)
    if end is not None:
        end = min(end, now.replace(microsecond=0))
    return start, end


def is_empty(window: Window) -> bool:
    start, end = window
    return start is not None and end is not None and end < start


def window_params(bounds: Window, filter_name: Optional[str]) -> Dict[str, str]:
    start, end = bounds
    if not filter_name or (start is None and end is None):
        return {}
    # PERIOD filters are `from/to`, sent in UTC with an explicit Z; the `/` stays raw.
    return {filter_name: f"{format_utc(start) if start else ''}/{format_utc(end) if end else ''}"}
