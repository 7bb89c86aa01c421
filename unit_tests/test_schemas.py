"""The stream schemas in schemas/: one Draft 7 schema per stream, and every record the connector makes of an example
payload (unit_tests/fixtures/, read through its own search parser and envelopes) validates against it.

Contract (CONTRIBUTING.md §7.2, §7.3): stream names and primary keys; every property the API may omit is nullable and not
required (only the primary key is required, and non-null); `additionalProperties: true` on every object with
properties; decimals stay strings; ids are plain integers (64-bit included); RFC 3339 date-times carry
`format: date-time` + `airbyte_type: timestamp_with_timezone`, anything else stays a plain string.

Validation is stricter than plain `Draft7Validator`:
- integers are strict: jsonschema's Draft 7 accepts 1.0 as an integer, the Airbyte standard tests do not;
- `format: date-time` is really checked: without the optional rfc3339-validator package jsonschema's FormatChecker
  accepts any string as a date-time, so an RFC 3339 regex (plus a calendar check) is registered here.
"""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Tuple

import pytest
import requests
from airbyte_cdk.sources.declarative.models import declarative_component_schema as component_models
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.types import StreamSlice
from jsonschema import Draft7Validator

from source_brightpearl.api.envelopes import converter
from source_brightpearl.api.search import parse_search_page
from source_brightpearl.source import SourceBrightpearl
from unit_tests.record_validation import DECIMAL_STRING, FORMAT_CHECKER, RFC3339, STREAMS, StrictDraft7Validator

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS_DIR = ROOT / "schemas"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# Search columns are typed by their reportDataType (search cells can always be null).
REPORT_DATA_TYPES = {
    "IDSET": "integer",
    "INTEGER": "integer",
    "STRING": "string",
    "SEARCH_STRING": "string",
    "BOOLEAN": "boolean",
    "PERIOD": "string",
}


def load_schema(stream: str) -> dict:
    return json.loads((SCHEMAS_DIR / f"{stream}.json").read_text(encoding="utf-8"))


def validator(stream: str) -> Draft7Validator:
    return StrictDraft7Validator(load_schema(stream), format_checker=FORMAT_CHECKER)


