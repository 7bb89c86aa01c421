"""Run the real `source-brightpearl` console script as a subprocess, as a platform does, and read its messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence
from urllib.parse import quote, quote_plus

from source_brightpearl.resources import secret_keys

ROOT = Path(__file__).resolve().parents[1]


def connector_command() -> List[str]:
    """The installed console script next to this interpreter (falls back to the module)."""
    script = Path(sys.executable).with_name("source-brightpearl")
    if script.exists():
        return [str(script)]
    found = shutil.which("source-brightpearl")
    return [found] if found else [sys.executable, "-m", "source_brightpearl.run"]


@dataclass
class CliResult:
    command: str
    returncode: int
    stdout: str
    stderr: str
    messages: List[Dict[str, Any]] = field(default_factory=list)

    def of_type(self, message_type: str) -> List[Dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == message_type]

    @property
    def records(self) -> Dict[str, List[Dict[str, Any]]]:
        by_stream: Dict[str, List[Dict[str, Any]]] = {}
        for message in self.of_type("RECORD"):
            by_stream.setdefault(message["record"]["stream"], []).append(message["record"]["data"])
        return by_stream

    @property
    def emitted_configs(self) -> List[Dict[str, Any]]:
        return [m["control"]["connectorConfig"]["config"] for m in self.of_type("CONTROL")]

    @property
    def states(self) -> List[Dict[str, Any]]:
        return [m["state"] for m in self.of_type("STATE")]

    @property
    def connection_status(self) -> Optional[Dict[str, Any]]:
        statuses = [m["connectionStatus"] for m in self.of_type("CONNECTION_STATUS")]
        return statuses[-1] if statuses else None

    @property
    def errors(self) -> List[Dict[str, Any]]:
        return [m["trace"]["error"] for m in self.of_type("TRACE") if m["trace"].get("type") == "ERROR"]

    @property
    def catalog(self) -> Optional[Dict[str, Any]]:
        catalogs = [m["catalog"] for m in self.of_type("CATALOG")]
        return catalogs[-1] if catalogs else None

    def log_lines(self) -> List[str]:
        return [m["log"]["message"] for m in self.of_type("LOG")]

    def output_without_control(self) -> str:
        """Everything the connector printed except CONTROL messages: the only place tokens may travel."""
        lines = [line for line in self.stdout.splitlines() if '"type":"CONTROL"' not in line.replace(" ", "")]
        return "\n".join(lines) + "\n" + self.stderr


def run_connector(
    command: str,
    workdir: Path,
    config: Optional[Mapping[str, Any]] = None,
    catalog: Optional[Mapping[str, Any]] = None,
    state: Optional[Sequence[Mapping[str, Any]]] = None,
    timeout: float = 600,
    extra_args: Iterable[str] = (),
) -> CliResult:
    workdir.mkdir(parents=True, exist_ok=True)
    args = connector_command() + [command]
    for name, content in (("config", config), ("catalog", catalog), ("state", state)):
        if content is not None:
            path = workdir / f"{name}.json"
            path.write_text(json.dumps(content))
            args += [f"--{name}", str(path)]
    args += list(extra_args)
    completed = subprocess.run(
        args, cwd=workdir, capture_output=True, text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    messages = []
    for line in completed.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                messages.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    result = CliResult(command, completed.returncode, completed.stdout, completed.stderr, messages)
    _assert_no_secret_leaked(result, config)
    return result


SECRET_KEYS = tuple(sorted(secret_keys()))  # spec.json's `airbyte_secret` fields


def start_read(
    config: Mapping[str, Any], catalog: Mapping[str, Any], workdir: Path, stderr: int = subprocess.DEVNULL
) -> subprocess.Popen:
    """`read` started in the background (its config and catalog written to `workdir`), for tests that watch its
    output as it comes or stop it mid-way; stdout is a text pipe."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "config.json").write_text(json.dumps(config))
    (workdir / "catalog.json").write_text(json.dumps(catalog))
    return subprocess.Popen(
        connector_command() + ["read", "--config", "config.json", "--catalog", "catalog.json"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )


def _assert_no_secret_leaked(result: CliResult, config: Optional[Mapping[str, Any]]) -> None:
    """Every CLI run of the integration suite is scanned: the secrets it was given and the tokens it obtained may
    appear only inside CONTROL messages (issue: never lets a secret out)."""
    configs = ([dict(config)] if config else []) + result.emitted_configs
    secrets = [c.get(key) for c in configs for key in SECRET_KEYS if isinstance(c.get(key), str)]
    leaked = leaked_secrets(result.output_without_control(), secrets)
    assert not leaked, f"`source-brightpearl {result.command}` printed {len(leaked)} secret value(s) outside CONTROL messages"


def configured_catalog(
    discovered: Mapping[str, Any], streams: Optional[Iterable[str]] = None, sync_mode: str = "full_refresh"
) -> Dict[str, Any]:
    """A configured catalog for `streams` (all when None) built from a discover result; incremental where asked
    and the stream supports it, full refresh otherwise."""
    by_name = {stream["name"]: stream for stream in discovered["streams"]}
    configured = []
    for name in streams if streams is not None else list(by_name):
        stream = by_name[name]
        mode = sync_mode if sync_mode in stream.get("supported_sync_modes", []) else "full_refresh"
        entry: Dict[str, Any] = {
            "stream": stream,
            "sync_mode": mode,
            "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite",
        }
        if stream.get("source_defined_primary_key"):
            entry["primary_key"] = stream["source_defined_primary_key"]
        if mode == "incremental" and stream.get("default_cursor_field"):
            entry["cursor_field"] = stream["default_cursor_field"]
        configured.append(entry)
    return {"streams": configured}


def secret_forms(secrets: Iterable[Optional[str]]) -> List[str]:
    """Each secret as it could appear in output: raw and URL-encoded (tokens contain + / =)."""
    forms = set()
    for secret in secrets:
        if secret and len(secret) >= 6:
            forms.update({secret, quote(secret, safe=""), quote_plus(secret)})
    return sorted(forms)


def leaked_secrets(text: str, secrets: Iterable[Optional[str]]) -> List[str]:
    return [form for form in secret_forms(secrets) if form in text]
