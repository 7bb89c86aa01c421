"""Throttle soak: full reads of `orders`, back to back until the time is up, against a sandbox with a compressed
throttle window (default 20 requests per 2 s, i.e. 600/min) and the connector's `requests_per_minute` set to the
same rate. Measures how much of the cap the connector uses, how many 503s it provokes, and whether every read
completes with every order id. The fault variant adds 500s, Cloudflare HTML 502s and dropped connections.

Cap used = requests served (quota spent and not answered 503) / (cap x windows elapsed), over the whole soak,
connector start-ups between reads included. "While reading" counts, in each read, only the span from its first
served request to its last (to the 0.25 s polling precision): the pacing inside a read, without start-ups.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.catalogs import configured, discover
from bench.raw_client import RESOURCES, RawClient
from bench.runner import ClientRun, connector_command, run_client
from bench.sandbox_process import SandboxProcess
from bench.scenarios import scale_args

POLL_SECONDS = 0.25


@dataclass(frozen=True)
class SoakSpec:
    key: str
    title: str
    faults: tuple[tuple[str, float], ...] = ()  # sandbox CLI flag → rate


SOAKS = [
    SoakSpec("soak", "throttle soak"),
    SoakSpec(
        "soak_faults", "throttle soak with 5% faults", (("--fault-500", 0.03), ("--fault-html-502", 0.01), ("--fault-drop", 0.01))
    ),
]


@dataclass
class SoakResult:
    spec: SoakSpec
    scale: str
    minutes: float
    cap: int
    window: float
    requests_per_minute: int
    expected_ids: int = 0
    elapsed_seconds: float = 0.0
    reads: list[ClientRun] = field(default_factory=list)
    read_problems: list[str] = field(default_factory=list)
    counters: dict[str, Any] = field(default_factory=dict)
    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds, requests served so far)
    throttle_samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds, 503s so far)
    read_spans: list[tuple[float, float]] = field(default_factory=list)  # (start, end) of each read, seconds

    @staticmethod
    def served_of(counters: dict[str, Any]) -> int:
        faults = counters.get("faults") or {}
        return (
            int(counters.get("api_requests", 0))
            - int(counters.get("throttled", 0))
            - int(faults.get("drop", 0))
            - int(faults.get("html_502", 0))
        )

    @property
    def served(self) -> int:
        return self.served_of(self.counters)

    @property
    def windows_elapsed(self) -> float:
        return self.elapsed_seconds / self.window if self.window else 0.0

    @property
    def cap_used(self) -> float | None:
        return self.served / (self.cap * self.windows_elapsed) if self.windows_elapsed else None

    @property
    def cap_used_while_reading(self) -> float | None:
        """Within each read, from the sample before its first served request to the sample of its last one: the
        pacing of a running read, without the connector's start-up and shut-down."""
        active_seconds = 0.0
        active_served = 0
        for start, end in self.read_spans:
            inside = [(t, s) for t, s in self.samples if start <= t <= end]
            before = [(t, s) for t, s in self.samples if t < start]
            points = before[-1:] + inside
            rises = [i for i in range(1, len(points)) if points[i][1] > points[i - 1][1]]
            if not rises:
                continue
            first, last = points[rises[0] - 1], points[rises[-1]]
            active_seconds += last[0] - first[0]
            active_served += last[1] - first[1]
        return active_served / (self.cap * active_seconds / self.window) if active_seconds else None

    @property
    def max_throttled_per_window(self) -> int:
        """The most 503s within any span of one window (from the counters polled every 0.25 s, so a span may reach
        a quarter-second past a window: an upper bound)."""
        most = 0
        samples = self.throttle_samples
        for i, (start, before) in enumerate(samples):
            for end, after in samples[i:]:
                if end - start > self.window + POLL_SECONDS:
                    break
                most = max(most, after - before)
        return most

    @property
    def throttled(self) -> int:
        return int(self.counters.get("throttled", 0))

    @property
    def faults(self) -> dict[str, int]:
        return dict(self.counters.get("faults") or {})

    @property
    def failed_reads(self) -> int:
        return len(self.read_problems)

    @property
    def complete_reads(self) -> int:
        return len(self.reads) - self.failed_reads


