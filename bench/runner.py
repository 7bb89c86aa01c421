"""Run one client (the connector CLI or the raw client) as a child process and count what it writes.

stdout is piped into a counter that counts RECORD lines per stream without keeping them (optionally collecting the
primary keys of one stream, to prove a read had every id); STATE, CONTROL and error TRACE messages are kept (they
are few). Cost figures come from bench/child.py, a wrapper with a single child: wall time, CPU, peak RSS.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).with_name("child.py")
RECORD_PREFIX = b'{"type":"RECORD"'
STREAM_KEY = b'"stream":"'


def connector_command() -> list[str]:
    """The installed console script next to this interpreter, as a platform runs it."""
    script = Path(sys.executable).with_name("source-brightpearl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "source_brightpearl.run"]


def raw_client_command(config_path: Path, stream: str = "orders") -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("raw_client.py")), "--config", str(config_path), "--stream", stream]


@dataclass
class ClientRun:
    label: str
    command: list[str]
    returncode: int = -1
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    max_rss_kib: float = 0.0
    records: Counter = field(default_factory=Counter)
    first_record_seconds: float | None = None
    last_record_seconds: float | None = None
    states: dict[str, Any] = field(default_factory=dict)  # last STATE per stream (its `state` object)
    errors: list[str] = field(default_factory=list)  # error TRACE messages
    warnings: list[str] = field(default_factory=list)  # WARN/ERROR/FATAL log lines
    control_messages: int = 0
    ids: set | None = None  # primary keys of `collect_ids_of`, when asked
    stderr_path: Path | None = None

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def records_per_second(self) -> float:
        return self.total_records / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def steady_records_per_second(self) -> float | None:
        """From the first RECORD to the last: the rate once start-up is over."""
        if self.first_record_seconds is None or self.last_record_seconds is None:
            return None
        span = self.last_record_seconds - self.first_record_seconds
        return self.total_records / span if span >= 1.0 else None  # shorter spans are one burst, not a rate

    @property
    def cpu_us_per_record(self) -> float | None:
        return self.cpu_seconds / self.total_records * 1e6 if self.total_records else None

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.errors

    def stderr_tail(self, chars: int = 2000) -> str:
        if self.stderr_path and self.stderr_path.exists():
            return self.stderr_path.read_text(errors="replace")[-chars:]
        return ""


def run_client(
    label: str,
    command: Sequence[str],
    workdir: Path,
    collect_ids_of: str | None = None,
    id_field: str = "id",
    timeout: float = 3600.0,
) -> ClientRun:
    """Run `command` under the rusage wrapper with stdout piped to the counter; blocks until it exits."""
    import subprocess

    workdir.mkdir(parents=True, exist_ok=True)
    result_path = workdir / f"{label}.rusage.json"
    stderr_path = workdir / f"{label}.stderr"
    run = ClientRun(label=label, command=list(command), stderr_path=stderr_path)
    if collect_ids_of:
        run.ids = set()
    wrapper = [sys.executable, str(CHILD), str(result_path), "--", *command]
    started = time.perf_counter()
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(wrapper, cwd=workdir, stdout=subprocess.PIPE, stderr=stderr, bufsize=1 << 20)
        try:
            _count(process.stdout, run, started, collect_ids_of, id_field)
            process.wait(timeout)
        except BaseException:
            process.kill()
            process.wait()
            raise
    if result_path.exists():
        usage = orjson.loads(result_path.read_bytes())
        run.returncode = usage["returncode"]
        run.wall_seconds = usage["wall_seconds"]
        run.cpu_seconds = usage["user_seconds"] + usage["system_seconds"]
        run.max_rss_kib = usage["max_rss_kib"]
    else:
        run.returncode = process.returncode
        run.wall_seconds = time.perf_counter() - started
    return run


def _count(stdout, run: ClientRun, started: float, collect_ids_of: str | None, id_field: str) -> None:
    records = run.records
    ids = run.ids
    wanted = collect_ids_of.encode() if collect_ids_of else None
    first_seen = False
    for line in stdout:
        if line.startswith(RECORD_PREFIX):
            run.last_record_seconds = time.perf_counter() - started
            if not first_seen:
                run.first_record_seconds = run.last_record_seconds
                first_seen = True
            start = line.find(STREAM_KEY)
            if start < 0:
                records["?"] += 1
                continue
            start += len(STREAM_KEY)
            stream = line[start : line.index(b'"', start)]
            records[stream] += 1
            if stream == wanted and ids is not None:
                ids.add(orjson.loads(line)["record"]["data"].get(id_field))
            continue
        _other_message(line, run)
    # Stream names were counted as bytes (cheap); the report wants text.
    decoded = Counter({(k.decode() if isinstance(k, bytes) else k): v for k, v in records.items()})
    run.records = decoded


def _other_message(line: bytes, run: ClientRun) -> None:
    if not line.startswith(b"{"):
        return
    try:
        message = orjson.loads(line)
    except orjson.JSONDecodeError:
        return
    kind = message.get("type")
    if kind == "STATE":
        state = message.get("state") or {}
        name = ((state.get("stream") or {}).get("stream_descriptor") or {}).get("name", "?")
        state.pop("sourceStats", None)
        run.states[name] = state
    elif kind == "CONTROL":
        run.control_messages += 1
    elif kind == "TRACE":
        trace = message.get("trace") or {}
        if trace.get("type") == "ERROR":
            run.errors.append(str((trace.get("error") or {}).get("message")))
    elif kind == "LOG":
        log = message.get("log") or {}
        if log.get("level") in ("WARN", "ERROR", "FATAL") and len(run.warnings) < 50:
            run.warnings.append(f"{log.get('level')}: {str(log.get('message'))[:300]}")
