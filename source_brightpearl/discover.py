"""Typed custom fields at discover time (issue: the full catalog, item 3).

`orders`, `products` and `contacts` carry `customFields`, a map keyed by field code whose values are typed per field
(docs/brightpearl-api.md §R3.1, §R3.10): text as strings, numbers as numbers, YES_NO as booleans, SELECT as `{id, value}`, DATE as
a non-ISO string like "2023-03-06 17:22:26 -0600". Discover reads the custom-field metadata endpoints and turns each
field into a typed property, so a warehouse gets typed columns. The object stays open: a field created after
discover still arrives. If the metadata cannot be read, discover keeps the untyped object and logs a warning.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Iterable, List, Mapping, MutableMapping

# Stream -> the metadata endpoints of its entity types (order: sale and purchase; contact: customer and supplier).
METADATA_PATHS: Mapping[str, List[str]] = {
    "orders": ["order-service/sale/custom-field-meta-data", "order-service/purchase/custom-field-meta-data"],
    "products": ["product-service/product/custom-field-meta-data"],
    "contacts": ["contact-service/customer/custom-field-meta-data", "contact-service/supplier/custom-field-meta-data"],
}

_SELECT = {
    "type": ["null", "object"],
    "additionalProperties": True,
    "properties": {"id": {"type": ["null", "integer"]}, "value": {"type": ["null", "string"]}},
}
_BY_TYPE: Mapping[str, Dict[str, Any]] = {
    "TEXT": {"type": ["null", "string"]},
    "TEXT_AREA": {"type": ["null", "string"]},
    "STRING": {"type": ["null", "string"]},
    "YES_NO": {"type": ["null", "boolean"]},
    "BOOLEAN": {"type": ["null", "boolean"]},
    "INTEGER": {"type": ["null", "integer"]},
    "NUMBER": {"type": ["null", "number"]},
    "DECIMAL": {"type": ["null", "number"]},
    "SELECT": _SELECT,
    # Not ISO 8601 ("2023-03-06 17:22:26 -0600"), so no date-time format: kept as the API sends it.
    "DATE": {"type": ["null", "string"]},
}


def property_for(field: Mapping[str, Any]) -> Dict[str, Any]:
    kind = str(field.get("customFieldType") or "").upper()
    schema = dict(_BY_TYPE.get(kind, {}))
    label = f"{field.get('name') or field.get('code')} (custom field, {kind or 'unknown type'}"
    if kind == "DATE":
        label += ', e.g. "2023-03-06 17:22:26 -0600"'
    if kind == "SELECT" and isinstance(field.get("options"), dict):
        values = [str(o.get("value")) for o in field["options"].values() if isinstance(o, dict)]
        label += "; options: " + ", ".join(values[:20]) + (", …" if len(values) > 20 else "")
    schema["description"] = label + ")."
    return schema


def custom_field_properties(metadata: Iterable[Mapping[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """Code -> property schema. A code defined twice with different types (e.g. on sale and purchase orders) gets
    an untyped property rather than a wrong one."""
    properties: Dict[str, Dict[str, Any]] = {}
    for field in metadata:
        code = field.get("code")
        if not code:
            continue
        candidate = property_for(field)
        existing = properties.get(code)
        if existing is not None and existing.get("type") != candidate.get("type"):
            candidate = {"description": f"{code} (custom field with different types per entity; untyped)."}
        properties[code] = candidate
    return properties


def type_custom_fields(
    streams: Iterable[Any], read_metadata: Callable[[str], List[Mapping[str, Any]]], logger: logging.Logger
) -> None:
    """Add typed properties to `customFields` of each discovered stream that has custom fields (in place)."""
    for stream in streams:
        paths = METADATA_PATHS.get(stream.name)
        if not paths:
            continue
        custom: MutableMapping[str, Any] = stream.json_schema["properties"]["customFields"]
        try:
            metadata = [field for path in paths for field in read_metadata(path)]
        except Exception as error:  # discover must still succeed: the object stays untyped
            logger.warning(
                f"Stream '{stream.name}': could not read the custom-field metadata ({type(error).__name__}: {error}); "
                "customFields stays an untyped object."
            )
            continue
        custom["properties"] = {**custom.get("properties", {}), **custom_field_properties(metadata)}
