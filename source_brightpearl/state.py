"""Incoming state, checked before a sync resumes from it (issue: incremental sync that loses nothing).

Every incremental stream's state is `{"syncCursor": "<UTC date-time>"}`. A state that is malformed, or lies ahead
of the sync's start by more than a few minutes of clock skew, would make the sync skip data silently, so it stops the
sync with a message naming the stream and saying what to do. A state from another connector or an older layout (no
`syncCursor`) is ignored with a warning: that stream starts over from `start_date`, which re-reads but never skips.

A cursor in any other ISO 8601 form (`2024-06-01`, `…+02:00`, `….000-06:00`, a platform or a person may have written
it) is rewritten to the UTC form the CDK's cursor reads, before the CDK sees it: the CDK parses only the formats the
manifest lists and would fail on any other.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any, List, Mapping, Optional, Set

from airbyte_cdk.models import AirbyteStateBlob, AirbyteStateMessage, AirbyteStateType, FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.datetimes import EARLIEST_YEAR, format_utc_millis, parse_datetime

CURSOR = "syncCursor"
# Clock skew between the machine that saved a state and this one, which a state may show without being called "in
# the future". More than that is time a resumed sync would silently skip.
FUTURE_TOLERANCE = timedelta(minutes=5)
# The forms manifest.yaml's `cursor_datetime_formats` read (UTC, `Z`, with or without fractional seconds).
_CDK_CURSOR_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")


def _stream_state(message: AirbyteStateMessage) -> tuple:
    if message.type == AirbyteStateType.STREAM and message.stream:
        blob = message.stream.stream_state
        state = blob.__dict__ if blob is not None and hasattr(blob, "__dict__") else (blob or {})
        return message.stream.stream_descriptor.name, dict(state)  # type: ignore[arg-type]  # a mapping either way
    return None, None


def checked_state(
    state: Optional[List[AirbyteStateMessage]], incremental_streams: Set[str], logger: logging.Logger
) -> List[AirbyteStateMessage]:
    """The state messages the sync may resume from: foreign ones dropped (with a warning), bad ones refused."""
    kept: List[AirbyteStateMessage] = []
    for message in state or []:
        name, stream_state = _stream_state(message)
        if name is None:
            if message.type in (AirbyteStateType.GLOBAL, AirbyteStateType.LEGACY):
                logger.warning("Ignoring a global or legacy state message: this connector keeps one state per stream.")
                continue
            kept.append(message)
            continue
        if name not in incremental_streams or not stream_state:
            kept.append(message)
            continue
        if CURSOR not in stream_state:
            logger.warning(
                f"Stream '{name}': the saved state {sorted(stream_state)} is not this connector's (no '{CURSOR}'); "
                "starting this stream over from start_date. Nothing is skipped; records are read again."
            )
            continue
        cursor = _checked_cursor(name, stream_state[CURSOR])
        if cursor != stream_state[CURSOR]:
            logger.info(f"Stream '{name}': read the saved state's '{CURSOR}' {stream_state[CURSOR]!r} as {cursor}.")
            message.stream.stream_state = AirbyteStateBlob({**stream_state, CURSOR: cursor})  # type: ignore[union-attr]
        kept.append(message)
    return kept


def _checked_cursor(stream: str, value: Any) -> str:
    """The cursor in a form the CDK reads, or a config error saying why the state cannot be resumed from."""
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except (ValueError, OverflowError):
        moment = None
    if moment is None or moment.year < EARLIEST_YEAR:
        raise AirbyteTracedException(
            message=f"Stream '{stream}': the saved state has '{CURSOR}' = {repr(value)[:80]}, which is not a date-time (ISO 8601, year {EARLIEST_YEAR} or later). "
            "Reset this stream (or remove its state) to read it again from start_date.",
            internal_message=f"malformed state for {stream}",
            failure_type=FailureType.config_error,
        )
    now = datetime.now(timezone.utc)
    if moment > now + FUTURE_TOLERANCE:
        ahead = moment - now
        raise AirbyteTracedException(
            message=f"Stream '{stream}': the saved state '{CURSOR}' = {value} is in the future: {_duration(ahead)} ahead of "
            f"this machine's clock, more than the {_duration(FUTURE_TOLERANCE)} of clock difference allowed. Resuming from it would skip "
            "every change until then. Check the clock. Reset this stream (or remove its state) to read it again from start_date.",
            internal_message=f"future state for {stream}",
            failure_type=FailureType.config_error,
        )
    return value if _CDK_CURSOR_FORM.fullmatch(value) else format_utc_millis(moment)


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    hours = minutes // 60
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"


def incremental_stream_names(manifest: Mapping[str, Any]) -> Set[str]:
    return {stream["name"] for stream in manifest.get("streams", []) if stream.get("incremental_sync")}
