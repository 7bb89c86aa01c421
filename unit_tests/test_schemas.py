"""The stream schemas in schemas/: one Draft 7 schema per stream, and every example payload validates against it.

Contract (DESIGN.md §6, §8): stream names and primary keys; every property the API may omit is nullable and not
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
from pathlib import Path
from typing import Any, Iterator

import pytest
from jsonschema import Draft7Validator

from unit_tests.record_validation import DECIMAL_STRING, FORMAT_CHECKER, RFC3339, STREAMS, StrictDraft7Validator

try:  # unit_tests/ on sys.path (pytest "prepend" import mode without a package __init__)
    import schema_examples as examples
except ImportError:  # unit_tests/ is a package
    from unit_tests import schema_examples as examples

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS_DIR = ROOT / "schemas"
# The project's reference material, when it sits next to the repository (not in a fresh clone elsewhere).
REFERENCE_EXAMPLES = ROOT.parent / "shared" / "brightpearl-api" / "examples"
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
EXAMPLES = list(examples.iter_examples())


def test_every_stream_has_example_records():
    assert sorted(examples.example_records()) == sorted(STREAMS)


@pytest.mark.parametrize("stream,label,record", EXAMPLES, ids=[f"{stream}:{label}" for stream, label, _ in EXAMPLES])
def test_example_record_validates(stream, label, record):
    assert not errors(stream, record), "\n".join(errors(stream, record))
    emitted = examples.without_top_level_nulls(record)
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


SEARCH_SOURCES = [
    (stream, name)
    for stream, sources in examples.SOURCES.items()
    for name, to_records in sources
    if to_records is examples.search_rows
]


@pytest.mark.parametrize("stream,name", SEARCH_SOURCES, ids=[f"{s}:{n}" for s, n in SEARCH_SOURCES])
def test_search_columns_are_typed_by_report_data_type(stream, name):
    properties = load_schema(stream)["properties"]
    for column in examples.payload(name)["response"]["metaData"]["columns"]:
        assert column["name"] in properties, f"column {column['name']} missing from the schema"
        node = properties[column["name"]]
        expected = REPORT_DATA_TYPES[column["reportDataType"]]
        assert types_of(node) - {"null"} == {expected}, f"{column['name']} ({column['reportDataType']})"
        if column["name"] not in STREAMS[stream]:
            assert "null" in types_of(node), f"search cell {column['name']} can be null"


@pytest.mark.skipif(not REFERENCE_EXAMPLES.is_dir(), reason="reference examples folder not next to the repository")
@pytest.mark.parametrize("name", sorted(examples.PAYLOADS))
def test_example_copies_match_the_reference_payloads(name):
    original = json.loads((REFERENCE_EXAMPLES / name).read_text(encoding="utf-8"))
    assert examples.payload(name) == original


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
