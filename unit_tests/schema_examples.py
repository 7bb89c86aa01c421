"""Example Brightpearl payloads and the stream records the connector emits from them.

`PAYLOADS` (at the end of this file) holds verbatim copies of the example response bodies in the project's reference
material (`shared/brightpearl-api/examples/`, provenance in its README.md: "recorded" bodies are live API responses,
"docs example" / "library fixture" ones come from Brightpearl's docs or client libraries, and the `synthesized/` ones
were hand-written from documented column tables). They are copied here so that the schema tests run from a fresh
clone; `test_schemas.py` checks the copies against the originals whenever the reference folder sits next to the repo.

`HAND_WRITTEN` holds bodies for the streams that have no example at all. They were written for these tests from the
field / column lists in RESOURCES.md and are shape checks only, not evidence of what the API returns.

`example_records()` turns the bodies into records the way the connector emits them (DESIGN.md §5, §6):
- `*-search` rows are zipped with `metaData.columns[].name` (by name, never by position assumptions);
- id-set GETs: each element of the `response` list (contact GET: the `pagination` / `sorting` siblings are dropped);
- goods-out notes: each value of the `response` map, with the map key added as the integer `goodsOutNoteId`;
- goods-in notes: each value of the `response` map (it already carries `goodsNoteId`);
- journals: each element of `response.journals`;
- product prices: one record per `response[].priceLists[]` element, with the parent's `productId` copied in;
- product availability: one record per `response[productId].warehouses[warehouseId]`, both keys added as integers;
  the per-product `total` block is not emitted;
- custom-field metadata: each element, plus `entity` (the path segment it was read from);
- contacts: the contact object, plus `customFields` from `contact/{id}/custom-field` when the contact has any.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Iterator

Record = dict[str, Any]


# ----------------------------------------------------------------------------------------------- body → records
def search_rows(body: dict) -> list[Record]:
    """Zip the positional rows of a `*-search` response with the column names (null cells kept as None)."""
    response = body["response"]
    names = [column["name"] for column in response["metaData"]["columns"]]
    records = []
    for row in response["results"]:
        assert len(row) == len(names), f"row has {len(row)} cells for {len(names)} columns"
        records.append(dict(zip(names, row)))
    return records


def get_list(body: dict) -> list[Record]:
    """Elements of the `response` list of an id-set GET (wrapper siblings such as `pagination` are not records)."""
    return [dict(element) for element in body["response"]]


def map_values(body: dict, key_field: str | None = None) -> list[Record]:
    """Values of a `response` map keyed by id; with `key_field`, the key is added to each value as an integer."""
    records = []
    for key, value in body["response"].items():
        record = dict(value)
        if key_field is not None:
            record = {key_field: int(key), **record}
        records.append(record)
    return records


def journals(body: dict) -> list[Record]:
    """The journal GET wraps its list: `{"response": {"journals": [...]}}`."""
    return [dict(journal) for journal in body["response"]["journals"]]


def product_prices(body: dict) -> list[Record]:
    """One record per product × price list, `productId` copied from the parent element."""
    return [
        {"productId": product["productId"], **price_list} for product in body["response"] for price_list in product["priceLists"]
    ]


def product_availability(body: dict) -> list[Record]:
    """One record per product × warehouse; both map keys become integer fields; `total` is dropped."""
    return [
        {"productId": int(product_id), "warehouseId": int(warehouse_id), **quantities}
        for product_id, availability in body["response"].items()
        for warehouse_id, quantities in availability.get("warehouses", {}).items()
    ]


def custom_field_metadata(body: dict, entity: str) -> list[Record]:
    """Metadata elements with the path segment they were read from (sale, purchase, product, customer, supplier)."""
    return [{**element, "entity": entity} for element in body["response"]]


def contacts_with_custom_fields(body: dict, custom_fields: dict[int, dict]) -> list[Record]:
    """Contact GET elements, with `customFields` (the body of `contact/{id}/custom-field`) added when present."""
    records = []
    for contact in get_list(body):
        fields = custom_fields.get(contact["contactId"])
        if fields:
            contact["customFields"] = fields
        records.append(contact)
    return records


def without_top_level_nulls(record: Record) -> Record:
    """What reaches stdout: the CDK's record serializer drops top-level None values (nested ones stay)."""
    return {key: value for key, value in record.items() if value is not None}


# ----------------------------------------------------------------------------------------------- stream → examples
def payload(name: str) -> Any:
    """A body by file name: an example copy (`PAYLOADS`) or a hand-written body (`HAND_WRITTEN`)."""
    if name in PAYLOADS:
        return json.loads(PAYLOADS[name])
    return HAND_WRITTEN[name]


# stream → [(example name, body → records)]
SOURCES: dict[str, list[tuple[str, Callable[[Any], list[Record]]]]] = {
    "orders": [
        ("order-get.json", get_list),
        ("order-get-purchase-order.json", get_list),
        ("order-get-with-custom-fields.json", get_list),
    ],
    "products": [
        ("product-get.json", get_list),
        ("product-get-with-custom-fields.json", get_list),
        ("product-get-select-custom-fields.json", get_list),
        ("product-get-bundle.json", get_list),
    ],
    "contacts": [
        # contact-custom-field-get.json was recorded for contact 151499, which is in contact-get.json.
        (
            "contact-get.json",
            lambda body: contacts_with_custom_fields(body, {151499: payload("contact-custom-field-get.json")["response"]}),
        ),
        ("contact-get-full.json", get_list),
    ],
    "goods_out_notes": [("goods-out-note-get.json", lambda body: map_values(body, "goodsOutNoteId"))],
    "goods_in_notes": [("synthesized/goods-in-note-get.json", map_values)],
    "customer_payments": [("customer-payment-search.json", search_rows)],
    "supplier_payments": [("synthesized/supplier-payment-search.json", search_rows)],
    "journals": [("journal-get.json", journals), ("journal-get-nacre-fixture.json", journals)],
    "goods_movements": [("synthesized/goods-movement-search.json", search_rows)],
    "product_prices": [("product-price-get.json", product_prices)],
    "product_availability": [("product-availability-get.json", product_availability)],
    "warehouses": [("warehouse-get.json", get_list)],
    "locations": [
        ("hand-written/location-search.json", search_rows),
        # The location GET is per warehouse (this one was read from warehouse/1/location/) and has no warehouseId.
        ("location-get.json", lambda body: [{**row, "warehouseId": 1} for row in get_list(body)]),
    ],
    "brands": [("brand-get.json", get_list)],
    "categories": [("brightpearl-category-get.json", get_list)],
    "collections": [("hand-written/collection-search.json", search_rows)],
    "seasons": [("season-get.json", get_list)],
    "product_types": [("hand-written/product-type-search.json", search_rows)],
    "options": [("hand-written/option-search.json", search_rows)],
    "option_values": [("hand-written/option-value-search.json", search_rows)],
    "price_lists": [("price-list-get.json", get_list)],
    "channels": [("channel-get.json", get_list)],
    "order_statuses": [("order-status-get.json", get_list)],
    "order_types": [("order-type-get.json", get_list)],
    "order_stock_statuses": [("hand-written/order-stock-status-get.json", get_list)],
    "order_shipping_statuses": [("order-shipping-status-get.json", get_list)],
    "shipping_methods": [("hand-written/shipping-method-get.json", get_list)],
    "nominal_codes": [("nominal-code-get.json", get_list)],
    "tax_codes": [("tax-code-get.json", get_list)],
    "currencies": [("currency-search.json", search_rows)],
    "exchange_rates": [("exchange-rate-get.json", get_list)],
    "accounting_periods": [("accounting-period-get.json", get_list)],
    "payment_methods": [("payment-method-get.json", get_list)],
    "companies": [("hand-written/company-search.json", search_rows)],
    "contact_groups": [("hand-written/contact-group-search.json", search_rows)],
    "lead_sources": [("hand-written/lead-source-get.json", get_list)],
    "contact_group_members": [("hand-written/contact-group-member-search.json", search_rows)],
    "channel_brands": [("hand-written/channel-brand-get.json", get_list)],
    "warehouse_zones": [("hand-written/zone-search.json", search_rows)],
    "stock_transfers": [("stock-transfer-get.json", get_list)],
    "custom_field_metadata": [
        # Read from order-service/sale/custom-field-meta-data/131.
        ("order-custom-field-metadata-get.json", lambda body: custom_field_metadata(body, "sale")),
    ],
}


def example_records() -> dict[str, list[tuple[str, Record]]]:
    """stream → [(label "example#index", record)] for every example body that belongs to a stream."""
    out: dict[str, list[tuple[str, Record]]] = {}
    for stream, sources in SOURCES.items():
        for name, to_records in sources:
            for index, record in enumerate(to_records(payload(name))):
                out.setdefault(stream, []).append((f"{name}#{index}", record))
    return out


def iter_examples() -> Iterator[tuple[str, str, Record]]:
    """(stream, label, record) for every example record."""
    for stream, records in example_records().items():
        for label, record in records:
            yield stream, label, record


