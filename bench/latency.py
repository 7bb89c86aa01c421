"""Latency: full syncs against a sandbox that answers slowly and caps requests, as Brightpearl does.

Brightpearl allows 200 requests per account per minute and takes a second or more to answer. Both are compressed
5× here so a run takes seconds: the sandbox allows 200 requests per 12 s window (`--throttle-cap 200
--throttle-window 12`), the connector is told the matching 1,000 requests a minute, and a 1 s answer becomes 200 ms
(`--latency-ms`, slept per request on its own server thread, so requests in flight overlap).

Each run is compared with the cap-bound ideal for the R requests it made: the first ceil(R/cap) − 1 windows full,
then the rest at the cap's rate, `(ceil(R/cap) − 1) × window + rest / (cap / window)`. No client can do better
without exceeding the cap. *Cap used* = requests served / (cap rate × wall time).

Rows with a variant (`bench/variant.py`) change one design choice of the connector, to show what it buys: the
choice of concurrency (CDK partitions, the request pool inside a stream, both, neither) and the 2-s spread of the
budget the connector used to have (dropped: see docs/performance.md).
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.catalogs import configured, discover
from bench.runner import ClientRun, connector_command, run_client
from bench.sandbox_process import SandboxProcess

COMPRESSION = 5
CAP = 200
WINDOW = 60.0 / COMPRESSION  # 12 s
REQUESTS_PER_MINUTE = CAP * COMPRESSION  # what the connector is told: the compressed cap, per real minute
ACCOUNT = ["--orders", "30000", "--products", "3000", "--contacts", "3000"]
EXPECTED = {"orders": 30_000, "products": 3_000, "contacts": 3_000}
CORE = ("orders", "products", "contacts")
# A sync under the cap: two entity streams and the reference lists (one GET each).
SMALL = (
    "products",
    "contacts",
    "warehouses",
    "brands",
    "categories",
    "seasons",
    "price_lists",
    "channels",
    "order_statuses",
    "order_types",
    "order_stock_statuses",
    "order_shipping_statuses",
    "shipping_methods",
    "nominal_codes",
    "tax_codes",
    "exchange_rates",
    "accounting_periods",
    "payment_methods",
    "lead_sources",
)
VARIANT_SCRIPT = Path(__file__).with_name("variant.py")
TARGET_RATIO = 1.15


@dataclass(frozen=True)
class LatencyRun:
    key: str
    title: str
    latency_ms: float  # compressed; × COMPRESSION / 1000 = the real-scale latency in seconds
    streams: tuple[str, ...]
    variant: str | None = None  # None = the connector as shipped
    sync_mode: str = "full_refresh"
    repeated: bool = False  # median of `repeat` runs (the target rows)
    target: bool = False

    @property
    def equivalent_seconds(self) -> float:
        return self.latency_ms * COMPRESSION / 1000.0


LATENCY_RUNS: list[LatencyRun] = [
    LatencyRun("latency_1s", "orders + products + contacts", 200, CORE, repeated=True, target=True),
    LatencyRun("latency_2s", "orders + products + contacts", 400, CORE, repeated=True, target=True),
    LatencyRun("latency_2s_incremental", "orders, incremental first sync", 400, ("orders",), sync_mode="incremental"),
    LatencyRun("latency_2s_spread", "orders + products + contacts", 400, CORE, "spread"),
    LatencyRun("latency_2s_pipeline_only", "orders + products + contacts", 400, CORE, "pipeline_only"),
    LatencyRun("latency_2s_cdk_only", "orders + products + contacts", 400, CORE, "cdk_only"),
    LatencyRun("latency_2s_one_at_a_time", "orders + products + contacts", 400, CORE, "one_at_a_time"),
    LatencyRun("small_sync_1s", "small sync (products, contacts, reference lists)", 200, SMALL),
    LatencyRun("small_sync_1s_spread", "small sync (products, contacts, reference lists)", 200, SMALL, "spread"),
    LatencyRun("small_sync_2s", "small sync (products, contacts, reference lists)", 400, SMALL),
    LatencyRun("small_sync_2s_spread", "small sync (products, contacts, reference lists)", 400, SMALL, "spread"),
]


def ideal_seconds(requests: int, cap: int = CAP, window: float = WINDOW) -> float:
    """The cap-bound ideal for `requests`: full windows, then the rest at the cap's rate."""
    if requests <= 0:
        return 0.0
    full = math.ceil(requests / cap) - 1
    return full * window + (requests - full * cap) / (cap / window)


@dataclass
class LatencyMeasurement:
    run: ClientRun
    served: int
    throttled: int
    max_in_flight: int

    @property
    def ideal(self) -> float:
        return ideal_seconds(self.served)

    @property
    def ratio(self) -> float | None:
        return self.run.wall_seconds / self.ideal if self.ideal else None

    @property
    def cap_used(self) -> float | None:
        return self.served / (CAP / WINDOW * self.run.wall_seconds) if self.run.wall_seconds else None


