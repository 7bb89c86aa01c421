"""What each stream asks the API for (read from manifest.yaml), the request floor of a read, and which sandbox
counter endpoints belong to which stream.

The floor is the least a client needs for the records it got: for a search-then-get stream ceil(rows/500) search
pages (at least one) plus ceil(ids/200) id-set GETs; for a search-only stream ceil(rows/500) pages (at least one);
one GET per reference list (per listed endpoint when a stream reads several). `rows` is what the search serves
(`resultsAvailable`, probed before the run: journal and goods-in searches have several rows per record); `ids` is the
records read, except for streams that flatten one GET result into several records (`shape`: product prices and
availability), where it is the searched ids.

Sandbox counters key requests as `GET <route template>`, e.g. `GET order-service/order/{ids}`; search endpoints
shared by several streams (product-search) are split among them in proportion to their floors.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PAGE = 500
IDS_PER_GET = 200
ACCOUNT_CHECK = "GET integration-service/account-configuration"


@dataclass(frozen=True)
class StreamPlan:
    name: str
    kind: str  # "search_then_get" | "search" | "list"
    search_path: str | None = None
    detail_path: str | None = None
    id_column: str | None = None
    search_params: Mapping[str, Any] = field(default_factory=dict)
    list_paths: tuple = ()
    flattens: bool = False  # one detail object becomes several records (product prices / availability)
    trust_more_pages: bool = True

    @property
    def search_endpoint(self) -> str | None:
        return f"GET {self.search_path}" if self.search_path else None

    @property
    def detail_endpoint(self) -> str | None:
        if not self.detail_path:
            return None
        return "GET " + self.detail_path.replace("/*/", "/{orderIds}/") + "/{ids}"

    def endpoints(self) -> list[str]:
        if self.kind == "list":
            return [f"GET {path}" for path in self.list_paths]
        return [e for e in (self.search_endpoint, self.detail_endpoint) if e]


def _resolve(node: Any, definitions: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    """Resolve `$ref: "#/definitions/…"` the way the declarative manifest does: the referenced mapping, updated
    with the referring mapping's own keys ($parameters merged)."""
    if isinstance(node, list):
        return [_resolve(item, definitions, root) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    ref = node.pop("$ref", None)
    base: dict[str, Any] = {}
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        base = _resolve(copy.deepcopy(target), definitions, root)
    merged = dict(base)
    for key, value in node.items():
        value = _resolve(value, definitions, root)
        if key == "$parameters" and isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def load_plans(manifest_path: Path | None = None) -> dict[str, StreamPlan]:
    path = manifest_path or ROOT / "manifest.yaml"
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    definitions = manifest.get("definitions", {})
    plans: dict[str, StreamPlan] = {}
    for raw in manifest.get("streams", []):
        stream = _resolve(raw, definitions, manifest)
        name = stream["name"]
        parameters = dict(stream.get("$parameters") or {})
        retriever = stream.get("retriever") or {}
        parameters.update(retriever.get("$parameters") or {})
        class_name = str(retriever.get("class_name", ""))
        resource_path = parameters.get("resource_path")
        if class_name.endswith("SearchThenGetRetriever"):
            plans[name] = StreamPlan(
                name,
                "search_then_get",
                search_path=parameters.get("search_path") or resource_path,
                detail_path=resource_path,
                id_column=parameters.get("id_column"),
                search_params=dict(parameters.get("search_params") or {}),
                flattens=bool(parameters.get("shape")),
                trust_more_pages=bool(parameters.get("trust_more_pages", True)),
            )
        elif class_name.endswith("SearchRetriever"):
            plans[name] = StreamPlan(
                name,
                "search",
                search_path=parameters.get("search_path") or resource_path,
                search_params=dict(parameters.get("search_params") or {}),
                trust_more_pages=bool(parameters.get("trust_more_pages", True)),
            )
        else:
            router = retriever.get("partition_router") or {}
            values = router.get("values") if isinstance(router, dict) else None
            paths = tuple(values) if isinstance(values, list) and values else ((resource_path,) if resource_path else ())
            plans[name] = StreamPlan(name, "list", list_paths=paths)
    return plans


def floor_parts(plan: StreamPlan, records: int, search_rows: int | None) -> dict[str, int]:
    """The floor of one stream, by endpoint."""
    if plan.kind == "list":
        return dict.fromkeys(plan.endpoints(), 1)
    rows = search_rows if search_rows is not None else records
    pages = max(1, math.ceil(rows / PAGE))
    if not plan.trust_more_pages and rows and rows % PAGE == 0:
        pages += 1  # paging until a short page: a full last page costs one empty page more
    parts = {plan.search_endpoint: pages}
    if plan.kind == "search_then_get":
        ids = rows if plan.flattens else records
        parts[plan.detail_endpoint] = math.ceil(ids / IDS_PER_GET)
    return parts


@dataclass
class StreamCost:
    stream: str
    records: int
    requests: float  # shared endpoints apportioned
    floor: int

    @property
    def per_1000_records(self) -> float | None:
        return self.requests / self.records * 1000 if self.records else None

    @property
    def ratio(self) -> float | None:
        return self.requests / self.floor if self.floor else None


@dataclass
class EndpointCost:
    endpoint: str
    streams: list[str]
    requests: int
    floor: int


def attribute(
    plans: Mapping[str, StreamPlan],
    streams: list[str],
    records: Mapping[str, int],
    search_rows: Mapping[str, int | None],
    requests_by_endpoint: Mapping[str, int],
) -> tuple[list[StreamCost], list[EndpointCost]]:
    """Per-stream and per-endpoint requests against their floors."""
    floors = {name: floor_parts(plans[name], records.get(name, 0), search_rows.get(name)) for name in streams if name in plans}
    users: dict[str, list[str]] = {}
    for name, parts in floors.items():
        for endpoint in parts:
            users.setdefault(endpoint, []).append(name)
    endpoint_costs = [
        EndpointCost(endpoint, names, requests_by_endpoint.get(endpoint, 0), sum(floors[n][endpoint] for n in names))
        for endpoint, names in sorted(users.items())
    ]
    for endpoint, count in sorted(requests_by_endpoint.items()):
        if endpoint not in users:
            endpoint_costs.append(EndpointCost(endpoint, ["(connector)" if endpoint == ACCOUNT_CHECK else "?"], count, 0))
    stream_costs = []
    for name in streams:
        if name not in floors:
            continue
        requests = 0.0
        for endpoint, part in floors[name].items():
            total_floor = sum(floors[n][endpoint] for n in users[endpoint])
            share = part / total_floor if total_floor else 1 / len(users[endpoint])
            requests += requests_by_endpoint.get(endpoint, 0) * share
        stream_costs.append(StreamCost(name, records.get(name, 0), requests, sum(floors[name].values())))
    return stream_costs, endpoint_costs
