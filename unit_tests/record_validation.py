"""What every test checks records against: the stream contract and strict JSON-schema validation.

Strict means what a warehouse relies on (and what the CDK's standard tests enforce): Draft 7, integers are real
integers (1.0 and True are not), and `format: date-time` values are RFC 3339 — jsonschema's own checker accepts any
string unless the optional rfc3339-validator is installed, so a regex with a calendar check is registered here.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Dict, Iterable, List, Mapping

from jsonschema import Draft7Validator, FormatChecker, validators

# The contract: stream name → primary key (CONTRIBUTING.md §7.2).
STREAMS: dict[str, list[str]] = {
    "orders": ["id"],
    "products": ["id"],
    "contacts": ["contactId"],
    "goods_out_notes": ["goodsOutNoteId"],
    "goods_in_notes": ["goodsNoteId"],
    "customer_payments": ["paymentId"],
    "supplier_payments": ["paymentId"],
    "journals": ["id"],
    "goods_movements": ["goodsMovementId"],
    "product_prices": ["productId", "priceListId"],
    "product_availability": ["productId", "warehouseId"],
    "warehouses": ["id"],
    "locations": ["id"],
    "brands": ["id"],
    "categories": ["id"],
    "collections": ["collectionId"],
    "seasons": ["id"],
    "product_types": ["id"],
    "options": ["id"],
    "option_values": ["optionValueId"],
    "price_lists": ["id"],
    "channels": ["id"],
    "order_statuses": ["statusId"],
    "order_types": ["id"],
    "order_stock_statuses": ["id"],
    "order_shipping_statuses": ["id"],
    "shipping_methods": ["id"],
    "nominal_codes": ["id"],
    "tax_codes": ["id"],
    "currencies": ["id"],
    "exchange_rates": ["currencyId", "rateActiveFrom"],
    "accounting_periods": ["id"],
    "payment_methods": ["code"],
    "companies": ["companyId"],
    "contact_groups": ["contactGroupId"],
    "contact_group_members": ["contactGroupId", "contactId"],
    "channel_brands": ["channelBrandId"],
    "warehouse_zones": ["id"],
    "lead_sources": ["id"],
    "stock_transfers": ["stockTransferId"],
    "custom_field_metadata": ["entity", "id"],
}

# ------------------------------------------------------------------------------------------------ strict validation
RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$")
DECIMAL_STRING = re.compile(r"^-?\d+(?:\.\d+)?$")
_LIBRARY_DATE_TIME = FormatChecker().checkers.get("date-time")  # present only with rfc3339-validator installed


def is_rfc3339(value: Any) -> bool:
    if not isinstance(value, str):
        return True  # formats apply to strings only
    match = RFC3339.match(value)
    if not match:
        return False
    year, month, day, hour, minute, second, offset_hours, offset_minutes = match.groups()
    datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))  # ValueError if invalid
    if offset_hours is not None and (int(offset_hours) > 23 or int(offset_minutes) > 59):
        return False
    if _LIBRARY_DATE_TIME is not None:
        function, raises = _LIBRARY_DATE_TIME
        return bool(function(value))
    return True


FORMAT_CHECKER = FormatChecker()
FORMAT_CHECKER.checks("date-time", raises=ValueError)(is_rfc3339)


def _strict_integer(_checker, instance) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictDraft7Validator = validators.extend(
    Draft7Validator, type_checker=Draft7Validator.TYPE_CHECKER.redefine("integer", _strict_integer)
)


def record_errors(schema: Mapping[str, Any], record: Mapping[str, Any]) -> List[str]:
    """Every way `record` fails `schema`, as `path: message` lines (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<record>'}: {error.message}"
        for error in sorted(
            StrictDraft7Validator(schema, format_checker=FORMAT_CHECKER).iter_errors(record),
            key=lambda e: list(map(str, e.absolute_path)),
        )
    ]


def invalid_records(
    schemas: Mapping[str, Mapping[str, Any]], records: Mapping[str, Iterable[Mapping[str, Any]]], limit: int = 5
) -> Dict[str, List[str]]:
    """Per stream, the first `limit` validation errors of its records (an empty dict when every record is valid)."""
    found: Dict[str, List[str]] = {}
    for stream, stream_records in records.items():
        validator = StrictDraft7Validator(schemas[stream], format_checker=FORMAT_CHECKER)
        for index, record in enumerate(stream_records):
            for error in validator.iter_errors(record):
                problems = found.setdefault(stream, [])
                if len(problems) < limit:
                    path = "/".join(map(str, error.absolute_path)) or "<record>"
                    problems.append(f"record #{index} {path}: {error.message}")
    return found