@dataclass
class LatencyResult:
    spec: LatencyRun
    measurements: list[LatencyMeasurement] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> LatencyMeasurement:
        walls = [m.run.wall_seconds for m in self.measurements]
        return self.measurements[walls.index(statistics.median_low(walls))]

    @property
    def ok(self) -> bool:
        return bool(self.measurements) and not self.problems


def _command(spec: LatencyRun) -> list[str]:
    if spec.variant is None:
        return connector_command()
    return [sys.executable, str(VARIANT_SCRIPT), spec.variant]


def run_latency(
    specs: list[LatencyRun], workdir: Path, repeat: int, log: Callable[[str], None]
) -> tuple[list[LatencyResult], dict[str, Any]]:
    workdir.mkdir(parents=True, exist_ok=True)
    args = ACCOUNT + ["--throttle-cap", "1000000000"]
    log(f"[latency] sandbox {' '.join(args)}")
    results = [LatencyResult(spec) for spec in specs]
    with SandboxProcess(args, log_path=workdir / "sandbox.log") as sandbox:
        config = sandbox.config_with_tokens()
        config["requests_per_minute"] = REQUESTS_PER_MINUTE
        config_path = workdir / "config.json"
        config_path.write_bytes(orjson.dumps(config))
        catalog = discover(config_path, workdir)
        catalogs: dict[tuple[tuple[str, ...], str], Path] = {}
        for spec in specs:
            if (spec.streams, spec.sync_mode) not in catalogs:
                path = workdir / f"catalog-{len(catalogs)}.json"
                path.write_bytes(orjson.dumps(configured(catalog, list(spec.streams), spec.sync_mode)))
                catalogs[(spec.streams, spec.sync_mode)] = path

        def read_command(spec: LatencyRun) -> list[str]:
            catalog_path = catalogs[(spec.streams, spec.sync_mode)]
            return _command(spec) + ["read", "--config", str(config_path), "--catalog", str(catalog_path)]

        # Warm-up, unthrottled and without latency: the sandbox serializes each record on its first read.
        warm_streams = tuple(sorted({name for spec in specs for name in spec.streams}))
        warm_catalog = workdir / "catalog-warm.json"
        warm_catalog.write_bytes(orjson.dumps(configured(catalog, list(warm_streams))))
        warm_config = workdir / "config-warm.json"
        warm_config.write_bytes(orjson.dumps({**config, "requests_per_minute": 10_000}))
        warm = run_client(
            "warmup", connector_command() + ["read", "--config", str(warm_config), "--catalog", str(warm_catalog)], workdir
        )
        log(f"[latency] warm-up read: {warm.total_records} records in {warm.wall_seconds:.1f} s")

        def measure(result: LatencyResult, number: int) -> None:
            spec = result.spec
            # A fresh throttle window for every run (changing the cap restarts the windows at a random phase).
            sandbox.set_options(throttle_cap=1_000_000_000, latency_ms=0)
            sandbox.set_options(throttle_cap=CAP, throttle_window=WINDOW, latency_ms=spec.latency_ms)
            sandbox.reset_counters()
            run = run_client(f"{spec.key}-{number}", read_command(spec), workdir / spec.key, collect_ids_of="orders")
            counters = sandbox.counters()
            sandbox.set_options(throttle_cap=1_000_000_000, latency_ms=0)
            throttled = int(counters.get("throttled", 0))
            measurement = LatencyMeasurement(
                run, int(counters.get("api_requests", 0)) - throttled, throttled, int(counters.get("max_in_flight", 0))
            )
            result.measurements.append(measurement)
            if run.returncode != 0 or run.errors:
                result.problems.append(f"run {number}: exit {run.returncode} {'; '.join(run.errors[:2])}")
            for name in spec.streams:
                expected = EXPECTED.get(name)
                if expected is not None and run.records.get(name, 0) != expected:
                    result.problems.append(f"run {number}: {run.records.get(name, 0)} {name}, expected {expected}")
            if "orders" in spec.streams and run.ids is not None and len(run.ids) != run.records.get("orders", 0):
                result.problems.append(f"run {number}: {run.records.get('orders', 0) - len(run.ids)} orders emitted twice")
            log(
                f"[latency] {spec.key} (run {number}): {run.total_records} records, {measurement.served} requests "
                f"({throttled} × 503, at most {measurement.max_in_flight} in flight) in {run.wall_seconds:.1f} s; "
                f"ideal {measurement.ideal:.1f} s (× {measurement.ratio or 0:.2f}); exit {run.returncode}"
            )

        for number in range(1, max(1, repeat) + 1):
            for result in results:
                if result.spec.repeated or number == 1:
                    measure(result, number)
        account = {"sandbox_startup_seconds": sandbox.startup_seconds}
    return results, account
