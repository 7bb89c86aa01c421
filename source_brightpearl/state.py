"""Incoming state, checked before a sync resumes from it (issue: incremental sync that loses nothing).

Every incremental stream's state is `{"syncCursor": "<UTC date-time>"}`. A state that is malformed, or lies in the
future, would make the sync skip data silently, so it stops the sync with a message saying what to do. A state
from another connector or an older layout (no `syncCursor`) is ignored with a warning: that stream starts over from
`start_date`, which re-reads but never skips.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any, List, Mapping, Optional, Set

from airbyte_cdk.models import AirbyteStateMessage, AirbyteStateType, FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.datetimes import parse_datetime

CURSOR = "syncCursor"
# Clock skew between the platform and Brightpearl that a state may show without being called "in the future".
FUTURE_TOLERANCE = timedelta(hours=1)


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
        _check_cursor(name, stream_state[CURSOR])
        kept.append(message)
    return kept


def _check_cursor(stream: str, value: Any) -> None:
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise AirbyteTracedException(
            message=f"Stream '{stream}': the saved state has '{CURSOR}' = {value!r}, which is not a date-time. "
            "Reset this stream (or remove its state) to read it again from start_date.",
            internal_message=f"malformed state for {stream}",
            failure_type=FailureType.config_error,
        )
    if moment > datetime.now(timezone.utc) + FUTURE_TOLERANCE:
        raise AirbyteTracedException(
            message=f"Stream '{stream}': the saved state '{CURSOR}' = {value} is in the future; resuming from it would "
            "skip every change until then. Reset this stream (or remove its state) to read it again from start_date.",
            internal_message=f"future state for {stream}",
            failure_type=FailureType.config_error,
        )


def incremental_stream_names(manifest: Mapping[str, Any]) -> Set[str]:
    return {stream["name"] for stream in manifest.get("streams", []) if stream.get("incremental_sync")}
