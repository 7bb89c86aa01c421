"""The CDK half of the console entry point: check | discover | read (and spec when asked with other arguments).

Input files are read and the config validated before the CDK sees them, so problems get a message naming the field
instead of a traceback. The CDK's entry point then runs on the same prepared config (config.py `prepared_config`)
rather than reading the file again. Config errors (rejected credentials, unknown account, bad state) are reported
the same way.

Output goes through `WholeLines` (whole lines only, also on SIGTERM). A failed read ends with the CDK's summary
error ("During the sync, the following streams did not sync successfully: …"), which the CDK always types as a
config error. Airbyte's platform records every error trace of a sync as a failure reason, and a connection with any
config-error reason shows as needing the user's attention, so the summary takes the type of the stream failures it
sums up: a config error only if a stream failed for the config, else a system error if the connector failed, else
a transient error (docs/brightpearl.md, "Troubleshooting", says where this was found).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import Any, Callable, List, Optional, Set

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
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
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.config import config_problems, prepared_config
from source_brightpearl.resources import load_manifest
from source_brightpearl.source import SourceBrightpearl
from source_brightpearl.whole_lines import WholeLines

# How the CDK's summary of a failed read starts (airbyte_cdk.exception_handler.generate_failed_streams_error_message).
CDK_READ_SUMMARY = "During the sync, the following streams did not sync successfully"
# Whose problem a read's failure is, most pressing first: the user must act > the connector is wrong > retry later.
FAILURE_PRECEDENCE = (FailureType.config_error, FailureType.system_error, FailureType.transient_error)


def _print(message: AirbyteMessage) -> None:
    print(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode(), flush=True)


def _trace(text: str, failure_type: FailureType, internal: Optional[str] = None) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ERROR,
            emitted_at=time.time() * 1000,
            error=AirbyteErrorTraceMessage(message=text, internal_message=internal or text, failure_type=failure_type),
        ),
    )


def _reject_config(command: str, problems: List[str], prefix: str = "Invalid configuration: ") -> None:
    """Report an unusable config the way a platform expects: a FAILED status for check, a config-error trace
    otherwise. No traceback, no secret values."""
    text = prefix + " ".join(problems)
    if command == "check":
        _print(
            AirbyteMessage(
                type=Type.CONNECTION_STATUS, connectionStatus=AirbyteConnectionStatus(status=Status.FAILED, message=text)
            )
        )
        return
    _print(_trace(text, FailureType.config_error))


def _load(command: str, what: str, loader: Callable[[str], Any], path: Optional[str]) -> Any:
    """Read one of the command's input files, or report why it is unusable (no traceback)."""
    if not path:
        return None
    try:
        return loader(path)
    except RecursionError:
        _reject_config(command, [f"Could not read the {what} file {path}: it is nested too deeply to be a {what}."], prefix="")
    except (OSError, ValueError, TypeError) as error:
        # The messages of these errors name the file and the JSON problem, never the file's content.
        _reject_config(command, [f"Could not read the {what} file {path}: {error}"], prefix="")
    sys.exit(0 if command == "check" else 1)


def _unknown_streams_problem(catalog: Any) -> Optional[str]:
    """A catalog that selects streams, none of which this connector has, would read nothing and exit 0."""
    selected = [configured.stream.name for configured in getattr(catalog, "streams", None) or []]
    known = {stream["name"] for stream in load_manifest().get("streams", [])}
    if selected and not known.intersection(selected):
        return (
            f"The catalog selects no stream this connector has ({', '.join(sorted(set(selected)))}). Run `discover` and "
            "configure the catalog from the streams it lists."
        )
    return None


class StreamFailures:
    """The failure types of the stream errors a read emitted (error traces naming a stream)."""

    def __init__(self) -> None:
        self.types: Set[FailureType] = set()

    def observe(self, line: str) -> None:
        if not line.startswith('{"type":"TRACE"'):
            return
        error = orjson.loads(line).get("trace", {}).get("error") or {}
        if error.get("stream_descriptor") and error.get("failure_type"):
            self.types.add(FailureType(error["failure_type"]))

    def most_pressing(self, default: FailureType) -> FailureType:
        return next((kind for kind in FAILURE_PRECEDENCE if kind in self.types), default)


def run_command(args: List[str]) -> None:
    parsed = AirbyteEntrypoint.parse_args(args)
    command = getattr(parsed, "command", "")
    config = _load(command, "config", SourceBrightpearl.read_config, getattr(parsed, "config", None))
    catalog = _load(command, "catalog", SourceBrightpearl.read_catalog, getattr(parsed, "catalog", None))
    state = _load(command, "state", SourceBrightpearl.read_state, getattr(parsed, "state", None))
    if command in ("check", "discover", "read") and config is not None:
        problems = config_problems(config)
        if problems:
            _reject_config(command, problems)
            sys.exit(0 if command == "check" else 1)
        config = prepared_config(config)
    if command == "read" and catalog is not None:
        problem = _unknown_streams_problem(catalog)
        if problem:
            _reject_config(command, [problem], prefix="")
            sys.exit(1)
    failures = StreamFailures()
    try:
        source = SourceBrightpearl(catalog=catalog, config=config, state=state, config_path=getattr(parsed, "config", None))
        if config is not None:
            # The entry point would read and validate the raw file again; it gets the config every component sees.
            source.read_config = lambda _path: config  # type: ignore[method-assign, assignment]
        # The CDK's import leaves a large heap of long-lived objects; freezing it keeps the garbage collector from
        # re-scanning it on every collection during the read (measured: response parsing 2.4x faster). The entry
        # point (run.py) disabled collection for the import; from here on it runs as usual.
        gc.freeze()
        gc.enable()
        entrypoint = AirbyteEntrypoint(source)
        with WholeLines() as output:
            output.take_over_log_handlers(PRINT_BUFFER)
            for line in entrypoint.run(parsed):
                failures.observe(line)
                output.write(line + "\n")
    except BrokenPipeError:
        # The reader of stdout (the platform or destination) went away. The CDK's worker threads are not daemons
        # and would keep the process alive: exit at once, nothing more can be delivered.
        os._exit(1)
    except AirbyteTracedException as error:
        if command == "read" and (error.message or "").startswith(CDK_READ_SUMMARY):
            failure_type = failures.most_pressing(default=error.failure_type or FailureType.system_error)
            _print(_trace(error.message or "", failure_type, internal=f"Read failed: {sorted(t.value for t in failures.types)}"))
            sys.exit(1)
        if error.failure_type != FailureType.config_error:
            raise  # the CDK reports it, with its stack trace, as a system or transient error
        # A config error (rejected credentials, unknown account) is the user's to fix: the message, not a stack trace.
        _reject_config(command, [error.message or str(error)], prefix="")
        sys.exit(1)
