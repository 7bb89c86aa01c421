"""The benchmark report: markdown for docs/performance.md (and stdout), JSON for machines.

docs/performance.md may hold sections written by others (e.g. "Sandbox speed"). The benchmark owns only the text
between its two markers and leaves everything else as it is: the first run appends its section to the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.latency import CAP, COMPRESSION, REQUESTS_PER_MINUTE, TARGET_RATIO, WINDOW, LatencyResult
from bench.scenarios import ScaleResult, ScenarioResult
from bench.soak import SoakResult

BEGIN = "<!-- bench:begin — written by `make bench` (bench/report.py); edit bench/, not this section -->"
END = "<!-- bench:end -->"
TITLE = "# Performance"

# Targets (issue "As fast as the API allows: benchmarks").
THROUGHPUT_RATIO_TARGET = 0.6
FLOOR_RATIO_TARGET = 1.05
PEAK_RSS_TARGET_MIB = 200
CAP_USED_TARGET = 0.90
MAX_THROTTLED_PER_WINDOW = 5
SPEC_SECONDS_TARGET = 1.5


@dataclass
class Target:
    name: str
    measured: str
    passed: bool | None  # None = could not be measured


@dataclass
class Report:
    machine: dict[str, str]
    options: dict[str, Any]
    scales: list[ScaleResult] = field(default_factory=list)
    soaks: list[SoakResult] = field(default_factory=list)
    latency: list[LatencyResult] = field(default_factory=list)
    latency_info: dict[str, Any] = field(default_factory=dict)
    spec_seconds: list[float] = field(default_factory=list)
    total_seconds: float = 0.0

    # ------------------------------------------------------------------------------------------------ targets
    def targets(self) -> list[Target]:
        found: list[Target] = []
        for scale in self.scales:
            connector, raw = scale.get("orders_full"), scale.get("orders_raw")
            if connector and raw and raw.run.records_per_second:
                ratio = connector.run.records_per_second / raw.run.records_per_second
                measured = f"{ratio:.2f} ({connector.run.records_per_second:,.0f} vs {raw.run.records_per_second:,.0f} records/s"
                steady_connector, steady_raw = connector.run.steady_records_per_second, raw.run.steady_records_per_second
                if steady_connector and steady_raw:
                    measured += f"; from first record to last {steady_connector / steady_raw:.2f}"
                measured += ")"
                raw_cpu = raw.sandbox_cpu[raw.median_index]
                if raw_cpu is not None and raw.run.wall_seconds and raw_cpu / raw.run.wall_seconds > 0.5:
                    measured += (
                        f"; the raw client was held back by the sandbox (busy {raw_cpu / raw.run.wall_seconds:.0%} "
                        "of its run), so this ratio flatters the connector"
                    )
                found.append(
                    Target(
                        f"orders throughput, connector / raw client ≥ {THROUGHPUT_RATIO_TARGET} ({scale.scale})",
                        measured,
                        ratio >= THROUGHPUT_RATIO_TARGET and connector.ok and raw.ok,
                    )
                )
            if connector and connector.stream_costs:
                actual = sum(cost.requests for cost in connector.stream_costs)
                floor = connector.floor
                found.append(
                    Target(
                        f"orders full refresh requests ≤ {FLOOR_RATIO_TARGET} × floor ({scale.scale})",
                        f"{actual:.0f} vs floor {floor} (+{connector.api_requests - actual:.0f} account check)",
                        round(actual) <= FLOOR_RATIO_TARGET * floor,
                    )
                )
        peaks = [(scale.scale, scale.get("orders_full")) for scale in self.scales]
        peaks = [(name, result) for name, result in peaks if result is not None]
        if peaks:
            largest_name, largest = peaks[-1]
            rss = largest.run.max_rss_kib / 1024
            measured = ", ".join(f"{name}: {result.run.max_rss_kib / 1024:,.0f} MiB" for name, result in peaks)
            flat = len(peaks) < 2 or rss <= 1.25 * (peaks[0][1].run.max_rss_kib / 1024)
            found.append(
                Target(
                    f"orders full refresh peak RSS ≤ {PEAK_RSS_TARGET_MIB} MiB and flat (largest ≤ 1.25 × smallest scale)",
                    measured,
                    rss <= PEAK_RSS_TARGET_MIB and flat,
                )
            )
        for result in self.latency:
            if result.spec.target and result.measurements:
                m = result.median
                found.append(
                    Target(
                        f"sync time ≤ {TARGET_RATIO} × the cap-bound ideal, {result.spec.equivalent_seconds:g} s-equivalent latency",
                        f"{m.ratio:.2f} ({m.run.wall_seconds:.1f} s vs ideal {m.ideal:.1f} s for {m.served} requests; "
                        f"{_pct(m.cap_used)} of the cap used)",
                        m.ratio is not None and m.ratio <= TARGET_RATIO and result.ok,
                    )
                )
        for soak in self.soaks:
            if not soak.spec.faults:
                used = soak.cap_used
                found.append(
                    Target(
                        f"throttle soak: ≤ {MAX_THROTTLED_PER_WINDOW} rejected requests (503) per throttle window",
                        f"at most {soak.max_throttled_per_window} in one window; {soak.throttled} in all",
                        soak.max_throttled_per_window <= MAX_THROTTLED_PER_WINDOW and bool(soak.reads),
                    )
                )
                found.append(
                    Target(
                        f"throttle soak: ≥ {CAP_USED_TARGET:.0%} of the cap used, zero failures",
                        f"{_pct(used)} used, {soak.throttled} × 503, {soak.failed_reads} failed of {len(soak.reads)} reads",
                        used is not None and used >= CAP_USED_TARGET and soak.failed_reads == 0 and bool(soak.reads),
                    )
                )
            else:
                found.append(
                    Target(
                        "fault soak (5% faults): every read completes with every id",
                        f"{soak.complete_reads} of {len(soak.reads)} reads complete ({soak.expected_ids} ids each); "
                        f"faults {_faults(soak.faults)}",
                        soak.failed_reads == 0 and bool(soak.reads),
                    )
                )
        if self.spec_seconds:
            median = _median(self.spec_seconds)
            found.append(
                Target(
                    f"`spec` wall time, median of {len(self.spec_seconds)} < {SPEC_SECONDS_TARGET} s",
                    f"{median:.2f} s",
                    median < SPEC_SECONDS_TARGET,
                )
            )
        return found

    # ------------------------------------------------------------------------------------------------ markdown
    def markdown(self) -> str:
        m = self.machine
        out: list[str] = [
            "## Benchmarks",
            "",
            "Measured by `make bench` (`.venv/bin/python -m bench`; options: `--scales 20k,100k`, `--soak-minutes N`, "
            "`--repeat N`, `--only KEYS`, `--quick`, `--no-write`; see `bench/__init__.py`). The connector runs as its real CLI "
            "(`source-brightpearl read`), the sandbox API in a separate process; nothing leaves 127.0.0.1.",
            "",
            f"- Date: {m['date']}; commit {m['commit']}; total benchmark time {self.total_seconds / 60:.1f} min",
            f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}; load average before "
            f"{m['load_before']}, after {m.get('load_after', '?')} (1/5/15 min)",
            f"- Python {m['python']}, airbyte-cdk {m['airbyte_cdk']}, source-brightpearl {m['connector']}",
        ]
        if self.options.get("quick"):
            out.append("- **Quick mode** (tiny data, seconds): a smoke run, not a measurement.")
        out += ["", "### Targets", "", "| target | measured | result |", "|---|---|---|"]
        for target in self.targets():
            verdict = "n/a" if target.passed is None else ("**pass**" if target.passed else "**FAIL**")
            out.append(f"| {target.name} | {target.measured} | {verdict} |")
        if self.scales:
            out += self._full_syncs()
        for scale in self.scales:
            out += self._per_stream(scale)
        if self.latency:
            out += self._latency()
        if self.soaks:
            out += self._soaks()
        if self.spec_seconds:
            out += [
                "",
                "### `spec`",
                "",
                f"Wall time of `source-brightpearl spec` (process start to exit), {len(self.spec_seconds)} runs: "
                + ", ".join(f"{s:.2f}" for s in self.spec_seconds)
                + f" s; median {_median(self.spec_seconds):.2f} s.",
            ]
        out += self._method()
        return "\n".join(out) + "\n"

    def _full_syncs(self) -> list[str]:
        out = [
            "",
            "### Full syncs",
            "",
            "Median of the repeated runs (raw client and `orders` full refresh: "
            f"{self.options.get('repeat', 1)} runs each, interleaved); other scenarios run once. *records/s* counts "
            "the whole process (start-up included); *steady* is from the first record to the last. *CPU* is the "
            "client process's user + system time; *sandbox CPU* the API server's during the run: near 100% of the wall "
            "time, the sandbox, not the client, set the pace (the raw client waits for each response before the next "
            "request, so its wall time is roughly its CPU plus the sandbox's).",
            "",
            "| scale | scenario | records | wall s | records/s | steady rec/s | CPU µs/record | peak RSS MiB | "
            "API requests | floor | actual/floor | sandbox CPU s (% of wall) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for scale in self.scales:
            for result in scale.results:
                out.append(self._scenario_row(scale, result))
        notes = [
            f"{scale.scale} / {r.scenario.key}: " + "; ".join(r.notes) for scale in self.scales for r in scale.results if r.notes
        ]
        problems = [f"{scale.scale} / {r.scenario.key}: " + p for scale in self.scales for r in scale.results for p in r.problems]
        if notes or problems:
            out.append("")
            out += [f"- {note}" for note in notes]
            out += [f"- **problem** {p}" for p in problems]
        ranges = []
        for scale in self.scales:
            for result in scale.results:
                if len(result.runs) > 1:
                    rates = [run.records_per_second for run in result.runs]
                    ranges.append(f"{scale.scale} {result.scenario.key}: {min(rates):,.0f}–{max(rates):,.0f} records/s")
        if ranges:
            out += ["", "Spread of repeated runs: " + "; ".join(ranges) + "."]
        starts = ", ".join(f"{s.scale} {s.sandbox_startup_seconds:.1f} s" for s in self.scales)
        out += ["", f"Sandbox start-up (world generation, not part of any run): {starts}."]
        return out

    def _scenario_row(self, scale: ScaleResult, result: ScenarioResult) -> str:
        title = result.scenario.title
        if result.skipped:
            return f"| {scale.scale} | {title} | skipped: {result.skipped} |" + " |" * 10
        if not result.runs:
            return f"| {scale.scale} | {title} | not run |" + " |" * 10
        run = result.run
        steady = run.steady_records_per_second
        cpu = result.sandbox_cpu[result.median_index]
        ratio = result.api_requests / result.floor if result.floor else None
        flag = "" if result.ok else " ⚠"
        busy = f" ({cpu / run.wall_seconds:.0%})" if cpu is not None and run.wall_seconds else ""
        return (
            f"| {scale.scale} | {title}{flag} | {run.total_records:,} | {run.wall_seconds:.1f} | "
            f"{run.records_per_second:,.0f} | {_num(steady, '{:,.0f}')} | {_num(run.cpu_us_per_record, '{:,.0f}')} | "
            f"{run.max_rss_kib / 1024:,.0f} | {result.api_requests:,} | {result.floor:,} | {_num(ratio, '{:.2f}')} | "
            f"{_num(cpu, '{:.1f}')}{busy} |"
        )

    def _per_stream(self, scale: ScaleResult) -> list[str]:
        result = scale.get("all_full")
        if not result or not result.stream_costs:
            return []
        out = [
            "",
            f"### Requests per stream — all streams, {scale.scale}",
            "",
            "Requests to endpoints shared by several streams (product-search) are split in proportion to their floors; "
            "the exact per-endpoint counts follow.",
            "",
            "| stream | records | requests | per 1,000 records | floor | actual/floor |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for cost in sorted(result.stream_costs, key=lambda c: (-c.records, c.stream)):
            out.append(
                f"| {cost.stream} | {cost.records:,} | {cost.requests:,.1f} | {_num(cost.per_1000_records, '{:.2f}')} | "
                f"{cost.floor:,} | {_num(cost.ratio, '{:.2f}')} |"
            )
        total_records = sum(c.records for c in result.stream_costs)
        out.append(
            f"| **total** | {total_records:,} | {result.api_requests:,} (incl. account check) | "
            f"{result.api_requests / total_records * 1000 if total_records else 0:.2f} | {result.floor:,} | "
            f"{_num(result.api_requests / result.floor if result.floor else None, '{:.2f}')} |"
        )
        over = [e for e in result.endpoint_costs if e.requests != e.floor]
        out += ["", "| endpoint | streams | requests | floor |", "|---|---|---:|---:|"]
        for cost in sorted(result.endpoint_costs, key=lambda e: -e.requests):
            if cost.requests > 1 or cost in over:
                marker = " ⚠" if cost in over else ""
                out.append(f"| `{cost.endpoint}`{marker} | {', '.join(cost.streams)} | {cost.requests:,} | {cost.floor:,} |")
        singles = sum(1 for e in result.endpoint_costs if e.requests <= 1 and e not in over)
        out.append(f"| {singles} other endpoints, 1 request each (at floor) | | {singles} | {singles} |")
        return out

    def _latency(self) -> list[str]:
        out = [
            "",
            "### Latency: concurrent reads under the cap",
            "",
            f"Brightpearl's cap and latency compressed {COMPRESSION}×: the sandbox allows {CAP} requests per "
            f"{WINDOW:g} s window and sleeps the latency on each request's own thread; the connector is told "
            f"`requests_per_minute` = {REQUESTS_PER_MINUTE} and runs with its default `num_workers`. Account: 30,000 "
            "orders, 3,000 products, 3,000 contacts. *Equivalent* = the latency at real scale. *Ideal* = the cap-bound "
            f"time for the requests made: (ceil(R/{CAP}) − 1) × {WINDOW:g} s + rest / ({CAP}/{WINDOW:g} s). *Cap used* = "
            "requests served / (cap rate × wall time). Wall time is the whole process, start-up included (≈ 0.7 s). "
            "Rows with a variant change one choice of the connector (`bench/variant.py`). Target rows: median of the "
            "repeated runs.",
            "",
            "| run | variant | latency (equivalent) | records | requests | 503s | most in flight | wall s | ideal s | "
            "wall / ideal | cap used | peak RSS MiB |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for result in self.latency:
            spec = result.spec
            if not result.measurements:
                out.append(f"| {spec.title} | {spec.variant or 'shipped'} | not run |" + " |" * 9)
                continue
            m = result.median
            flag = "" if result.ok else " ⚠"
            mode = ", incremental" if spec.sync_mode == "incremental" else ""
            out.append(
                f"| {spec.title}{mode}{flag} | {spec.variant or 'shipped'} | {spec.latency_ms:g} ms ({spec.equivalent_seconds:g} s) | "
                f"{m.run.total_records:,} | {m.served:,} | {m.throttled} | {m.max_in_flight} | {m.run.wall_seconds:.1f} | "
                f"{m.ideal:.1f} | {_num(m.ratio, '{:.2f}')} | {_pct(m.cap_used)} | {m.run.max_rss_kib / 1024:,.0f} |"
            )
        spreads = [
            f"{r.spec.key}: {min(m.run.wall_seconds for m in r.measurements):.1f}–{max(m.run.wall_seconds for m in r.measurements):.1f} s"
            for r in self.latency
            if len(r.measurements) > 1
        ]
        if spreads:
            out += ["", "Spread of repeated runs: " + "; ".join(spreads) + "."]
        problems = [f"{r.spec.key}: {p}" for r in self.latency for p in r.problems]
        out += [f"\n- **problem** {p}" for p in problems]
        return out

    def _soaks(self) -> list[str]:
        out = [
            "",
            "### Throttle soak",
            "",
            "Full reads of `orders`, back to back until the time is up, against a sandbox throttled to *cap* requests "
            "per *window* (a compressed Brightpearl window) with `requests_per_minute` set to the same rate. "
            "*Cap used* = requests served (quota spent, not 503) / (cap × windows elapsed), connector start-ups "
            "between reads included; *while reading* counts, in each read, only the span from its first served request to its last (the counters "
            "are polled every 0.25 s): the pacing inside a read, without the connector's start-up.",
            "",
            "| soak | scale | cap / window | minutes | reads (complete) | requests served | 503s (most in a window) | faults injected | "
            "cap used | while reading | failed reads |",
            "|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
        ]
        for soak in self.soaks:
            out.append(
                f"| {soak.spec.title} | {soak.scale} ({soak.expected_ids:,} orders) | {soak.cap} / {soak.window:g} s "
                f"({soak.requests_per_minute}/min) | {soak.elapsed_seconds / 60:.1f} | {len(soak.reads)} ({soak.complete_reads}) | "
                f"{soak.served:,} | {soak.throttled:,} ({soak.max_throttled_per_window}) | {_faults(soak.faults)} | {_pct(soak.cap_used)} | "
                f"{_pct(soak.cap_used_while_reading)} | {soak.failed_reads} |"
            )
        for soak in self.soaks:
            for problem in soak.read_problems[:10]:
                out.append(f"\n- **{soak.spec.key}** {problem}")
        return out

    def _method(self) -> list[str]:
        return [
            "",
            "### How it is measured",
            "",
            "- The sandbox (`python -m sandbox --port 0 --scale …`) runs in its own process and is "
            "stopped with SIGTERM at the end. Full syncs lift its throttle (cap 10⁹) and set `requests_per_minute` to "
            "the spec's maximum (10,000), so they measure the client, not Brightpearl's 200/min budget. Before the "
            "measured runs, one raw-client read warms the sandbox's per-record serialization cache.",
            "- Each client runs under `bench/child.py`, a wrapper with a single child: wall time, CPU and peak RSS "
            "(`getrusage(RUSAGE_CHILDREN)`) are the client's own. Its stdout is piped to a counter that counts RECORD "
            "lines per stream and keeps none.",
            "- The raw client (`bench/raw_client.py`) is the ceiling: requests.Session + orjson, the same search pages "
            "(`columns=orderId`, `pageSize=500`) and id-set GETs (≤200 ids as ranges, `includeOptional=customFields,"
            "nullCustomFields`), writing the same RECORD lines, single-threaded, nothing else.",
            "- Requests come from the sandbox's counters (`GET /__sandbox/counters`, reset before each run). The floor "
            "is ceil(rows/500) search pages + ceil(ids/200) GETs per search-then-get stream, ceil(rows/500) per "
            "search-only stream, one GET per reference list; rows = the search's `resultsAvailable` (journal and "
            "goods-in searches have several rows per record), ids = records read (searched ids for product prices and "
            "availability). Incremental runs search only their windows, so their floor counts rows = records.",
            "- The machine may be shared; the load averages above say how busy it was. Compare ratios rather than "
            "absolute rates across machines.",
            "- Where the connector's CPU goes: `.venv/bin/python -m bench.profile --scale 100k` (py-spy samples of a "
            "full `orders` read, connector and raw client, split into cost groups; `pip install py-spy` first).",
        ]

    # ------------------------------------------------------------------------------------------------ json
    def as_json(self) -> dict[str, Any]:
        def run_dict(result: ScenarioResult) -> dict[str, Any]:
            if not result.runs:
                return {"scenario": result.scenario.key, "client": result.scenario.client, "skipped": result.skipped}
            run = result.run
            return {
                "scenario": result.scenario.key,
                "client": result.scenario.client,
                "title": result.scenario.title,
                "records": dict(run.records),
                "total_records": run.total_records,
                "wall_seconds": run.wall_seconds,
                "records_per_second": run.records_per_second,
                "steady_records_per_second": run.steady_records_per_second,
                "cpu_seconds": run.cpu_seconds,
                "cpu_us_per_record": run.cpu_us_per_record,
                "max_rss_kib": run.max_rss_kib,
                "api_requests": result.api_requests,
                "floor": result.floor,
                "runs": len(result.runs),
                "ok": result.ok,
                "problems": result.problems,
                "requests_by_endpoint": result.counter.get("requests_by_endpoint", {}),
                "streams": [
                    {"stream": c.stream, "records": c.records, "requests": c.requests, "floor": c.floor}
                    for c in result.stream_costs
                ],
            }

        return {
            "machine": self.machine,
            "options": self.options,
            "scales": [
                {
                    "scale": s.scale,
                    "counts": s.counts,
                    "sandbox_startup_seconds": s.sandbox_startup_seconds,
                    "scenarios": [run_dict(r) for r in s.results],
                }
                for s in self.scales
            ],
            "latency": [
                {
                    "run": r.spec.key,
                    "variant": r.spec.variant,
                    "latency_ms": r.spec.latency_ms,
                    "problems": r.problems,
                    "measurements": [
                        {
                            "wall_seconds": m.run.wall_seconds,
                            "requests": m.served,
                            "throttled": m.throttled,
                            "max_in_flight": m.max_in_flight,
                            "ideal_seconds": m.ideal,
                            "ratio": m.ratio,
                            "cap_used": m.cap_used,
                            "max_rss_kib": m.run.max_rss_kib,
                            "records": dict(m.run.records),
                        }
                        for m in r.measurements
                    ],
                }
                for r in self.latency
            ],
            "soaks": [
                {
                    "soak": s.spec.key,
                    "scale": s.scale,
                    "reads": len(s.reads),
                    "failed_reads": s.failed_reads,
                    "read_problems": s.read_problems,
                    "served": s.served,
                    "throttled": s.throttled,
                    "faults": s.faults,
                    "cap_used": s.cap_used,
                    "cap_used_while_reading": s.cap_used_while_reading,
                    "elapsed_seconds": s.elapsed_seconds,
                    "expected_ids": s.expected_ids,
                }
                for s in self.soaks
            ],
            "spec_seconds": self.spec_seconds,
            "targets": [{"name": t.name, "measured": t.measured, "passed": t.passed} for t in self.targets()],
        }


def write_section(path: Path, section: str) -> None:
    """Put `section` between the markers in `path`, keeping everything outside them (others' sections)."""
    block = f"{BEGIN}\n{section.rstrip()}\n{END}\n"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{TITLE}\n\n{block}", encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    begin, end = text.find(BEGIN), text.find(END)
    if begin >= 0 and end > begin:
        rest = text[end + len(END) :].lstrip("\n")
        text = text[:begin] + block + ("\n" + rest if rest else "")
        if not text.endswith("\n"):
            text += "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _num(value: float | None, fmt: str) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt.format(value)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _faults(faults: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(faults.items())) or "none"
