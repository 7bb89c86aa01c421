"""`python -m bench`: run the scenarios, the soaks and the spec timing; print the report and write it to
docs/performance.md (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import atexit
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

import orjson

from bench import machine
from bench.latency import LATENCY_RUNS, run_latency
from bench.report import Report, write_section
from bench.sandbox_process import stop_all
from bench.scenarios import SCENARIOS, run_scale
from bench.soak import SOAKS, run_soak

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "docs" / "performance.md"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scales",
        default="20k,100k",
        help="comma-separated sandbox scales (tiny, small, 20k, 100k, 200k) or order counts (default 20k,100k)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the raw client and of the orders full refresh per scale; the median is reported (default 3)",
    )
    parser.add_argument(
        "--no-latency", dest="latency", action="store_false", help="skip the latency runs (compressed cap and latency)"
    )
    parser.add_argument("--soak-minutes", type=float, default=3.0, help="throttle soak length; 0 skips the soaks (default 3)")
    parser.add_argument("--fault-minutes", type=float, default=None, help="fault soak length (default: --soak-minutes)")
    parser.add_argument("--soak-scale", default="20k", help="sandbox scale of the soaks (default 20k)")
    parser.add_argument("--spec-runs", type=int, default=5, help="runs of `source-brightpearl spec` (default 5)")
    parser.add_argument(
        "--quick", action="store_true", help="tiny data and short soaks, done in seconds (a smoke run; never written to the docs)"
    )
    parser.add_argument("--no-write", action="store_true", help="print the report only; leave docs/performance.md alone")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the markdown file to update")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated keys of what to run: scenarios (e.g. orders_raw,orders_full), latency runs (e.g. "
        "latency_1s,latency_2s, or `latency` for all), soaks (soak, soak_faults), spec; implies --no-write",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working directory (configs, catalogs, logs)")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales = "small"
        args.repeat = 1
        args.soak_minutes = min(args.soak_minutes, 0.05)
        args.fault_minutes = min(args.fault_minutes if args.fault_minutes is not None else args.soak_minutes, 0.05)
        args.soak_scale = "small"
        args.spec_runs = min(args.spec_runs, 2)
        args.latency = False  # the compressed cap needs tens of seconds per run
        args.no_write = True
    if args.only:
        args.no_write = True  # a partial report must not replace the full one in the docs
    if args.fault_minutes is None:
        args.fault_minutes = args.soak_minutes
    return args


def _log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def _on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)
    workdir = Path(tempfile.mkdtemp(prefix="source-brightpearl-bench-"))
    started = time.perf_counter()
    info = machine.describe()
    options = {
        "scales": args.scales,
        "repeat": args.repeat,
        "soak_minutes": args.soak_minutes,
        "fault_minutes": args.fault_minutes,
        "soak_scale": args.soak_scale,
        "spec_runs": args.spec_runs,
        "quick": args.quick,
        "only": args.only,
        "latency": args.latency,
    }
    keys = {key.strip() for key in args.only.split(",") if key.strip()}
    if "latency" in keys:
        keys = (keys - {"latency"}) | {run.key for run in LATENCY_RUNS}
    known = [s.key for s in SCENARIOS] + [r.key for r in LATENCY_RUNS] + [s.key for s in SOAKS] + ["spec"]
    unknown = keys - set(known)
    if unknown:
        print(f"unknown key(s): {', '.join(sorted(unknown))}; known: {', '.join(known)}, latency", file=sys.stderr)
        return 2
    scenarios = [s for s in SCENARIOS if s.key in keys] if keys else None
    latency_runs = [r for r in LATENCY_RUNS if r.key in keys] if keys else (list(LATENCY_RUNS) if args.latency else [])
    soaks = [s for s in SOAKS if s.key in keys] if keys else SOAKS
    report = Report(machine=info, options=options)
    _log(f"benchmark: {options}; working directory {workdir}")
    failed = False
    try:
        if scenarios is None or scenarios:
            for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
                report.scales.append(run_scale(scale, workdir / f"scale-{scale}", args.repeat, _log, scenarios))
        if latency_runs:
            report.latency, report.latency_info = run_latency(latency_runs, workdir / "latency", args.repeat, _log)
        if args.soak_minutes > 0:
            for spec in soaks:
                minutes = args.fault_minutes if spec.faults else args.soak_minutes
                if minutes > 0:
                    report.soaks.append(run_soak(spec, args.soak_scale, minutes, workdir / spec.key, _log))
        if args.spec_runs > 0 and (not keys or "spec" in keys):
            report.spec_seconds = machine.time_spec(args.spec_runs)
            _log(f"spec: {', '.join(f'{s:.2f}' for s in report.spec_seconds)} s")
    except KeyboardInterrupt:
        _log("interrupted; stopping the sandbox")
        stop_all()
        return 130
    except Exception:  # noqa: BLE001 - report what was measured, then fail
        failed = True
        _log("benchmark failed:\n" + traceback.format_exc())
    finally:
        stop_all()
    report.total_seconds = time.perf_counter() - started
    info["load_after"] = machine.load_average()
    markdown = report.markdown()
    print(markdown)
    if args.json:
        args.json.write_bytes(orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2, default=str))
    if not args.no_write and not failed:
        write_section(args.output, markdown)
        _log(f"report written to {args.output}")
    if args.keep or failed:
        _log(f"working directory kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0
