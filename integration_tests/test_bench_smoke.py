"""Smoke test of the benchmark harness (bench/): `python -m bench --quick --no-write` runs every scenario on tiny data
and produces a report. No timing is asserted — only that it measured something, including the raw-client ceiling."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_produces_a_report(tmp_path):
    results = tmp_path / "bench.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--no-write", "--json", str(results)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]

    report = completed.stdout
    assert "## Benchmarks" in report and "### Targets" in report
    assert "raw client (ceiling)" in report

    data = json.loads(results.read_text())
    [scale] = data["scales"]
    scenarios = {s["scenario"]: s for s in scale["scenarios"]}
    raw, connector = scenarios["orders_raw"], scenarios["orders_full"]
    assert raw["client"] == "raw" and raw["total_records"] > 0 and raw["ok"], raw
    assert connector["client"] == "connector" and connector["total_records"] > 0 and connector["ok"], connector
    assert raw["total_records"] == connector["total_records"]
    assert scenarios["all_full"]["total_records"] > connector["total_records"]
    assert all(soak["reads"] >= 1 for soak in data["soaks"])
    assert len(data["spec_seconds"]) >= 1
