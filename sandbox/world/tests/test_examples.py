"""The world's payloads have the shapes of the example payloads (shared/brightpearl-api/examples next to the repository).

For every example that corresponds to a collection, search table or static list of the README's route table:
every key path of the example occurs on some world record, every world key path is in the example or is an
optional key docs/brightpearl-api.md documents, and JSON types agree (int vs float too). Search tables have the example's
columns, in order, with the same metadata, and cells of the same types.

Examples with no counterpart here: order-options (an OPTIONS answer, built by the server), errors-and-empty (the
server's), sales-order-get (no sales-order route), contact-tag-get, postal-address-get, drop-ship-note-get,
webhook-get, location-get and synthesized/stock-correction-get (no route; locations are served by
location-search), journal-search-legacy-columns (the old 10-column layout; the world serves the current one), and
the custom-field value maps order-custom-field-get / contact-custom-field-get (checked against the values of
order and contact customFields below).
"""

from __future__ import annotations

import json

import pytest

from .conftest import EXAMPLES
from .shape import compare, json_type, shape

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="reference examples not available")

COLLECTION_EXAMPLES = {
    "order": ["order-get.json", "order-get-purchase-order.json", "order-get-with-custom-fields.json"],
    "order-status": ["order-status-get.json"],
    "order-shipping-status": ["order-shipping-status-get.json"],
    "order-type": ["order-type-get.json"],
    "sale-custom-field-meta-data": ["order-custom-field-metadata-get.json"],
    "purchase-custom-field-meta-data": ["order-custom-field-metadata-get.json"],
    "product": [
        "product-get.json",
        "product-get-with-custom-fields.json",
        "product-get-select-custom-fields.json",
        "product-get-bundle.json",
    ],
    "product-price": ["product-price-get.json"],
    "product-availability": ["product-availability-get.json"],
    "price-list": ["price-list-get.json"],
    "brand": ["brand-get.json"],
    "brightpearl-category": ["brightpearl-category-get.json"],
    "season": ["season-get.json"],
    "channel": ["channel-get.json"],
    "contact": ["contact-get.json", "contact-get-full.json"],
    "tax-code": ["tax-code-get.json"],
    "nominal-code": ["nominal-code-get.json"],
    "accounting-period": ["accounting-period-get.json"],
    "journal": ["journal-get.json", "journal-get-nacre-fixture.json"],
    "goods-out-note": ["goods-out-note-get.json"],
    "goods-in-note": ["synthesized/goods-in-note-get.json"],
    "warehouse": ["warehouse-get.json"],
    "stock-transfer": ["stock-transfer-get.json"],
}

# Keys docs/brightpearl-api.md documents as optional that no example happens to show (section cited per resource).
OPTIONAL_KEYS = {
    # docs/brightpearl-api.md §R3.1: externalRef?, installedIntegrationInstanceId?, row externalRef? and productOptions?, party country keys
    # present whenever countryId is set
    "order": [
        "externalRef",
        "installedIntegrationInstanceId",
        "orderRows.*.externalRef",
        "orderRows.*.productOptions",
        "parties.supplier.country",
        "parties.supplier.countryIsoCode",
        "parties.supplier.countryIsoCode3",
        "nullCustomFields",
    ],
    "order-status": ["alertEmails[]"],  # docs/brightpearl-api.md §R3.20 alertEmails []
    "product": ["collectionId", "primarySupplierId", "variations", "seasonIds[]"],  # docs/brightpearl-api.md §R3.5
    "contact": [
        "communication.telephones.FAX",
        "lastContactedOn",
        "customFields",
        "nullCustomFields",
    ],  # docs/brightpearl-api.md §R3.11
    "nominal-code": ["description"],  # docs/brightpearl-api.md §R3.15 description str?
    "journal": ["credits[].assignment.leadSourceId", "debits[].assignment.leadSourceId"],  # docs/brightpearl-api.md §R3.14
    "goods-out-note": ["labelUri", "shipping.boxes", "shipping.weight", "targetWarehouseId"],  # docs/brightpearl-api.md §R3.16
}

SEARCH_EXAMPLES = {
    "order-search": "order-search.json",
    "product-search": "product-search.json",
    "contact-search": "contact-search.json",
    "customer-payment-search": "customer-payment-search.json",
    "currency-search": "currency-search.json",
    "goods-in-search": "synthesized/goods-in-search.json",
    "goods-movement-search": "synthesized/goods-movement-search.json",
    "goods-out-search": "synthesized/goods-out-note-search.json",
    "journal-search": "synthesized/journal-search.json",
    "supplier-payment-search": "synthesized/supplier-payment-search.json",
}

# Columns that may be null in rows although the example shows only values (docs/brightpearl-api.md field notes: unset
# identity codes, optional product links, absent dates; docs/brightpearl-api.md §R3.13 expires/journalId; docs/brightpearl-api.md §R3.14 reconciliation fields).
NULLABLE = {
    "order-search": {"customerRef", "externalRef", "installedIntegrationInstanceId", "taxDate", "deliveryDate", "updatedOn"},
    "product-search": {"barcode", "EAN", "UPC", "ISBN", "MPN", "productGroupId", "primarySupplierId", "brightpearlCategoryCode"},
    "contact-search": {"lastContactedOn", "lastOrderedOn", "title"},
    "customer-payment-search": {"expires", "journalId"},
    "goods-in-search": {"userBatchRef", "groupingB", "groupingC", "groupingD"},
    "goods-movement-search": set(),
    "goods-out-search": {"shippedOn", "labelUri", "channelId"},
    "journal-search": {"journalRef", "journalDueDate", "taxReconciliationDate", "taxPeriodId"},
    "supplier-payment-search": set(),
    "currency-search": {"exchangeRateVarianceNominalCode"},
}

