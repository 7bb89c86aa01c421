"""The sandbox in its own process (`python -m sandbox --port 0 …`), so the API's CPU never shares
the connector's process or GIL, and its admin API (`/__sandbox/…`, see sandbox/admin.py).

    with SandboxProcess(["--scale", "20k"]) as sandbox:
        sandbox.config_with_tokens()       # connector config holding valid tokens
        sandbox.reset_counters(); …; sandbox.counters()

The first stdout line is the sandbox's connector config; the process is stopped with SIGTERM (then SIGKILL if it
does not go within `stop_timeout`) whatever happens, also when the benchmark is interrupted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import requests

ROOT = Path(__file__).resolve().parents[1]

# Every live sandbox of this process, so a signal handler can stop them all (see stop_all).
_LIVE: set[SandboxProcess] = set()


class SandboxError(RuntimeError):
    pass


class SandboxProcess:
    def __init__(
        self,
        args: Sequence[str],
        log_path: Path | None = None,
        start_timeout: float = 600.0,
        stop_timeout: float = 20.0,
    ) -> None:
        self.args = list(args)
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.process: subprocess.Popen | None = None
        self.first_config: dict[str, Any] = {}
        self.base_url = ""
        self.startup_seconds = 0.0
        self._admin = requests.Session()
        self._log = None

    # ----------------------------------------------------------------------------------------------- lifecycle
    def start(self) -> SandboxProcess:
        command = [sys.executable, "-m", "sandbox", "--port", "0", *self.args]
        self._log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=self._log)
        _LIVE.add(self)
        line = self._first_line()
        self.startup_seconds = time.perf_counter() - started
        try:
            self.first_config = orjson.loads(line)
        except orjson.JSONDecodeError:
            self.stop()
            raise SandboxError(f"the sandbox's first stdout line is not a JSON config: {line[:200]!r}") from None
        self.base_url = self.first_config["base_url"].rstrip("/")
        if not self.base_url.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
            self.stop()
            raise SandboxError(f"the sandbox is not on loopback: {self.base_url}")
        # Nothing else is expected on stdout, but never let a full pipe block the server.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _first_line(self) -> bytes:
        assert self.process is not None and self.process.stdout is not None
        box: list[bytes] = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not box or not box[0]:
            code = self.process.poll()
            self.stop()
            what = f"exited with {code}" if code is not None else f"printed nothing in {self.start_timeout:.0f} s"
            raise SandboxError(f"the sandbox ({' '.join(self.args)}) {what}; see {self.log_path or 'its stderr'}")
        return box[0]

    def _drain(self) -> None:
        process = self.process
        if process is not None and process.stdout is not None:
            for _ in process.stdout:
                pass

    def stop(self) -> None:
        process, self.process = self.process, None
        _LIVE.discard(self)
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                # A sandbox still building its world only notices SIGTERM once the world is built.
                process.kill()
                process.wait(10)
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
        self._log = None
        self._admin.close()

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def cpu_seconds(self) -> float | None:
        """The sandbox's user + system CPU so far (Linux /proc), to tell whether it was the bottleneck."""
        if self.process is None:
            return None
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    # ----------------------------------------------------------------------------------------------- admin API
    def _call(self, method: str, action: str, json_body: Any = None, params: dict | None = None) -> Any:
        response = self._admin.request(method, f"{self.base_url}/__sandbox/{action}", json=json_body, params=params, timeout=120)
        if response.status_code != 200:
            raise SandboxError(f"admin {method} {action}: HTTP {response.status_code} {response.text[:300]}")
        return response.json()

    def counters(self) -> dict[str, Any]:
        return self._call("GET", "counters")

    def reset_counters(self) -> None:
        self._call("POST", "reset-counters")

    def config_with_tokens(self) -> dict[str, Any]:
        return self._call("GET", "config", params={"with_tokens": "true"})

    def config_with_code(self) -> dict[str, Any]:
        return self._call("GET", "config")

    def set_options(self, **options: Any) -> dict[str, Any]:
        return self._call("POST", "options", json_body=options)

    def mutate(self, op: str, resource: str, record_id: int | None = None, **fields: Any) -> dict[str, Any]:
        command: dict[str, Any] = {"op": op, "resource": resource, "fields": fields}
        if record_id is not None:
            command["id"] = record_id
        return self._call("POST", "mutate", json_body=command)


def stop_all() -> None:
    for sandbox in list(_LIVE):
        sandbox.stop()
