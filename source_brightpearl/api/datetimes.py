"""Brightpearl date-times (docs/brightpearl.md, "Data type map"): ISO 8601 with milliseconds and the account's
display offset (`2022-01-26T10:39:46.000-06:00`), stored as UTC. Filters are sent in UTC with an explicit `Z`.

Dates a user or a platform hands us (`start_date`, a saved state's cursor) may be in any ISO 8601 form: a bare date,
`Z` or an offset with or without a colon, any number of fractional digits, the basic form without separators.
`datetime.fromisoformat` accepts all of these from Python 3.11 on, but 3.10's accepts only its own output format, so
`parse_datetime` falls back to a parser of its own: the same input gives the same moment on every Python.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

# The incremental windows' granularity (manifest.yaml `cursor_granularity: PT1S`).
WINDOW_END_PADDING = timedelta(seconds=1)
# The earliest date-time accepted from a config or a state: `strftime("%Y")` writes years before 1000 with fewer
# than four digits, which the CDK's cursor cannot read back; such a year is a typo in any case.
EARLIEST_YEAR = 1000

_ISO_8601 = re.compile(
    r"(?P<year>\d{4})-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"(?:[Tt ](?P<hour>\d{2})(?::?(?P<minute>\d{2})(?::?(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?"
    r"\s*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)


def parse_datetime(value: str) -> datetime:
    """An aware UTC datetime from ISO 8601 (`Z`, an offset, or none: naive values are taken as UTC).
    Raises ValueError for anything else."""
    text = value.strip()
    try:
        # The fast path: Brightpearl's own timestamps (one per record) always take it.
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _parse_iso_8601(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _parse_iso_8601(text: str) -> datetime:
    match = _ISO_8601.fullmatch(text)
    if not match:
        raise ValueError(f"not an ISO 8601 date-time: {text!r}")
    part = match.groupdict()
    fraction = (part["fraction"] or "0")[:6].ljust(6, "0")  # microseconds: extra digits are below Python's precision
    offset = part["offset"]
    tz = None
    if offset and offset in "Zz":
        tz = timezone.utc
    elif offset:
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        tz = timezone(delta if offset[0] == "+" else -delta)
    return datetime(
        int(part["year"]),
        int(part["month"]),
        int(part["day"]),
        int(part["hour"] or 0),
        int(part["minute"] or 0),
        int(part["second"] or 0),
        int(fraction),
        tzinfo=tz,
    )


def format_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_utc_millis(moment: datetime) -> str:
    # isoformat, not strftime: called once per record (syncCursor), and about three times faster.
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"
