"""Mutations between syncs: update, create and delete records (../README.md "Mutations").

Every write replaces a whole current record in its store's overlay, so GET records, search rows (rebuilt from
records) and `truth()` stay consistent by construction. Writes stamp `updatedOn` with the clock where the
resource has one, bump the record's version where it has one, and bump `world.version`. Defaults and ids of
created records come from a generator seeded by the world seed, so a scripted sequence of mutations is
reproducible.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import custom_fields, money
from .accounting import BASE_CURRENCY_ID, TAX_BY_ID
from .catalog import COST_LIST, PRICE_LIST_BY_ID, RETAIL_LIST
from .contacts import COUNTRY_BY_CURRENCY, CUSTOMER, STAFF, SUPPLIER, ContactSeed
from .contacts import TAG as CONTACT_TAG
from .goods import InNote, OutNote
from .ledger import NO_TAX_CODE_ID, Journal, JournalLine
from .orders import F_REF, PC, PO, SC, SO, OrderSpec, parties_for, retotal
from .orders import TAG as ORDER_TAG
from .products import ProductCore
from .rand import record_rng, stream_rng
from .reference import (
    NEW,
    NOT_APPLICABLE,
    PAYMENT_STATUS_ID,
    STATUS_BY_ID,
    STOCK_STATUS_ID,
    TYPE_CODE,
    TYPE_ID,
    statuses_for,
)
from .store import deep_copy
from .timefmt import HOUR_MS

if TYPE_CHECKING:
    from .core import World

# Top-level keys a generic update may add although a record can lack them (optional keys, docs/brightpearl-api.md §R3).
_OPTIONAL_KEYS = {
    "order": {"externalRef", "closedOn"},
    "product": {"collectionId", "productGroupId", "primarySupplierId"},
    "contact": {"lastContactedOn"},
    "season": {"dateFrom", "dateTo"},
    "channel": {"defaultWarehouseId", "contactGroupId", "defaultPriceListId", "warehouseIds"},
    "journal": {"description", "dueDate"},
}
_ORDER_ASSIGNMENT = ("staffOwnerContactId", "projectId", "channelId", "leadSourceId", "teamId")
_IDENTITY = ("sku", "barcode", "ean", "upc", "isbn", "mpn")


class Mutations:
    def __init__(self, world: World):
        self.w = world
        self.ctx = world.ctx
        self.rng = stream_rng(world.seed, "mutations")
        self._next_row_id = 0
        self._next_goods_note_id = 0

    # -- entry points --------------------------------------------------------------------------------------------

    def update(self, resource: str, record_id: int, changes: dict) -> None:
        with self.ctx.lock:
            store = self.w.store(resource)
            current = store.record(record_id)
            if current is None:
                raise KeyError(f"{resource} {record_id} does not exist")
            now = self.ctx.clock_ms()
            record = deep_copy(current)
            handler = getattr(self, "_update_" + resource.replace("-", "_"), None)
            if isinstance(record, list):
                self._update_row(resource, record, changes, now)
            elif handler is not None:
                handler(record_id, record, dict(changes), now)
            else:
                self._update_generic(resource, record, dict(changes), now)
            store.put(record_id, record)
            self.ctx.version += 1

    def create(self, resource: str, never_updated: bool, fields: dict) -> int:
        with self.ctx.lock:
            handler = getattr(self, "_create_" + resource.replace("-", "_"), None)
            if handler is None:
                raise NotImplementedError(
                    f"create({resource!r}) is not supported; supported: order, product, contact, goods-out-note, "
                    f"goods-in-note, customer-payment, supplier-payment, journal, goods-movement, brand"
                )
            record_id = handler(dict(fields), never_updated, self.ctx.clock_ms())
            self.ctx.version += 1
            return record_id

    def delete(self, resource: str, record_id: int) -> None:
        with self.ctx.lock:
            self.w.store(resource).delete(record_id)
            if resource == "product":
                for dependent in ("product-price", "product-availability"):
                    store = self.w.store(dependent)
                    if store.has(record_id):
                        store.delete(record_id)
            self.ctx.version += 1

    # -- helpers -------------------------------------------------------------------------------------------------

    def _dt(self, ms: int) -> str:
        return self.ctx.tf.dt(ms)

    def _json(self, value: Any) -> Any:
        """Mutation arguments in API form: datetimes become account-offset strings."""
        if isinstance(value, datetime):
            return self._dt(self.ctx.tf.parse(value))
        return value

    def _set_custom_fields(self, record: dict, fields: tuple, values: dict) -> None:
        current = dict(record.get("customFields", {}))
        for code, value in values.items():
            coerced = custom_fields.coerce(fields, code, value, self.ctx.tf)
            if coerced is None:
                current.pop(code, None)
            else:
                current[code] = coerced
        record["customFields"] = {f.code: current[f.code] for f in fields if f.code in current}

    def _update_generic(self, resource: str, record: dict, changes: dict, now: int) -> None:
        if not changes:
            name_key = next((k for k in ("name", "description") if isinstance(record.get(k), str)), None)
            if name_key is None and "updatedOn" not in record:
                raise ValueError(f"update({resource!r}) needs fields: no default change for this resource")
            if name_key is not None:
                changes = {name_key: record[name_key] + " (edited)"}
        for key, value in changes.items():
            if key not in record and key not in _OPTIONAL_KEYS.get(resource, ()):
                raise KeyError(f"{resource} has no field {key!r}")
            if value is None:
                record.pop(key, None)
            else:
                record[key] = self._json(value)
        if "updatedOn" in record and "updatedOn" not in changes:
            record["updatedOn"] = self._dt(now)
        if "updatedById" in record:
            record["updatedById"] = self.w.contacts.staff_ids[0]

    def _update_row(self, resource: str, row: list, changes: dict, now: int) -> None:
        names = [c.name for c in self.w.row_columns(resource)]
        if not changes:
            if "isCleared" in names:
                changes = {"isCleared": not row[names.index("isCleared")]}
            elif "transactionRef" in names:
                changes = {"transactionRef": f"{row[names.index('transactionRef')]}-ADJ"}
            else:
                changes = {names[1]: f"{row[1]} (edited)"}
        for key, value in changes.items():
            if key not in names:
                raise KeyError(f"{resource} has no column {key!r}; columns: {', '.join(names)}")
            if key == names[0] or (resource == "option-value" and key == "optionValueId"):
                raise ValueError(f"{key} is the id of {resource}: delete and create instead")
            row[names.index(key)] = self._json(value)
        if "updatedOn" in names and "updatedOn" not in changes:
            row[names.index("updatedOn")] = self._dt(now)

    # -- orders --------------------------------------------------------------------------------------------------

    def _update_order(self, order_id: int, record: dict, changes: dict, now: int) -> None:
        code = record["orderTypeCode"]
        if not changes:
            statuses = [s[0] for s in STATUS_BY_ID.values() if s[2] == code]
            current = record["orderStatus"]["orderStatusId"]
            changes = {"orderStatusId": statuses[(statuses.index(current) + 1) % len(statuses)]}
        quantities: dict[str, int] = {}
        for key, value in changes.items():
            if key == "orderStatusId":
                status = STATUS_BY_ID.get(value)
                if status is None or status[2] != code:
                    raise ValueError(f"order status {value} is not a {code} status")
                record["orderStatus"] = {"orderStatusId": value, "name": status[1]}
            elif key in ("reference", "customerRef"):
                record["reference"] = str(value)
            elif key == "quantity":
                quantities[next(iter(record["orderRows"]))] = int(value)
            elif key == "row_quantity":
                quantities.update({str(row): int(qty) for row, qty in value.items()})
            elif key == "deliveryDate":
                if value is None:
                    record["delivery"].pop("deliveryDate", None)
                else:
                    moment = self.ctx.tf.parse(value)
                    record["delivery"] = {
                        "deliveryDate": self._dt(moment),
                        **{k: v for k, v in record["delivery"].items() if k != "deliveryDate"},
                    }
            elif key == "shippingMethodId":
                record["delivery"]["shippingMethodId"] = int(value)
            elif key == "custom_fields":
                self._set_custom_fields(record, self.w.orders.fields_for(code), value)
            elif key == "orderPaymentStatus":
                if value not in PAYMENT_STATUS_ID:
                    raise ValueError(f"unknown payment status {value!r}")
                record["orderPaymentStatus"] = value
            elif key in _ORDER_ASSIGNMENT:
                record["assignment"]["current"][key] = int(value)
            elif key == "warehouseId":
                if int(value) not in self.w.warehouses.ids:
                    raise ValueError(f"no warehouse {value}")
                record["warehouseId"] = int(value)
            else:
                self._update_generic("order", record, {key: value}, now)
        for row_id, qty in quantities.items():
            row = record["orderRows"].get(row_id)
            if row is None:
                raise KeyError(f"order {order_id} has no row {row_id}")
            row["quantity"]["magnitude"] = money.dec(qty * 10_000, 4)
        if quantities:
            retotal(record)
        record["updatedOn"] = self._dt(now)
        record["version"] += 1

    def _create_order(self, fields: dict, never_updated: bool, now: int) -> int:
        w = self.w
        orders, contacts, products = w.orders, w.contacts, w.products
        code = fields.pop("orderTypeCode", "SO")
        t = TYPE_ID[code]
        kind = CUSTOMER if t in (SO, SC) else SUPPLIER
        contact = int(fields.pop("contactId", 0)) or contacts.eligible(kind, now, self.rng.random())
        if contacts.kind_of(contact) != kind:
            raise ValueError(f"contact {contact} is not a {'customer' if kind == CUSTOMER else 'supplier'}")
        status = int(fields.pop("orderStatusId", statuses_for(code, NEW)[0]))
        if STATUS_BY_ID.get(status, (0, "", ""))[2] != code:
            raise ValueError(f"order status {status} is not a {code} status")
        order_id = orders.allocate_id()
        price_list = fields.pop("priceListId", None)
        if price_list is None:
            price_list = orders.price_list_for(t, contacts.price_list_of(contact))
        currency_id = PRICE_LIST_BY_ID[price_list][3] if t in (SO, SC) else BASE_CURRENCY_ID
        wanted = fields.pop("rows", None)
        if wanted is None:
            ids = products.orderable_ids
            wanted = [
                {"productId": ids[self.rng.randrange(len(ids))], "quantity": self.rng.randint(1, 3)}
                for _ in range(self.rng.randint(1, 3))
            ]
        tax_override = contacts.tax_code(contact) if t in (SO, SC) else 0
        lines = []
        for row in wanted:
            row = row if isinstance(row, dict) else {"productId": row, "quantity": 1}
            product = self._current_product(int(row["productId"]))
            lines.append(
                orders.make_line(
                    self._row_id(),
                    product,
                    int(row.get("quantity", 1)),
                    int(round(float(row.get("discount", 0)) * 100)),
                    t,
                    price_list,
                    tax_override,
                )
            )
        reference = str(fields.pop("reference", fields.pop("customerRef", "")))
        channel = int(fields.pop("channelId", 1 if t in (SO, SC) else 0))
        person = contacts.current_person(contact)
        tf = self.ctx.tf
        spec = OrderSpec(
            id=order_id,
            type=t,
            contact=contact,
            status=status,
            stage=NEW,
            flags=F_REF if reference else 0,
            created=now,
            updated=0 if never_updated else now,
            warehouse=int(fields.pop("warehouseId", w.warehouses.ids[0])),
            channel=channel,
            owner=int(fields.pop("staffOwnerContactId", 0)),
            creator=int(fields.pop("createdById", contacts.staff_ids[0])),
            parent=int(fields.pop("parentOrderId", 0)),
            payment=NOT_APPLICABLE,
            stock=STOCK_STATUS_ID["NON"],
            shipping=1,
            tax_day=tf.local_day(now),
            delivery_day=0,
            invoice_reference="",
            ship_method=int(fields.pop("shippingMethodId", 0)),
            price_list=price_list,
            currency_id=currency_id,
            rate=w.accounting.currencies[currency_id].rate_at(now),
            lines=lines,
            reference=reference,
            external_ref=None,
            credit_days=contacts.credit_days(contact),
            lead_source=contacts.lead_source(contact) if t in (SO, SC) else 0,
            version=1,
            closed=0,
            parties=parties_for(t, contact, person),
        )
        record = orders.compose(spec, record_rng(self.ctx.seed, ORDER_TAG, order_id))
        wanted_fields = fields.pop("custom_fields", None)
        if wanted_fields is not None:
            record["customFields"] = {}
            self._set_custom_fields(record, orders.fields_for(code), wanted_fields)
        if fields:
            raise KeyError(f"create('order') does not take {', '.join(fields)}")
        orders.put(order_id, record)
        return order_id

    def _row_id(self) -> int:
        if not self._next_row_id:
            orders = self.w.orders
            last = len(orders.ids_) - 1
            self._next_row_id = orders.row_base[last] + orders.nrows[last] if last >= 0 else 1
        row_id = self._next_row_id
        self._next_row_id += 1
        return row_id

    # -- products ------------------------------------------------------------------------------------------------

    def _current_product(self, product_id: int) -> ProductCore:
        """A product as it is now (name, SKU, tax code, retail price and cost), for new order rows."""
        w = self.w
        record = w.products.record(product_id)
        if record is None:
            raise KeyError(f"product {product_id} does not exist")
        price_record = w.store("product-price").record(product_id)
        prices = {pl["priceListId"]: pl["quantityPrice"] for pl in price_record["priceLists"]}
        core = w.products.by_id(product_id)
        current = ProductCore(**{slot: getattr(core, slot) for slot in ProductCore.__slots__ if slot != "options"})
        current.name = record["salesChannels"][0]["productName"]
        current.sku = record["identity"]["sku"]
        current.tax = record["financialDetails"]["taxCode"]["id"]
        current.price = money.parse(prices[RETAIL_LIST].get("1", money.dec(core.price, 4)), 4)
        current.cost = money.parse(prices[COST_LIST].get("1", money.dec(core.cost, 4)), 4)
        return current

    def _update_product(self, product_id: int, record: dict, changes: dict, now: int) -> None:
        if not changes:
            changes = {"name": record["salesChannels"][0]["productName"] + " (new edition)"}
        for key, value in changes.items():
            if key in ("name", "productName"):
                record["salesChannels"][0]["productName"] = str(value)
            elif key in _IDENTITY:
                record["identity"][key] = str(value)
            elif key == "stockTracked":
                record["stock"]["stockTracked"] = bool(value)
            elif key == "categories":
                record["salesChannels"][0]["categories"] = [{"categoryCode": str(c)} for c in value]
            elif key == "custom_fields":
                self._set_custom_fields(record, custom_fields.PRODUCT_FIELDS, value)
            else:
                self._update_generic("product", record, {key: value}, now)
        record["updatedOn"] = self._dt(now)
        record["version"] = now  # epoch ms of the last change (docs/brightpearl-api.md §R3.5)

    def _update_product_price(self, product_id: int, record: dict, changes: dict, now: int) -> None:
        """prices={priceListId: {breakQty: "price"}}; no change → retail price up by 1.00."""
        prices = changes.pop("prices", None)
        if changes:
            raise KeyError(f"product-price takes prices={{listId: {{qty: price}}}}, not {', '.join(changes)}")
        if prices is None:
            retail = next(pl for pl in record["priceLists"] if pl["priceListId"] == RETAIL_LIST)
            value = money.parse(retail["quantityPrice"].get("1", "0"), 4) + 10_000
            prices = {RETAIL_LIST: {"1": money.loose(value, 4)}}
        for list_id, breaks in prices.items():
            entry = next((pl for pl in record["priceLists"] if pl["priceListId"] == int(list_id)), None)
            if entry is None:
                raise KeyError(f"no price list {list_id}")
            entry["quantityPrice"] = {str(q): str(v) for q, v in breaks.items()}

    def _update_product_availability(self, product_id: int, record: dict, changes: dict, now: int) -> None:
        """warehouses={warehouseId: {"onHand": n, ...}}; no change → one unit fewer on hand in the first warehouse."""
        wanted = changes.pop("warehouses", None)
        if changes:
            raise KeyError(f"product-availability takes warehouses={{id: {{onHand: n}}}}, not {', '.join(changes)}")
        if wanted is None:
            first = next(iter(record["warehouses"]), str(self.w.warehouses.ids[0]))
            cell = record["warehouses"].get(first, {"onHand": 1})
            wanted = {first: {"onHand": max(0, cell["onHand"] - 1)}}
        for wid, values in wanted.items():
            cell = record["warehouses"].setdefault(str(wid), {"inStock": 0, "onHand": 0, "allocated": 0, "inTransit": 0})
            cell.update({k: int(v) for k, v in values.items()})
            cell["inStock"] = cell["onHand"] + cell["allocated"]
        record["total"] = {
            k: sum(c[k] for c in record["warehouses"].values()) for k in ("inStock", "onHand", "allocated", "inTransit")
        }

    def _create_product(self, fields: dict, never_updated: bool, now: int) -> int:
        w = self.w
        products = w.products
        product_id = products.allocate_id()
        price = money.parse(str(fields.pop("price", "19.99")), 4)
        cost = money.parse(str(fields.pop("cost", money.dec(price // 2, 4))), 4)
        tracked = bool(fields.pop("stockTracked", True))
        name = str(fields.pop("name", f"New Product {product_id}"))
        core = ProductCore(
            id=product_id,
            created=now,
            updated=now,
            name=name,
            sku=str(fields.pop("sku", f"NEW-{product_id}")),
            brand=int(fields.pop("brandId", w.catalog.brand_ids[0])),
            ptype=int(fields.pop("productTypeId", w.catalog.product_type_ids[0])),
            cats=tuple(fields.pop("categories", (w.catalog.category_ids[0],))),
            collection=0,
            seasons=(),
            group=0,
            variation=(),
            supplier=0,
            tracked=tracked,
            components=(),
            tax=int(fields.pop("taxCodeId", 2)),
            price=price,
            cost=cost,
            status=str(fields.pop("status", "LIVE")),
        )
        if core.tax not in TAX_BY_ID:
            raise ValueError(f"no tax code {core.tax}")
        wanted_fields = fields.pop("custom_fields", None)
        if fields:
            raise KeyError(f"create('product') does not take {', '.join(fields)}")
        record = products.build_record(core)
        if wanted_fields is not None:
            record["customFields"] = {}
            self._set_custom_fields(record, custom_fields.PRODUCT_FIELDS, wanted_fields)
        products.created_core[product_id] = core
        products.put(product_id, record)
        w.store("product-price").put(product_id, products.price_record(core))
        if tracked:
            availability = w.store("product-availability")
            availability.put(product_id, availability.snapshot(product_id, zero=True))  # type: ignore[attr-defined]
        return product_id

    # -- contacts ------------------------------------------------------------------------------------------------

    def _update_contact(self, contact_id: int, record: dict, changes: dict, now: int) -> None:
        if not changes:
            changes = {"email": f"{record['firstName']}.{record['lastName']}.{self.rng.randint(10, 99)}@example.com".lower()}
        for key, value in changes.items():
            if key in ("email", "primaryEmail"):
                record["communication"]["emails"]["PRI"] = {"email": str(value)}
            elif key in ("telephone", "phone"):
                record["communication"]["telephones"]["PRI"] = str(value)
            elif key == "mobile":
                record["communication"]["telephones"]["MOB"] = str(value)
            elif key == "isReceiveEmailNewsletter":
                record["marketingDetails"]["isReceiveEmailNewsletter"] = bool(value)
            elif key == "custom_fields":
                self._set_custom_fields(record, self.w.contacts.fields_for(record), value)
            else:
                self._update_generic("contact", record, {key: value}, now)
        record["updatedOn"] = self._dt(now)

    def _create_contact(self, fields: dict, never_updated: bool, now: int) -> int:
        contacts = self.w.contacts
        contact_id = contacts.allocate_id()
        kind = STAFF if fields.pop("isStaff", False) else SUPPLIER if fields.pop("isSupplier", False) else CUSTOMER
        currency = int(fields.pop("currencyId", BASE_CURRENCY_ID))
        if currency not in COUNTRY_BY_CURRENCY:
            raise ValueError(f"no currency {currency}")
        seed = ContactSeed(
            contact_id, kind, now, now, int(fields.pop("companyId", 0)), currency, COUNTRY_BY_CURRENCY[currency][0]
        )
        record, person = contacts.compose(seed, record_rng(self.ctx.seed, CONTACT_TAG, contact_id))
        if fields:
            self._update_contact(contact_id, record, fields, now)
        contacts.register_person(contact_id, person)
        contacts.put(contact_id, record)
        return contact_id

    # -- goods notes ---------------------------------------------------------------------------------------------

    def _goods_note_id(self) -> int:
        if not self._next_goods_note_id:
            out_ids, in_ids = self.w.store("goods-out-note").seed_ids(), self.w.store("goods-in-note").seed_ids()
            self._next_goods_note_id = max([*out_ids[-1:], *in_ids[-1:], 11_999_999]) + 1
        note_id = self._next_goods_note_id
        self._next_goods_note_id += 1
        return note_id

    def _order_rows(self, order_id: int, types: tuple) -> tuple[dict, list]:
        order = self.w.orders.record(order_id)
        if order is None or TYPE_ID[order["orderTypeCode"]] not in types:
            raise ValueError(f"order {order_id} does not exist or is not a {'/'.join(TYPE_CODE[t] for t in types)}")
        rows = [
            (int(row_id), row["productId"], int(money.parse(row["quantity"]["magnitude"], 0)), row)
            for row_id, row in order["orderRows"].items()
        ]
        return order, rows

    def _update_goods_out_note(self, note_id: int, record: dict, changes: dict, now: int) -> None:
        """printed/picked/packed/shipped=True record those steps now (with events); other keys are generic."""
        steps = ("printed", "picked", "packed", "shipped")
        if not changes:
            pending = [s for s in steps if not record["status"][s]]
            if not pending:
                raise ValueError(f"goods-out note {note_id} is already shipped; pass fields")
            changes = {pending[0]: True}
        handler = self.w.contacts.staff_ids[0]
        codes = {"printed": "PRI", "picked": "PIC", "packed": "PAC", "shipped": "SHW"}
        for key, value in changes.items():
            if key in steps:
                if not value or record["status"][key]:
                    continue
                record["status"][key] = True
                record["status"][f"{key}On"] = self._dt(now)
                record["status"][f"{key}ById"] = handler
                record["events"].append({"occured": self._dt(now), "eventOwnerId": handler, "eventCode": codes[key]})
                record["lastEventVersion"] += 1
            elif key == "shippingMethodId":
                record["shipping"]["shippingMethodId"] = int(value)
            else:
                self._update_generic("goods-out-note", record, {key: value}, now)

    def _create_goods_out_note(self, fields: dict, never_updated: bool, now: int) -> int:
        order_id = int(fields.pop("orderId"))
        order, rows = self._order_rows(order_id, (SO,))
        warehouse = int(fields.pop("warehouseId", order["warehouseId"]))
        shipped = now if fields.pop("shipped", False) else 0
        staff = self.w.contacts.staff_ids[0]
        wh = self.w.warehouses
        note = OutNote(
            order_id,
            warehouse,
            0,
            now,
            shipped,
            shipped,
            shipped,
            shipped,
            order["delivery"]["shippingMethodId"],
            staff,
            staff,
            bool(fields.pop("priority", False)),
            1 + sum(1 for n in self.w.store("goods-out-note").ids() if self.w.store("goods-out-note").parent_id(n) == order_id),
            tuple((row_id, pid, qty, wh.default_location(warehouse, pid)) for row_id, pid, qty, _ in rows),
            False,
        )
        if fields:
            raise KeyError(f"create('goods-out-note') does not take {', '.join(fields)}")
        note_id = self._goods_note_id()
        store = self.w.store("goods-out-note")
        store.put(note_id, store.build(note_id, note))  # type: ignore[attr-defined]
        return note_id

    def _create_goods_in_note(self, fields: dict, never_updated: bool, now: int) -> int:
        order_id = int(fields.pop("orderId"))
        order, rows = self._order_rows(order_id, (PO, SC))
        warehouse = int(fields.pop("warehouseId", order["warehouseId"]))
        wh = self.w.warehouses
        moved = tuple(
            (
                row_id,
                pid,
                qty,
                wh.default_location(warehouse, pid),
                money.parse(row["itemCost"]["value"], 4),
                row["itemCost"]["currencyCode"],
                False,
            )
            for row_id, pid, qty, row in rows
        )
        note = InNote(
            order_id, warehouse, now, self.w.contacts.staff_ids[0], True, str(fields.pop("userBatchReference", "")), moved
        )
        if fields:
            raise KeyError(f"create('goods-in-note') does not take {', '.join(fields)}")
        note_id = self._goods_note_id()
        store = self.w.store("goods-in-note")
        store.put(note_id, store.build(note_id, note))  # type: ignore[attr-defined]
        return note_id

    def _create_goods_movement(self, fields: dict, never_updated: bool, now: int) -> int:
        """A stock correction by default: productId, quantity (signed), warehouseId."""
        w = self.w
        store = w.store("goods-movement")
        movement_id = store.allocate_id()
        product_id = int(fields.pop("productId", w.products.orderable_ids[0]))
        warehouse = int(fields.pop("warehouseId", w.warehouses.ids[0]))
        cost = self._current_product(product_id).cost
        row = [
            movement_id,
            product_id,
            int(fields.pop("salesOrderRowId", 0)),
            int(fields.pop("purchaseOrderRowId", 0)),
            int(fields.pop("quantity", 1)),
            int(fields.pop("destinationLocationId", w.warehouses.default_location(warehouse, product_id))),
            warehouse,
            int(fields.pop("goodsNoteId", self._goods_note_id())),
            money.dec(cost, 4),
            w.accounting.currencies[BASE_CURRENCY_ID].code,
            int(fields.pop("orderId", 0)),
            bool(fields.pop("isCleared", False)),
            bool(fields.pop("isQuarantine", False)),
            fields.pop("batchId", None),
            str(fields.pop("goodsNoteTypeCode", "SC")),
            self._dt(now),
        ]
        if fields:
            raise KeyError(f"create('goods-movement') does not take {', '.join(fields)}")
        store.put(movement_id, row)
        return movement_id

    # -- payments and journals -----------------------------------------------------------------------------------

    def _post_journal(self, journal: Journal) -> int:
        journals = self.w.store("journal")
        journal_id = journals.allocate_id()
        journals.assign_row_ids(journal_id, len(journal.lines))  # type: ignore[attr-defined]
        journals.put(journal_id, journals.build(journal_id, journal))  # type: ignore[attr-defined]
        return journal_id

    def _payment(self, fields: dict, customer: bool, now: int) -> tuple[list, int]:
        order_id = int(fields.pop("orderId"))
        order, _ = self._order_rows(order_id, (SO, SC) if customer else (PO, PC))
        t = TYPE_ID[order["orderTypeCode"]]
        amount = money.parse(str(fields.pop("amount", fields.pop("amountPaid", order["totalValue"]["total"]))), 2)
        method = str(fields.pop("paymentMethodCode", "CARD" if customer else "BANK_TRANSFER"))
        incoming = t in (SO, PC)
        payment_type = str(fields.pop("paymentType", "RECEIPT" if incoming else "PAYMENT"))
        currency = self.w.accounting.currency_by_code[order["currency"]["orderCurrencyCode"]]
        rate = money.parse(order["currency"]["exchangeRate"], 6)
        base = money.mul_div(amount, 1_000_000, rate)
        control = "1100" if customer else "2100"
        bank = self.w.accounting.bank_nominal(method, currency.code)
        party = order["parties"].get("customer") or order["parties"].get("supplier")
        channel = order["assignment"]["current"]["channelId"]
        journal = Journal(
            {SO: "BR", SC: "BP", PO: "PP", PC: "BR"}[t],
            party["contactId"],
            order_id,
            order["invoices"][0]["invoiceReference"] if order["invoices"] else "",
            self.ctx.tf.local_day(now),
            0,
            now,
            self.w.contacts.staff_ids[0],
            currency.id,
            rate,
            channel,
            order["assignment"]["current"]["leadSourceId"],
            "",
            (
                JournalLine(control, incoming, base, amount, NO_TAX_CODE_ID),
                JournalLine(bank, not incoming, base, amount, NO_TAX_CODE_ID),
            ),
        )
        journal_id = self._post_journal(journal)
        paid_on = self._dt(now // HOUR_MS * HOUR_MS)
        if customer:
            row = [
                str(fields.pop("transactionRef", f"ch_{self.rng.getrandbits(48):012x}")),
                str(fields.pop("transactionCode", "")),
                method,
                payment_type,
                order_id,
                currency.id,
                currency.code,
                "0.00",
                money.dec(amount, 2),
                None,
                paid_on,
                self._dt(now),
                journal_id,
            ]
        else:
            row = [
                str(fields.pop("transactionRef", f"BT{self.rng.randint(10**8, 10**9 - 1)}")),
                method,
                payment_type,
                order_id,
                currency.id,
                currency.code,
                money.dec(amount, 2),
                paid_on,
                self._dt(now),
                journal_id,
            ]
        if fields:
            raise KeyError(f"create payment does not take {', '.join(fields)}")
        return row, journal_id

    def _create_customer_payment(self, fields: dict, never_updated: bool, now: int) -> int:
        store = self.w.store("customer-payment")
        row, _ = self._payment(fields, True, now)
        payment_id = store.allocate_id()
        store.put(payment_id, [payment_id] + row)
        return payment_id

    def _create_supplier_payment(self, fields: dict, never_updated: bool, now: int) -> int:
        store = self.w.store("supplier-payment")
        row, _ = self._payment(fields, False, now)
        payment_id = store.allocate_id()
        store.put(payment_id, [payment_id] + row)
        return payment_id

    def _update_journal(self, journal_id: int, record: dict, changes: dict, now: int) -> None:
        """Journals have no updatedOn; an edit changes the record in place (docs/brightpearl-api.md §R3.14)."""
        if not changes:
            changes = {"description": (record.get("description", "") + " (adjusted)").strip()}
        self._update_generic("journal", record, changes, now)
        journals = self.w.store("journal")
        lines = len(record["credits"]) + len(record["debits"])
        journals.assign_row_ids(journal_id, lines, keep=journals.row_ids(journal_id))  # type: ignore[attr-defined]

    def _create_journal(self, fields: dict, never_updated: bool, now: int) -> int:
        """A manual journal: amount (decimal string), debitNominal, creditNominal, description, contactId,
        orderId, journalTypeCode (default JJ)."""
        amount = money.parse(str(fields.pop("amount", "100.00")), 2)
        journal = Journal(
            str(fields.pop("journalTypeCode", "JJ")),
            int(fields.pop("contactId", 0)),
            int(fields.pop("orderId", 0)),
            str(fields.pop("invoiceReference", "")),
            self.ctx.tf.local_day(now),
            0,
            now,
            self.w.contacts.staff_ids[0],
            BASE_CURRENCY_ID,
            1_000_000,
            0,
            0,
            str(fields.pop("description", "Manual adjustment")),
            (
                JournalLine(str(fields.pop("creditNominal", "1200")), True, amount, amount, NO_TAX_CODE_ID),
                JournalLine(str(fields.pop("debitNominal", "7200")), False, amount, amount, NO_TAX_CODE_ID),
            ),
        )
        if fields:
            raise KeyError(f"create('journal') does not take {', '.join(fields)}")
        return self._post_journal(journal)

    # -- reference -----------------------------------------------------------------------------------------------

    def _create_brand(self, fields: dict, never_updated: bool, now: int) -> int:
        store = self.w.store("brand")
        brand_id = store.allocate_id()
        name = str(fields.pop("name", f"Brand {brand_id}"))
        record = {
            "id": brand_id,
            "name": name,
            "description": str(fields.pop("description", "")),
            "createdOn": self._dt(now),
            "updatedOn": self._dt(now),
        }
        if fields:
            raise KeyError(f"create('brand') does not take {', '.join(fields)}")
        store.put(brand_id, record)
        return brand_id