def run_soak(
    spec: SoakSpec,
    scale: str,
    minutes: float,
    workdir: Path,
    log: Callable[[str], None],
    cap: int = 20,
    window: float = 2.0,
) -> SoakResult:
    workdir.mkdir(parents=True, exist_ok=True)
    requests_per_minute = round(cap * 60 / window)
    result = SoakResult(spec, scale, minutes, cap, window, requests_per_minute)
    args = scale_args(scale) + ["--throttle-cap", str(cap), "--throttle-window", str(window)]
    for flag, rate in spec.faults:
        args += [flag, str(rate)]
    log(f"[{spec.key}] sandbox {' '.join(args)}; connector requests_per_minute={requests_per_minute}")
    with SandboxProcess(args, log_path=workdir / "sandbox.log") as sandbox:
        config = sandbox.config_with_tokens()
        config["requests_per_minute"] = requests_per_minute
        config_path = workdir / "config.json"
        config_path.write_bytes(orjson.dumps(config))
        catalog_path = workdir / "catalog.json"
        catalog_path.write_bytes(orjson.dumps(configured(discover(config_path, workdir), ["orders"])))
        expected = {i for page in RawClient(config).ids(RESOURCES["orders"]) for i in page}
        result.expected_ids = len(expected)
        command = connector_command() + ["read", "--config", str(config_path), "--catalog", str(catalog_path)]

        sandbox.reset_counters()
        stop = threading.Event()
        started = time.perf_counter()

        def poll() -> None:
            while not stop.is_set():
                try:
                    snapshot = sandbox.counters()
                except Exception:  # noqa: BLE001 - a missed sample only coarsens the figure
                    snapshot = None
                if snapshot is not None:
                    now = time.perf_counter() - started
                    result.samples.append((now, SoakResult.served_of(snapshot)))
                    result.throttle_samples.append((now, int(snapshot.get("throttled", 0))))
                stop.wait(POLL_SECONDS)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        deadline = started + minutes * 60
        try:
            while True:
                number = len(result.reads) + 1
                read_started = time.perf_counter() - started
                run = run_client(f"read-{number}", command, workdir / "reads", collect_ids_of="orders", id_field="id")
                result.read_spans.append((read_started, time.perf_counter() - started))
                result.reads.append(run)
                problems = []
                if run.returncode != 0:
                    problems.append(f"exit {run.returncode}")
                problems += run.errors[:3]
                got = run.ids or set()
                missing = len(expected - got)
                duplicates = run.records.get("orders", 0) - len(got)
                if missing:
                    problems.append(f"{missing} of {len(expected)} order ids missing")
                if problems:
                    result.read_problems.append(f"read {number}: " + "; ".join(problems))
                log(
                    f"[{spec.key}] read {number}: {len(got)}/{len(expected)} ids ({duplicates} duplicates) in "
                    f"{run.wall_seconds:.1f} s, exit {run.returncode}{' — ' + '; '.join(problems) if problems else ''}"
                )
                if time.perf_counter() >= deadline:
                    break
        finally:
            result.elapsed_seconds = time.perf_counter() - started
            stop.set()
            poller.join(5)
            result.counters = sandbox.counters()
            result.counters.pop("ids_per_get", None)
            result.samples.append((result.elapsed_seconds, SoakResult.served_of(result.counters)))
    log(
        f"[{spec.key}] {len(result.reads)} reads in {result.elapsed_seconds:.0f} s: {result.served} served, "
        f"{result.throttled} throttled (503), faults {result.faults}, cap used {100 * (result.cap_used or 0):.1f}%"
    )
    return result
