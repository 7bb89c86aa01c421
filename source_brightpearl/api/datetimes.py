"""Brightpearl date-times (PROTOCOL.md §9): ISO 8601 with milliseconds and the account's display offset
(`2022-01-26T10:39:46.000-06:00`), stored as UTC. Filters are sent in UTC with an explicit `Z`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# The incremental windows' granularity (manifest.yaml `cursor_granularity: PT1S`).
WINDOW_END_PADDING = timedelta(seconds=1)


def parse_datetime(value: str) -> datetime:
    """An aware UTC datetime from ISO 8601 with `Z` or an offset (naive values are taken as UTC)."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_utc_millis(moment: datetime) -> str:
    # isoformat, not strftime: called once per record (syncCursor), and about three times faster.
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"
