"""The ceiling: a minimal Brightpearl client that reads a search-then-get resource exactly as the connector does
(search pages of 500 asking only for the id column, `firstResult` paging, then id-set GETs of at most 200 ids written
as ranges) and writes Airbyte RECORD lines to stdout. No CDK, no schema work, no threads: requests.Session + orjson.

    python bench/raw_client.py --config config.json [--stream orders]

The config is a connector config holding an access token (`GET /__sandbox/config?with_tokens=true`). Throttling
(503) and transient faults are waited out/retried a few times so a run completes, but nothing else is done: this is
the cost of the HTTP and JSON work alone, the floor the connector's per-record CPU is compared with.

Only the standard library, requests and orjson are imported; the file runs as a script or as `-m bench.raw_client`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import orjson
import requests

PAGE_SIZE = 500
MAX_IDS = 200
RETRIES = 10


@dataclass(frozen=True)
class Resource:
    search_path: str
    detail_path: str
    id_column: str
    include_optional: str | None = None


# The search-then-get resources the raw client knows (paths relative to /public-api/{account}/).
RESOURCES: dict[str, Resource] = {
    "orders": Resource("order-service/order-search", "order-service/order", "orderId", "customFields,nullCustomFields"),
    "products": Resource(
        "product-service/product-search", "product-service/product", "productId", "customFields,nullCustomFields"
    ),
    "contacts": Resource(
        "contact-service/contact-search", "contact-service/contact", "contactId", "customFields,nullCustomFields"
    ),
}


def compress(ids: list[int]) -> str:
    """Ids as a Brightpearl id set, ascending, runs of two or more written `a-b`: [1,2,3,7,9,10] → `1-3,7,9-10`."""
    ordered = sorted(set(ids))
    parts: list[str] = []
    index = 0
    while index < len(ordered):
        start = end = ordered[index]
        while index + 1 < len(ordered) and ordered[index + 1] == end + 1:
            index += 1
            end = ordered[index]
        parts.append(f"{start}-{end}" if end > start else str(start))
        index += 1
    return ",".join(parts)


def parse_json_body(content: bytes) -> dict:
    return orjson.loads(content)


def write_records(out: BinaryIO, stream: str, records: list[dict]) -> None:
    """Airbyte RECORD messages, one JSON line each."""
    emitted_at = int(time.time() * 1000)
    out.write(
        b"".join(
            orjson.dumps({"type": "RECORD", "record": {"stream": stream, "data": record, "emitted_at": emitted_at}}) + b"\n"
            for record in records
        )
    )


class RawClient:
    def __init__(self, config: dict, session: requests.Session | None = None) -> None:
        base = (config.get("base_url") or "").rstrip("/")
        if not base:
            raise SystemExit("raw client: the config has no base_url")
        if not config.get("access_token"):
            raise SystemExit("raw client: the config has no access_token (use /__sandbox/config?with_tokens=true)")
        self.api = f"{base}/public-api/{config['account']}"
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {config['access_token']}",
                "brightpearl-app-ref": config["client_id"],
                "Accept": "application/json",
            }
        )
        if config.get("developer_ref"):
            self.session.headers["brightpearl-dev-ref"] = config["developer_ref"]
        self.requests = 0

    def get(self, path: str, params: dict | None = None) -> dict:
        url = f"{self.api}/{path}"
        for attempt in range(RETRIES + 1):
            self.requests += 1
            try:
                response = self.session.get(url, params=params, timeout=120)
            except requests.ConnectionError:
                if attempt == RETRIES:
                    raise
                time.sleep(min(0.1 * 2**attempt, 5))
                continue
            status = response.status_code
            if status == 200 and "json" in response.headers.get("Content-Type", ""):
                return parse_json_body(response.content)
            if status in (429, 503):
                wait_ms = response.headers.get("brightpearl-next-throttle-period")
                time.sleep(int(wait_ms) / 1000 + 0.01 if wait_ms and wait_ms.isdigit() else 1.0)
                continue
            if status >= 500 or status == 200:  # 5xx, or a 200 that is not JSON (a proxy page)
                if attempt == RETRIES:
                    break
                time.sleep(min(0.1 * 2**attempt, 5))
                continue
            raise SystemExit(f"raw client: HTTP {status} for {path}: {response.text[:300]}")
        raise SystemExit(f"raw client: gave up on {path} after {RETRIES} retries")

    def ids(self, resource: Resource) -> Iterator[list[int]]:
        """Each search page's ids, in the API's order."""
        first = 1
        while True:
            body = self.get(resource.search_path, {"columns": resource.id_column, "pageSize": PAGE_SIZE, "firstResult": first})
            payload = body["response"]
            names = [column["name"] for column in payload["metaData"]["columns"]]
            index = names.index(resource.id_column)
            rows = payload.get("results") or []
            yield [row[index] for row in rows]
            meta = payload["metaData"]
            if not rows or not meta.get("morePagesAvailable"):
                return
            first = (meta.get("lastResult") or first + len(rows) - 1) + 1

    def details(self, resource: Resource, ids: list[int]) -> list:
        params = {"includeOptional": resource.include_optional} if resource.include_optional else None
        return self.get(f"{resource.detail_path}/{compress(ids)}", params)["response"]

    def records(self, resource: Resource) -> Iterator[list[dict]]:
        """Batches of detail records, fetched as soon as 200 ids are known (as the connector does)."""
        seen = set()
        pending: list[int] = []
        for page_ids in self.ids(resource):
            for record_id in page_ids:
                if record_id is not None and record_id not in seen:
                    seen.add(record_id)
                    pending.append(record_id)
            while len(pending) >= MAX_IDS:
                yield self.details(resource, pending[:MAX_IDS])
                del pending[:MAX_IDS]
        if pending:
            yield self.details(resource, pending)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--stream", default="orders", choices=sorted(RESOURCES))
    args = parser.parse_args(argv)
    with open(args.config, "rb") as handle:
        config = orjson.loads(handle.read())
    client = RawClient(config)
    resource = RESOURCES[args.stream]
    out = sys.stdout.buffer
    stream = args.stream
    count = 0
    for batch in client.records(resource):
        write_records(out, stream, batch)
        count += len(batch)
    out.flush()
    print(f"raw client: {count} {stream} records in {client.requests} requests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
