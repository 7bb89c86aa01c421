"""Armed faults: answers that are wrong in one precise way, for the next N matching API requests.

Where `faults.py` draws random failures at a rate, an armed fault is scheduled: a test arms it, the next matching
requests get it, and the counters say how many were served (`faults[kind]`). Kinds:

- `detail_404`: an id-set GET is answered 404 `CMNC-404`, as if none of its ids existed;
- `omit_id`: an id-set GET leaves out one object it found (the first of the body);
- `extra_id`: an id-set GET adds an object for an id not asked for (a copy of the first, under a new id);
- `swap_id`: an id-set GET answers one object under an id not asked for, in place of the one asked for;
- `truncated_body`: a 2xx answer (any API route) is cut after half of its body;
- `empty_body`: a 2xx answer (any API route) has an empty body, still labelled JSON;
- `null_results`: a search page has `"results": null` with its `metaData` unchanged;
- `short_page`: a search page loses its last row, `metaData` unchanged;
- `ignore_first_result`: a search asked for a later page (`firstResult` > 1) answers the first page, with the
  first page's `metaData` (it says more pages follow).

Arm with `Sandbox.arm_fault(kind, count=1, endpoint=None, skip=0)` or `POST /__sandbox/arm-fault`. `endpoint` is a
route template (`order-service/order/{ids}`, `order-service/order-search`); `skip` lets that many matching requests
through first (e.g. `skip=1` on a search hits its second page). A new id is the largest id of the body plus 10^9.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any, Callable

import orjson

from .http_types import Request, Response, errors_response
from .routes import RouteMatch

DETAIL_KINDS = frozenset({"detail_404", "omit_id", "extra_id", "swap_id"})
BODY_KINDS = frozenset({"truncated_body", "empty_body"})
SEARCH_KINDS = frozenset({"null_results", "short_page", "ignore_first_result"})
KINDS = DETAIL_KINDS | BODY_KINDS | SEARCH_KINDS
NEW_ID_OFFSET = 10**9


@dataclass
class _Armed:
    kind: str
    count: int
    endpoint: str | None
    skip: int


class ArmedFaults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: list[_Armed] = []

    def arm(self, kind: str, count: int = 1, endpoint: str | None = None, skip: int = 0) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(KINDS))}")
        for name, value in (("count", count), ("skip", skip)):
            if not isinstance(value, int) or isinstance(value, bool) or value < (1 if name == "count" else 0):
                raise ValueError(f"{name} must be an integer ≥ {1 if name == 'count' else 0}")
        if endpoint is not None and not isinstance(endpoint, str):
            raise TypeError("endpoint must be a route template string")
        with self._lock:
            self._armed.append(_Armed(kind, count, endpoint, skip))

    def disarm(self) -> None:
        with self._lock:
            self._armed.clear()

    def pending(self) -> list[dict]:
        with self._lock:
            return [{"kind": a.kind, "count": a.count, "endpoint": a.endpoint, "skip": a.skip} for a in self._armed]

    def _take(self, matched: RouteMatch | None, applies: Callable[[str], bool]) -> str | None:
        """The kind of the first armed fault this request triggers (spending one of its count), if any."""
        if matched is None:
            return None
        with self._lock:
            for armed in self._armed:
                if not applies(armed.kind) or (armed.endpoint is not None and armed.endpoint != matched.endpoint):
                    continue
                if armed.skip:
                    armed.skip -= 1
                    continue
                armed.count -= 1
                if armed.count == 0:
                    self._armed.remove(armed)
                return armed.kind
        return None

    def rewrite_request(self, matched: RouteMatch | None, request: Request) -> tuple[Request, str | None]:
        """`ignore_first_result`: a search for a later page is served as a search for the first."""
        if matched is None or matched.route.kind != "search" or (request.param("firstResult") or "1") == "1":
            return request, None
        kind = self._take(matched, lambda k: k == "ignore_first_result")
        if kind is None:
            return request, None
        return replace(request, query=[(k, v) for k, v in request.query if k != "firstResult"]), kind

    def rewrite_response(self, matched: RouteMatch | None, response: Response) -> tuple[Response, str | None]:
        if matched is None or not 200 <= response.status < 300:
            return response, None
        route_kind = matched.route.kind
        detail = route_kind == "collection" and matched.ids is not None

        def applies(kind: str) -> bool:
            if kind in BODY_KINDS:
                return True
            if kind in DETAIL_KINDS:
                return detail
            return route_kind == "search" and kind != "ignore_first_result"

        kind = self._take(matched, applies)
        if kind is None:
            return response, None
        return _rewrite(kind, response), kind


def _rewrite(kind: str, response: Response) -> Response:
    if kind == "empty_body":
        return replace(response, body=b"")
    if kind == "truncated_body":
        return replace(response, body=response.body[: len(response.body) // 2])
    if kind == "detail_404":
        return errors_response(404, "CMNC-404", "No resources found")
    body = orjson.loads(response.body)
    if kind in ("null_results", "short_page"):
        payload = body["response"]
        payload["results"] = None if kind == "null_results" else payload["results"][:-1]
    else:
        _rewrite_objects(kind, body)
    return replace(response, body=orjson.dumps(body))


def _rewrite_objects(kind: str, body: dict) -> None:
    """omit_id / extra_id / swap_id on a list, journals or map envelope (a list object's first key is its id)."""
    payload = body["response"]
    if isinstance(payload, dict) and "journals" in payload:
        payload = payload["journals"]
    if isinstance(payload, dict):  # map: {"<id>": {...}}
        if not payload:
            return
        first_key = next(iter(payload))
        new_key = str(max(int(k) for k in payload) + NEW_ID_OFFSET)
        if kind == "omit_id":
            del payload[first_key]
        elif kind == "extra_id":
            payload[new_key] = dict(payload[first_key])
        else:
            payload[new_key] = payload.pop(first_key)
        return
    if not payload:
        return
    first: dict[str, Any] = payload[0]
    id_key = next(iter(first))
    new_object = {**first, id_key: max(item[id_key] for item in payload) + NEW_ID_OFFSET}
    if kind == "omit_id":
        payload.pop(0)
    elif kind == "extra_id":
        payload.append(new_object)
    else:
        payload[0] = new_object
