"""How fast the sandbox serves: requests/s and records/s for order-search pages and 200-id order GETs, over
loopback with one keep-alive `requests.Session`, against a sandbox started by the CLI in its own process (so its
CPU time can be read apart from the client's).

    python -m sandbox.measure [--scale small] [--orders N] [--requests 400]

"cold" is the first pass over every URL (records derived and serialized by the world, PERIOD cells parsed,
filtered id lists built on first use); "warm" then sends `--requests` requests cycling over the first 50 URLs
(within the world's record cache). Server CPU comes from /proc/<pid>/stat (Linux, 10 ms ticks); elsewhere that
column is blank. Bodies are read in full but not parsed (the record counts are known from the URLs), so the wall
time is the HTTP exchange through `requests`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass

import orjson
import requests

from .idsets import parse_id_set


@dataclass
class Figures:
    name: str
    requests: int
    records: int
    bytes: int
    seconds: float
    server_cpu: float | None

    def row(self) -> str:
        cpu = f"{self.server_cpu / self.requests * 1000:8.2f}" if self.server_cpu is not None else "       -"
        return (
            f"{self.name:<40} {self.requests:>6} {self.requests / self.seconds:>9.1f} "
            f"{self.records / self.seconds:>11.0f} {self.bytes / self.seconds / 1e6:>7.1f} {cpu}"
        )


WARM_SET = 50  # URLs the warm runs cycle over (50 GETs = 10,000 orders)
HEADER = f"{'scenario':<40} {'reqs':>6} {'req/s':>9} {'records/s':>11} {'MB/s':>7} {'cpu ms/req':>8}"


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _run(name: str, session: requests.Session, jobs: list[tuple[str, int]], pid: int) -> Figures:
    """jobs: (url, number of records it serves)."""
    cpu_before = _cpu_seconds(pid)
    size = 0
    started = time.perf_counter()
    for url, _ in jobs:
        response = session.get(url, timeout=600)
        response.raise_for_status()
        size += len(response.content)
    seconds = time.perf_counter() - started
    cpu_after = _cpu_seconds(pid)
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return Figures(name, len(jobs), sum(records for _, records in jobs), size, seconds, cpu)


def _search_jobs(session: requests.Session, url: str) -> list[tuple[str, int]]:
    """Every page of a search, with the rows each serves (from the first page's `resultsAvailable`)."""
    total = session.get(url, timeout=600).json()["response"]["metaData"]["resultsAvailable"]
    return [(f"{url}&firstResult={first}", min(500, total - first + 1)) for first in range(1, total + 1, 500)]


def _cycle(jobs: list[tuple[str, int]], count: int) -> list[tuple[str, int]]:
    """`count` requests over the first WARM_SET jobs: small enough to stay in the world's record cache."""
    jobs = jobs[:WARM_SET]
    return [jobs[i % len(jobs)] for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--orders", type=int, help="a world of N orders (replaces --scale)")
    parser.add_argument("--requests", type=int, default=400, help="requests per warm scenario")
    args = parser.parse_args(argv)
    world_args = ["--orders", str(args.orders)] if args.orders else ["--scale", args.scale]

    server = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", *world_args, "--throttle-cap", "1000000000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        started = time.perf_counter()
        config = orjson.loads(server.stdout.readline())
        print(f"sandbox ({' '.join(world_args)}) up in {time.perf_counter() - started:.1f}s at {config['base_url']}")
        base = config["base_url"]
        tokens = requests.post(f"{base}/__sandbox/tokens", timeout=60).json()
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {tokens['access_token']}", "brightpearl-app-ref": config["client_id"]})
        api = f"{base}/public-api/{config['account']}"

        search_jobs = _search_jobs(session, f"{api}/order-service/order-search?pageSize=500")
        started = time.perf_counter()
        windowed_jobs = _search_jobs(session, f"{api}/order-service/order-search?pageSize=500&updatedOn=2000-01-01T00:00:00Z/")
        first_filtered = time.perf_counter() - started
        total = sum(count for _, count in search_jobs)
        get_uris = session.options(f"{api}/order-service/order", timeout=60).json()["response"]["getUris"]
        get_jobs = [(f"{api}/order-service{uri}", parse_id_set(uri.rpartition("/")[2]).count) for uri in get_uris]

        print(
            f"{total} orders: {len(search_jobs)} search pages of ≤500, {len(get_jobs)} GETs of ≤200 ids; "
            f"first page of a new updatedOn filter (filters and caches the id list): {first_filtered * 1000:.0f} ms"
        )
        print(HEADER)
        scenarios = [
            ("order-search pages", search_jobs),
            ("order-search, updatedOn filter", windowed_jobs),
            ("GET order/{200 ids}", get_jobs),
        ]
        for name, jobs in scenarios:
            print(_run(f"{name} (cold)", session, jobs, server.pid).row())
        for name, jobs in scenarios:
            print(_run(f"{name} (warm)", session, _cycle(jobs, args.requests), server.pid).row())
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
