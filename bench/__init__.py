"""Benchmarks of source-brightpearl against the local sandbox API (not tests). Results go to docs/performance.md.

    make bench                                    # = .venv/bin/python -m bench
    .venv/bin/python -m bench [--scales 20k,100k] [--soak-minutes 3] [--repeat 3] [--quick] [--no-write] [--json F]
    .venv/bin/python -m bench --scales 20k --only orders_raw,orders_full --soak-minutes 0   # one comparison, not written

What it runs (see `bench/main.py`):

1. Full syncs at each scale (`scenarios.py`, a list of scenarios): `orders` read by a minimal raw client (the
   ceiling, `raw_client.py`) and by the connector, all streams, and — when discover offers incremental sync for
   orders — a first incremental sync and a re-run after 1% of the orders changed. Each: wall time, records/s, CPU
   per record, peak RSS, API requests against the request floor, per stream.
2. Throttle soak (`soak.py`): back-to-back full reads of `orders` against a sandbox throttled to 20 requests per
   2 s with `requests_per_minute` = 600: share of the cap used, 503s, failed reads; then the same with 5% faults
   (500s, HTML 502s, dropped connections), every read checked for every order id.
3. `source-brightpearl spec` wall time (median of 5).

The sandbox always runs in its own process and is stopped with SIGTERM at the end. `--quick` runs everything on tiny
data in well under a minute (the smoke test `integration_tests/test_bench_smoke.py` uses it).
"""
