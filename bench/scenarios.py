"""Full-sync scenarios at one scale, against one sandbox process.

A scenario is a row of `SCENARIOS`: which client (the connector CLI, or the raw client = the ceiling), which streams,
which sync mode, whether it starts from another scenario's final state, and what changes in the account before it
runs. Add a row to add a scenario. Scenarios that need incremental sync run only when `discover` says the stream
supports it.

The sandbox's throttle is lifted (cap 10^9) and the connector's `requests_per_minute` set to the spec's maximum, so
these runs measure the client, not Brightpearl's budget (the soak measures the budget; see soak.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.catalogs import configured, discover, supports_incremental
from bench.raw_client import RESOURCES, RawClient
from bench.runner import ClientRun, connector_command, raw_client_command, run_client
from bench.sandbox_process import SandboxProcess
from bench.streams import EndpointCost, StreamCost, StreamPlan, attribute, load_plans

UNTHROTTLED = ["--throttle-cap", "1000000000"]
MAX_REQUESTS_PER_MINUTE = 10_000  # spec.json's maximum for requests_per_minute


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    client: str  # "connector" | "raw"
    streams: tuple[str, ...] | None  # None = every stream discover lists
    sync_mode: str = "full_refresh"
    repeated: bool = False  # measured `repeat` times, interleaved with the other repeated ones; median reported
    needs_incremental: str | None = None  # skipped unless discover offers incremental for this stream
    state_from: str | None = None  # start from the final state of this scenario's run
    change_fraction: float = 0.0  # fraction of orders updated (admin API) just before the run


SCENARIOS: list[Scenario] = [
    Scenario("orders_raw", "orders — raw client (ceiling)", "raw", ("orders",), repeated=True),
    Scenario("orders_full", "orders — full refresh", "connector", ("orders",), repeated=True),
    Scenario("all_full", "all streams — full refresh", "connector", None),
    Scenario(
        "orders_incremental_first",
        "orders — incremental, first sync (no state)",
        "connector",
        ("orders",),
        sync_mode="incremental",
        needs_incremental="orders",
    ),
    Scenario(
        "orders_incremental_rerun",
        "orders — incremental re-run, 1% of orders changed",
        "connector",
        ("orders",),
        sync_mode="incremental",
        needs_incremental="orders",
        state_from="orders_incremental_first",
        change_fraction=0.01,
    ),
]


@dataclass
class ScenarioResult:
    scale: str
    scenario: Scenario
    runs: list[ClientRun] = field(default_factory=list)
    counters: list[dict[str, Any]] = field(default_factory=list)  # per run
    sandbox_cpu: list[float | None] = field(default_factory=list)  # per run
    stream_costs: list[StreamCost] = field(default_factory=list)
    endpoint_costs: list[EndpointCost] = field(default_factory=list)
    expected_records: int | None = None  # orders in the account, for orders-only full reads
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def median_index(self) -> int:
        walls = [run.wall_seconds for run in self.runs]
        return walls.index(statistics.median_low(walls))

    @property
    def run(self) -> ClientRun:
        return self.runs[self.median_index]

    @property
    def counter(self) -> dict[str, Any]:
        return self.counters[self.median_index]

    @property
    def api_requests(self) -> int:
        return int(self.counter.get("api_requests", 0))

    @property
    def floor(self) -> int:
        return sum(cost.floor for cost in self.stream_costs)

    @property
    def problems(self) -> list[str]:
        found = []
        for number, run in enumerate(self.runs, 1):
            if run.returncode != 0:
                found.append(f"run {number} exited with {run.returncode}: {run.stderr_tail(600)}")
            found += [f"run {number}: {error}" for error in run.errors]
            if self.expected_records is not None and run.records.get("orders", 0) != self.expected_records:
                found.append(f"run {number}: {run.records.get('orders', 0)} orders, expected {self.expected_records}")
        return found

    @property
    def ok(self) -> bool:
        return self.skipped is None and bool(self.runs) and not self.problems


@dataclass
class ScaleResult:
    scale: str
    sandbox_startup_seconds: float
    counts: dict[str, int]  # orders/products/contacts in the account
    results: list[ScenarioResult]

    def get(self, key: str) -> ScenarioResult | None:
        return next((r for r in self.results if r.scenario.key == key and r.skipped is None and r.runs), None)


def scale_args(scale: str) -> list[str]:
    """`20k` → --scale 20k; a plain number → --orders N (other counts in proportion)."""
    return ["--orders", scale] if scale.isdigit() else ["--scale", scale]


def _search_rows(client: RawClient, plans: dict[str, StreamPlan]) -> dict[str, int | None]:
    """resultsAvailable of each search-then-get stream's search (journal and goods-in searches have several rows
    per record). Asked before the counters are reset, so these requests are not charged to any run."""
    rows: dict[str, int | None] = {}
    for name, plan in plans.items():
        if plan.kind != "search_then_get" or not plan.search_path:
            continue
        params = {"pageSize": 1, "columns": plan.id_column, **plan.search_params}
        try:
            body = client.get(plan.search_path, params)
            rows[name] = int(body["response"]["metaData"]["resultsAvailable"])
        except (SystemExit, KeyError, TypeError, ValueError):
            rows[name] = None
    return rows


def run_scale(
    scale: str,
    workdir: Path,
    repeat: int,
    log: Callable[[str], None],
    scenarios: list[Scenario] | None = None,
) -> ScaleResult:
    scenarios = scenarios if scenarios is not None else SCENARIOS
    workdir.mkdir(parents=True, exist_ok=True)
    plans = load_plans()
    log(f"[{scale}] starting the sandbox ({' '.join(scale_args(scale))}) in its own process")
    with SandboxProcess(scale_args(scale) + UNTHROTTLED, log_path=workdir / "sandbox.log") as sandbox:
        log(f"[{scale}] sandbox up in {sandbox.startup_seconds:.1f} s at {sandbox.base_url}")
        config = sandbox.config_with_tokens()
        config["requests_per_minute"] = MAX_REQUESTS_PER_MINUTE
        config_path = workdir / "config.json"
        config_path.write_bytes(orjson.dumps(config))
        catalog = discover(config_path, workdir)
        client = RawClient(config)
        search_rows = _search_rows(client, plans)
        counts = {name: search_rows.get(name) or 0 for name in ("orders", "products", "contacts")}
        log(f"[{scale}] account: {counts['orders']} orders, {counts['products']} products, {counts['contacts']} contacts")

        # Warm-up: the sandbox serializes each record on its first read; read the orders once so neither the raw
        # client nor the connector pays that for the other.
        warm = run_client("warmup-raw", raw_client_command(config_path), workdir)
        log(f"[{scale}] warm-up read (raw client, cold sandbox): {warm.total_records} orders in {warm.wall_seconds:.1f} s")

        results = {s.key: ScenarioResult(scale, s) for s in scenarios}
        for s in scenarios:
            if s.needs_incremental and not supports_incremental(catalog, s.needs_incremental):
                results[s.key].skipped = f"discover lists no incremental sync for {s.needs_incremental}"
            if s.streams == ("orders",) and s.sync_mode == "full_refresh":
                results[s.key].expected_records = counts["orders"]
        order_ids: list[int] | None = None

        def measure(s: Scenario, number: int) -> None:
            nonlocal order_ids
            result = results[s.key]
            run_dir = workdir / s.key
            run_dir.mkdir(exist_ok=True)
            if s.change_fraction:
                if order_ids is None:
                    order_ids = [i for page in client.ids(RESOURCES["orders"]) for i in page]
                changes = max(1, round(len(order_ids) * s.change_fraction))
                step = max(1, len(order_ids) // changes)
                for record_id in order_ids[::step][:changes]:
                    sandbox.mutate("update", "order", record_id)
                result.notes.append(f"{changes} orders updated before the run")
            if s.client == "raw":
                command = raw_client_command(config_path, (s.streams or ("orders",))[0])
            else:
                names = list(s.streams) if s.streams else None
                catalog_path = run_dir / "catalog.json"
                catalog_path.write_bytes(orjson.dumps(configured(catalog, names, s.sync_mode)))
                command = connector_command() + ["read", "--config", str(config_path), "--catalog", str(catalog_path)]
                if s.state_from:
                    source = results.get(s.state_from)
                    if source is None or not source.runs:
                        result.skipped = f"no run of {s.state_from} to take the state from"
                        return
                    state_path = run_dir / "state.json"
                    state_path.write_bytes(orjson.dumps(list(source.run.states.values())))
                    command += ["--state", str(state_path)]
            sandbox.reset_counters()
            cpu_before = sandbox.cpu_seconds()
            run = run_client(f"{s.key}-{number}", command, run_dir)
            cpu_after = sandbox.cpu_seconds()
            result.runs.append(run)
            result.counters.append(sandbox.counters())
            result.sandbox_cpu.append(cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None)
            log(
                f"[{scale}] {s.title} (run {number}): {run.total_records} records in {run.wall_seconds:.1f} s "
                f"= {run.records_per_second:,.0f}/s, {result.counters[-1].get('api_requests')} requests, "
                f"exit {run.returncode}{', ERRORS' if run.errors else ''}"
            )

        runnable = [s for s in scenarios if results[s.key].skipped is None]
        repeated = [s for s in runnable if s.repeated]
        for number in range(1, max(1, repeat) + 1):
            for s in repeated:
                measure(s, number)
        for s in runnable:
            if not s.repeated and results[s.key].skipped is None:
                measure(s, 1)

        for s in runnable:
            result = results[s.key]
            if not result.runs:
                continue
            names = list(s.streams) if s.streams else [entry["name"] for entry in catalog["streams"]]
            # Windowed (incremental) reads search only their windows: their floor is counted from the records.
            rows = search_rows if s.sync_mode == "full_refresh" else {}
            result.stream_costs, result.endpoint_costs = attribute(
                plans, names, result.run.records, rows, result.counter.get("requests_by_endpoint", {})
            )
        return ScaleResult(scale, sandbox.startup_seconds, counts, [results[s.key] for s in scenarios])
