"""Where the connector's time goes: sample a full read of one stream with py-spy (GIL-holding thread only, so the
samples are the Python CPU that serializes the process) and compare it with the raw client.

    .venv/bin/pip install py-spy            # a profiling tool, deliberately not a project dependency
    .venv/bin/python -m bench.profile [--scale 100k] [--stream orders] [--rate 200] [--top 25] [--keep DIR]

Prints, for the connector and for the raw client: CPU µs per record split into cost groups (error handler, JSON
parsing, HTTP, record serialization, start-up, …), the top functions by own time and by inclusive time. The sandbox
runs in its own process with its throttle lifted; the orders are read once before sampling to warm its cache.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import orjson

from bench.catalogs import configured, discover
from bench.runner import connector_command, raw_client_command, run_client
from bench.sandbox_process import SandboxProcess
from bench.scenarios import MAX_REQUESTS_PER_MINUTE, UNTHROTTLED, scale_args

# Cost groups: the first whose pattern occurs in a sample's stack (outermost → innermost) claims the sample.
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("start-up: imports", ("_find_and_load",)),
    ("error handler: response.json() (stdlib json) in predicate filters", ("_safe_response_json",)),
    ("error handler: filters, predicates (Jinja), backoff", ("interpret_response", "error_handler", "backoff_strategy")),
    ("parse body: orjson.loads in retriever / raw client", ("_BrightpearlRetriever._json", "parse_json_body")),
    ("HTTP: requests / urllib3 / socket", ("Session.send", "Session.request", "HTTPAdapter", "urllib3", "socket.py")),
    ("rate limiting: API budget", ("api_budget", "call_rate", "pyrate_limiter")),
    (
        "authenticator / request building (URL, headers, Jinja)",
        ("authenticator", "_request_headers", "_get_request_options", "get_url", "interpolat", "jinja"),
    ),
    (
        "emit: message to JSON + stdout",
        ("airbyte_message_to_string", "PrintBuffer", "write_records", "AirbyteMessageSerializer", "serpyco"),
    ),
    (
        "connector: record shaping (syncCursor, envelopes, search rows, id sets)",
        (
            "source_brightpearl/components/retrievers.py",
            "source_brightpearl/api/datetimes.py",
            "source_brightpearl/api/envelopes.py",
            "source_brightpearl/api/search.py",
            "source_brightpearl/api/idsets.py",
            "bench/raw_client.py",
        ),
    ),
    (
        "start-up: source, manifest, discover, account check",
        (
            "SourceBrightpearl.__init__",
            "Source.__init__",
            "yaml",
            "parse_args",
            "_prepare_for_stream_build",
            "check_connection",
            "_ensure_credentials",
            "read_config",
            "read_catalog",
        ),
    ),
    (
        "CDK plumbing: queue, messages, counts, partitions",
        (
            "_consume_from_queue",
            "on_record",
            "stream_data_to_airbyte_message",
            "queue.py",
            "handle_record_counts",
            "transform.py",
            "_handle_item",
            "record_helper",
            "AirbyteEntrypoint.read",
            "concurrent_source",
            "partition_reader",
            "partition_generator",
            "thread_pool_manager",
        ),
    ),
]
OTHER = "other"


def _short(frame: str) -> str:
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame or "?"
    function, path = match.groups()
    path = re.sub(r".*site-packages/", "", path)
    path = re.sub(r".*/work/[^/]+/", "", path)
    path = re.sub(r".*/lib/python3\.\d+/", "", path)
    return f"{function} ({path})"


def analyse(raw_path: Path) -> tuple[int, Counter, Counter, Counter, Counter]:
    """Samples, then per cost group, per function (own), per function (inclusive), per kind of thread."""
    threads: Counter = Counter()
    groups: Counter = Counter()
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in raw_path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rstrip().rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [f for f in stack.split(";") if not f.startswith(("thread (", "process ("))]
        if any("_worker (" in f and "concurrent/futures/thread.py" in f for f in frames):
            threads["worker threads (partitions: HTTP, parsing, records)"] += count
        elif any("_leak_task" in f for f in frames):
            threads["rate-limiter leak thread"] += count
        else:
            threads["main thread (start-up, queue, serialization, stdout)"] += count
        for name, patterns in GROUPS:
            if any(p in frame for frame in frames for p in patterns):
                groups[name] += count
                break
        else:
            groups[OTHER] += count
        short = [_short(f) for f in frames]
        if short:
            own[short[-1]] += count
        for function in set(short):
            inclusive[function] += count
    return total, groups, own, inclusive, threads


def _record(py_spy: str, rate: int, output: Path, command: Sequence[str], workdir: Path) -> None:
    # py-spy gets the command itself (run under it), stdout to a file: the RECORD lines are counted afterwards.
    with open(workdir / f"{output.stem}.stdout", "wb") as stdout, open(workdir / f"{output.stem}.stderr", "wb") as stderr:
        subprocess.run(
            [py_spy, "record", "--gil", "--rate", str(rate), "--format", "raw", "--output", str(output), "--", *command],
            cwd=workdir,
            stdout=stdout,
            stderr=stderr,
            check=True,
        )


def _table(title: str, total: int, groups: Counter, cpu_us_per_record: float | None) -> list[str]:
    out = [
        f"\n{title}: {total} samples"
        + (f", {cpu_us_per_record:.0f} µs CPU per record (unprofiled run)" if cpu_us_per_record else "")
    ]
    out.append(f"  {'share':>6} {'µs/record':>9}  cost group")
    for name, count in groups.most_common():
        share = count / total if total else 0
        per_record = f"{share * cpu_us_per_record:9.0f}" if cpu_us_per_record else f"{'':>9}"
        out.append(f"  {share:6.1%} {per_record}  {name}")
    return out


def _top(title: str, counter: Counter, total: int, top: int) -> list[str]:
    out = [f"  {title}:"]
    for function, count in counter.most_common(top):
        out.append(f"    {count / total:6.1%}  {function}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--stream", default="orders", choices=["orders", "products", "contacts"])
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="keep the py-spy raw (collapsed) stacks in this directory")
    args = parser.parse_args(argv)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        print("py-spy is not installed: .venv/bin/pip install py-spy (not a project dependency)", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="source-brightpearl-profile-"))
    try:
        with SandboxProcess(scale_args(args.scale) + UNTHROTTLED, log_path=workdir / "sandbox.log") as sandbox:
            config = sandbox.config_with_tokens()
            config["requests_per_minute"] = MAX_REQUESTS_PER_MINUTE
            config_path = workdir / "config.json"
            config_path.write_bytes(orjson.dumps(config))
            catalog_path = workdir / "catalog.json"
            catalog_path.write_bytes(orjson.dumps(configured(discover(config_path, workdir), [args.stream])))
            raw = raw_client_command(config_path, args.stream)
            connector = connector_command() + ["read", "--config", str(config_path), "--catalog", str(catalog_path)]
            run_client("warmup", raw, workdir)
            # Unprofiled runs give the CPU per record the shares are applied to.
            costs: dict[str, float | None] = {}
            for label, command in (("connector", connector), ("raw", raw)):
                run = run_client(f"{label}-plain", command, workdir)
                costs[label] = run.cpu_us_per_record
                print(
                    f"{label}: {run.total_records} records in {run.wall_seconds:.1f} s, "
                    f"{run.cpu_us_per_record or 0:.0f} µs CPU/record, peak RSS {run.max_rss_kib / 1024:.0f} MiB",
                    flush=True,
                )
            lines: list[str] = []
            for label, command in (("connector", connector), ("raw", raw)):
                output = workdir / f"{label}.pyspy.txt"
                _record(py_spy, args.rate, output, list(command), workdir)
                total, groups, own, inclusive, threads = analyse(output)
                lines += _table(f"{label} ({args.stream}, {args.scale})", total, groups, costs[label])
                lines += _top("GIL time by thread", threads, total, args.top)
                lines += _top("top functions by own time", own, total, args.top)
                lines += _top("top functions by inclusive time", inclusive, total, args.top)
            print("\n".join(lines))
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                for path in workdir.glob("*.pyspy.txt"):
                    shutil.copy(path, args.keep / path.name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
