"""How fast the sandbox serves: requests/s and records/s for order-search pages and 200-id order GETs, over
loopback with one keep-alive `requests.Session`, against a sandbox started by the CLI in its own process (so its
CPU time can be read apart from the client's).

    python -m integration_tests.sandbox.measure [--scale 20k] [--passes 3]

Pass 1 is cold (records serialized on first read); later passes are warm (pre-serialized bytes from the world's
cache). Server CPU comes from /proc/<pid>/stat (Linux); elsewhere that column is blank.
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
        return (f"{self.name:<34} {self.requests:>6} {self.requests / self.seconds:>9.1f} "
                f"{self.records / self.seconds:>11.0f} {self.bytes / self.seconds / 1e6:>7.1f} {cpu}")


HEADER = f"{'scenario':<34} {'reqs':>6} {'req/s':>9} {'records/s':>11} {'MB/s':>7} {'cpu ms/req':>8}"


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _run(name: str, session: requests.Session, urls: list[str], count_records, pid: int) -> Figures:
    cpu_before = _cpu_seconds(pid)
    records = size = 0
    started = time.perf_counter()
    for url in urls:
        response = session.get(url, timeout=60)
        response.raise_for_status()
        records += count_records(response.content)
        size += len(response.content)
    seconds = time.perf_counter() - started
    cpu_after = _cpu_seconds(pid)
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return Figures(name, len(urls), records, size, seconds, cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="20k")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args(argv)

    server = subprocess.Popen(
        [sys.executable, "-m", "integration_tests.sandbox", "--port", "0", "--scale", args.scale,
         "--throttle-cap", "1000000000"],
        stdout=subprocess.PIPE, text=True)
    try:
        started = time.perf_counter()
        config = orjson.loads(server.stdout.readline())
        print(f"sandbox ({args.scale}) up in {time.perf_counter() - started:.1f}s at {config['base_url']}")
        base = config["base_url"]
        tokens = requests.post(f"{base}/__sandbox/tokens", timeout=60).json()
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {tokens['access_token']}",
                                "brightpearl-app-ref": config["client_id"]})
        api = f"{base}/public-api/{config['account']}"

        first_page = session.get(f"{api}/order-service/order-search", params={"pageSize": 500}, timeout=60).json()
        total = first_page["response"]["metaData"]["resultsAvailable"]
        search_urls = [f"{api}/order-service/order-search?pageSize=500&firstResult={first}"
                       for first in range(1, total + 1, 500)]
        windowed_urls = [f"{url}&updatedOn=2000-01-01T00:00:00Z/" for url in search_urls]
        get_uris = session.options(f"{api}/order-service/order", timeout=60).json()["response"]["getUris"]
        get_urls = [f"{api}/order-service{uri}" for uri in get_uris]

        def search_rows(body: bytes) -> int:
            return len(orjson.loads(body)["response"]["results"])

        def get_records(body: bytes) -> int:
            return len(orjson.loads(body)["response"])

        print(f"{total} orders: {len(search_urls)} search pages of ≤500, {len(get_urls)} GETs of ≤200 ids")
        print(HEADER)
        for number in range(1, args.passes + 1):
            label = "cold" if number == 1 else "warm"
            print(_run(f"order-search pages ({label})", session, search_urls, search_rows, server.pid).row())
            print(_run(f"order-search updatedOn= ({label})", session, windowed_urls, search_rows, server.pid).row())
            print(_run(f"GET order/200 ids ({label})", session, get_urls, get_records, server.pid).row())
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