def errors(stream: str, record: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<record>'}: {error.message}"
        for error in sorted(validator(stream).iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
    ]


def error_paths(stream: str, record: dict) -> set[str]:
    return {"/".join(map(str, error.absolute_path)) for error in validator(stream).iter_errors(record)}


# ------------------------------------------------------------------------------------------------ walkers
def walk_schema(node: dict, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every subschema reachable through properties, additionalProperties (schema) and items."""
    yield path, node
    for name, sub in node.get("properties", {}).items():
        yield from walk_schema(sub, path + ("properties", name))
    if isinstance(node.get("additionalProperties"), dict):
        yield from walk_schema(node["additionalProperties"], path + ("additionalProperties",))
    if isinstance(node.get("items"), dict):
        yield from walk_schema(node["items"], path + ("items",))


def walk_values(schema: dict, value: Any, path: tuple = ()) -> Iterator[tuple[tuple, dict, Any]]:
    """(path, subschema, value) for every value of an instance that a subschema describes."""
    yield path, schema, value
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                yield from walk_values(sub, item, path + (key,))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from walk_values(schema["items"], item, path + (index,))


def types_of(node: dict) -> set[str]:
    declared = node.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def is_decimal_string(node: dict) -> bool:
    return "decimal as string" in node.get("description", "").lower()


# ------------------------------------------------------------------------------------------------ schema files
def test_exactly_one_schema_per_stream():
    files = sorted(path.stem for path in SCHEMAS_DIR.glob("*.json"))
    assert files == sorted(STREAMS)


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_schema_is_draft7_with_a_record_description(stream):
    schema = load_schema(stream)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_07
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is True
    description = schema.get("description", "")
    assert description.startswith("One ") or description.startswith("Stock of one "), description
    assert re.search(r"[a-z]+-service/", description), "the description names the endpoint the record comes from"


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_only_the_primary_key_is_required_and_it_is_not_null(stream):
    schema = load_schema(stream)
    assert schema["required"] == STREAMS[stream]
    for field in STREAMS[stream]:
        node = schema["properties"][field]
        assert types_of(node) and "null" not in types_of(node), f"{field} is a primary key: it must not be null"
    nested = [path for path, node in walk_schema(schema) if path and "required" in node]
    assert not nested, f"nested 'required' (the API omits unset keys): {nested}"


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_every_other_property_is_nullable(stream):
    schema = load_schema(stream)
    primary_key = {("properties", field) for field in STREAMS[stream]}
    not_nullable = [
        "/".join(path)
        for path, node in walk_schema(schema)
        if path and path[-2:-1] == ("properties",) and path not in primary_key and "null" not in types_of(node)
    ]
    assert not not_nullable


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_every_object_stays_open(stream):
    for path, node in walk_schema(load_schema(stream)):
        where = "/".join(path) or "<root>"
        if "properties" in node:
            assert node.get("additionalProperties") is True, f"{where}: additionalProperties must be true"
        if "object" in types_of(node):
            # A map keyed by id/code declares its value schema; any other object is open.
            assert "additionalProperties" in node, f"{where}: say whether the object is open or a map"
            assert node["additionalProperties"] is not False, where


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_schema_uses_plain_types_only(stream):
    for path, node in walk_schema(load_schema(stream)):
        where = "/".join(path) or "<root>"
        assert not {"$ref", "anyOf", "oneOf", "allOf", "not"} & set(node), f"{where}: keep schemas flat for destinations"
        if path and path[-1] != "items":
            assert types_of(node) <= {"null", "string", "integer", "number", "boolean", "object", "array"}, where
            assert types_of(node), f"{where}: no type"
        if node.get("format") == "date-time" or "airbyte_type" in node:
            assert node.get("format") == "date-time", where
            assert node.get("airbyte_type") == "timestamp_with_timezone", where
            assert "string" in types_of(node), where
        if is_decimal_string(node):
            assert types_of(node) - {"null"} == {"string"}, f"{where}: decimals stay strings"


# ------------------------------------------------------------------------------------------------ example payloads
# Stream -> the example bodies its records are read from (unit_tests/fixtures/, provenance in its README.md). A
# `*-search.json` body is a search page, read with the connector's search parser; any other is a detail or list GET,
# read with the stream's `envelope` / `shape` / `key_field` from manifest.yaml. The manifest's transformations apply.
STREAM_FIXTURES: Dict[str, List[str]] = {
    "contact_group_members": ["hand-written/contact-group-member-search.json"],
    "channel_brands": ["hand-written/channel-brand-get.json"],
    "warehouse_zones": ["hand-written/zone-search.json"],
    "orders": ["order-get.json", "order-get-purchase-order.json", "order-get-with-custom-fields.json"],
    "products": [
        "product-get.json",
        "product-get-with-custom-fields.json",
        "product-get-select-custom-fields.json",
        "product-get-bundle.json",
    ],
    "contacts": ["contact-get.json", "contact-get-full.json"],
    "goods_out_notes": ["goods-out-note-get.json"],
    "goods_in_notes": ["synthesized/goods-in-note-get.json"],
    "customer_payments": ["customer-payment-search.json"],
    "supplier_payments": ["synthesized/supplier-payment-search.json"],
    "journals": ["journal-get.json", "journal-get-nacre-fixture.json"],
    "goods_movements": ["synthesized/goods-movement-search.json"],
    "product_prices": ["product-price-get.json"],
    "product_availability": ["product-availability-get.json"],
    "warehouses": ["warehouse-get.json"],
    # The stream reads location-search; the per-warehouse location GET has the same fields without warehouseId.
    "locations": ["hand-written/location-search.json", "location-get.json"],
    "brands": ["brand-get.json"],
    "categories": ["brightpearl-category-get.json"],
    "collections": ["hand-written/collection-search.json"],
    "seasons": ["season-get.json"],
    "product_types": ["hand-written/product-type-search.json"],
    "options": ["hand-written/option-search.json"],
    "option_values": ["hand-written/option-value-search.json"],
    "price_lists": ["price-list-get.json"],
    "channels": ["channel-get.json"],
    "order_statuses": ["order-status-get.json"],
    "order_types": ["order-type-get.json"],
    "order_stock_statuses": ["hand-written/order-stock-status-get.json"],
    "order_shipping_statuses": ["order-shipping-status-get.json"],
    "shipping_methods": ["hand-written/shipping-method-get.json"],
    "nominal_codes": ["nominal-code-get.json"],
    "tax_codes": ["tax-code-get.json"],
    "currencies": ["currency-search.json"],
    "exchange_rates": ["exchange-rate-get.json"],
    "accounting_periods": ["accounting-period-get.json"],
    "payment_methods": ["payment-method-get.json"],
    "companies": ["hand-written/company-search.json"],
    "contact_groups": ["hand-written/contact-group-search.json"],
    "lead_sources": ["hand-written/lead-source-get.json"],
    "stock_transfers": ["stock-transfer-get.json"],
    "custom_field_metadata": ["order-custom-field-metadata-get.json"],
}
# The partition a body was read from, for streams whose records take something from it (custom_field_metadata's
# `entity`, added by the manifest's AddFields from the path).
READ_FROM = {"order-custom-field-metadata-get.json": "order-service/sale/custom-field-meta-data"}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


def _as_requested(name: str, body: Any) -> Any:
    """contact-get.json was recorded without `includeOptional=customFields`. The connector asks for it, and then each
    contact carries its custom-field map inline: here the one contact-custom-field-get.json recorded for 151499."""
    if name == "contact-get.json":
        custom_fields = fixture("contact-custom-field-get.json")["response"]
        for contact in body["response"]:
            if contact["contactId"] == 151499:
                contact["customFields"] = custom_fields
    return body


def _response(body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = "application/json;charset=UTF-8"
    response._content = json.dumps(body).encode()
    return response


@lru_cache(maxsize=1)
def _manifest_streams() -> Dict[str, Mapping[str, Any]]:
    """The streams as the CDK resolved them (references, `$parameters` and component types filled in)."""
    source = SourceBrightpearl(config={"data_center": "euw1", "account": "acme", "client_id": "acme_app", "access_token": "t"})
    return {stream["name"]: stream for stream in source.resolved_manifest["streams"]}


def _transformations(stream: Mapping[str, Any]) -> List[Any]:
    factory = ModelToComponentFactory()
    return [
        factory.create_component(getattr(component_models, definition["type"]), definition, config={})
        for definition in stream.get("transformations", [])
    ]


def records_from(stream_name: str, name: str) -> List[Dict[str, Any]]:
    """The records the connector emits for `stream_name` from the example body `name`, read by the product's code."""
    stream = _manifest_streams()[stream_name]
    body = _as_requested(name, fixture(name))
    if name.endswith("-search.json"):
        records = list(parse_search_page(_response(body)).records())
    else:
        parameters = stream.get("$parameters", {})
        to_records = converter(parameters.get("envelope", "list"), parameters.get("shape", "as_is"), parameters.get("key_field"))
        records = list(to_records(body))
    partition = StreamSlice(partition={"resource_path": READ_FROM.get(name, "")}, cursor_slice={})
    for transformation in _transformations(stream):
        for record in records:
            transformation.transform(record, config={}, stream_slice=partition)
    return records


def without_top_level_nulls(record: Dict[str, Any]) -> Dict[str, Any]:
    """What reaches stdout: the CDK's record serializer drops top-level None values (nested ones stay)."""
    return {key: value for key, value in record.items() if value is not None}


def iter_examples() -> Iterator[Tuple[str, str, Dict[str, Any]]]:
    for stream, names in STREAM_FIXTURES.items():
        for name in names:
            for index, record in enumerate(records_from(stream, name)):
                yield stream, f"{name}#{index}", record


EXAMPLES = list(iter_examples())


def test_every_stream_has_example_records():
    assert sorted({stream for stream, _label, _record in EXAMPLES}) == sorted(STREAMS)


def test_every_fixture_is_used_and_documented():
    files = sorted(str(path.relative_to(FIXTURES_DIR)) for path in FIXTURES_DIR.rglob("*.json"))
    used = {name for names in STREAM_FIXTURES.values() for name in names} | {"contact-custom-field-get.json"}
    assert sorted(used) == files
    readme = (FIXTURES_DIR / "README.md").read_text(encoding="utf-8")
    assert not [name for name in files if f"`{name}`" not in readme], "every fixture has a provenance line in README.md"


@pytest.mark.parametrize("stream,label,record", EXAMPLES, ids=[f"{stream}:{label}" for stream, label, _ in EXAMPLES])
def test_example_record_validates(stream, label, record):
    assert not errors(stream, record), "\n".join(errors(stream, record))
    emitted = without_top_level_nulls(record)
    assert not errors(stream, emitted), "\n".join(errors(stream, emitted))
    for field in STREAMS[stream]:
        assert emitted.get(field) is not None, f"primary key field {field} missing"


@pytest.mark.parametrize("stream,label,record", EXAMPLES, ids=[f"{stream}:{label}" for stream, label, _ in EXAMPLES])
def test_example_values_have_their_declared_kind(stream, label, record):
    """Checked value by value, independently of the validator: ints are ints, date-times are RFC 3339, decimals
    are decimal strings."""
    problems = []
    for path, node, value in walk_values(load_schema(stream), record):
        where = "/".join(map(str, path))
        if value is None:
            continue
        kinds = types_of(node)
        if kinds == {"null", "integer"} or kinds == {"integer"}:
            if not (isinstance(value, int) and not isinstance(value, bool)):
                problems.append(f"{where}: {value!r} is not a Python int")
        if node.get("format") == "date-time" and not (isinstance(value, str) and RFC3339.match(value)):
            problems.append(f"{where}: {value!r} is not RFC 3339")
        if is_decimal_string(node):
            if not (isinstance(value, str) and DECIMAL_STRING.match(value)):
                problems.append(f"{where}: {value!r} is not a decimal string")
            else:
                Decimal(value)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stream,label,record", EXAMPLES, ids=[f"{stream}:{label}" for stream, label, _ in EXAMPLES])
def test_every_example_field_is_declared(stream, label, record):
    """additionalProperties keeps unknown fields flowing, but every field seen in an example is typed explicitly."""
    undeclared = []
    for path, node, value in walk_values(load_schema(stream), record):
        if isinstance(value, dict) and "properties" in node:
            undeclared += ["/".join(map(str, path + (key,))) for key in value if key not in node["properties"]]
    assert not undeclared, f"fields not in the schema: {undeclared}"


def test_date_time_and_integer_checks_see_values():
    """Guard against a vacuous walk: the examples exercise many date-time, integer and decimal values."""
    counts = {"date-time": 0, "integer": 0, "decimal": 0}
    for stream, _label, record in EXAMPLES:
        for _path, node, value in walk_values(load_schema(stream), record):
            if value is None:
                continue
            counts["date-time"] += node.get("format") == "date-time"
            counts["integer"] += "integer" in types_of(node)
            counts["decimal"] += is_decimal_string(node)
    assert counts["date-time"] > 80 and counts["integer"] > 300 and counts["decimal"] > 80, counts


SEARCH_FIXTURES = [(stream, name) for stream, names in STREAM_FIXTURES.items() for name in names if name.endswith("-search.json")]


@pytest.mark.parametrize("stream,name", SEARCH_FIXTURES, ids=[f"{s}:{n}" for s, n in SEARCH_FIXTURES])
def test_search_columns_are_typed_by_report_data_type(stream, name):
    properties = load_schema(stream)["properties"]
    for column in fixture(name)["response"]["metaData"]["columns"]:
        assert column["name"] in properties, f"column {column['name']} missing from the schema"
        node = properties[column["name"]]
        expected = REPORT_DATA_TYPES[column["reportDataType"]]
        assert types_of(node) - {"null"} == {expected}, f"{column['name']} ({column['reportDataType']})"
        if column["name"] not in STREAMS[stream]:
            assert "null" in types_of(node), f"search cell {column['name']} can be null"


# ------------------------------------------------------------------------------------------------ negative cases
def example(stream: str, label_prefix: str = "") -> dict:
    for each_stream, label, record in EXAMPLES:
        if each_stream == stream and label.startswith(label_prefix):
            return copy.deepcopy(record)
    raise LookupError(stream, label_prefix)


def test_strict_integers_reject_floats_and_booleans():
    record = example("products")
    assert not errors("products", record)
    assert error_paths("products", {**record, "id": 1007.0}) == {"id"}
    assert error_paths("products", {**record, "brandId": 74.0}) == {"brandId"}
    assert error_paths("products", {**record, "brandId": True}) == {"brandId"}
    # plain jsonschema would have let the float through
    assert not list(Draft7Validator(load_schema("products")).iter_errors({**record, "id": 1007.0}))


def test_order_decimal_given_as_number_fails():
    order = example("orders")
    order["totalValue"]["net"] = 9.09
    assert error_paths("orders", order) == {"totalValue/net"}
    order = example("orders")
    next(iter(order["orderRows"].values()))["rowValue"]["rowNet"]["value"] = 9.0909
    assert len(error_paths("orders", order)) == 1


def test_order_date_time_is_checked():
    order = example("orders")
    order["updatedOn"] = "2022-01-26 09:38:12"
    assert error_paths("orders", order) == {"updatedOn"}
    order["updatedOn"] = "2022-13-26T09:38:12.000-06:00"
    assert error_paths("orders", order) == {"updatedOn"}
    del order["updatedOn"]  # absent on never-updated orders
    assert not errors("orders", order)


def test_product_without_id_fails():
    product = example("products")
    del product["id"]
    assert error_paths("products", product) == {""}


def test_product_version_is_an_int64_integer():
    product = example("products")
    assert product["version"] > 2**31
    assert not errors("products", product)
    assert error_paths("products", {**product, "version": str(product["version"])}) == {"version"}


def test_goods_out_note_needs_its_injected_id_and_row_arrays():
    note = example("goods_out_notes")
    assert not errors("goods_out_notes", note)
    assert error_paths("goods_out_notes", {k: v for k, v in note.items() if k != "goodsOutNoteId"}) == {""}
    row_id = next(iter(note["orderRows"]))
    note["orderRows"][row_id] = note["orderRows"][row_id][0]  # an object where the API sends an array
    assert error_paths("goods_out_notes", note) == {f"orderRows/{row_id}"}


def test_primary_keys_cannot_be_null():
    price = example("product_prices")
    assert price["priceListId"] == 1
    assert error_paths("product_prices", {**price, "priceListId": None}) == {"priceListId"}
    assert not errors("product_prices", {**price, "priceListId": 0})  # 0 is a real price list
    price["quantityPrice"] = {"1": 10.0}
    assert error_paths("product_prices", price) == {"quantityPrice/1"}


def test_custom_field_metadata_entity_is_a_known_path_segment():
    metadata = example("custom_field_metadata")
    assert metadata["entity"] == "sale"
    assert error_paths("custom_field_metadata", {**metadata, "entity": "order"}) == {"entity"}
    assert error_paths("custom_field_metadata", {k: v for k, v in metadata.items() if k != "entity"}) == {""}


def test_contact_tags_stay_a_comma_separated_string():
    contact = example("contacts")
    assert not errors("contacts", {**contact, "contactTags": "0,12"})
    assert error_paths("contacts", {**contact, "contactTags": [0, 12]}) == {"contactTags"}


def test_availability_and_payment_types():
    availability = example("product_availability")
    assert error_paths("product_availability", {**availability, "inStock": "4"}) == {"inStock"}
    payment = example("customer_payments")
    assert error_paths("customer_payments", {**payment, "amountPaid": 100.0}) == {"amountPaid"}
    assert not errors("customer_payments", {**payment, "currencyId": None})  # null when the currency is not set up


def test_non_iso_dates_stay_plain_strings():
    period = example("accounting_periods")
    assert period["endDate"].endswith(":999Z") and not RFC3339.match(period["endDate"])
    assert not errors("accounting_periods", period)
    assert error_paths("accounting_periods", {**period, "startDate": period["endDate"]}) == {"startDate"}
    season = example("seasons")
    assert season["dateFrom"] == "2010-02-15" and not errors("seasons", season)
