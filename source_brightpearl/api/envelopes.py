"""Turning a detail GET response into stream records.

Envelopes (PROTOCOL.md §8, RESOURCES.md §4):
- `list`: `{"response": [ {...}, ... ]}` (orders, products, contacts, prices; contacts add top-level pagination keys);
- `map`: `{"response": {"<id>": {...}, ...}}` keyed by id with no id inside for some resources (goods-out notes,
  availability): the key is added to each record under `key_field`;
- `journals`: `{"response": {"journals": [ {...}, ... ]}}`.

Shapes flatten what the stream's primary key calls for (each documented in the stream's schema):
- `as_is`: one record per object;
- `product_prices`: one record per product x price list (`priceLists[]` items gain `productId`);
- `product_availability`: one record per product x warehouse (`warehouses` map entries gain `productId` and
  `warehouseId`); the per-product `total` is the sum over warehouses and is not emitted.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, Mapping, Optional

Records = Iterator[Dict[str, Any]]


class MalformedDetailResponse(ValueError):
    pass


def _objects(body: Any, envelope: str, key_field: Optional[str]) -> Records:
    if not isinstance(body, dict) or "response" not in body:
        raise MalformedDetailResponse("the body has no `response`")
    payload = body["response"]
    if envelope == "journals":
        payload = payload.get("journals") if isinstance(payload, dict) else None
        envelope = "list"
    if envelope == "list":
        if not isinstance(payload, list):
            raise MalformedDetailResponse("`response` is not a list")
        for item in payload:
            if not isinstance(item, dict):
                raise MalformedDetailResponse("a `response` item is not an object")
            yield item
        return
    if envelope == "map":
        if payload == []:
            return  # an empty result can come back as an empty list even from map-shaped resources
        if not isinstance(payload, dict):
            raise MalformedDetailResponse("`response` is not an object keyed by id")
        for key, item in payload.items():
            if not isinstance(item, dict):
                raise MalformedDetailResponse(f"`response.{key}` is not an object")
            if key_field:
                item[key_field] = int(key)
            yield item
        return
    raise ValueError(f"unknown envelope {envelope!r}")


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


def converter(envelope: str, shape: str = "as_is", key_field: Optional[str] = None) -> Callable[[Any], Records]:
    if envelope not in ("list", "map", "journals"):
        raise ValueError(f"unknown envelope {envelope!r}")
    if shape not in _SHAPES:
        raise ValueError(f"unknown shape {shape!r}")
    flatten = _SHAPES[shape]

    def convert(body: Any) -> Records:
        objects = _objects(body, envelope, key_field)
        if flatten is None:
            return objects
        return (record for item in objects for record in flatten(item))

    return convert
