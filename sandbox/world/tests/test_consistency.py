"""Referential consistency of a seeded world (read-only: uses the session's small world)."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox.world import World, money

SALES, PURCHASES = {"SO", "SC"}, {"PO", "PC"}


def _all(world: World, name: str, include=frozenset()) -> dict[int, dict]:
    collection = world.collection(name)
    return {i: collection.get(i, include) for i in collection.ids()}


@pytest.fixture(scope="module")
def data(small_world):
    w = small_world
    return {
        "orders": _all(w, "order", frozenset({"customFields"})),
        "products": _all(w, "product", frozenset({"customFields"})),
        "contacts": _all(w, "contact"),
        "statuses": _all(w, "order-status"),
        "warehouses": set(w.collection("warehouse").ids()),
        "locations": {r[0]: r for r in w.search_table("location-search").rows()},
        "journals": _all(w, "journal"),
        "goods_out": _all(w, "goods-out-note"),
        "goods_in": _all(w, "goods-in-note"),
        "nominals": {r["code"] for r in _all(w, "nominal-code").values()},
    }


def _party(order: dict) -> dict:
    return order["parties"].get("customer") or order["parties"]["supplier"]


def test_order_types_in_proportion(data):
    counts = Counter(o["orderTypeCode"] for o in data["orders"].values())
    total = sum(counts.values())
    assert set(counts) == {"SO", "PO", "SC", "PC"}
    assert 0.6 < counts["SO"] / total < 0.8 and counts["PC"] < counts["SC"] < counts["PO"]


def test_orders_reference_existing_things(small_world, data):
    w = small_world
    price_lists = set(w.collection("price-list").ids())
    channels = set(w.collection("channel").ids()) | {0}
    methods = set(w.collection("shipping-method").ids()) | {0}
    staff = {c for c, r in data["contacts"].items() if r["relationshipToAccount"]["isStaff"]}
    for order_id, order in data["orders"].items():
        code = order["orderTypeCode"]
        contact = data["contacts"][_party(order)["contactId"]]
        assert contact["relationshipToAccount"]["isSupplier"] == (code in PURCHASES), order_id
        assert ("customer" in order["parties"]) == (code in SALES)
        status = data["statuses"][order["orderStatus"]["orderStatusId"]]
        assert status["orderTypeCode"] == code and status["name"] == order["orderStatus"]["name"]
        assert order["warehouseId"] in data["warehouses"]
        assert order["priceListId"] in price_lists and order["costPriceListId"] == 0
        assert order["assignment"]["current"]["channelId"] in channels
        assert order["delivery"]["shippingMethodId"] in methods
        assert order["createdById"] in staff
        assert order["assignment"]["current"]["staffOwnerContactId"] in staff | {0}
        for row in order["orderRows"].values():
            product = data["products"][row["productId"]]
            assert row["productName"] == product["salesChannels"][0]["productName"]
            assert row["productSku"] == product["identity"]["sku"]
        if order["parentOrderId"]:
            parent = data["orders"][order["parentOrderId"]]
            assert (code, parent["orderTypeCode"]) in (("SC", "SO"), ("PC", "PO"))
            assert _party(parent)["contactId"] == _party(order)["contactId"]
            assert parent["id"] < order_id


def test_order_totals_add_up(data):
    for order in data["orders"].values():
        net = sum(money.parse(r["rowValue"]["rowNet"]["value"], 4) for r in order["orderRows"].values())
        tax = sum(money.parse(r["rowValue"]["rowTax"]["value"], 2) for r in order["orderRows"].values())
        totals = order["totalValue"]
        assert money.parse(totals["net"], 2) == money.rescale(net, 4, 2)
        assert money.parse(totals["taxAmount"], 2) == tax
        assert money.parse(totals["total"], 2) == money.parse(totals["net"], 2) + tax
        if order["currency"]["orderCurrencyCode"] == "USD":
            assert totals["baseTotal"] == totals["total"] and order["currency"]["exchangeRate"] == "1.000000"


def test_fast_order_search_rows_equal_rows_from_records(small_world, data):
    orders = small_world.orders
    fast = orders.seeded_search_rows()
    for row in fast:
        assert row == orders.search_row(data["orders"][row[0]])


def test_fast_goods_out_rows_equal_rows_from_records(small_world, data):
    notes = small_world.store("goods-out-note")
    for row in notes.seeded_search_rows():
        assert row == notes.search_row(row[0], data["goods_out"][row[0]])


def test_fast_journal_rows_equal_rows_from_records(small_world, data):
    journals = small_world.store("journal")
    for rows in journals.seeded_search_rows():
        assert rows == journals.search_rows(data["journals"][rows[0][0]])


def test_goods_out_notes_follow_their_sales_orders(small_world, data):
    for note_id, note in data["goods_out"].items():
        assert note_id > 10_000_000
        if note["transfer"]:
            assert note["orderId"] == 0 and note["targetWarehouseId"] in data["warehouses"]
            continue
        order = data["orders"][note["orderId"]]
        assert order["orderTypeCode"] == "SO" and note["warehouseId"] == order["warehouseId"]
        assert small_world.collection("goods-out-note").parent_id(note_id) == note["orderId"]
        for row_id, parts in note["orderRows"].items():
            row = order["orderRows"][row_id]
            for part in parts:
                assert part["productId"] == row["productId"]
                assert part["quantity"] == int(float(row["quantity"]["magnitude"]))
                assert data["locations"][part["locationId"]][1] == note["warehouseId"]
        assert note["status"]["shipped"] == ("shippedOn" in note["status"])


def test_goods_in_notes_follow_purchase_orders_and_credits(data):
    for note_id, note in data["goods_in"].items():
        order = data["orders"][note["orderId"]]
        assert order["orderTypeCode"] in ("PO", "SC")
        for moved in note["goodsMoved"]:
            row = order["orderRows"][str(moved["purchaseOrderRowId"])]
            assert moved["productId"] == row["productId"] and moved["goodsNoteId"] == note_id
            assert data["locations"][moved["destinationLocationId"]][1] == moved["warehouseId"] == order["warehouseId"]


def test_goods_in_search_repeats_per_moved_line(small_world, data):
    rows = small_world.search_table("goods-in-search").rows()
    assert len(rows) == sum(len(n["goodsMoved"]) for n in data["goods_in"].values())
    for row in rows:
        assert row[1] in data["goods_in"] and data["goods_in"][row[1]]["orderId"] == row[0]  # batchId is the note
        assert 0 <= row[13] <= row[12]


def test_payments_reference_orders_of_the_right_type(small_world, data):
    for name, types in (("customer-payment-search", SALES), ("supplier-payment-search", PURCHASES)):
        for payment in small_world.search_table(name).dicts():
            order = data["orders"][payment["orderId"]]
            assert order["orderTypeCode"] in types
            assert payment["currencyCode"] == order["currency"]["orderCurrencyCode"]
            paid = money.parse(payment["amountPaid"], 2)
            assert paid <= money.parse(order["totalValue"]["total"], 2)
            if payment.get("paymentType") == "AUTH":
                assert payment["journalId"] is None and payment["expires"]
            else:
                journal = data["journals"][payment["journalId"]]
                assert journal["credits"][0]["orderId"] == payment["orderId"]
                assert journal["credits"][0]["transactionAmount"] == payment["amountPaid"]


def test_journals_balance_and_reference_orders_contacts_and_nominal_codes(small_world, data):
    for journal_id, journal in data["journals"].items():
        lines = journal["credits"] + journal["debits"]
        credits = sum(money.parse(line["change"]["value"], 2) for line in journal["credits"])
        debits = sum(money.parse(line["change"]["value"], 2) for line in journal["debits"])
        assert credits == debits, journal_id
        assert all(line["nominalCode"] in data["nominals"] for line in lines)
        if journal["contactId"]:
            assert journal["contactId"] in data["contacts"]
        for line in lines:
            if "orderId" in line:
                order = data["orders"][line["orderId"]]
                assert _party(order)["contactId"] == journal["contactId"]
        if journal["journalTypeCode"] in ("SI", "SC", "PI", "PC"):
            order = data["orders"][lines[0]["orderId"]]
            assert order["state"]["tax"] == "INVOICED"
            assert order["invoices"][0]["invoiceReference"] == lines[0]["invoiceReference"]
            assert max(money.parse(line["transactionAmount"], 2) for line in lines) == money.parse(
                order["totalValue"]["total"], 2
            )
    rows = small_world.search_table("journal-search").rows()
    assert len(rows) == sum(len(j["credits"]) + len(j["debits"]) for j in data["journals"].values())
    assert len({r[-1] for r in rows}) == len(rows)


def test_goods_movements_reference_notes_products_warehouses_and_orders(small_world, data):
    products = data["products"]
    for m in small_world.search_table("goods-movement-search").dicts():
        assert m["productId"] in products and m["warehouseId"] in data["warehouses"]
        assert data["locations"][m["destinationLocationId"]][1] == m["warehouseId"]
        if m["goodsNoteTypeCode"] == "GO":
            note = data["goods_out"][m["goodsNoteId"]]
            assert str(m["salesOrderRowId"]) in note["orderRows"] and m["quantity"] < 0
            assert m["orderId"] == note["orderId"]
        elif m["goodsNoteTypeCode"] == "GI":
            note = data["goods_in"][m["goodsNoteId"]]
            assert m["batchId"] == m["goodsNoteId"] and m["quantity"] > 0
            assert any(g["purchaseOrderRowId"] == m["purchaseOrderRowId"] for g in note["goodsMoved"])
        else:
            assert m["goodsNoteTypeCode"] == "SC" and m["orderId"] == 0


def test_product_prices_and_availability_reference_products_lists_and_warehouses(small_world, data):
    price_lists = {r["id"]: r for r in _all(small_world, "price-list").values()}
    assert 0 in price_lists and price_lists[0]["name"]["text"] == "Cost"
    for product_id, prices in _all(small_world, "product-price").items():
        assert product_id in data["products"]
        assert [p["priceListId"] for p in prices["priceLists"]] == sorted(price_lists)
        for p in prices["priceLists"]:
            assert p["currencyCode"] == price_lists[p["priceListId"]]["currencyCode"]
    availability = _all(small_world, "product-availability")
    assert set(availability) == {i for i, p in data["products"].items() if p["stock"]["stockTracked"]}
    for record in availability.values():
        assert {int(w) for w in record["warehouses"]} <= data["warehouses"]
        for cell in record["warehouses"].values():
            assert cell["inStock"] == cell["onHand"] + cell["allocated"]
        assert record["total"]["onHand"] == sum(c["onHand"] for c in record["warehouses"].values())


def test_products_reference_catalogue_data(small_world, data):
    w = small_world
    brands, seasons = set(w.collection("brand").ids()), set(w.collection("season").ids())
    categories = set(w.collection("brightpearl-category").ids())
    types = {r[0] for r in w.search_table("product-type-search").rows()}
    collections = {r[0] for r in w.search_table("collection-search").rows()}
    values = {(r[0], r[2]): r[3] for r in w.search_table("option-value-search").rows()}
    options = {r[0]: r[1] for r in w.search_table("option-search").rows()}
    suppliers = {c for c, r in data["contacts"].items() if r["relationshipToAccount"]["isSupplier"]}
    membership = w.search_table("product-search").reference()["productCategoryMembership"]
    for product_id, p in data["products"].items():
        assert p["brandId"] in brands and p["productTypeId"] in types and set(p["seasonIds"]) <= seasons
        assert p.get("collectionId", next(iter(collections))) in collections
        assert p.get("primarySupplierId", next(iter(suppliers))) in suppliers
        cats = [int(c["categoryCode"]) for c in p["salesChannels"][0]["categories"]]
        assert set(cats) <= categories and membership[str(product_id)] == cats
        for v in p.get("variations", []):
            assert values[(v["optionId"], v["optionValueId"])] == v["optionValue"]
            assert options[v["optionId"]] == v["optionName"]
        for component in p["composition"].get("bundleComponents", []):
            assert component["productId"] in data["products"]
        for wid, cell in p.get("warehouses", {}).items():
            assert data["locations"][cell["defaultLocationId"]][1] == int(wid)
        assert p["version"] == w.ctx.tf.parse(p["updatedOn"])
    for location in data["locations"].values():
        assert location[1] in data["warehouses"]
    for option_id, *_ in w.search_table("option-value-search").rows():
        assert option_id in options


def test_custom_fields_match_their_metadata(small_world, data):
    def metadata(name):
        return {r["code"]: r for r in _all(small_world, name).values()}

    sale, purchase = metadata("sale-custom-field-meta-data"), metadata("purchase-custom-field-meta-data")
    for order in data["orders"].values():
        fields = sale if order["orderTypeCode"] in SALES else purchase
        for code, value in order["customFields"].items():
            meta = fields[code]
            if meta["customFieldType"] == "SELECT":
                assert meta["options"][str(value["id"])]["value"] == value["value"]
        assert all(fields[c]["required"] is False or c in order["customFields"] for c in fields)


def test_contact_search_last_ordered_on_is_the_latest_sales_order(small_world, data):
    latest: dict[int, str] = {}
    for order in data["orders"].values():
        if order["orderTypeCode"] == "SO":
            latest[_party(order)["contactId"]] = order["createdOn"]
    rows = small_world.search_table("contact-search").dicts()
    assert {r["contactId"]: r["lastOrderedOn"] for r in rows if r["lastOrderedOn"]} == latest


def test_stock_transfers_point_at_transfer_notes(small_world, data):
    for transfer in _all(small_world, "stock-transfer").values():
        if transfer["goodsOutNoteId"]:
            note = data["goods_out"][transfer["goodsOutNoteId"]]
            assert note["transfer"] and note["warehouseId"] == transfer["sourceWarehouseId"]
            assert note["targetWarehouseId"] == transfer["targetWarehouseId"]


def test_fast_product_and_contact_rows_equal_rows_from_records(small_world, data):
    products = small_world.products
    rows, categories = products.seeded_search()
    for row, cats in zip(rows, categories):
        assert row == products.search_row(data["products"][row[0]])
        assert cats == products.category_ids(data["products"][row[0]])
    contacts = small_world.contacts
    for row in contacts.seeded_search_rows():
        assert row == contacts.search_row(data["contacts"][row[0]], {})
