"""Console entry point `source-brightpearl` (spec | check | discover | read)."""

from __future__ import annotations

import sys
import time
from typing import List, Optional

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint, launch
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteErrorTraceMessage,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteTraceMessage,
    FailureType,
    Status,
    TraceType,
    Type,
)

from source_brightpearl.config_checks import config_problems
from source_brightpearl.source import SourceBrightpearl


def _print(message: AirbyteMessage) -> None:
    print(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode(), flush=True)


def _reject_config(command: str, problems: List[str]) -> None:
    """Report an unusable config the way a platform expects: a FAILED status for check, a config-error trace
    otherwise. No traceback, no secret values."""
    text = "Invalid configuration: " + " ".join(problems)
    if command == "check":
        _print(AirbyteMessage(type=Type.CONNECTION_STATUS, connectionStatus=AirbyteConnectionStatus(status=Status.FAILED, message=text)))
        return
    _print(
        AirbyteMessage(
            type=Type.TRACE,
            trace=AirbyteTraceMessage(
                type=TraceType.ERROR,
                emitted_at=time.time() * 1000,
                error=AirbyteErrorTraceMessage(message=text, internal_message=text, failure_type=FailureType.config_error),
            ),
        )
    )


def run(args: Optional[List[str]] = None) -> None:
    args = sys.argv[1:] if args is None else args
    parsed = AirbyteEntrypoint.parse_args(args)
    command = getattr(parsed, "command", None)
    config_path = getattr(parsed, "config", None)
    config = AirbyteEntrypoint.extract_config(args) if config_path else None
    if command in ("check", "discover", "read") and config is not None:
        problems = config_problems(config)
        if problems:
            _reject_config(command, problems)
            sys.exit(0 if command == "check" else 1)
    catalog = AirbyteEntrypoint.extract_catalog(args) if getattr(parsed, "catalog", None) else None
    state = AirbyteEntrypoint.extract_state(args) if getattr(parsed, "state", None) else None
    source = SourceBrightpearl(catalog=catalog, config=config, state=state, config_path=config_path)
    launch(source, args)


if __name__ == "__main__":
    run()
