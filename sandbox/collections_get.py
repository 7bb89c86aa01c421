"""GET and OPTIONS by ID set over a world `Collection` (docs/brightpearl-api.md §P8).

Bodies are built by concatenating the records' pre-serialized JSON (`Collection.get_json`), never by
re-serializing dicts: a 200-order GET is a join of 200 cached byte strings.

Choices where the notes are silent (also in README "Protocol choices"):
- more ids than the collection's `max_ids` → 400 `CMNC-400` "Too many IDs …" (except contacts, which page, as
  documented); a malformed ID set → 400 `CMNC-400` "Invalid ID set …";
- a GET without an ID set on a collection that is not `allow_all` → 400 `CMNC-400` "An ID set is required";
- the ID-set limit applies to each segment of a goods-note path separately;
- results come back in a deterministic scrambled order (never ascending for 2+ ids: "GET order/1,320,321
  returned [320, 1, 321]"), except contacts, whose envelope declares `sorting` by contactId;
- a GET without ids returns everything in ascending id order.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import orjson

from .http_types import Request, Response, errors_response, json_response, raw_json_response
from .idsets import IdSet, IdSetError, compress, parse_id_set

CONTACT_PAGE_SIZE = 200  # "returns the first page of 200 plus pagination metadata"
OPTIONS_CHUNK = 200  # OPTIONS URIs hold "≤ 200 existing IDs" each


@dataclass
class GetResult:
    response: Response
    ids_requested: int | None  # size of the requested ID set, for the ids-per-GET counter


class CollectionEngine:
    def __init__(self, world: Any) -> None:
        self._world = world
        self._lock = threading.Lock()
        self._children: dict[str, tuple[int, dict[int, list[int]]]] = {}  # name → (version, parent → child ids)

    def get(self, name: str, request: Request, id_text: str | None, parent_text: str | None = None) -> GetResult:
        collection = self._world.collection(name)
        try:
            ids, requested = self._select(name, collection, id_text, parent_text)
        except _Refused as refused:
            return GetResult(refused.response, refused.ids_requested)
        include = _include_optional(request.param("includeOptional"))
        if collection.envelope == "contact":
            return GetResult(self._contact_page(name, collection, ids, request, include), requested)
        if not ids:
            return GetResult(self._missing(name, collection), requested)
        if id_text is not None:
            ids = scrambled(ids)
        records = [(i, body) for i in ids if (body := collection.get_json(i, include)) is not None]
        if not records:
            return GetResult(self._missing(name, collection), requested)
        return GetResult(raw_json_response(200, _envelope(collection.envelope, records), f"get-{name}"), requested)

    def options(self, name: str, uri_resource: str, id_text: str | None, cut_short: int = 0) -> GetResult:
        """`{"response":{"getUris":[…]}}`: the fewest GET URIs, each with ≤ 200 existing ids, compressed. With
        `cut_short` > 0 (a fault option), only the first `cut_short` existing ids are listed."""
        collection = self._world.collection(name)
        existing = collection.ids()
        requested = None
        if id_text is not None:
            try:
                id_set = parse_id_set(id_text)
            except IdSetError as error:
                return GetResult(_invalid_id_set(error), None)
            requested = id_set.count
            existing = id_set.select(existing)
        if cut_short:
            existing = existing[:cut_short]
        chunk = min(collection.max_ids or OPTIONS_CHUNK, OPTIONS_CHUNK)
        uris = [f"/{uri_resource}/{compress(existing[i : i + chunk])}" for i in range(0, len(existing), chunk)]
        return GetResult(json_response(200, {"response": {"getUris": uris}}, f"options-{name}"), requested)

    # -- id selection --------------------------------------------------------------------------------------------

    def _select(self, name: str, collection: Any, id_text: str | None, parent_text: str | None) -> tuple[list[int], int | None]:
        """The existing ids to serve (ascending) and the size of the requested id set."""
        is_contact = collection.envelope == "contact"
        ids_set = self._parse(collection, id_text, enforce_limit=not is_contact)
        requested = ids_set.count if ids_set is not None else None
        if parent_text is not None:
            return self._select_children(name, collection, ids_set, parent_text), requested
        if ids_set is None:
            if not (collection.allow_all or is_contact):
                raise _Refused(errors_response(400, "CMNC-400", "An ID set is required for this resource"), None)
            return collection.ids(), None
        return ids_set.select(collection.ids()), requested

    def _select_children(self, name: str, collection: Any, ids_set: IdSet | None, parent_text: str) -> list[int]:
        """Goods notes: `order/{orderIds|*}/goods-note/…[/{noteIds}]`. `*` means any order, but `*` with no note
        ids would be "every note of every order", which the API refuses."""
        if parent_text == "*":
            if ids_set is None:
                raise _Refused(errors_response(400, "CMNC-400", "A goods note ID set is required with order ID *"), None)
            return ids_set.select(collection.ids())
        parents = self._parse(collection, parent_text, enforce_limit=True)
        if ids_set is not None:
            return [i for i in ids_set.select(collection.ids()) if collection.parent_id(i) in parents]
        children = self._children_by_parent(name, collection)
        return sorted(
            child for lo, hi in parents.intervals for parent in _existing_keys(children, lo, hi) for child in children[parent]
        )

    def _children_by_parent(self, name: str, collection: Any) -> dict[int, list[int]]:
        version = self._world.version
        with self._lock:
            cached = self._children.get(name)
            if cached is not None and cached[0] == version:
                return cached[1]
        index: defaultdict[int, list[int]] = defaultdict(list)
        for child in collection.ids():
            parent = collection.parent_id(child)
            if parent is not None:
                index[parent].append(child)
        children = dict(index)
        with self._lock:
            self._children[name] = (version, children)
        return children

    @staticmethod
    def _parse(collection: Any, text: str | None, enforce_limit: bool) -> IdSet | None:
        if text is None:
            return None
        try:
            id_set = parse_id_set(text)
        except IdSetError as error:
            raise _Refused(_invalid_id_set(error), None) from None
        if enforce_limit and collection.max_ids is not None and id_set.count > collection.max_ids:
            raise _Refused(
                errors_response(
                    400,
                    "CMNC-400",
                    f"Too many IDs in ID set: {id_set.count} requested, at most {collection.max_ids} allowed per request",
                ),
                id_set.count,
            )
        return id_set

    # -- envelopes -----------------------------------------------------------------------------------------------

    def _contact_page(self, name: str, collection: Any, ids: list[int], request: Request, include: frozenset[str]) -> Response:
        """Contact GET is paged like a search: one page of ≤ 200, `pagination` and `sorting` siblings (docs/brightpearl-api.md §P8)."""
        if not ids:
            return self._missing(name, collection)
        try:
            direction = _contact_sort_direction(request.param("sort"))
            first = _positive_int(request.param("firstResult"), 1)
            size = min(_positive_int(request.param("pageSize"), CONTACT_PAGE_SIZE), CONTACT_PAGE_SIZE)
        except ValueError as error:
            return errors_response(400, "CMNC-400", str(error))
        ordered = ids[::-1] if direction == "DESC" else ids
        page = [body for i in ordered[first - 1 : first - 1 + size] if (body := collection.get_json(i, include)) is not None]
        pagination: dict[str, Any] = {"morePagesAvailable": first - 1 + size < len(ordered), "resultsReturned": len(page)}
        if page:
            pagination.update(firstResult=first, lastResult=first + len(page) - 1)
        body = b"".join(
            (
                b'{"response":[',
                b",".join(page),
                b'],"pagination":',
                orjson.dumps(pagination),
                b',"sorting":',
                orjson.dumps([{"field": "contactId", "direction": direction}]),
                b"}",
            )
        )
        return raw_json_response(200, body, f"get-{name}")

    @staticmethod
    def _missing(name: str, collection: Any) -> Response:
        """No requested id exists: per resource, 200 `[]` (orders) or 404 CMNC-404 (contacts, prices, …)."""
        if collection.missing == "404":
            return errors_response(404, "CMNC-404", collection.not_found_message)
        return raw_json_response(200, b'{"response":[]}', f"get-{name}")


class _Refused(Exception):
    def __init__(self, response: Response, ids_requested: int | None) -> None:
        super().__init__(response.status)
        self.response = response
        self.ids_requested = ids_requested


def _envelope(kind: str, records: list[tuple[int, bytes]]) -> bytes:
    if kind == "map":  # goods notes: an object keyed by note id
        return b'{"response":{' + b",".join(b'"%d":%s' % (i, body) for i, body in records) + b"}}"
    joined = b",".join(body for _, body in records)
    if kind == "journals":
        return b'{"response":{"journals":[' + joined + b"]}}"
    return b'{"response":[' + joined + b"]}"


def scrambled(ids: list[int]) -> list[int]:
    """A deterministic order that is not ascending (for two or more ids): the API does not answer in request
    order, and a client must key results by id."""
    out = sorted(ids, key=lambda i: (i * 2654435761) & 0xFFFFFFFF)
    if len(out) > 1 and all(a < b for a, b in pairwise(out)):
        out = out[1:] + out[:1]
    return out


def _existing_keys(mapping: dict[int, list[int]], lo: int, hi: int):
    if hi - lo < len(mapping):
        return (k for k in range(lo, hi + 1) if k in mapping)
    return (k for k in mapping if lo <= k <= hi)


def _include_optional(text: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip()) if text else frozenset()


def _invalid_id_set(error: IdSetError) -> Response:
    return errors_response(400, "CMNC-400", f"Invalid ID set: {error}")


def _contact_sort_direction(text: str | None) -> str:
    """`sort=contactId.DESC` (docs), also `contactId|DESC` and a bare `contactId`."""
    if not text or text == "contactId":
        return "ASC"
    for separator in (".", "|"):
        name, sep, direction = text.rpartition(separator)
        if sep and name == "contactId" and direction.upper() in ("ASC", "DESC"):
            return direction.upper()
    raise ValueError(f"Cannot sort by {text}")


def _positive_int(text: str | None, default: int) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"expected a positive integer, got {text}")
    return int(text)
