"""Mutations keep GET records, search rows and truth consistent, stamp the clock and bump versions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from sandbox.world import money


def _row(world, table: str, key: int, column: int = 0) -> dict | None:
    for row in world.search_table(table).dicts():
        if list(row.values())[column] == key:
            return row
    return None


def _stamp(world, clock) -> str:
    return world.ctx.tf.dt(int(clock.now.timestamp() * 1000))


def test_order_status_change(fresh_world, clock):
    w = fresh_world
    orders = w.collection("order")
    order_id = orders.ids()[3]
    before = orders.get(order_id)
    w.search_table("order-search").rows()
    version = w.version
    clock.now += timedelta(minutes=5, milliseconds=250)
    code = before["orderTypeCode"]
    target = next(
        s["statusId"]
        for s in w.truth("order-status")
        if s["orderTypeCode"] == code and s["statusId"] != before["orderStatus"]["orderStatusId"]
    )
    w.update("order", order_id, orderStatusId=target)
    after = orders.get(order_id)
    assert after["orderStatus"]["orderStatusId"] == target
    assert after["updatedOn"] == _stamp(w, clock) and after["updatedOn"].endswith(".250-06:00")
    assert after["version"] == before["version"] + 1 and w.version > version
    row = _row(w, "order-search", order_id)
    assert row["orderStatusId"] == target and row["updatedOn"] == after["updatedOn"]


def test_order_quantity_change_recomputes_totals(fresh_world):
    w = fresh_world
    orders = w.collection("order")
    order_id = next(i for i in orders.ids() if orders.get(i)["orderTypeCode"] == "SO")
    w.update("order", order_id, quantity=7)
    order = w.collection("order").get(order_id)
    first = next(iter(order["orderRows"].values()))
    assert first["quantity"]["magnitude"] == "7.0000"
    net = sum(money.parse(r["rowValue"]["rowNet"]["value"], 4) for r in order["orderRows"].values())
    assert money.parse(order["totalValue"]["net"], 2) == money.rescale(net, 4, 2)


def test_never_updated_order_gets_updated_on(fresh_world, clock):
    w = fresh_world
    order_id = next(r[0] for r in w.search_table("order-search").rows() if r[9] is None)
    w.update("order", order_id, reference="#CHANGED")
    assert w.collection("order").get(order_id)["updatedOn"] == _stamp(w, clock)
    row = _row(w, "order-search", order_id)
    assert row["customerRef"] == "#CHANGED" and row["updatedOn"] == _stamp(w, clock)


def test_default_mutations_need_no_fields(fresh_world):
    w = fresh_world
    for resource in (
        "order",
        "product",
        "contact",
        "goods-out-note",
        "journal",
        "brand",
        "product-price",
        "product-availability",
        "order-status",
        "warehouse",
    ):
        collection = w.collection(resource)
        record_id = next(
            i for i in collection.ids() if resource != "goods-out-note" or not collection.get(i)["status"]["shipped"]
        )
        before = collection.get_json(record_id)
        w.update(resource, record_id)
        assert collection.get_json(record_id) != before, resource
    for resource in ("customer-payment", "goods-movement", "location"):
        table = f"{resource}-search"
        row_id = w.search_table(table).rows()[0][0]
        before = list(w.search_table(table).rows()[0])
        w.update(resource, row_id)
        assert w.search_table(table).rows()[0] != before


def test_created_order_never_updated(fresh_world, clock):
    w = fresh_world
    clock.now += timedelta(days=1)
    order_id = w.create("order", never_updated=True, orderTypeCode="SO", rows=[{"productId": 1000, "quantity": 2}])
    order = w.collection("order").get(order_id)
    assert "updatedOn" not in order and order["createdOn"] == _stamp(w, clock)
    assert order_id == max(w.collection("order").ids())
    assert order["orderRows"][next(iter(order["orderRows"]))]["productId"] == 1000
    row = _row(w, "order-search", order_id)
    assert row["updatedOn"] is None and row["createdOn"] == order["createdOn"]
    assert w.search_table("order-search").rows()[-1][0] == order_id


def test_created_order_for_each_type(fresh_world, clock):
    w = fresh_world
    for code in ("SO", "PO", "SC", "PC"):
        order_id = w.create("order", orderTypeCode=code, custom_fields={"PCF_URGENT": True})
        order = w.collection("order").get(order_id, frozenset({"customFields", "nullCustomFields"}))
        assert order["orderTypeCode"] == code and order["updatedOn"] == order["createdOn"] == _stamp(w, clock)
        assert order["customFields"] == {"PCF_URGENT": True} and "PCF_INTREF" in order["nullCustomFields"]
        party = order["parties"]["customer" if code in ("SO", "SC") else "supplier"]
        contact = w.collection("contact").get(party["contactId"])
        assert contact["relationshipToAccount"]["isSupplier"] == (code in ("PO", "PC"))


def test_delete_order(fresh_world):
    w = fresh_world
    order_id = w.collection("order").ids()[10]
    w.delete("order", order_id)
    assert order_id not in w.collection("order").ids()
    assert w.collection("order").get_json(order_id) is None
    assert _row(w, "order-search", order_id) is None
    assert order_id not in {r["id"] for r in w.truth("order")}
    with pytest.raises(KeyError):
        w.update("order", order_id, reference="x")


def test_product_rename_and_custom_field(fresh_world, clock):
    w = fresh_world
    product_id = w.collection("product").ids()[5]
    clock.now += timedelta(hours=2)
    w.update("product", product_id, name="Renamed Thing", custom_fields={"PCF_SERIALIS": None, "PCF_WARRANTY": 24})
    product = w.collection("product").get(product_id, frozenset({"customFields", "nullCustomFields"}))
    assert product["salesChannels"][0]["productName"] == "Renamed Thing"
    assert product["version"] == int(clock.now.timestamp() * 1000)
    assert product["customFields"]["PCF_WARRANTY"] == 24 and "PCF_SERIALIS" in product["nullCustomFields"]
    row = _row(w, "product-search", product_id)
    assert row["productName"] == "Renamed Thing" and row["updatedOn"] == _stamp(w, clock)


def test_created_product_gets_prices_and_availability(fresh_world):
    w = fresh_world
    product_id = w.create("product", name="Brand New Lamp", price="49.50", cost="20.00")
    assert _row(w, "product-search", product_id)["productName"] == "Brand New Lamp"
    prices = w.collection("product-price").get(product_id)
    assert prices["priceLists"][1]["quantityPrice"] == {"1": "49.5"}
    assert w.collection("product-availability").get(product_id)["total"]["onHand"] == 0
    order_id = w.create("order", rows=[{"productId": product_id, "quantity": 1}])
    row = next(iter(w.collection("order").get(order_id)["orderRows"].values()))
    assert row["productName"] == "Brand New Lamp"
    w.delete("product", product_id)
    assert w.collection("product-price").get(product_id) is None
    assert product_id not in w.search_table("product-search").reference()["productCategoryMembership"]


def test_contact_email_change_and_creation(fresh_world, clock):
    w = fresh_world
    contact_id = w.collection("contact").ids()[12]
    w.update("contact", contact_id, email="someone.new@example.com")
    assert _row(w, "contact-search", contact_id)["primaryEmail"] == "someone.new@example.com"
    new_id = w.create("contact", firstName="Pat", lastName="Doe", email="pat.doe@example.com")
    record = w.collection("contact").get(new_id)
    assert record["firstName"] == "Pat" and record["createdOn"] == _stamp(w, clock)
    order_id = w.create("order", contactId=new_id)
    party = w.collection("order").get(order_id)["parties"]["customer"]
    assert party["email"] == "pat.doe@example.com" and party["addressFullName"] == "Pat Doe"
    assert _row(w, "contact-search", new_id)["lastOrderedOn"] == _stamp(w, clock)


def test_goods_notes(fresh_world, clock):
    w = fresh_world
    so = next(r[0] for r in w.search_table("order-search").rows() if r[1] == 1)
    note_id = w.create("goods-out-note", orderId=so)
    assert note_id > 12_000_000 and w.collection("goods-out-note").parent_id(note_id) == so
    assert _row(w, "goods-out-search", note_id)["shipped"] is False
    clock.now += timedelta(hours=1)
    w.update("goods-out-note", note_id, shipped=True)
    row = _row(w, "goods-out-search", note_id)
    assert row["shipped"] is True and row["shippedOn"] == _stamp(w, clock)
    assert w.collection("goods-out-note").get(note_id)["events"][-1]["eventCode"] == "SHW"
    assert dict(next(iter(w.truth("goods-out-note"))))["goodsOutNoteId"]
    po = next(r[0] for r in w.search_table("order-search").rows() if r[1] == 2)
    in_id = w.create("goods-in-note", orderId=po)
    rows = [r for r in w.search_table("goods-in-search").dicts() if r["batchId"] == in_id]
    assert rows and all(r["purchaseOrderId"] == po for r in rows)


def test_payments_and_journals(fresh_world):
    w = fresh_world
    so = next(r[0] for r in w.search_table("order-search").rows() if r[1] == 1)
    payment_id = w.create("customer-payment", orderId=so, amount="10.00")
    payment = _row(w, "customer-payment-search", payment_id)
    assert payment["amountPaid"] == "10.00" and payment["orderId"] == so
    journal = w.collection("journal").get(payment["journalId"])
    assert journal["journalTypeCode"] == "BR" and journal["credits"][0]["orderId"] == so
    rows = [r for r in w.search_table("journal-search").dicts() if r["journalId"] == journal["id"]]
    assert len(rows) == 2 and len({r["journalRowId"] for r in rows}) == 2
    po = next(r[0] for r in w.search_table("order-search").rows() if r[1] == 2)
    supplier_payment = w.create("supplier-payment", orderId=po)
    assert _row(w, "supplier-payment-search", supplier_payment)["paymentType"] == "PAYMENT"
    journal_id = w.create("journal", amount="55.00", description="Office party")
    w.update("journal", journal_id, description="Team lunch")
    assert w.collection("journal").get(journal_id)["description"] == "Team lunch"
    row_ids = [r["journalRowId"] for r in w.search_table("journal-search").dicts() if r["journalId"] == journal_id]
    assert len(row_ids) == 2 and row_ids == sorted(row_ids)
    w.delete("customer-payment", payment_id)
    assert _row(w, "customer-payment-search", payment_id) is None


def test_goods_movement_crud(fresh_world, clock):
    w = fresh_world
    movement_id = w.create("goods-movement", productId=1000, quantity=-2)
    assert _row(w, "goods-movement-search", movement_id)["quantity"] == -2
    clock.now += timedelta(minutes=1)
    w.update("goods-movement", movement_id, isCleared=True)
    row = _row(w, "goods-movement-search", movement_id)
    assert row["isCleared"] is True and row["updatedOn"] == _stamp(w, clock)
    w.delete("goods-movement", movement_id)
    assert _row(w, "goods-movement-search", movement_id) is None


def test_truth_matches_served_records(fresh_world):
    w = fresh_world
    w.update("order", w.collection("order").ids()[0])
    truth = {r["id"]: r for r in w.truth("order")}
    assert truth == {i: w.collection("order").get(i) for i in w.collection("order").ids()}
    assert list(w.truth("customer-payment")) == w.search_table("customer-payment-search").dicts()
    assert list(w.truth("exchange-rate")) == w.static_list("exchange-rate").records()


def test_bad_mutations_are_refused(fresh_world):
    w = fresh_world
    order_id = w.collection("order").ids()[0]
    with pytest.raises(ValueError):
        w.update("order", order_id, orderStatusId=999)
    with pytest.raises(KeyError):
        w.update("order", order_id, noSuchField=1)
    with pytest.raises(KeyError):
        w.update("nope", 1)
    with pytest.raises(NotImplementedError):
        w.create("tax-code")


def test_concurrent_reads_and_writes(fresh_world):
    w = fresh_world
    ids = w.collection("order").ids()
    errors: list[BaseException] = []

    def reader():
        try:
            for _ in range(3):
                for i in ids[:100]:
                    w.collection("order").get_json(i)
                w.search_table("order-search").rows()
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for i in ids[:50]:
        w.update("order", i, reference=f"#{i}")
    for t in threads:
        t.join()
    assert not errors
    assert all(_row(w, "order-search", i)["customerRef"] == f"#{i}" for i in ids[:50:7])