# ----------------------------------------------------------------------------------------------- hand-written bodies
def _column(name: str, report_data_type: str) -> dict:
    return {
        "name": name,
        "sortable": True,
        "filterable": True,
        "reportDataType": report_data_type,
        "referenceData": [],
        "isFreeTextSearchable": False,
        "required": False,
    }


def _search_body(columns: Iterable[tuple[str, str]], rows: list[list]) -> dict:
    columns = [_column(name, data_type) for name, data_type in columns]
    meta = {"morePagesAvailable": False, "resultsAvailable": len(rows), "resultsReturned": len(rows)}
    if rows:
        meta.update(firstResult=1, lastResult=len(rows))
    meta["columns"] = columns
    meta["sorting"] = [{"filterable": columns[0], "direction": "ASC"}]
    return {"response": {"results": rows, "metaData": meta}, "reference": {}}


HAND_WRITTEN: dict[str, Any] = {
    # location-search columns [tap]; a null zone and a quarantine location with only groupingA.
    "hand-written/location-search.json": _search_body(
        [
            ("id", "IDSET"),
            ("warehouseId", "IDSET"),
            ("zoneId", "IDSET"),
            ("groupingA", "STRING"),
            ("groupingB", "STRING"),
            ("groupingC", "STRING"),
            ("groupingD", "STRING"),
            ("barcode", "STRING"),
        ],
        [
            [1, 2, 3, "0", "0", "0", "0", "9048550001"],
            [9, 2, None, "QUARANTINE", None, None, None, None],
        ],
    ),
    # collection-search: collectionId, collectionName, brandId [tap] + createdOn/updatedOn on newer accounts [mcp].
    "hand-written/collection-search.json": _search_body(
        [
            ("collectionId", "IDSET"),
            ("collectionName", "SEARCH_STRING"),
            ("brandId", "IDSET"),
            ("createdOn", "PERIOD"),
            ("updatedOn", "PERIOD"),
        ],
        [
            [1, "Summer 2025", 74, "2025-01-10T09:00:00.000-06:00", "2025-03-02T16:20:11.000-06:00"],
            [2, "Legacy", None, None, None],
        ],
    ),
    "hand-written/product-type-search.json": _search_body(
        [("id", "IDSET"), ("name", "SEARCH_STRING"), ("createdOn", "PERIOD"), ("updatedOn", "PERIOD")],
        [[1, "Standard", "2020-03-31T14:58:29.000-06:00", "2020-03-31T14:58:29.000-06:00"], [3, "Gloves", None, None]],
    ),
    "hand-written/option-search.json": _search_body(
        [("id", "IDSET"), ("name", "SEARCH_STRING"), ("createdOn", "PERIOD"), ("updatedOn", "PERIOD")],
        [[1, "Size", "2020-04-15T09:12:24.000-06:00", "2020-04-15T09:12:24.000-06:00"], [2, "Colour", None, None]],
    ),
    "hand-written/option-value-search.json": _search_body(
        [
            ("optionId", "IDSET"),
            ("optionName", "STRING"),
            ("optionValueId", "IDSET"),
            ("optionValueName", "SEARCH_STRING"),
            ("createdOn", "PERIOD"),
            ("updatedOn", "PERIOD"),
        ],
        [
            [1, "Size", 10, "Medium", "2020-04-15T09:12:24.000-06:00", "2020-04-22T09:31:39.000-06:00"],
            [2, "Colour", 11, "Black", None, None],
        ],
    ),
    "hand-written/company-search.json": _search_body(
        [("companyId", "IDSET"), ("name", "SEARCH_STRING")],
        [[1, "Customer Company Ltd."], [2, None]],
    ),
    "hand-written/contact-group-search.json": _search_body(
        [
            ("contactGroupId", "IDSET"),
            ("name", "SEARCH_STRING"),
            ("description", "STRING"),
            ("numberOfMembers", "INTEGER"),
        ],
        [[1, "Wholesale", "Trade customers", 12], [2, "Staff", None, 0]],
    ),
    # The first six statuses of the api-docs Order Stock Status GET example (13 in all).
    "hand-written/order-stock-status-get.json": {
        "response": [
            {"id": 1, "code": "SON", "description": "Sales Order Not Fulfilled"},
            {"id": 2, "code": "SOP", "description": "Sales Order Part Fulfilled"},
            {"id": 3, "code": "SOA", "description": "Sales Order All Fulfilled"},
            {"id": 4, "code": "PON", "description": "Purchase Order Not Fulfilled"},
            {"id": 5, "code": "POP", "description": "Purchase Order Part Fulfilled"},
            {"id": 6, "code": "POA", "description": "Purchase Order All Fulfilled"},
        ]
    },
    # Fields from the shipping-method POST field list (RESOURCES §3.19).
    "hand-written/shipping-method-get.json": {
        "response": [
            {
                "id": 49,
                "name": "Next day",
                "code": "NXD",
                "methodType": 1,
                "breaks": "0,1,5",
                "additionalInformationRequired": False,
                "carrier": "DHL",
                "countries": "GB,IE",
                "channelBrandTemplates": {"1": 3, "2": 4},
            },
            {"id": 50, "name": "Collection", "code": "COL", "methodType": 3, "carrier": None},
        ]
    },
    # lead-source GET fields [tap].
    "hand-written/lead-source-get.json": {
        "response": [
            {"id": 4, "ownerId": 4, "parentId": 0, "name": "Web", "isActive": True},
            {"id": 5, "ownerId": 4, "parentId": 4, "name": "Google Ads", "isActive": False},
        ]
    },
    # contact-group-member-search columns [tap] (their report data types are assumed); a contact in two groups.
    "hand-written/contact-group-member-search.json": _search_body(
        [
            ("contactId", "IDSET"),
            ("firstName", "SEARCH_STRING"),
            ("lastName", "SEARCH_STRING"),
            ("contactGroupId", "IDSET"),
            ("contactGroupName", "STRING"),
            ("contactGroupDescription", "STRING"),
        ],
        [
            [207, "Ann", "Lee", 1, "Wholesale", "Trade customers"],
            [207, "Ann", "Lee", 3, "Newsletter", None],
            [212, None, "Acme Stores", 1, "Wholesale", "Trade customers"],
        ],
    ),
    # Channel-brand GET fields [tap]; the four objects are listed without their fields.
    "hand-written/channel-brand-get.json": {
        "response": [
            {
                "channelBrandId": 1,
                "addressBookId": 3,
                "name": "Acme",
                "companyName": "Acme Trading Ltd",
                "companyNumber": "01234567",
                "telephone": "0117 000 0000",
                "emailAddress": "hello@example.com",
                "accountingEmailAddress": "accounts@example.com",
                "templates": {},
                "shippingTemplates": {},
                "financialDetails": {},
                "logo": {},
            },
            {"channelBrandId": 2, "name": "Acme Outlet"},
        ]
    },
    # zone-search columns [tap]; a zone without a name.
    "hand-written/zone-search.json": _search_body(
        [("id", "IDSET"), ("name", "SEARCH_STRING"), ("warehouseId", "IDSET")],
        [[10, "Pick face", 2], [11, None, 2]],
    ),
}