CELL_TYPES = {
    "IDSET": "int",
    "INTEGER": "int",
    "STRING": "string",
    "SEARCH_STRING": "string",
    "PERIOD": "string",
    "BOOLEAN": "bool",
}


def _load(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def _records(body: dict) -> list[dict]:
    response = body["response"]
    if isinstance(response, dict) and "journals" in response:
        return response["journals"]
    return list(response.values()) if isinstance(response, dict) else response


@pytest.mark.parametrize("name", sorted(COLLECTION_EXAMPLES))
def test_collection_records_have_the_example_shape(small_world, name):
    examples = [r for f in COLLECTION_EXAMPLES[name] for r in _records(_load(f))]
    include = frozenset(k for r in examples for k in ("customFields", "nullCustomFields") if k in r)
    collection = small_world.collection(name)
    records = [collection.get(i, include) for i in collection.ids()]
    assert records, f"{name}: no records"
    problems = compare(shape(examples), shape(records), extra=OPTIONAL_KEYS.get(name, ()), loose=("customFields",))
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", sorted(SEARCH_EXAMPLES))
def test_search_table_has_the_example_columns_and_cell_types(small_world, name):
    example = _load(SEARCH_EXAMPLES[name])
    table = small_world.search_table(name)
    example_columns = example["response"]["metaData"]["columns"]
    assert [c.name for c in table.columns] == [c["name"] for c in example_columns]
    for column, wanted in zip(table.columns, example_columns):
        assert column.report_data_type == wanted["reportDataType"], column.name
        assert column.sortable == wanted["sortable"], column.name
        assert column.filterable == wanted["filterable"], column.name
        assert list(column.reference_data) == wanted["referenceData"], column.name
    rows = table.rows()
    assert rows, f"{name}: no rows"
    assert all(len(row) == len(table.columns) for row in rows)
    for index, column in enumerate(table.columns):
        example_types = {json_type(r[index]) for r in example["response"]["results"]}
        if example_types == {"null"}:  # the example shows no value: the column type decides
            example_types.add(CELL_TYPES[column.report_data_type])
        world_types = {json_type(r[index]) for r in rows}
        allowed = (example_types - {"null"}) | ({"null"} if "null" in example_types or column.name in NULLABLE[name] else set())
        assert world_types <= allowed, f"{name}.{column.name}: world {world_types}, allowed {allowed}"
        assert world_types - {"null"}, f"{name}.{column.name}: never has a value"


@pytest.mark.parametrize("name", sorted(SEARCH_EXAMPLES))
def test_search_reference_maps_match_the_example(small_world, name):
    example = _load(SEARCH_EXAMPLES[name]).get("reference") or {}
    reference = small_world.search_table(name).reference()
    assert set(reference) == set(example)
    for key, labels in example.items():
        sample = next(iter(labels.values()))
        assert all(isinstance(k, str) for k in reference[key])
        assert {json_type(v) for v in reference[key].values()} == {json_type(sample)}


def test_search_rows_sorted_by_the_first_column(small_world):
    for name in small_world.search_table_names():
        firsts = [row[0] for row in small_world.search_table(name).rows()]
        assert firsts == sorted(firsts), name


@pytest.mark.parametrize(
    "name,example", [("exchange-rate", "exchange-rate-get.json"), ("payment-method", "payment-method-get.json")]
)
def test_static_lists_have_the_example_shape(small_world, name, example):
    problems = compare(shape(_records(_load(example))), shape(small_world.static_list(name).records()))
    assert not problems, problems


def test_exchange_rates_include_the_epoch_row_and_exclude_the_base_currency(small_world):
    records = small_world.static_list("exchange-rate").records()
    assert all(r["currencyId"] != 1 for r in records)
    assert any(r["rateActiveFrom"].startswith("1970-01-01") for r in records)
    keys = [(r["currencyId"], -small_world.ctx.tf.parse(r["rateActiveFrom"])) for r in records]
    assert keys == sorted(keys)  # currency ascending, date descending


def test_custom_field_values_have_the_recorded_value_types(small_world):
    recorded = list(_load("order-custom-field-get.json")["response"].values()) + list(
        _load("contact-custom-field-get.json")["response"].values()
    )
    world = [
        v
        for name in ("order", "contact")
        for i in small_world.collection(name).ids()
        for v in small_world.collection(name).get(i, frozenset({"customFields"}))["customFields"].values()
    ]
    assert {json_type(v) for v in recorded} <= {json_type(v) for v in world}
    selects = [v for v in world if isinstance(v, dict)]
    assert selects and all(set(v) == {"id", "value"} for v in selects)
    dates = [v for v in world if isinstance(v, str) and v[4:5] == "-" and v[10:11] == " "]
    assert dates and all(v.endswith(" -0600") and len(v) == 25 for v in dates)
