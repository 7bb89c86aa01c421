"""Turning a detail GET response into stream records.

Envelopes (docs/brightpearl.md "Supported streams"):
- `list`: `{"response": [ {...}, ... ]}` (orders, products, contacts, prices; contacts add top-level pagination keys);
- `map`: `{"response": {"<id>": {...}, ...}}` keyed by id with no id inside for some resources (goods-out notes,
  availability): the key is added to each record under `key_field`;
- `journals`: `{"response": {"journals": [ {...}, ... ]}}`.

Each object is the record of one id: the map key, or its `id_field` in list envelopes. `DetailReader.identified`
gives the objects with their ids, so a detail GET can be checked against the ids it asked for.

Shapes flatten what the stream's primary key calls for (each documented in the stream's schema):
- `as_is`: one record per object;
- `product_prices`: one record per product x price list (`priceLists[]` items gain `productId`);
- `product_availability`: one record per product x warehouse (`warehouses` map entries gain `productId` and
  `warehouseId`); the per-product `total` is the sum over warehouses and is not emitted.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Tuple

from source_brightpearl.api.responses import MalformedResponse

Records = Iterator[Dict[str, Any]]
ENVELOPES = ("list", "map", "journals")


class MalformedDetailResponse(MalformedResponse):
    pass


def _product_prices(product: Dict[str, Any]) -> Records:
    product_id = product.get("productId")
    for price_list in product.get("priceLists") or []:
        yield {"productId": product_id, **price_list}


def _product_availability(product: Dict[str, Any]) -> Records:
    product_id = product.get("productId")
    for warehouse_id, levels in (product.get("warehouses") or {}).items():
        yield {"productId": product_id, "warehouseId": int(warehouse_id), **levels}


_SHAPES: Mapping[str, Optional[Callable[[Dict[str, Any]], Records]]] = {
    "as_is": None,
    "product_prices": _product_prices,
    "product_availability": _product_availability,
}


class DetailReader:
    """How one resource's detail answers become records: `envelope`, `shape`, `key_field` (map envelopes), and
    `id_field`, where list objects carry their id."""

    def __init__(self, envelope: str, shape: str = "as_is", key_field: Optional[str] = None, id_field: str = "id") -> None:
        if envelope not in ENVELOPES:
            raise ValueError(f"unknown envelope {envelope!r}")
        if shape not in _SHAPES:
            raise ValueError(f"unknown shape {shape!r}")
        self.envelope = envelope
        self.key_field = key_field
        self.id_field = id_field
        self._flatten = _SHAPES[shape]

    def __call__(self, body: Any) -> Records:
        """Every record of the answer, ids unchecked (reference lists, read whole)."""
        for _, item in self._objects(body):
            yield from self.records(item)

    def identified(self, body: Any) -> Iterator[Tuple[int, Dict[str, Any]]]:
        """Each object of the answer with its id (an integer, or the answer is malformed)."""
        for key, item in self._objects(body):
            record_id = item.get(self.id_field) if key is None else key
            if not isinstance(record_id, int) or isinstance(record_id, bool):
                raise MalformedDetailResponse(f"an object has no integer `{self.id_field}`")
            yield record_id, item

    def records(self, item: Dict[str, Any]) -> Records:
        if self._flatten is None:
            yield item
            return
        try:
            yield from self._flatten(item)
        except (AttributeError, TypeError, ValueError) as error:
            raise MalformedDetailResponse(f"an object does not have the documented shape ({error})") from None

    def _objects(self, body: Any) -> Iterator[Tuple[Optional[int], Dict[str, Any]]]:
        if not isinstance(body, dict) or "response" not in body:
            raise MalformedDetailResponse("the body has no `response`")
        payload = body["response"]
        if self.envelope == "journals":
            payload = payload.get("journals") if isinstance(payload, dict) else None
        if self.envelope != "map":
            if not isinstance(payload, list):
                raise MalformedDetailResponse("`response` is not a list")
            for item in payload:
                if not isinstance(item, dict):
                    raise MalformedDetailResponse("a `response` item is not an object")
                yield None, item
            return
        if payload == []:
            return  # an empty result can come back as an empty list even from map-shaped resources
        if not isinstance(payload, dict):
            raise MalformedDetailResponse("`response` is not an object keyed by id")
        for key, item in payload.items():
            if not isinstance(item, dict):
                raise MalformedDetailResponse(f"`response.{key}` is not an object")
            try:
                record_id = int(key)
            except ValueError:
                raise MalformedDetailResponse(f"`response` has a key that is not an id ({key!r})") from None
            if self.key_field:
                item[self.key_field] = record_id
            yield record_id, item


def converter(envelope: str, shape: str = "as_is", key_field: Optional[str] = None) -> Callable[[Any], Records]:
    """Records of an answer, ids unchecked (see `DetailReader`)."""
    return DetailReader(envelope, shape, key_field)
