"""Custom fields: metadata per entity and typed values (docs/brightpearl-api.md §R3.1, §R3.10).

Types are the ones the docs list for custom-field metadata (api-docs.brightpearl.com
product/product-custom-field-metadata/get.html and order/customfield-metadata/get.html): TEXT, TEXT_AREA, YES_NO,
INTEGER, DATE, SELECT. Values: text → string, YES_NO → bool, INTEGER → number, SELECT → {id, value},
DATE → the non-ISO `2023-03-06 17:22:26 -0600`.

Records keep every set value under "customFields"; a GET shows that key only with includeOptional=customFields
and lists unset codes under "nullCustomFields" only with includeOptional=nullCustomFields.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from . import names
from .timefmt import DAY_MS, TimeFormat


@dataclass(frozen=True)
class FieldDef:
    id: int
    code: str
    name: str
    type: str
    required: bool = False
    options: tuple[tuple[int, str], ...] = ()
    fill: float = 0.6  # share of records with a value


def _select(first_id: int, values: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((first_id + i, v) for i, v in enumerate(values))


# Orders: sale and purchase share the id space and two fields (the docs' example lists one field under both).
_ORDER_FIELDS = (
    FieldDef(1, "PCF_INTREF", "Internal reference", "TEXT", fill=0.5),
    FieldDef(2, "PCF_GIFTMSG", "Gift message", "TEXT_AREA", fill=0.15),
    FieldDef(3, "PCF_URGENT", "Urgent", "YES_NO", fill=0.7),
    FieldDef(4, "PCF_SALESREP", "Sales rep", "SELECT", options=_select(160, ("North", "South", "Online", "Key accounts"))),
    FieldDef(5, "PCF_PROMISED", "Promised date", "DATE", fill=0.4),
    FieldDef(6, "PCF_BOXES", "Box count", "INTEGER", fill=0.5),
    FieldDef(
        7, "PCF_INCOTERM", "Incoterm", "SELECT", required=True, options=_select(170, ("EXW", "FOB", "CIF", "DDP")), fill=0.9
    ),
    FieldDef(8, "PCF_ETA", "Supplier ETA", "DATE", fill=0.6),
    FieldDef(9, "PCF_CARTONS", "Cartons", "INTEGER", fill=0.5),
)
SALE_FIELDS = tuple(f for f in _ORDER_FIELDS if f.id in (1, 2, 3, 4, 5, 6))
PURCHASE_FIELDS = tuple(f for f in _ORDER_FIELDS if f.id in (1, 3, 7, 8, 9))

PRODUCT_FIELDS = (
    FieldDef(1, "PCF_SERIALIS", "Serialised", "YES_NO", fill=0.8),
    FieldDef(2, "PCF_MATERIAL", "Main material", "SELECT", options=_select(20, names.PRODUCT_MATERIALS[:8])),
    FieldDef(3, "PCF_CARE", "Care instructions", "TEXT_AREA", fill=0.3),
    FieldDef(4, "PCF_WARRANTY", "Warranty months", "INTEGER", fill=0.4),
    FieldDef(5, "PCF_LAUNCH", "Launch date", "DATE", fill=0.5),
    FieldDef(6, "PCF_ORIGIN", "Country of origin", "TEXT", fill=0.6),
)

# Contacts: customer and supplier fields are separate sets ("may only be assigned to one of these groups").
CUSTOMER_FIELDS = (
    FieldDef(1, "PCF_LOYALTY", "Loyalty tier", "SELECT", options=_select(40, ("Bronze", "Silver", "Gold"))),
    FieldDef(2, "PCF_TAXEXEMPT", "Tax exempt", "YES_NO", fill=0.5),
    FieldDef(3, "PCF_ACCTNO", "Legacy account number", "INTEGER", fill=0.5),
    FieldDef(4, "PCF_FIRSTBUY", "First purchase", "DATE", fill=0.4),
    FieldDef(5, "PCF_NOTES", "Account notes", "TEXT", fill=0.3),
)
SUPPLIER_FIELDS = (
    FieldDef(6, "PCF_LEADTIME", "Lead time (days)", "INTEGER", fill=0.8),
    FieldDef(7, "PCF_VENDORNO", "Vendor number", "TEXT", fill=0.7),
    FieldDef(8, "PCF_PREFERRED", "Preferred supplier", "YES_NO", fill=0.6),
    FieldDef(
        9, "PCF_TERMS", "Payment terms", "SELECT", required=True, options=_select(50, ("Net 30", "Net 60", "Prepaid")), fill=0.95
    ),
)

_TEXT_WORDS = (
    "Call on arrival",
    "Leave at reception",
    "Fragile",
    "Gift wrap",
    "Back door",
    "Handle with care",
    "Signature required",
    "Check contents",
    "Side entrance",
    "Reorder soon",
)


def metadata_record(field: FieldDef) -> dict:
    record: dict[str, Any] = {
        "id": field.id,
        "code": field.code,
        "name": field.name,
        "customFieldType": field.type,
        "required": field.required,
    }
    if field.options:
        record["options"] = {str(oid): {"id": oid, "value": value} for oid, value in field.options}
    return record


def _value(field: FieldDef, rng: random.Random, tf: TimeFormat, around_ms: int) -> Any:
    if field.type == "TEXT":
        return (
            f"{rng.choice(_TEXT_WORDS)} {rng.randint(100, 9999)}"
            if field.code != "PCF_ORIGIN"
            else rng.choice(names.COUNTRIES)[0]
        )
    if field.type == "TEXT_AREA":
        return "\n".join(rng.sample(_TEXT_WORDS, 2))
    if field.type == "YES_NO":
        return rng.random() < 0.5
    if field.type == "INTEGER":
        return rng.randint(1, 9_999_999_999) if field.code == "PCF_ACCTNO" else rng.randint(1, 60)
    if field.type == "DATE":
        return tf.custom_field_date(around_ms + rng.randint(-30, 60) * DAY_MS + rng.randint(0, 86_399) * 1000)
    oid, value = rng.choice(field.options)
    return {"id": oid, "value": value}


def generate(fields: tuple[FieldDef, ...], rng: random.Random, tf: TimeFormat, around_ms: int) -> dict:
    """Values for one record: each field set with its fill rate (required fields always)."""
    values = {}
    for field in fields:
        if field.required or rng.random() < field.fill:
            values[field.code] = _value(field, rng, tf, around_ms)
    return values


def coerce(fields: tuple[FieldDef, ...], code: str, value: Any, tf: TimeFormat) -> Any:
    """A mutation's value in the field's API form (None unsets it)."""
    field = next((f for f in fields if f.code == code), None)
    if field is None:
        raise KeyError(f"unknown custom field {code!r}; known: {', '.join(f.code for f in fields)}")
    if value is None:
        return None
    if field.type == "SELECT":
        wanted = value.get("id") if isinstance(value, dict) else value
        for oid, label in field.options:
            if wanted in (oid, label):
                return {"id": oid, "value": label}
        raise ValueError(f"{code}: {value!r} is not one of its options")
    if field.type == "DATE":
        if isinstance(value, str) and len(value) == 25 and value[10] == " ":
            return value
        return tf.custom_field_date(tf.parse(value))
    if field.type == "YES_NO":
        return bool(value)
    if field.type == "INTEGER":
        return int(value)
    return str(value)


def served(record: dict, fields: tuple[FieldDef, ...], custom: bool, null_custom: bool) -> dict:
    """The record as a GET returns it for the requested includeOptional parts."""
    out = {}
    for key, value in record.items():
        if key != "customFields":
            out[key] = value
            continue
        if custom:
            out["customFields"] = value
        if null_custom:
            out["nullCustomFields"] = [f.code for f in fields if f.code not in value]
    return out