# ----------------------------------------------------------------------------------------------- example copies
# Verbatim (re-indented) copies of shared/brightpearl-api/examples/<name>; see the module docstring.
PAYLOADS: dict[str, str] = {
    "order-get.json": r"""
{
 "response": [
  {
   "id": 320,
   "parentOrderId": 1,
   "orderTypeCode": "SO",
   "reference": "",
   "version": 6,
   "state": {"tax": "READY"},
   "orderStatus": {"orderStatusId": 4, "name": "Invoiced"},
   "tax": {"errors": []},
   "orderPaymentStatus": "NOT_APPLICABLE",
   "stockStatusCode": "SON",
   "allocationStatusCode": "ANA",
   "shippingStatusCode": "SNS",
   "placedOn": "2022-01-26T09:37:37.000-06:00",
   "createdOn": "2022-01-26T09:37:37.000-06:00",
   "updatedOn": "2022-01-26T09:38:12.000-06:00",
   "createdById": 433,
   "priceListId": 1,
   "priceModeCode": "INC",
   "delivery": {"deliveryDate": "2020-03-31T00:00:00.000-06:00", "shippingMethodId": 0},
   "invoices": [
    {"invoiceReference": "", "taxDate": "2020-03-31T00:00:00.000-06:00", "dueDate": "2020-04-29T18:00:00.000-06:00"}
   ],
   "currency": {
    "accountingCurrencyCode": "USD",
    "orderCurrencyCode": "USD",
    "exchangeRate": "1.000000",
    "fixedExchangeRate": false
   },
   "totalValue": {
    "net": "0.00",
    "taxAmount": "0.00",
    "baseNet": "0.00",
    "baseTaxAmount": "0.00",
    "baseTotal": "0.00",
    "total": "0.00"
   },
   "assignment": {
    "current": {"staffOwnerContactId": 0, "projectId": 0, "channelId": 1, "leadSourceId": 0, "teamId": 0}
   },
   "parties": {
    "customer": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "delivery": {
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "billing": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    }
   },
   "orderRows": {
    "396": {
     "orderRowSequence": "10",
     "productId": 1569,
     "productName": "Guanto",
     "productSku": "GUANTO-0",
     "quantity": {"magnitude": "1.0000"},
     "itemCost": {"currencyCode": "USD", "value": "0.0000"},
     "productPrice": {"currencyCode": "USD", "value": "0.0000"},
     "discountPercentage": "0.00",
     "rowValue": {
      "taxRate": "13.0000",
      "taxCode": "VAT",
      "taxCalculator": "brightpearl",
      "rowNet": {"currencyCode": "USD", "value": "0.0000"},
      "rowTax": {"currencyCode": "USD", "value": "0.00"},
      "taxClassId": 4
     },
     "nominalCode": "4000",
     "composition": {"bundleParent": false, "bundleChild": false, "parentOrderRowId": 0},
     "clonedFromId": 0
    }
   },
   "warehouseId": 2,
   "acknowledged": 0,
   "costPriceListId": 1,
   "historicalOrder": false,
   "orderWeighting": 100
  },
  {
   "id": 1,
   "parentOrderId": 0,
   "orderTypeCode": "SO",
   "reference": "",
   "version": 7,
   "state": {"tax": "INVOICED"},
   "orderStatus": {"orderStatusId": 4, "name": "Invoiced"},
   "tax": {"errors": []},
   "orderPaymentStatus": "UNPAID",
   "stockStatusCode": "SOA",
   "allocationStatusCode": "AAA",
   "shippingStatusCode": "ASS",
   "placedOn": "2020-03-31T15:02:44.000-06:00",
   "createdOn": "2020-03-31T15:02:44.000-06:00",
   "updatedOn": "2020-03-31T15:57:21.000-06:00",
   "closedOn": "2020-03-31T15:57:20.000-06:00",
   "createdById": 206,
   "priceListId": 1,
   "priceModeCode": "INC",
   "delivery": {"shippingMethodId": 0},
   "invoices": [
    {
     "invoiceReference": "SI-1001",
     "taxDate": "2020-03-31T00:00:00.000-06:00",
     "dueDate": "2020-04-29T18:00:00.000-06:00"
    }
   ],
   "currency": {
    "accountingCurrencyCode": "USD",
    "orderCurrencyCode": "USD",
    "exchangeRate": "1.000000",
    "fixedExchangeRate": false
   },
   "totalValue": {
    "net": "9.09",
    "taxAmount": "0.91",
    "baseNet": "9.09",
    "baseTaxAmount": "0.91",
    "baseTotal": "10.00",
    "total": "10.00"
   },
   "assignment": {
    "current": {"staffOwnerContactId": 0, "projectId": 0, "channelId": 0, "leadSourceId": 0, "teamId": 0}
   },
   "parties": {
    "customer": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "delivery": {
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "billing": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    }
   },
   "orderRows": {
    "1": {
     "orderRowSequence": "10",
     "productId": 1007,
     "productName": "Nice Shirt for Summer",
     "productSku": "TEST001",
     "quantity": {"magnitude": "1.0000"},
     "itemCost": {"currencyCode": "USD", "value": "5.0000"},
     "productPrice": {"currencyCode": "USD", "value": "10.0000"},
     "discountPercentage": "0.00",
     "rowValue": {
      "taxRate": "10.0000",
      "taxCode": "T",
      "taxCalculator": "brightpearl",
      "rowNet": {"currencyCode": "USD", "value": "9.0909"},
      "rowTax": {"currencyCode": "USD", "value": "0.91"},
      "taxClassId": 2
     },
     "nominalCode": "4000",
     "composition": {"bundleParent": false, "bundleChild": false, "parentOrderRowId": 0},
     "clonedFromId": 0
    }
   },
   "warehouseId": 2,
   "acknowledged": 0,
   "costPriceListId": 1,
   "historicalOrder": false,
   "originalInvoiceDate": "2020-03-31T00:00:00.000-06:00",
   "orderWeighting": 100
  },
  {
   "id": 321,
   "parentOrderId": 1,
   "orderTypeCode": "SO",
   "reference": "",
   "version": 6,
   "state": {"tax": "READY"},
   "orderStatus": {"orderStatusId": 4, "name": "Invoiced"},
   "tax": {"errors": []},
   "orderPaymentStatus": "UNPAID",
   "stockStatusCode": "SON",
   "allocationStatusCode": "ANA",
   "shippingStatusCode": "SNS",
   "placedOn": "2022-01-26T09:37:37.000-06:00",
   "createdOn": "2022-01-26T09:37:37.000-06:00",
   "updatedOn": "2022-01-26T09:38:34.000-06:00",
   "createdById": 433,
   "priceListId": 1,
   "priceModeCode": "INC",
   "delivery": {"deliveryDate": "2020-03-31T00:00:00.000-06:00", "shippingMethodId": 0},
   "invoices": [
    {"invoiceReference": "", "taxDate": "2020-03-31T00:00:00.000-06:00", "dueDate": "2020-04-29T18:00:00.000-06:00"}
   ],
   "currency": {
    "accountingCurrencyCode": "USD",
    "orderCurrencyCode": "USD",
    "exchangeRate": "1.000000",
    "fixedExchangeRate": false
   },
   "totalValue": {
    "net": "80.00",
    "taxAmount": "10.40",
    "baseNet": "80.00",
    "baseTaxAmount": "10.40",
    "baseTotal": "90.40",
    "total": "90.40"
   },
   "assignment": {
    "current": {"staffOwnerContactId": 0, "projectId": 0, "channelId": 1, "leadSourceId": 0, "teamId": 0}
   },
   "parties": {
    "customer": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "delivery": {
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "billing": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    }
   },
   "orderRows": {
    "397": {
     "orderRowSequence": "10",
     "productId": 1532,
     "productName": "Test seller gloves",
     "productSku": "GUANTO-1",
     "quantity": {"magnitude": "1.0000"},
     "itemCost": {"currencyCode": "USD", "value": "0.1342"},
     "productPrice": {"currencyCode": "USD", "value": "80.0000"},
     "discountPercentage": "0.00",
     "rowValue": {
      "taxRate": "13.0000",
      "taxCode": "VAT",
      "taxCalculator": "brightpearl",
      "rowNet": {"currencyCode": "USD", "value": "80.0000"},
      "rowTax": {"currencyCode": "USD", "value": "10.40"},
      "taxClassId": 4
     },
     "nominalCode": "4000",
     "composition": {"bundleParent": false, "bundleChild": false, "parentOrderRowId": 0},
     "clonedFromId": 0
    }
   },
   "warehouseId": 2,
   "acknowledged": 0,
   "costPriceListId": 1,
   "historicalOrder": false,
   "orderWeighting": 100
  }
 ]
}
""",
    "order-get-purchase-order.json": r"""
{
 "response": [
  {
   "id": 312,
   "parentOrderId": 0,
   "orderTypeCode": "PO",
   "reference": "#T75",
   "version": 11,
   "state": {"tax": "READY"},
   "orderStatus": {"orderStatusId": 6, "name": "Pending PO"},
   "tax": {"errors": []},
   "orderPaymentStatus": "UNPAID",
   "stockStatusCode": "PON",
   "allocationStatusCode": "ANR",
   "shippingStatusCode": "SNS",
   "placedOn": "2021-08-18T15:11:45.000-06:00",
   "createdOn": "2021-08-18T15:11:44.000-06:00",
   "updatedOn": "2021-08-19T11:20:55.000-06:00",
   "createdById": 4,
   "priceListId": 1,
   "priceModeCode": "EXC",
   "delivery": {"deliveryDate": "2021-08-31T00:00:00.000-06:00", "shippingMethodId": 0},
   "invoices": [
    {"invoiceReference": "", "taxDate": "2021-08-18T00:00:00.000-06:00", "dueDate": "2021-08-17T18:00:00.000-06:00"}
   ],
   "currency": {
    "accountingCurrencyCode": "USD",
    "orderCurrencyCode": "USD",
    "exchangeRate": "1.000000",
    "fixedExchangeRate": true
   },
   "totalValue": {
    "net": "900.00",
    "taxAmount": "117.00",
    "baseNet": "900.00",
    "baseTaxAmount": "117.00",
    "baseTotal": "1017.00",
    "total": "1017.00"
   },
   "assignment": {
    "current": {"staffOwnerContactId": 0, "projectId": 0, "channelId": 0, "leadSourceId": 0, "teamId": 0}
   },
   "parties": {
    "supplier": {
     "contactId": 418,
     "addressFullName": "Hori Seller",
     "companyName": "Test Seller Hori",
     "addressLine1": "Some super address",
     "addressLine2": "",
     "addressLine3": "",
     "addressLine4": "",
     "postalCode": "",
     "telephone": "888889",
     "mobileTelephone": "",
     "fax": "",
     "email": "hori@seller.com",
     "countryId": 0
    },
    "delivery": {
     "addressFullName": "Barulu",
     "companyName": "Barulu",
     "addressLine1": "",
     "addressLine2": "",
     "addressLine3": "",
     "addressLine4": "",
     "postalCode": "",
     "country": "Costa Rica",
     "telephone": "",
     "mobileTelephone": "",
     "fax": "",
     "email": "",
     "countryId": 282,
     "countryIsoCode": "CR",
     "countryIsoCode3": "CRI"
    },
    "billing": {
     "contactId": 418,
     "addressFullName": "Barulu",
     "companyName": "Barulu",
     "addressLine1": "",
     "addressLine2": "",
     "addressLine3": "",
     "addressLine4": "",
     "postalCode": "",
     "country": "Costa Rica",
     "telephone": "",
     "mobileTelephone": "",
     "fax": "",
     "email": "",
     "countryId": 282,
     "countryIsoCode": "CR",
     "countryIsoCode3": "CRI"
    }
   },
   "orderRows": {
    "378": {
     "orderRowSequence": "10",
     "productId": 1569,
     "productName": "Guanto",
     "productSku": "GUANTO-0",
     "quantity": {"magnitude": "4.0000"},
     "itemCost": {"currencyCode": "USD", "value": "100.0000"},
     "productPrice": {"currencyCode": "USD", "value": "0.0000"},
     "discountPercentage": "0.00",
     "rowValue": {
      "taxRate": "13.0000",
      "taxCode": "13",
      "taxCalculator": "brightpearl",
      "rowNet": {"currencyCode": "USD", "value": "400.0000"},
      "rowTax": {"currencyCode": "USD", "value": "52.00"},
      "taxClassId": 9
     },
     "nominalCode": "1201",
     "composition": {"bundleParent": false, "bundleChild": false, "parentOrderRowId": 0},
     "clonedFromId": 0
    },
    "380": {
     "orderRowSequence": "30",
     "productId": 1577,
     "productName": "Gloves of power V2 X",
     "productSku": "GUANTO-SUPER2",
     "quantity": {"magnitude": "5.0000"},
     "itemCost": {"currencyCode": "USD", "value": "100.0000"},
     "productPrice": {"currencyCode": "USD", "value": "0.0000"},
     "discountPercentage": "0.00",
     "rowValue": {
      "taxRate": "13.0000",
      "taxCode": "13",
      "taxCalculator": "brightpearl",
      "rowNet": {"currencyCode": "USD", "value": "500.0000"},
      "rowTax": {"currencyCode": "USD", "value": "65.00"},
      "taxClassId": 9
     },
     "nominalCode": "1201",
     "composition": {"bundleParent": false, "bundleChild": false, "parentOrderRowId": 0},
     "clonedFromId": 0
    }
   },
   "warehouseId": 2,
   "acknowledged": 0,
   "costPriceListId": 0,
   "historicalOrder": false,
   "isDropship": false,
   "orderWeighting": 100
  }
 ]
}
""",
    "order-get-with-custom-fields.json": r"""
{
 "response": [
  {
   "id": 1,
   "parentOrderId": 0,
   "orderTypeCode": "SO",
   "reference": "",
   "version": 8,
   "state": {"tax": "INVOICED"},
   "orderStatus": {"orderStatusId": 4, "name": "Invoiced"},
   "tax": {"errors": []},
   "orderPaymentStatus": "UNPAID",
   "stockStatusCode": "SOA",
   "allocationStatusCode": "AAA",
   "shippingStatusCode": "ASS",
   "placedOn": "2020-03-31T15:02:44.000-06:00",
   "createdOn": "2020-03-31T15:02:44.000-06:00",
   "updatedOn": "2022-01-26T09:58:28.000-06:00",
   "closedOn": "2020-03-31T15:57:20.000-06:00",
   "createdById": 206,
   "priceListId": 1,
   "priceModeCode": "INC",
   "delivery": {"shippingMethodId": 0},
   "invoices": [
    {
     "invoiceReference": "SI-1001",
     "taxDate": "2020-03-31T00:00:00.000-06:00",
     "dueDate": "2020-04-29T18:00:00.000-06:00"
    }
   ],
   "currency": {
    "accountingCurrencyCode": "USD",
    "orderCurrencyCode": "USD",
    "exchangeRate": "1.000000",
    "fixedExchangeRate": false
   },
   "totalValue": {
    "net": "9.09",
    "taxAmount": "0.91",
    "baseNet": "9.09",
    "baseTaxAmount": "0.91",
    "baseTotal": "10.00",
    "total": "10.00"
   },
   "assignment": {
    "current": {"staffOwnerContactId": 0, "projectId": 0, "channelId": 1, "leadSourceId": 0, "teamId": 0}
   },
   "parties": {
    "customer": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "delivery": {
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    },
    "billing": {
     "contactId": 200,
     "addressFullName": "Demo Customer",
     "companyName": "Customer Company Ltd.",
     "addressLine1": "34 Lime St",
     "addressLine2": "Barton",
     "addressLine3": "Sheffield",
     "addressLine4": "South Yorkshire",
     "postalCode": "S1 4RT",
     "country": "United Kingdom",
     "telephone": "01245 845632",
     "mobileTelephone": "",
     "fax": "",
     "email": "demo@test.com",
     "countryId": 222,
     "countryIsoCode": "GB",
     "countryIsoCode3": "GBR"
    }
   },
   "orderRows": {
    "1": {
     "orderRowSequence": "10",
     "productId": 1007,
     "productName": "Nice Shirt for Summer",
     "productSku": "TEST001",
     "quantity": {"magnitude": "1.0000"},
     "itemCost": {"currencyCode": "USD", "value": "5.0000"},
     "productPrice": {"currencyCode": "USD", "value": "10.0000"},
     "discountPercentage": "0.00",
     "rowValue": {
      "taxRate": "10.0000",
      "taxCode": "T",
      "taxCalculator": "brightpearl",
      "rowNet": {"currencyCode": "USD", "value": "9.0909"},
      "rowTax": {"currencyCode": "USD", "value": "0.91"},
      "taxClassId": 2
     },
     "nominalCode": "4000",
     "composition": {"bundleParent": false, "bundleChild": false, "parentOrderRowId": 0},
     "clonedFromId": 0
    }
   },
   "warehouseId": 2,
   "customFields": {"PCF_P_NUMBER": "DEMO Number"},
   "acknowledged": 0,
   "costPriceListId": 1,
   "historicalOrder": false,
   "originalInvoiceDate": "2020-03-31T00:00:00.000-06:00",
   "orderWeighting": 100
  }
 ]
}
""",
    "product-get.json": r"""
{
 "response": [
  {
   "id": 1007,
   "brandId": 74,
   "productTypeId": 1,
   "identity": {"sku": "TEST001", "barcode": ""},
   "featured": false,
   "stock": {
    "stockTracked": true,
    "weight": {"magnitude": 0.0},
    "dimensions": {"length": 0.0, "height": 0.0, "width": 0.0, "volume": 0.0}
   },
   "financialDetails": {"taxable": false, "taxCode": {"id": 2, "code": "T"}},
   "salesChannels": [
    {
     "salesChannelName": "Brightpearl",
     "productName": "Nice Shirt for Summer",
     "productCondition": "new",
     "categories": [{"categoryCode": "296"}],
     "description": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"},
     "shortDescription": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"}
    }
   ],
   "composition": {"bundle": false},
   "createdOn": "2020-03-31T14:58:29.000-06:00",
   "updatedOn": "2020-07-06T01:48:36.000-06:00",
   "warehouses": {
    "2": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0},
    "3": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0}
   },
   "nominalCodeStock": "1001",
   "nominalCodePurchases": "5000",
   "nominalCodeSales": "4000",
   "seasonIds": [],
   "reporting": {},
   "status": "LIVE",
   "salesPopupMessage": "",
   "warehousePopupMessage": "",
   "version": 1594021716000
  },
  {
   "id": 1532,
   "brandId": 83,
   "productTypeId": 1,
   "identity": {"sku": "GUANTO-1", "barcode": ""},
   "productGroupId": 212,
   "featured": false,
   "stock": {
    "stockTracked": true,
    "weight": {"magnitude": 0.0},
    "dimensions": {"length": 0.0, "height": 0.0, "width": 0.0, "volume": 0.0}
   },
   "financialDetails": {"taxable": false, "taxCode": {"id": 4, "code": "VAT"}},
   "salesChannels": [
    {
     "salesChannelName": "Brightpearl",
     "productName": "Test seller gloves",
     "productCondition": "new",
     "categories": [{"categoryCode": "299"}],
     "description": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"},
     "shortDescription": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"}
    }
   ],
   "composition": {"bundle": false},
   "createdOn": "2020-06-01T17:42:40.000-06:00",
   "updatedOn": "2021-08-18T15:11:46.000-06:00",
   "warehouses": {
    "2": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0},
    "3": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0}
   },
   "nominalCodeStock": "1201",
   "nominalCodePurchases": "5000",
   "nominalCodeSales": "4000",
   "seasonIds": [],
   "reporting": {},
   "status": "LIVE",
   "salesPopupMessage": "",
   "warehousePopupMessage": "",
   "version": 1629321106000
  },
  {
   "id": 1569,
   "brandId": 83,
   "productTypeId": 1,
   "identity": {"sku": "GUANTO-0", "isbn": "", "ean": "", "upc": "", "mpn": "", "barcode": ""},
   "productGroupId": 213,
   "featured": false,
   "stock": {
    "stockTracked": true,
    "weight": {"magnitude": 0.0},
    "dimensions": {"length": 0.0, "height": 0.0, "width": 0.0, "volume": 0.0}
   },
   "financialDetails": {"taxable": false, "taxCode": {"id": 4, "code": "VAT"}},
   "salesChannels": [
    {
     "salesChannelName": "Brightpearl",
     "productName": "Guanto",
     "productCondition": "new",
     "categories": [{"categoryCode": "299"}, {"categoryCode": "302"}],
     "description": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"},
     "shortDescription": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"}
    }
   ],
   "composition": {"bundle": false},
   "createdOn": "2020-11-05T16:57:08.000-06:00",
   "updatedOn": "2020-11-23T17:53:01.000-06:00",
   "warehouses": {
    "2": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0},
    "3": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0}
   },
   "nominalCodeStock": "1201",
   "nominalCodePurchases": "5000",
   "nominalCodeSales": "4000",
   "seasonIds": [],
   "reporting": {},
   "status": "LIVE",
   "salesPopupMessage": "",
   "warehousePopupMessage": "",
   "version": 1606175581000
  }
 ]
}
""",
    "product-get-with-custom-fields.json": r"""
{
 "response": [
  {
   "id": 1007,
   "brandId": 74,
   "productTypeId": 1,
   "identity": {"sku": "TEST001", "barcode": ""},
   "featured": false,
   "stock": {
    "stockTracked": true,
    "weight": {"magnitude": 0.0},
    "dimensions": {"length": 0.0, "height": 0.0, "width": 0.0, "volume": 0.0}
   },
   "financialDetails": {"taxable": false, "taxCode": {"id": 2, "code": "T"}},
   "salesChannels": [
    {
     "salesChannelName": "Brightpearl",
     "productName": "Nice Shirt for Summer",
     "productCondition": "new",
     "categories": [{"categoryCode": "296"}],
     "description": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"},
     "shortDescription": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"}
    }
   ],
   "composition": {"bundle": false},
   "customFields": {"PCF_SERIALIS": true},
   "createdOn": "2020-03-31T14:58:29.000-06:00",
   "updatedOn": "2020-07-06T01:48:36.000-06:00",
   "warehouses": {
    "2": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0},
    "3": {"defaultLocationId": 0, "overflowLocationId": 0, "reorderLevel": 0, "reorderQuantity": 0}
   },
   "nominalCodeStock": "1001",
   "nominalCodePurchases": "5000",
   "nominalCodeSales": "4000",
   "seasonIds": [],
   "reporting": {},
   "status": "LIVE",
   "salesPopupMessage": "",
   "warehousePopupMessage": "",
   "version": 1594021716000
  }
 ]
}
""",
    "product-get-select-custom-fields.json": r"""
{
 "response": [
  {
   "id": 1018,
   "brandId": 76,
   "productTypeId": 1,
   "nominalCodeStock": "1200",
   "identity": {"sku": "", "barcode": ""},
   "stock": {"stockTracked": true, "weight": {"magnitude": 0}},
   "financialDetails": {"taxable": false, "taxCode": {"id": 7, "code": "T20"}},
   "salesChannels": [
    {
     "salesChannelName": "Brightpearl",
     "productName": "Gibson Explorer",
     "productCondition": "new",
     "categories": [{"categoryCode": "276"}],
     "description": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"},
     "shortDescription": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"}
    }
   ],
   "composition": {"bundle": false},
   "customFields": {"PCF_COLOR": {"id": 6, "value": "BK"}, "PCF_FRETS": 24, "PCF_SCALE": 23},
   "nullCustomFields": ["PCF_FLOYDROS", "PCF_PICKUPS", "PCF_DETAIL", "PCF_MODELYEA"],
   "warehouses": {
    "2": {"defaultLocationId": 5, "reorderLevel": 1, "reorderQuantity": 0},
    "3": {"defaultLocationId": 0, "reorderLevel": 1, "reorderQuantity": 1}
   }
  }
 ]
}
""",
    "product-get-bundle.json": r"""
{
 "response": [
  {
   "id": 1012,
   "brandId": 74,
   "productTypeId": 1,
   "identity": {
    "sku": "PPLSTARTER",
    "isbn": "ISBNPPLSTARTER",
    "ean": "EANPPLSTARTER",
    "upc": "UPCPPLSTARTER",
    "barcode": "BCPPLSTARTER"
   },
   "stock": {"stockTracked": false, "weight": {"magnitude": 2.3}},
   "financialDetails": {"taxable": false, "taxCode": {"id": 1, "code": "T9"}},
   "salesChannels": [
    {
     "salesChannelName": "Brightpearl",
     "productName": "PPL Starter Pack",
     "productCondition": "new",
     "categories": [{"categoryCode": "297"}],
     "description": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"},
     "shortDescription": {"languageCode": "en", "text": "", "format": "HTML_FRAGMENT"}
    }
   ],
   "composition": {
    "bundle": true,
    "bundleComponents": [
     {
      "productId": 1011,
      "productQuantity": 1,
      "composition": {
       "bundle": true,
       "bundleComponents": [
        {"productId": 1008, "productQuantity": 1},
        {"productId": 1009, "productQuantity": 1},
        {"productId": 1010, "productQuantity": 1}
       ]
      }
     },
     {"productId": 1007, "productQuantity": 1}
    ]
   }
  }
 ]
}
""",
    "contact-get.json": r"""
{
 "response": [
  {
   "contactId": 81011,
   "isPrimaryContact": true,
   "salutation": "",
   "firstName": "Víctor",
   "lastName": "Vanegas",
   "postAddressIds": {"DEF": 200917, "BIL": 200917, "DEL": 200918},
   "communication": {
    "emails": {"PRI": {"email": "vicvans20@gmail.com"}},
    "telephones": {"PRI": "123123123"},
    "messagingVoips": {},
    "websites": {}
   },
   "contactStatus": {"current": {"contactStatusId": 0}},
   "relationshipToAccount": {"isSupplier": false, "isStaff": false},
   "marketingDetails": {"isReceiveEmailNewsletter": true},
   "financialDetails": {
    "priceListId": 2,
    "nominalCode": "0",
    "creditLimit": 0,
    "creditTermDays": 0,
    "currencyId": 2,
    "discountPercentage": 0.0,
    "creditTermTypeId": 1
   },
   "assignment": {"current": {}},
   "organisation": {"organisationId": 81011},
   "tradeStatus": "UNKNOWN",
   "createdByid": 0,
   "createdOn": "2022-09-07T21:26:24.000-06:00",
   "updatedOn": "2022-11-22T12:27:43.000-06:00",
   "contactTags": "9",
   "aliases": {},
   "companyId": 0
  },
  {
   "contactId": 151499,
   "isPrimaryContact": true,
   "salutation": "",
   "firstName": "john",
   "lastName": "Doe",
   "postAddressIds": {"DEF": 418692, "BIL": 418692, "DEL": 418693},
   "communication": {
    "emails": {"PRI": {"email": "test@gmail.com"}},
    "telephones": {"PRI": "+50685698589"},
    "messagingVoips": {},
    "websites": {}
   },
   "contactStatus": {"current": {"contactStatusId": 0}},
   "relationshipToAccount": {"isSupplier": false, "isStaff": false},
   "marketingDetails": {"isReceiveEmailNewsletter": true},
   "financialDetails": {
    "priceListId": 2,
    "nominalCode": "0",
    "creditLimit": 0,
    "creditTermDays": 0,
    "currencyId": 2,
    "discountPercentage": 0.0,
    "creditTermTypeId": 1
   },
   "assignment": {"current": {}},
   "organisation": {"organisationId": 151499},
   "tradeStatus": "UNKNOWN",
   "createdByid": 0,
   "createdOn": "2025-02-21T10:30:08.000-06:00",
   "updatedOn": "2025-08-28T14:59:53.665-06:00",
   "contactTags": "9",
   "aliases": {},
   "companyId": 0
  }
 ],
 "pagination": {"morePagesAvailable": false, "resultsReturned": 2, "firstResult": 1, "lastResult": 2},
 "sorting": [{"field": "contactId", "direction": "ASC"}]
}
""",
    "contact-get-full.json": r"""
{
 "response": [
  {
   "contactId": 200,
   "isPrimaryContact": true,
   "salutation": "Mr.",
   "firstName": "Demo",
   "lastName": "Customer",
   "postAddressIds": {"DEF": 107, "DEL": 107, "BIL": 107},
   "communication": {
    "emails": {
     "PRI": {"email": "demo@test.com"},
     "SEC": {"email": "foo@example.com"},
     "TER": {"email": "bar@example.com"}
    },
    "telephones": {"PRI": "01245 845632", "SEC": "01111 222333", "MOB": "07777 121111"},
    "messagingVoips": {"SKP": "example-customer-skype"},
    "websites": {"PRI": "http://www.example.com"}
   },
   "contactStatus": {
    "current": {"contactStatusName": "Suspect", "contactStatusId": 2},
    "history": [
     {
      "contactStatusName": "Suspect",
      "contactStatusId": 2,
      "occuredOn": "2013-05-28T20:35:26.000Z",
      "staffContactId": 4
     }
    ]
   },
   "relationshipToAccount": {"isSupplier": false, "isStaff": false},
   "marketingDetails": {"isReceiveEmailNewsletter": true},
   "financialDetails": {
    "priceListId": 1,
    "nominalCode": "10",
    "taxCodeId": 7,
    "creditLimit": 1000,
    "creditTermDays": 30,
    "currencyId": 1,
    "discountPercentage": 0.0
   },
   "assignment": {"current": {"staffOwnerContactId": 4, "leadSourceId": 4, "accountReference": "DEMOACTCODE0001"}},
   "organisation": {"name": "Customer Company Ltd."},
   "createdByid": 2,
   "createdOn": "2010-08-17T12:57:14.000Z",
   "updatedOn": "2013-05-28T20:35:27.000Z",
   "contactTags": "1"
  }
 ]
}
""",
    "contact-custom-field-get.json": r"""
{"response": {"PCF_CODAE": 1234567890}}
""",
    "goods-out-note-get.json": r"""
{
 "response": {
  "12447605": {
   "orderId": 988116,
   "warehouseId": 2,
   "transfer": false,
   "priority": false,
   "status": {
    "shipped": true,
    "packed": true,
    "picked": true,
    "printed": true,
    "pickedOn": "2025-11-04T10:41:38.000-06:00",
    "packedOn": "2025-11-04T10:41:38.000-06:00",
    "shippedOn": "2025-11-04T10:41:38.000-06:00",
    "printedOn": "2025-11-04T10:41:38.000-06:00",
    "pickedById": 4,
    "packedById": 4,
    "shippedById": 4,
    "printedById": 4
   },
   "shipping": {"reference": "", "shippingMethodId": 49},
   "releaseDate": "2025-11-04T10:17:45.000-06:00",
   "createdOn": "2025-11-04T10:17:45.000-06:00",
   "createdBy": 203,
   "orderRows": {
    "2975385": [{"productId": 489065, "quantity": 1, "locationId": 2}],
    "2975384": [{"productId": 498969, "quantity": 1, "locationId": 2}],
    "2975387": [{"productId": 506939, "quantity": 1, "locationId": 2}],
    "2975386": [{"productId": 497476, "quantity": 1, "locationId": 2}]
   },
   "sequence": 1,
   "events": [
    {"occured": "2025-11-04T10:17:45.000-06:00", "eventOwnerId": 203, "eventCode": "PLA"},
    {"occured": "2025-11-04T10:41:38.000-06:00", "eventOwnerId": 4, "eventCode": "SHW"},
    {"occured": "2025-11-04T10:41:38.000-06:00", "eventOwnerId": 4, "eventCode": "PRI"},
    {"occured": "2025-11-04T10:41:38.000-06:00", "eventOwnerId": 4, "eventCode": "PIC"},
    {"occured": "2025-11-04T10:41:38.000-06:00", "eventOwnerId": 4, "eventCode": "PAC"}
   ],
   "lastEventVersion": 3131069
  }
 }
}
""",
    "synthesized/goods-in-note-get.json": r"""
{
 "response": {
  "13": {
   "goodsNoteId": 13,
   "orderId": 6,
   "transfer": false,
   "goodsNoteStatus": "CLOSED",
   "userBatchReference": "ourWarehouRef:34354",
   "receivedOn": "2011-07-15T14:48:56.000+01:00",
   "createdBy": 4,
   "goodsMoved": [
    {
     "productId": 1008,
     "purchaseOrderRowId": 9,
     "quantity": 5,
     "warehouseId": 2,
     "destinationLocationId": 2,
     "goodsNoteId": 13,
     "batchGoodsNoteId": 13,
     "productValue": {"currency": "GBP", "value": "12.0000"},
     "cleared": false,
     "valueConfirmed": true,
     "allocated": false,
     "quarantine": false,
     "createdOn": "2011-07-15T14:48:56.000+01:00",
     "createdBy": 4,
     "updatedOn": "2011-07-15T14:48:56.000+01:00",
     "updatedBy": 4
    },
    {
     "productId": 1007,
     "purchaseOrderRowId": 10,
     "quantity": 6,
     "warehouseId": 2,
     "destinationLocationId": 2,
     "goodsNoteId": 13,
     "batchGoodsNoteId": 13,
     "productValue": {"currency": "GBP", "value": "9.0000"},
     "cleared": false,
     "valueConfirmed": true,
     "allocated": false,
     "quarantine": false,
     "createdOn": "2011-07-15T14:48:56.000+01:00",
     "createdBy": 4,
     "updatedOn": "2011-07-15T14:48:56.000+01:00",
     "updatedBy": 4
    }
   ]
  }
 }
}
""",
    "customer-payment-search.json": r"""
{
 "response": {
  "results": [
   [
    935253,
    "RUBY-BP-RECEIPT-REF-0001",
    "RUBY-BP-RECEIPT-CODE-0001",
    "PUNTOS",
    "RECEIPT",
    1081505,
    2,
    "CRC",
    "0.00",
    "100.00",
    null,
    "2026-04-17T10:00:00.000-06:00",
    "2026-04-17T11:32:08.000-06:00",
    3113824
   ]
  ],
  "metaData": {
   "morePagesAvailable": false,
   "resultsAvailable": 1,
   "resultsReturned": 1,
   "firstResult": 1,
   "lastResult": 1,
   "columns": [
    {
     "name": "paymentId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "transactionRef",
     "sortable": false,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "transactionCode",
     "sortable": false,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "paymentMethodCode",
     "sortable": false,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "paymentType",
     "sortable": false,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "orderId",
     "sortable": false,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "currencyId",
     "sortable": false,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "currencyCode",
     "sortable": false,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "amountAuthorized",
     "sortable": false,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "amountPaid",
     "sortable": false,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "expires",
     "sortable": false,
     "filterable": true,
     "reportDataType": "PERIOD",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "paymentDate",
     "sortable": true,
     "filterable": true,
     "reportDataType": "PERIOD",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "createdOn",
     "sortable": true,
     "filterable": true,
     "reportDataType": "PERIOD",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "journalId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    }
   ],
   "sorting": [
    {
     "filterable": {
      "name": "paymentId",
      "sortable": true,
      "filterable": true,
      "reportDataType": "IDSET",
      "referenceData": [],
      "isFreeTextSearchable": false,
      "required": false
     },
     "direction": "ASC"
    }
   ]
  }
 },
 "reference": {}
}
""",
    "synthesized/supplier-payment-search.json": r"""
{
 "response": {
  "results": [
   [
    41,
    "9174093738",
    "ACME_PAY",
    "PAYMENT",
    4619,
    1,
    "GBP",
    "100.00",
    "2026-03-03T15:00:00.000+00:00",
    "2026-03-03T15:01:12.000+00:00",
    2211
   ]
  ],
  "metaData": {
   "morePagesAvailable": false,
   "resultsAvailable": 1,
   "resultsReturned": 1,
   "firstResult": 1,
   "lastResult": 1,
   "columns": [
    {
     "name": "paymentId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "transactionRef",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "paymentMethodCode",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "paymentType",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "orderId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "currencyId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "currencyCode",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "amountPaid",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "paymentDate",
     "sortable": true,
     "filterable": true,
     "reportDataType": "PERIOD",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "createdOn",
     "sortable": true,
     "filterable": true,
     "reportDataType": "PERIOD",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "journalId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    }
   ],
   "sorting": [
    {
     "filterable": {
      "name": "paymentId",
      "sortable": true,
      "filterable": true,
      "reportDataType": "IDSET",
      "referenceData": [],
      "isFreeTextSearchable": false,
      "required": false
     },
     "direction": "ASC"
    }
   ]
  }
 },
 "reference": {}
}
""",
    "journal-get.json": r"""
{
 "response": {
  "journals": [
   {
    "id": 1,
    "contactId": 1434,
    "journalTypeCode": "SI",
    "taxDate": "2008-01-02T00:00:00.000Z",
    "dueDate": "2008-02-15T00:00:00.000Z",
    "createdOn": "2008-01-16T00:00:00.000Z",
    "createdByContactId": 95,
    "taxReconciliation": {"date": "2008-04-29T00:00:00.000+01:00", "taxPeriodId": 18},
    "credits": [
     {
      "nominalCode": "2200",
      "change": {"value": "15.66"},
      "assignment": {"channelId": 2, "projectId": 1},
      "orderId": 100003,
      "invoiceReference": "SI-1000",
      "taxCode": "T00",
      "transactionAmount": "15.66"
     },
     {
      "nominalCode": "4001",
      "change": {"value": "14.50"},
      "assignment": {"channelId": 2, "projectId": 1},
      "orderId": 100003,
      "invoiceReference": "SI-1000",
      "taxCode": "T00",
      "transactionAmount": "14.50"
     },
     {
      "nominalCode": "4000",
      "change": {"value": "75.00"},
      "assignment": {"channelId": 2, "projectId": 1},
      "orderId": 100003,
      "invoiceReference": "SI-1000",
      "taxCode": "T00",
      "transactionAmount": "75.00"
     }
    ],
    "debits": [
     {
      "nominalCode": "1100",
      "change": {"value": "105.16"},
      "assignment": {"channelId": 2, "projectId": 1},
      "orderId": 100003,
      "invoiceReference": "SI-1000",
      "taxCode": "T05",
      "transactionAmount": "105.16"
     }
    ],
    "currencyId": 1,
    "exchangeRate": "1.000000"
   }
  ]
 }
}
""",
    "journal-get-nacre-fixture.json": r"""
{
 "response": {
  "journals": [
   {
    "id": 1000,
    "contactId": 100,
    "journalTypeCode": "PP",
    "taxDate": "2015-01-01T00:00:00.000Z",
    "createdOn": "2015-01-01T00:00:00.000Z",
    "createdByContactId": 210,
    "description": "12345",
    "taxReconciliation": {},
    "credits": [
     {
      "nominalCode": "1200",
      "change": {"value": "150.00"},
      "assignment": {},
      "invoiceReference": "30000",
      "taxCode": "T9"
     }
    ],
    "debits": [
     {
      "nominalCode": "2100",
      "change": {"value": "150.00"},
      "assignment": {},
      "invoiceReference": "30000",
      "taxCode": "T9"
     }
    ]
   }
  ]
 }
}
""",
    "synthesized/goods-movement-search.json": r"""
{
 "response": {
  "results": [
   [501, 1008, 0, 9, 5, 2, 2, 13, "12.0000", "GBP", 6, false, false, 13, "GI", "2011-07-15T14:48:56.000+01:00"],
   [502, 1008, 77, 0, -1, 2, 2, 14, "12.0000", "GBP", 5, false, false, 13, "GO", "2011-07-20T09:12:00.000+01:00"]
  ],
  "metaData": {
   "morePagesAvailable": false,
   "resultsAvailable": 2,
   "resultsReturned": 2,
   "firstResult": 1,
   "lastResult": 2,
   "columns": [
    {
     "name": "goodsMovementId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "productId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "salesOrderRowId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "purchaseOrderRowId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "quantity",
     "sortable": true,
     "filterable": true,
     "reportDataType": "INTEGER",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "destinationLocationId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "warehouseId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "goodsNoteId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "productValue",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "currencyCode",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "orderId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "isCleared",
     "sortable": true,
     "filterable": true,
     "reportDataType": "BOOLEAN",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "isQuarantine",
     "sortable": true,
     "filterable": true,
     "reportDataType": "BOOLEAN",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "batchId",
     "sortable": true,
     "filterable": true,
     "reportDataType": "IDSET",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "goodsNoteTypeCode",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    },
    {
     "name": "updatedOn",
     "sortable": true,
     "filterable": true,
     "reportDataType": "PERIOD",
     "referenceData": [],
     "isFreeTextSearchable": false,
     "required": false
    }
   ],
   "sorting": [
    {
     "filterable": {
      "name": "goodsMovementId",
      "sortable": true,
      "filterable": true,
      "reportDataType": "IDSET",
      "referenceData": [],
      "isFreeTextSearchable": false,
      "required": false
     },
     "direction": "ASC"
    }
   ]
  }
 },
 "reference": {}
}
""",
    "product-price-get.json": r"""
{
 "response": [
  {
   "productId": 1007,
   "priceLists": [
    {"priceListId": 1, "currencyCode": "CRC", "currencyId": 5, "quantityPrice": {"1": "10.0000"}},
    {"priceListId": 2, "currencyCode": "CRC", "currencyId": 5, "quantityPrice": {}},
    {"priceListId": 3, "currencyCode": "CRC", "currencyId": 5, "quantityPrice": {}},
    {"priceListId": 4, "currencyCode": "USD", "currencyId": 1, "quantityPrice": {}}
   ]
  }
 ]
}
""",
    "product-availability-get.json": r"""
{
 "response": {
  "1532": {
   "total": {"inStock": 60, "onHand": 48, "allocated": 12, "inTransit": 0},
   "warehouses": {"2": {"inStock": 60, "onHand": 48, "allocated": 12, "inTransit": 0}}
  },
  "1007": {
   "total": {"inStock": 4, "onHand": 4, "allocated": 0, "inTransit": 0},
   "warehouses": {"2": {"inStock": 4, "onHand": 4, "allocated": 0, "inTransit": 0}}
  }
 }
}
""",
    "warehouse-get.json": r"""
{
 "response": [
  {
   "name": "Second warehouse",
   "typeCode": "warehouse",
   "typeDescription": "Warehouse",
   "id": 2,
   "address": {"addressId": 2},
   "clickAndCollectEnabled": false
  },
  {
   "name": "Glasgow Central",
   "id": 3,
   "typeCode": "warehouse",
   "typeDescription": "Warehouse",
   "address": {"addressId": 2},
   "clickAndCollectEnabled": true,
   "weeklyOperatingPeriods": {
    "timeZone": "Europe/London",
    "periods": [
     {"dayOfWeek": 1, "openingHours": "09:00:00", "closingHours": "17:30:00"},
     {"dayOfWeek": 2, "openingHours": "09:00:00", "closingHours": "17:30:00"},
     {"dayOfWeek": 3, "openingHours": "00:00:00", "closingHours": "00:00:00"},
     {"dayOfWeek": 4, "openingHours": "00:00:00", "closingHours": "00:00:00"},
     {"dayOfWeek": 5, "openingHours": "10:00:00", "closingHours": "18:00:00"},
     {"dayOfWeek": 6, "openingHours": "09:00:00", "closingHours": "17:30:00"},
     {"dayOfWeek": 7, "openingHours": "09:00:00", "closingHours": "17:30:00"}
    ]
   },
   "collectionSla": {"value": 2, "timeUnits": "HOURS"},
   "externalTransferSlas": [
    {"warehouseId": 4, "value": 2, "timeUnits": "DAYS"},
    {"warehouseId": 5, "value": 4, "timeUnits": "WORKING_DAYS"}
   ]
  }
 ]
}
""",
    "location-get.json": r"""
{
 "response": [
  {"id": 1, "groupingA": "0", "groupingB": "0", "groupingC": "0", "groupingD": "0", "barcode": "9048550001"},
  {"id": 9, "groupingA": "QUARANTINE"}
 ]
}
""",
    "brand-get.json": r"""
{
 "response": [
  {
   "id": 74,
   "name": "Other",
   "description": "",
   "createdOn": "2020-01-01T01:02:03.000Z",
   "updatedOn": "2020-01-02T03:04:05.000Z"
  },
  {
   "id": 75,
   "name": "Test-1",
   "description": "Test 1 description",
   "createdOn": "2020-02-01T02:03:04.000Z",
   "updatedOn": "2020-02-02T04:05:06.000Z"
  }
 ]
}
""",
    "brightpearl-category-get.json": r"""
{
 "response": [
  {
   "id": 276,
   "name": "Parts",
   "parentId": 0,
   "active": true,
   "createdOn": "2007-06-13T22:25:09.000+01:00",
   "createdById": 0,
   "updatedOn": "2009-05-29T12:00:41.000+01:00",
   "updatedById": 2,
   "description": {"languageCode": "en", "text": "<p>This is the home page.</p>", "format": "PLAINTEXT"}
  },
  {
   "id": 295,
   "name": "Services",
   "parentId": 0,
   "active": true,
   "createdOn": "2008-12-23T10:59:34.000Z",
   "createdById": 2,
   "updatedOn": "2009-04-23T00:35:47.000+01:00",
   "updatedById": 2,
   "description": {"languageCode": "en", "text": "", "format": "PLAINTEXT"}
  }
 ]
}
""",
    "season-get.json": r"""
{
 "response": [
  {"id": 1, "name": "TEST", "description": "This is a test season", "dateFrom": "2010-02-15", "dateTo": "2013-08-01"},
  {"id": 2, "name": "TEST2", "description": "This is also a test season"},
  {"id": 3, "name": "TEST3", "description": "This too is a test season", "dateTo": "2013-08-01"}
 ]
}
""",
    "price-list-get.json": r"""
{
 "response": [
  {
   "id": 1,
   "name": {"languageCode": "en", "text": "Cost CRC", "format": "PLAINTEXT"},
   "code": "COST CRC",
   "currencyCode": "CRC",
   "currencySymbol": "₡",
   "currencyId": 5,
   "priceListTypeCode": "BUY",
   "gross": false
  }
 ]
}
""",
    "channel-get.json": r"""
{
 "response": [
  {"id": 1, "name": "Department 1", "channelTypeId": 2, "channelBrandId": 1},
  {"id": 2, "name": "Channel Post Duplicate", "channelTypeId": 1, "channelBrandId": 1},
  {
   "id": 3,
   "name": "Ebay Channel",
   "channelTypeId": 5,
   "defaultWarehouseId": 3,
   "contactGroupId": 1,
   "defaultPriceListId": 1,
   "channelBrandId": 2,
   "warehouseIds": [3],
   "integrationDetail": {
    "installedIntegrationId": 1,
    "configSetId": 2,
    "providerCode": "ebay",
    "integrationTypeCode": "MKP",
    "active": true
   }
  },
  {
   "id": 4,
   "name": "Channel 2",
   "channelTypeId": 1,
   "defaultWarehouseId": 3,
   "contactGroupId": 1,
   "defaultPriceListId": 1,
   "channelBrandId": 2,
   "warehouseIds": [3]
  },
  {
   "id": 5,
   "name": "Channel 3",
   "channelTypeId": 1,
   "defaultWarehouseId": 3,
   "contactGroupId": 1,
   "defaultPriceListId": 1,
   "channelBrandId": 2,
   "warehouseIds": [3, 4, 5]
  }
 ]
}
""",
    "order-status-get.json": r"""
{
 "response": [
  {
   "statusId": 1,
   "name": "Draft / Quote",
   "orderTypeCode": "SO",
   "sortOrder": 0,
   "disabled": false,
   "visible": false,
   "color": "#E7E6E4",
   "remindAfterDays": 10,
   "alertEmails": [],
   "emailContent": "",
   "batchProcess": false,
   "state": "draft"
  }
 ]
}
""",
    "order-type-get.json": r"""
{
 "response": [
  {"id": 1, "code": "SO", "description": "Sales Order"},
  {"id": 2, "code": "PO", "description": "Purchase Order"},
  {"id": 3, "code": "SC", "description": "Sales Credit"},
  {"id": 4, "code": "PC", "description": "Purchase Credit"}
 ]
}
""",
    "order-shipping-status-get.json": r"""
{
 "response": [
  {"id": 1, "code": "NST", "description": "No stock tracked products on order"},
  {"id": 2, "code": "SNS", "description": "Stock not shipped"},
  {"id": 3, "code": "SPS", "description": "Stock part shipped"},
  {"id": 4, "code": "ASS", "description": "All stock shipped"}
 ]
}
""",
    "nominal-code-get.json": r"""
{
 "response": [
  {
   "id": 1,
   "code": "0010",
   "name": "Freehold property",
   "type": {"id": 5},
   "bank": false,
   "expense": false,
   "discount": false,
   "editable": true,
   "active": true,
   "taxCode": 0,
   "chartMapCode": "nonsense",
   "reconcile": false
  },
  {
   "id": 3,
   "code": "0020",
   "name": "Plant and Machinery",
   "type": {"id": 5},
   "bank": true,
   "expense": false,
   "discount": false,
   "editable": true,
   "active": true,
   "taxCode": 0,
   "chartMapCode": "",
   "reconcile": false,
   "currencyId": 1
  }
 ]
}
""",
    "tax-code-get.json": r"""
{
 "response": [
  {"id": 1, "code": "Z", "description": "Exempt"},
  {"id": 2, "code": "T", "description": "Taxable", "rate": 10.0},
  {"id": 3, "code": "N", "description": "Non Taxable"},
  {"id": 4, "code": "VAT", "description": "VAT", "rate": 13.0},
  {"id": 5, "code": "IVA", "description": "IVA 10%", "rate": 10.0},
  {"id": 6, "code": "IV2", "description": "IVA 2%", "rate": 2.0},
  {"id": 8, "code": "T13", "description": "tax tax tax", "rate": 13.0},
  {"id": 9, "code": "13", "description": "IVA 13%", "rate": 13.0},
  {"id": 10, "code": "I1", "description": "IVA 1%"},
  {"id": 11, "code": "I2", "description": "IVA 2%", "rate": 2.0},
  {"id": 12, "code": "I0", "description": "IVA 0%"}
 ]
}
""",
    "currency-search.json": r"""
{
 "response": {
  "results": [
   [1, "US Dollar", "USD", "$", "1.000000", true, null],
   [2, "Euro", "EUR", "€", "1.234567", false, "1001"]
  ],
  "metaData": {
   "morePagesAvailable": false,
   "resultsAvailable": 2,
   "resultsReturned": 2,
   "firstResult": 1,
   "lastResult": 2,
   "columns": [
    {"name": "id", "sortable": true, "filterable": true, "reportDataType": "IDSET", "referenceData": []},
    {"name": "title", "sortable": true, "filterable": true, "reportDataType": "STRING", "referenceData": []},
    {"name": "code", "sortable": true, "filterable": true, "reportDataType": "STRING", "referenceData": []},
    {"name": "symbol", "sortable": true, "filterable": true, "reportDataType": "STRING", "referenceData": []},
    {"name": "exchangeRate", "sortable": true, "filterable": true, "reportDataType": "STRING", "referenceData": []},
    {"name": "isDefault", "sortable": true, "filterable": true, "reportDataType": "BOOLEAN", "referenceData": []},
    {
     "name": "exchangeRateVarianceNominalCode",
     "sortable": true,
     "filterable": true,
     "reportDataType": "STRING",
     "referenceData": []
    }
   ],
   "sorting": [
    {
     "filterable": {
      "name": "id",
      "sortable": true,
      "filterable": true,
      "reportDataType": "IDSET",
      "referenceData": []
     },
     "direction": "ASC"
    }
   ]
  }
 }
}
""",
    "exchange-rate-get.json": r"""
{
 "response": [
  {"currencyId": 3, "rateActiveFrom": "2015-06-13T14:01:53.000+02:00", "rate": 1.090876, "addedById": 6},
  {"currencyId": 2, "rateActiveFrom": "2015-06-14T07:05:17.000+02:00", "rate": 1.083, "addedById": 5},
  {"currencyId": 2, "rateActiveFrom": "1970-01-01T00:00:00.000+02:00", "rate": 0.95, "addedById": 6}
 ]
}
""",
    "accounting-period-get.json": r"""
{
 "response": [
  {"id": 2, "startDate": "2014-01-01T00:00:00.000Z", "endDate": "2015-01-01T23:59:59:999Z"},
  {"id": 3, "startDate": "2015-01-02T00:00:00.000Z", "endDate": "2015-01-31T23:59:59:999Z"},
  {"id": 4, "startDate": "2015-02-01T00:00:00.000Z", "endDate": "2015-02-28T23:59:59:999Z"},
  {
   "id": 5,
   "startDate": "2013-12-01T00:00:00.000Z",
   "endDate": "2013-12-31T23:59:59:999Z",
   "closedDate": "2014-11-25T00:00:00.000Z",
   "closedByUserId": 4
  },
  {"id": 6, "startDate": "2013-11-01T00:00:00.000Z", "endDate": "2013-11-30T23:59:59:999Z"}
 ]
}
""",
    "payment-method-get.json": r"""
{
 "response": [
  {
   "name": "Sage Pay UK",
   "code": "SAGEPAY_UK",
   "isActive": true,
   "bankAccounts": [{"paymentMethodId": 1, "currencyIsoCode": "GBP", "bankAccountNominalCode": "1200"}],
   "installedIntegrationId": "1"
  },
  {
   "name": "Sage Pay US",
   "code": "SAGEPAY_US",
   "isActive": true,
   "bankAccounts": [{"paymentMethodId": 2, "currencyIsoCode": "USD", "bankAccountNominalCode": "1201"}],
   "installedIntegrationId": "1"
  }
 ]
}
""",
    "stock-transfer-get.json": r"""
{
 "response": [
  {
   "stockTransferId": 1,
   "sourceWarehouseId": 2,
   "targetWarehouseId": 3,
   "goodsOutNoteId": 4,
   "reference": "my-reference",
   "createdBy": 201,
   "createdOn": "2016-06-07T15:41:34.000+01:00"
  }
 ]
}
""",
    "order-custom-field-metadata-get.json": r"""
{
 "response": [
  {
   "id": 131,
   "code": "PCF_TIPONEG",
   "name": "Tipo de Negocio",
   "customFieldType": "SELECT",
   "required": false,
   "options": {
    "160": {"id": 160, "value": "Contrato Global"},
    "156": {"id": 156, "value": "Negocio Pequeno ($0-$10K)"},
    "157": {"id": 157, "value": "Negocio Mediano ($10K-$30K)"},
    "158": {"id": 158, "value": "Negocio Grande ($30K+)"},
    "159": {"id": 159, "value": "Regalos"}
   }
  }
 ]
}
""",
}
