"""What the benchmark ran on: CPU, cores, RAM, load, Python, airbyte-cdk, the commit."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from bench.runner import connector_command

ROOT = Path(__file__).resolve().parents[1]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def describe() -> dict[str, str]:
    ram = _ram_gib()
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain")
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count() or "?"),
        "ram": f"{ram:.1f} GiB" if ram else "?",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "airbyte_cdk": _version("airbyte-cdk"),
        "connector": _version("airbyte-source-brightpearl"),
        "commit": (commit + (" + uncommitted changes" if dirty else "")) if commit else "unknown",
        "load_before": load_average(),
    }


def time_spec(repeats: int) -> list[float]:
    """Wall seconds of `source-brightpearl spec`, one per run."""
    times = []
    with tempfile.TemporaryDirectory(prefix="bench-spec-") as workdir:
        for _ in range(repeats):
            started = time.perf_counter()
            completed = subprocess.run(connector_command() + ["spec"], cwd=workdir, capture_output=True, timeout=120, check=False)
            elapsed = time.perf_counter() - started
            if completed.returncode != 0 or b'"type":"SPEC"' not in completed.stdout:
                raise RuntimeError(f"`source-brightpearl spec` failed: {completed.stderr[-1000:]!r}")
            times.append(elapsed)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)
