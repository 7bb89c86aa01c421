"""Orders of all four types (docs/brightpearl-api.md §R3.1, §R3.2).

The core is columnar (one array per field, a few bytes per order) and generated eagerly in one pass, so 200,000
orders cost well under a second. It fixes everything order-search shows and everything other resources derive
from (type, contact, status and lifecycle stage, dates, warehouse, channel). Rows, parties, totals and custom
fields are derived per order on demand: rows from the order's "lines" generator (goods notes, payments and
journals reuse them), the rest from the order's own generator.

Lifecycle: an order is created, optionally updated (30% never are: no `updatedOn` key in GET, null in search),
and moves through stages (draft, new, in progress, fulfilled, complete, cancelled) that fix its status, stock,
allocation, shipping and payment codes and which goods notes, payments and journals exist for it.
"""

from __future__ import annotations

from array import array
from collections import namedtuple
from contextlib import contextmanager
from itertools import accumulate
from typing import Any, NamedTuple

from . import custom_fields, money
from .accounting import BASE_CURRENCY_ID, TAX_BY_ID, Accounting
from .catalog import COST_LIST, PRICE_LIST_BY_ID, SUPPLIER_LIST
from .contacts import CUSTOMER, SUPPLIER, Contacts
from .interface import columns
from .products import Products
from .rand import Weighted, mix, record_rng, stream_rng, tag
from .reference import (
    CANCELLED,
    COMPLETE,
    DRAFT,
    FULFILLED,
    IN_PROGRESS,
    MARKETPLACE_INTEGRATION_ID,
    NEW,
    NOT_APPLICABLE,
    PAID,
    PARTIALLY_PAID,
    PAYMENT_STATUS_CODE,
    PAYMENT_STATUS_ID,
    SHIPPING_STATUS_CODE,
    STATUS_BY_ID,
    STOCK_STATUS_CODE,
    STOCK_STATUS_ID,
    TYPE_CODE,
    TYPE_ID,
    UNPAID,
    Organisation,
    statuses_for,
)
from .store import Store, WorldContext
from .timefmt import DAY_MS, HOUR_MS, MINUTE_MS
from .warehouse import Warehouses

TAG = tag("order")
TAG_LINES = tag("order-lines")
TAG_FACTS = tag("order-facts")
FIRST_ORDER_ID = 100
FIRST_ROW_ID = 1
SO, PO, SC, PC = 1, 2, 3, 4
NEVER_UPDATED_SHARE = 0.30

# flag bits of the core
F_REF = 1  # has a customer reference
F_MARKET = 2  # came through the marketplace integration (externalRef, installedIntegrationInstanceId)
F_SPLIT = 4  # shipped in two goods-out notes (the second maybe still open)
F_PARTIAL = 8  # PO received in part
F_RETURNED = 16  # SC whose goods came back (goods-in note)
F_GIFT = 32  # SO delivered to someone else
F_AUTH = 64  # card payment taken as AUTH then CAPTURE

ALLOCATION = {"SON": "ANA", "SOP": "APA", "SOA": "AAA", "NON": "ANA"}

ORDER_SEARCH_COLUMNS = columns(
    ("orderId", "IDSET"),
    ("orderTypeId", "IDSET", ("orderTypeNames",)),
    ("contactId", "INTEGER"),
    ("orderStatusId", "INTEGER", ("orderStatusNames",)),
    ("orderStockStatusId", "INTEGER", ("orderStockStatusNames",)),
    ("createdOn", "PERIOD"),
    ("createdById", "INTEGER"),
    ("customerRef", "STRING"),
    ("orderPaymentStatusId", "INTEGER", ("orderPaymentStatusNames",)),
    ("updatedOn", "PERIOD"),
    ("parentOrderId", "IDSET"),
    ("orderShippingStatusId", "INTEGER", ("orderShippingStatusNames",)),
    ("externalRef", "STRING"),
    ("installedIntegrationInstanceId", "INTEGER"),
    ("warehouseId", "IDSET"),
    ("staffOwnerContactId", "INTEGER"),
    ("taxDate", "PERIOD"),
    ("departmentId", "INTEGER"),
    ("deliveryDate", "PERIOD"),
)
SHIPPING_STATUS_ID = {code: sid for sid, code in SHIPPING_STATUS_CODE.items()}
TAX_RATE = {tid: int((rate or 0) * 10_000) for tid, _, _, rate in TAX_BY_ID.values()}  # percent, 10^-4

# One order row as the generator sees it: money in 10^-4 (unit, cost, net) and 10^-2 (tax); discount in 10^-2 %.
Line = namedtuple("Line", "row_id product_id name sku qty unit cost discount tax_id net tax nominal options")

# Where an order's delivery goes when it is bought in (POs): the account's own warehouse.
ACCOUNT_PARTY = {
    "addressFullName": "Receiving",
    "companyName": "Sandbox Goods Co.",
    "addressLine1": "100 Harbor Way",
    "addressLine2": "Dock 4",
    "addressLine3": "Riverton",
    "addressLine4": "WY",
    "postalCode": "82501",
    "country": "United States",
    "telephone": "+1 555 010 2000",
    "mobileTelephone": "",
    "fax": "",
    "email": "receiving@example.com",
    "countryId": 223,
    "countryIsoCode": "US",
    "countryIsoCode3": "USA",
}


def _w(pairs: dict) -> Weighted:
    return Weighted(list(pairs), list(pairs.values()))


# Stage of an updated order by type and age bucket (days: <recent, <settled, older).
_STAGES = {
    SO: (
        (2, _w({NEW: 40, IN_PROGRESS: 35, FULFILLED: 20, CANCELLED: 5})),
        (10, _w({IN_PROGRESS: 10, FULFILLED: 35, COMPLETE: 50, CANCELLED: 5})),
        (None, _w({COMPLETE: 90, FULFILLED: 3, CANCELLED: 7})),
    ),
    PO: (
        (7, _w({NEW: 40, IN_PROGRESS: 50, CANCELLED: 10})),
        (30, _w({IN_PROGRESS: 30, FULFILLED: 40, COMPLETE: 25, CANCELLED: 5})),
        (None, _w({COMPLETE: 85, FULFILLED: 10, CANCELLED: 5})),
    ),
    SC: ((5, _w({NEW: 70, COMPLETE: 30})), (None, _w({COMPLETE: 90, CANCELLED: 5, NEW: 5}))),
    PC: ((5, _w({NEW: 70, COMPLETE: 30})), (None, _w({COMPLETE: 95, NEW: 5}))),
}
# How long after creation the last update happened, by stage (ms ranges).
_DURATION = {
    NEW: (5 * MINUTE_MS, 6 * HOUR_MS),
    IN_PROGRESS: (2 * HOUR_MS, 2 * DAY_MS),
    FULFILLED: (DAY_MS, 5 * DAY_MS),
    CANCELLED: (HOUR_MS, 3 * DAY_MS),
}
_COMPLETE_DURATION = {
    SO: (2 * DAY_MS, 20 * DAY_MS),
    PO: (10 * DAY_MS, 45 * DAY_MS),
    SC: (DAY_MS, 10 * DAY_MS),
    PC: (DAY_MS, 10 * DAY_MS),
}
_ROWS = {
    SO: _w({1: 45, 2: 25, 3: 15, 4: 8, 5: 5, 6: 2}),
    PO: _w({2: 20, 3: 20, 4: 20, 5: 15, 6: 15, 8: 10}),
    SC: _w({1: 70, 2: 30}),
    PC: _w({1: 60, 2: 40}),
}
_QTY_SO = _w({1: 60, 2: 25, 3: 8, 4: 4, 5: 3})
_TYPES = _w({SO: 70, PO: 15, SC: 10, PC: 5})


class OrderSpec(NamedTuple):
    """The facts an order GET record is composed from (from the core for seeded orders, from the arguments
    for created ones)."""

    id: int
    type: int
    contact: int
    status: int
    stage: int
    flags: int
    created: int
    updated: int  # 0: never updated
    warehouse: int
    channel: int
    owner: int
    creator: int
    parent: int
    payment: int
    stock: int
    shipping: int
    tax_day: int  # 0: no taxDate
    delivery_day: int  # 0: no deliveryDate
    invoice_reference: str
    ship_method: int
    price_list: int
    currency_id: int
    rate: int
    lines: list
    reference: str
    external_ref: str | None
    credit_days: int
    lead_source: int
    version: int
    closed: int
    parties: dict


def row_money(sale: bool, unit_price: int, cost: int, qty: int, discount: int, rate: int, gross: bool) -> tuple[int, int]:
    """(rowNet 10^-4, rowTax 10^-2) of a row: quantity 10^-4, prices 10^-4, discount 10^-2 %, tax rate 10^-4 %.
    Sales rows are priced from the list (tax backed out when the list is gross); purchase rows at cost."""
    if sale:
        value = money.mul_div(unit_price * qty, 10_000 - discount, 100_000_000)
    else:
        value = money.mul_div(cost, qty, 10_000)
    net = money.mul_div(value, 1_000_000, 1_000_000 + rate) if gross else value
    return net, money.rescale(money.mul_div(net, rate, 1_000_000), 4, 2)


def retotal(record: dict) -> None:
    """Recompute row values and order totals of a GET record after its quantities changed."""
    sale = record["orderTypeCode"] in ("SO", "SC")
    gross = record["priceModeCode"] == "INC"
    net_sum = tax_sum = 0
    for row in record["orderRows"].values():
        value = row["rowValue"]
        net, tax = row_money(
            sale,
            money.parse(row["productPrice"]["value"], 4),
            money.parse(row["itemCost"]["value"], 4),
            money.parse(row["quantity"]["magnitude"], 4),
            money.parse(row["discountPercentage"], 2),
            money.parse(value["taxRate"], 4),
            gross,
        )
        value["rowNet"]["value"] = money.dec(net, 4)
        value["rowTax"]["value"] = money.dec(tax, 2)
        net_sum += net
        tax_sum += tax
    rate = money.parse(record["currency"]["exchangeRate"], 6)
    net = money.rescale(net_sum, 4, 2)
    base_net, base_tax = money.mul_div(net, 1_000_000, rate), money.mul_div(tax_sum, 1_000_000, rate)
    record["totalValue"] = {
        "net": money.dec(net, 2),
        "taxAmount": money.dec(tax_sum, 2),
        "baseNet": money.dec(base_net, 2),
        "baseTaxAmount": money.dec(base_tax, 2),
        "baseTotal": money.dec(base_net + base_tax, 2),
        "total": money.dec(net + tax_sum, 2),
    }


def reference_for(t: int, order_id: int) -> str:
    return {SO: f"#{10_000 + order_id * 7 % 90_000}", PO: f"#P{order_id}", SC: f"RMA-{order_id}", PC: f"DN-{order_id}"}[t]


def party_record(contact_id: int | None, person) -> dict:
    """One party of an order (contactId only on customer/supplier and billing; country keys only when the
    country is known, as in examples/order-get-purchase-order.json)."""
    party: dict[str, Any] = {"contactId": contact_id} if contact_id is not None else {}
    party.update(
        {
            "addressFullName": f"{person.first} {person.last}",
            "companyName": person.company,
            "addressLine1": person.line1,
            "addressLine2": person.line2,
            "addressLine3": person.city,
            "addressLine4": person.region,
            "postalCode": person.postcode,
        }
    )
    if person.country:
        party["country"] = person.country[0]
    party.update(
        {
            "telephone": person.phone,
            "mobileTelephone": person.mobile,
            "fax": "",
            "email": person.email,
            "countryId": person.country[1] if person.country else 0,
        }
    )
    if person.country:
        party["countryIsoCode"] = person.country[2]
        party["countryIsoCode3"] = person.country[3]
    return party


def parties_for(t: int, contact_id: int, person, gift=None) -> dict:
    """Customer orders: customer, delivery (the customer, or a gift recipient) and billing; purchase orders:
    the supplier, delivery to the account's own warehouse, billing to the account for the supplier."""
    if t in (SO, SC):
        customer = party_record(contact_id, person)
        delivery = party_record(None, gift or person)
        return {"customer": customer, "delivery": delivery, "billing": dict(customer)}
    return {
        "supplier": party_record(contact_id, person),
        "delivery": dict(ACCOUNT_PARTY),
        "billing": {"contactId": contact_id, **ACCOUNT_PARTY},
    }


def row_record(line: Line, k: int, currency: str, base_currency: str, market: bool) -> dict:
    """One order row; itemCost is the product's cost, kept in the accounting currency."""
    rate = TAX_BY_ID[line.tax_id]
    row: dict[str, Any] = {
        "orderRowSequence": str(10 * (k + 1)),
        "productId": line.product_id,
        "productName": line.name,
        "productSku": line.sku,
        "quantity": {"magnitude": money.dec(line.qty * 10_000, 4)},
        "itemCost": {"currencyCode": base_currency, "value": money.dec(line.cost, 4)},
        "productPrice": {"currencyCode": currency, "value": money.dec(line.unit, 4)},
        "discountPercentage": money.dec(line.discount, 2),
        "rowValue": {
            "taxRate": money.dec(int((rate[3] or 0) * 10_000), 4),
            "taxCode": rate[1],
            "taxCalculator": "brightpearl",
            "rowNet": {"currencyCode": currency, "value": money.dec(line.net, 4)},
            "rowTax": {"currencyCode": currency, "value": money.dec(line.tax, 2)},
            "taxClassId": rate[0],
        },
        "nominalCode": line.nominal,
    }
    if market:
        row["externalRef"] = f"L{line.row_id}"
    if line.options:
        row["productOptions"] = dict(line.options)
    row["composition"] = {"bundleParent": False, "bundleChild": False, "parentOrderRowId": 0}
    row["clonedFromId"] = 0
    return row


class Orders(Store):
    name = "order"

    def __init__(
        self,
        ctx: WorldContext,
        contacts: Contacts,
        products: Products,
        org: Organisation,
        warehouses: Warehouses,
        accounting: Accounting,
    ):
        super().__init__(ctx)
        self.contacts = contacts
        self.products = products
        self.org = org
        self.warehouses = warehouses
        self.accounting = accounting
        self._generate()
        self._search_bulk: list | None = None
        self._last_ordered: tuple[int, dict[int, str]] | None = None
        self._lines_memo: dict[int, list[Line]] | None = None

    # -- generation ----------------------------------------------------------------------------------------------

    def _generate(self) -> None:
        ctx = self.ctx
        n = ctx.scale.orders
        rng = stream_rng(ctx.seed, "orders")
        tf = ctx.tf
        contacts = self.contacts
        staff = contacts.staff_ids
        span = ctx.anchor_ms - ctx.start_ms

        types = bytearray(rng.randbytes(n).translate(_TYPES.byte_table()))
        for t in (SO, PO, SC, PC):  # tiny worlds still show every type
            if n >= 4 and t not in types:
                spare = next(p for p in range(n - 1, -1, -1) if types.count(types[p]) > 1)
                types[spare] = t
        gaps = rng.randbytes(n).translate(bytes(1 if b < 250 else 2 + b % 3 for b in range(256)))
        ids = array("q", accumulate(gaps[1:], initial=FIRST_ORDER_ID))

        channel_weights = {1: 50, 2: 15, 3: 20, 4: 8, 5: 5, 6: 2}
        channels = _w({c: channel_weights[c] for c in self.org.channel_ids})
        wh_ids = self.warehouses.ids
        warehouse_pick = Weighted(wh_ids, [60] + [40 / max(1, len(wh_ids) - 1)] * (len(wh_ids) - 1))
        ship_methods = self.warehouses.shipping_method_ids
        statuses = {t: {stage: statuses_for(TYPE_CODE[t], stage) for stage in range(CANCELLED + 1)} for t in (SO, PO, SC, PC)}
        n_staff, n_methods = len(staff), len(ship_methods)
        # Categorical draws by lookup: one random byte per order and column, mapped through a 256-entry table.
        warehouse_bytes = rng.randbytes(n).translate(warehouse_pick.byte_table())
        channel_bytes = rng.randbytes(n).translate(channels.byte_table())
        row_bytes = rng.randbytes(n)
        row_tables = {t: _ROWS[t].byte_table() for t in (SO, PO, SC, PC)}
        stage_bytes = rng.randbytes(n)
        stage_tables = {t: [(limit, weights.byte_table()) for limit, weights in _STAGES[t]] for t in _STAGES}
        anchor, start = ctx.anchor_ms, ctx.start_ms
        ref_share = {SO: 0.55, PO: 0.8, SC: 0.7, PC: 0.6}
        marketplace = self.org.marketplace_channel

        contact_col, status_col, stage_col = array("q"), bytearray(), bytearray()
        created_col, updated_col = array("q"), array("q")
        warehouse_col, channel_col, flags_col = bytearray(), bytearray(), bytearray()
        owner_col, creator_col, parent_col = array("q"), array("q"), array("q")
        payment_col, stock_col, shipping_col = bytearray(), bytearray(), bytearray()
        tax_day_col, delivery_day_col, invoice_col, nrows_col = array("l"), array("l"), array("l"), bytearray()
        ship_col = bytearray()
        completed: dict[int, list[int]] = {SO: [], PO: []}
        invoice_seq = {SO: 1000, PO: 5000, SC: 1000, PC: 500}

        random = rng.random
        for i in range(n):
            t = types[i]
            made = start + int((i + random()) * span / n) // 1000 * 1000
            age_days = (anchor - made) / DAY_MS
            never = random() < NEVER_UPDATED_SHARE
            if never:
                stage = DRAFT if t == SO and random() < 0.1 else NEW
            else:
                for limit, table in stage_tables[t]:
                    if limit is None or age_days < limit:
                        stage = table[stage_bytes[i]]
                        break
            status_choices = statuses[t][stage]
            status = status_choices[int(random() * len(status_choices))]

            parent = -1
            if t in (SC, PC) and random() < (0.7 if t == SC else 0.6):
                pool = completed[SO if t == SC else PO]
                if pool:
                    parent = pool[-1 - int(random() * min(len(pool), 2000))]
            if parent >= 0:
                contact = contact_col[parent]
            else:
                contact = contacts.eligible(CUSTOMER if t in (SO, SC) else SUPPLIER, made, random())

            if never:
                updated = 0
            else:
                low, high = _COMPLETE_DURATION[t] if stage == COMPLETE else _DURATION[stage]
                duration = min(low + int(random() * (high - low)), max(1000, anchor - 1000 - made))
                updated = (made + duration) // 1000 * 1000
                if random() >= 0.75:
                    updated += 1 + int(random() * 999)  # some updates carry milliseconds (docs/brightpearl-api.md §P9)

            flags = 0
            if random() < ref_share[t]:
                flags |= F_REF
            channel = 0
            if t in (SO, SC):
                channel = channel_col[parent] if parent >= 0 else channel_bytes[i]
                if t == SO and channel == marketplace:
                    flags |= F_MARKET
            if t == SO and random() < 0.1:
                flags |= F_GIFT

            payment, stock, shipping = self._codes(t, stage, never, rng)
            if t == SO and stage == FULFILLED and random() < 0.2:
                flags |= F_SPLIT
                shipping = 3
            if t == SO and stage == COMPLETE and random() < 0.1:
                flags |= F_SPLIT
            if t == PO and stage == FULFILLED and random() < 0.15:
                flags |= F_PARTIAL
                stock = STOCK_STATUS_ID["POP"]
            if t == SC and stage == COMPLETE and random() < 0.6:
                flags |= F_RETURNED
                stock = STOCK_STATUS_ID["SCA"]
            if t == SO and payment == PAID and channel in (1, 3) and random() < 0.25:
                flags |= F_AUTH

            invoice_time = made + (updated - made) * 4 // 5 // 1000 * 1000 if updated else made
            if stage == COMPLETE:
                tax_day = tf.local_day(invoice_time)
                invoice_seq[t] += 1
                invoice = invoice_seq[t]
            else:
                tax_day = tf.local_day(made) if stage != DRAFT and random() < 0.8 else 0
                invoice = 0
            delivery_day = 0
            if stage != DRAFT and random() < (0.4 if t == SO else 0.7 if t == PO else 0.0):
                delivery_day = tf.local_day(made) + 2 + int(random() * (9 if t == SO else 29))

            contact_col.append(contact)
            status_col.append(status)
            stage_col.append(stage)
            created_col.append(made)
            updated_col.append(updated)
            warehouse_col.append(warehouse_bytes[i])
            channel_col.append(channel)
            flags_col.append(flags)
            owner_col.append(staff[int(random() * n_staff)] if random() < 0.3 else 0)
            creator_col.append(staff[int(random() * n_staff)])
            parent_col.append(ids[parent] if parent >= 0 else 0)
            payment_col.append(payment)
            stock_col.append(stock)
            shipping_col.append(shipping)
            tax_day_col.append(tax_day)
            delivery_day_col.append(delivery_day)
            invoice_col.append(invoice)
            nrows_col.append(row_tables[t][row_bytes[i]])
            ship_col.append(0 if t != SO or random() < 0.1 else ship_methods[int(random() * n_methods)])
            if t in (SO, PO) and stage in (FULFILLED, COMPLETE):
                completed[t].append(i)

        self.ids_ = ids
        self.types = bytes(types)
        self.contact = contact_col
        self.status = bytes(status_col)
        self.stage = bytes(stage_col)
        self.created = created_col
        self.updated = updated_col
        self.warehouse = bytes(warehouse_col)
        self.channel = bytes(channel_col)
        self.flags = bytes(flags_col)
        self.owner = owner_col
        self.creator = creator_col
        self.parent = parent_col
        self.payment = bytes(payment_col)
        self.stock = bytes(stock_col)
        self.shipping = bytes(shipping_col)
        self.tax_day = tax_day_col
        self.delivery_day = delivery_day_col
        self.invoice = invoice_col
        self.nrows = bytes(nrows_col)
        self.ship_method = bytes(ship_col)
        self.row_base = array("q", accumulate(self.nrows[:-1], initial=FIRST_ROW_ID)) if n else array("q")

    @staticmethod
    def _codes(t: int, stage: int, never: bool, rng) -> tuple[int, int, int]:
        """(payment status id, stock status id, shipping status id) for a type and stage."""
        if never:
            # Fresh orders of every type show "Unset" stock, no stock-tracked shipping and NOT_APPLICABLE payment
            # (examples/order-search.json).
            return NOT_APPLICABLE, STOCK_STATUS_ID["NON"], 1
        u = rng.random()
        if t == SO:
            if stage == CANCELLED:
                return NOT_APPLICABLE, STOCK_STATUS_ID["SON"], 2
            if stage == NEW:
                return (PAID if u < 0.4 else UNPAID), STOCK_STATUS_ID["SOP" if u > 0.8 else "SON"], 2
            payment = (
                PAID
                if u < {IN_PROGRESS: 0.6, FULFILLED: 0.7, COMPLETE: 0.85}[stage]
                else PARTIALLY_PAID
                if stage == COMPLETE and u < 0.9
                else UNPAID
            )
            return payment, STOCK_STATUS_ID["SOA"], {IN_PROGRESS: 2, FULFILLED: 4, COMPLETE: 4}[stage]
        code = TYPE_CODE[t]  # stock codes are the type code plus N(one), P(art), A(ll)
        if stage == CANCELLED:
            return NOT_APPLICABLE, STOCK_STATUS_ID[code + "N"], 2
        if stage == COMPLETE:
            return (PAID if u < 0.8 else UNPAID), STOCK_STATUS_ID[code + ("A" if t in (PO, PC) else "N")], 2
        return UNPAID, STOCK_STATUS_ID[code + ("A" if stage == FULFILLED else "N")], 2

    # -- store ---------------------------------------------------------------------------------------------------

    def seed_ids(self) -> array:
        return self.ids_

    def first_id(self) -> int:
        return FIRST_ORDER_ID

    def seed_record(self, index: int) -> dict:
        return self._build(index)

    def served(self, record: Any, custom: bool, null_custom: bool) -> Any:
        return custom_fields.served(record, self.fields_for(record["orderTypeCode"]), custom, null_custom)

    @staticmethod
    def fields_for(type_code: str) -> tuple:
        return custom_fields.SALE_FIELDS if type_code in ("SO", "SC") else custom_fields.PURCHASE_FIELDS

    # -- pure facts other resources derive from ------------------------------------------------------------------

    def index_of(self, order_id: int) -> int:
        index = self.seed_index(order_id)
        if index is None:
            raise KeyError(f"order {order_id} is not a seeded order")
        return index

    def events(self, i: int) -> dict[str, int]:
        """Instants of an updated order's lifecycle, as fractions of the time to its last update."""
        made, last = self.created[i], self.updated[i]
        span = (last or made) - made

        def at(fraction: float) -> int:
            return made + int(span * fraction) // 1000 * 1000

        return {
            "prepaid": made + 2 * MINUTE_MS,
            "note": at(0.25),
            "printed": at(0.35),
            "picked": at(0.45),
            "packed": at(0.5),
            "shipped": at(0.55),
            "received": at(0.6),
            "invoiced": at(0.8),
            "paid": at(0.9),
            "closed": max(made, (last or made) - 1000),
        }

    def price_list(self, i: int) -> int:
        return self.price_list_for(self.types[i], self.contacts.price_list_of(self.contact[i]))

    @staticmethod
    def price_list_for(t: int, contact_list: int) -> int:
        """Sales use the customer's list; purchases the supplier list, or Cost."""
        if t in (PO, PC):
            return SUPPLIER_LIST if contact_list == SUPPLIER_LIST else COST_LIST
        return contact_list

    def currency_id(self, i: int) -> int:
        return self.contacts.currency_of(self.contact[i])

    def rate(self, i: int) -> int:
        """Exchange rate (10^-6) of the order currency at creation (docs/brightpearl-api.md §R3.1 `currency.exchangeRate`)."""
        return self.accounting.currencies[self.currency_id(i)].rate_at(self.created[i])

    @contextmanager
    def lines_memo(self):
        """Remember `lines()` results while the bulk passes run (goods and ledger both read most orders' rows)."""
        self._lines_memo = {}
        try:
            yield
        finally:
            self._lines_memo = None

    def lines(self, i: int) -> list[Line]:
        """The order's rows. Credits with a parent return part of the parent's rows."""
        memo = self._lines_memo
        if memo is not None:
            found = memo.get(i)
            if found is None:
                found = memo[i] = self._lines(i)
            return found
        return self._lines(i)

    def _lines(self, i: int) -> list[Line]:
        order_id, t = self.ids_[i], self.types[i]
        rng = record_rng(self.ctx.seed, TAG_LINES, order_id)
        base, count = self.row_base[i], self.nrows[i]
        parent = self.parent[i]
        if parent:
            source = self.lines(self.index_of(parent))
            picked = sorted(rng.sample(range(len(source)), min(count, len(source))))
            return [
                line._replace(row_id=base + k, qty=rng.randint(1, line.qty)) if line.qty > 1 else line._replace(row_id=base + k)
                for k, line in enumerate(source[j] for j in picked)
            ]
        products = self.products
        available = max(1, products.orderable_before(self.created[i]))
        chosen = rng.sample(range(available), min(count, available))
        price_list = self.price_list(i)
        tax_override = self.contacts.tax_code(self.contact[i]) if t in (SO, SC) else 0
        orderable, sale = products.orderable, t in (SO, SC)
        out = []
        for k, j in enumerate(chosen):
            if sale:
                qty = _QTY_SO.at(rng.random())
                discount = (500, 1000, 1500)[int(rng.random() * 3)] if rng.random() < 0.1 else 0
            else:
                qty, discount = 5 + int(rng.random() * 56), 0
            out.append(self.make_line(base + k, orderable[j], qty, discount, t, price_list, tax_override))
        return out

    def make_line(self, row_id: int, p, qty: int, discount: int, t: int, price_list: int, tax_override: int) -> Line:
        """One row's money: sales rows at the list price (tax backed out of gross lists), purchase rows at cost
        with a zero product price (as recorded in examples/order-get-purchase-order.json)."""
        sale = t in (SO, SC)
        unit_price, nominal = (self.products.unit_price(p, price_list), "4000") if sale else (0, "1001")
        tax_id = tax_override or p.tax
        net, tax = row_money(
            sale, unit_price, p.cost, qty * 10_000, discount, TAX_RATE[tax_id], PRICE_LIST_BY_ID[price_list][5] and sale
        )
        return Line(row_id, p.id, p.name, p.sku, qty, unit_price, p.cost, discount, tax_id, net, tax, nominal, p.options)

    @staticmethod
    def totals(lines: list[Line]) -> tuple[int, int]:
        """(net, tax) in 10^-2."""
        return money.rescale(sum(line.net for line in lines), 4, 2), sum(line.tax for line in lines)

    def reference_text(self, i: int) -> str:
        if not self.flags[i] & F_REF:
            return ""
        return reference_for(self.types[i], self.ids_[i])

    def external_ref(self, i: int) -> str | None:
        if not self.flags[i] & F_MARKET:
            return None
        return f"MKP-{mix(self.ctx.seed, TAG_FACTS, self.ids_[i]) % 10**9:09d}"

    def invoice_reference(self, i: int) -> str:
        number = self.invoice[i]
        return f"{('SI', 'PI', 'SC', 'PC')[self.types[i] - 1]}-{number}" if number else ""

    def channel_of(self, order_id: int) -> int:
        """The order's channel (0 for none), from the current record."""
        if self.is_changed(order_id):
            return self.record(order_id)["assignment"]["current"]["channelId"]
        return self.channel[self.index_of(order_id)]

    # -- GET record ----------------------------------------------------------------------------------------------

    def spec(self, i: int, rng) -> OrderSpec:
        """Everything a seeded order's GET record is composed from."""
        t, contact = self.types[i], self.contact[i]
        contacts = self.contacts
        updated = self.updated[i]
        return OrderSpec(
            id=self.ids_[i],
            type=t,
            contact=contact,
            status=self.status[i],
            stage=self.stage[i],
            flags=self.flags[i],
            created=self.created[i],
            updated=updated,
            warehouse=self.warehouse[i],
            channel=self.channel[i],
            owner=self.owner[i],
            creator=self.creator[i],
            parent=self.parent[i],
            payment=self.payment[i],
            stock=self.stock[i],
            shipping=self.shipping[i],
            tax_day=self.tax_day[i],
            delivery_day=self.delivery_day[i],
            invoice_reference=self.invoice_reference(i),
            ship_method=self.ship_method[i],
            price_list=self.price_list(i),
            currency_id=self.currency_id(i),
            rate=self.rate(i),
            lines=self.lines(i),
            reference=self.reference_text(i),
            external_ref=self.external_ref(i),
            credit_days=contacts.credit_days(contact),
            lead_source=contacts.lead_source(contact) if t in (SO, SC) else 0,
            version=1 if not updated else 2 + self.stage[i] + self.ids_[i] % 3,
            closed=self.events(i)["closed"],
            parties=self._parties(i, rng),
        )

    def _parties(self, i: int, rng) -> dict:
        contacts = self.contacts
        gift = None
        if self.flags[i] & F_GIFT:
            gift = contacts.person(contacts.eligible(CUSTOMER, self.created[i], rng.random()))
        return parties_for(self.types[i], self.contact[i], contacts.person(self.contact[i]), gift)

    def _build(self, i: int) -> dict:
        rng = record_rng(self.ctx.seed, TAG, self.ids_[i])
        return self.compose(self.spec(i, rng), rng)

    def compose(self, spec: OrderSpec, rng) -> dict:
        """An order GET record (examples/order-get*.json key order)."""
        tf = self.ctx.tf
        t, code = spec.type, TYPE_CODE[spec.type]
        currency = self.accounting.currencies[spec.currency_id]
        net, tax = self.totals(spec.lines)
        rate = spec.rate
        base_net, base_tax = money.mul_div(net, 1_000_000, rate), money.mul_div(tax, 1_000_000, rate)
        stock_code = STOCK_STATUS_CODE[spec.stock]
        payment_code = PAYMENT_STATUS_CODE[spec.payment]
        market = bool(spec.flags & F_MARKET)

        record: dict[str, Any] = {
            "id": spec.id,
            "parentOrderId": spec.parent,
            "orderTypeCode": code,
            "reference": spec.reference,
            "version": spec.version,
            "state": {"tax": "INVOICED" if spec.stage == COMPLETE else "READY"},
            "orderStatus": {"orderStatusId": spec.status, "name": STATUS_BY_ID[spec.status][1]},
            "tax": {"errors": []},
        }
        if market:
            record["externalRef"] = spec.external_ref
            record["installedIntegrationInstanceId"] = MARKETPLACE_INTEGRATION_ID
        record["orderPaymentStatus"] = payment_code
        record["stockStatusCode"] = stock_code
        record["allocationStatusCode"] = ALLOCATION.get(stock_code, "ANR") if t == SO else "ANR"
        record["shippingStatusCode"] = SHIPPING_STATUS_CODE[spec.shipping]
        record["placedOn"] = tf.dt(spec.created + (1000 if t == PO else 0))
        record["createdOn"] = tf.dt(spec.created)
        if spec.updated:
            record["updatedOn"] = tf.dt(spec.updated)
        if spec.stage == CANCELLED or (spec.stage == COMPLETE and (payment_code == "PAID" or t in (SC, PC))):
            record["closedOn"] = tf.dt(spec.closed)
        record["createdById"] = spec.creator
        record["priceListId"] = spec.price_list
        record["priceModeCode"] = "INC" if PRICE_LIST_BY_ID[spec.price_list][5] and t in (SO, SC) else "EXC"
        delivery: dict[str, Any] = {}
        if spec.delivery_day:
            delivery["deliveryDate"] = tf.dt(tf.midnight_ms(spec.delivery_day))
        delivery["shippingMethodId"] = spec.ship_method
        record["delivery"] = delivery
        invoice: dict[str, Any] = {"invoiceReference": spec.invoice_reference}
        if spec.tax_day:
            # taxDate is midnight in the account zone; dueDate as recorded is UTC midnight shown in the offset.
            invoice["taxDate"] = tf.dt(tf.midnight_ms(spec.tax_day))
            invoice["dueDate"] = tf.utc_midnight_dt(spec.tax_day + spec.credit_days)
        record["invoices"] = [invoice]
        base_code = self.accounting.currencies[BASE_CURRENCY_ID].code
        record["currency"] = {
            "accountingCurrencyCode": base_code,
            "orderCurrencyCode": currency.code,
            "exchangeRate": money.dec(rate, 6),
            "fixedExchangeRate": t == PO and rng.random() < 0.5,
        }
        record["totalValue"] = {
            "net": money.dec(net, 2),
            "taxAmount": money.dec(tax, 2),
            "baseNet": money.dec(base_net, 2),
            "baseTaxAmount": money.dec(base_tax, 2),
            "baseTotal": money.dec(base_net + base_tax, 2),
            "total": money.dec(net + tax, 2),
        }
        record["assignment"] = {
            "current": {
                "staffOwnerContactId": spec.owner,
                "projectId": 0,
                "channelId": spec.channel,
                "leadSourceId": spec.lead_source,
                "teamId": 0,
            }
        }
        record["parties"] = spec.parties
        record["orderRows"] = {
            str(line.row_id): row_record(line, k, currency.code, base_code, market) for k, line in enumerate(spec.lines)
        }
        record["warehouseId"] = spec.warehouse
        record["customFields"] = custom_fields.generate(self.fields_for(code), rng, tf, spec.created)
        record["acknowledged"] = 1 if market and spec.updated else 0
        record["costPriceListId"] = COST_LIST
        record["historicalOrder"] = False
        if spec.stage == COMPLETE and spec.tax_day:
            record["originalInvoiceDate"] = invoice["taxDate"]
        if t in (PO, PC):
            record["isDropship"] = t == PO and rng.random() < 0.05
        record["orderWeighting"] = 100
        return record

    # -- search --------------------------------------------------------------------------------------------------

    def seeded_search_rows(self) -> list[list]:
        """order-search rows of every seeded order straight from the core (no record derivation): the fast path.
        `search_row(record)` gives the identical row from a GET record (tests hold the two paths equal)."""
        if self._search_bulk is None:
            tf = self.ctx.tf
            dt, midnight = tf.dt, tf.midnight_ms
            ref, ext = self.reference_text, self.external_ref
            market = MARKETPLACE_INTEGRATION_ID
            self._search_bulk = [
                [
                    oid,
                    t,
                    contact,
                    status,
                    stock,
                    dt(made),
                    creator,
                    ref(i),
                    payment,
                    dt(upd) if upd else None,
                    parent,
                    shipping,
                    ext(i) if flags & F_MARKET else None,
                    market if flags & F_MARKET else None,
                    warehouse,
                    owner,
                    dt(midnight(tax_day)) if tax_day else None,
                    channel,
                    dt(midnight(delivery)) if delivery else None,
                ]
                for i, (
                    oid,
                    t,
                    contact,
                    status,
                    stock,
                    made,
                    creator,
                    payment,
                    upd,
                    parent,
                    shipping,
                    flags,
                    warehouse,
                    owner,
                    tax_day,
                    channel,
                    delivery,
                ) in enumerate(
                    zip(
                        self.ids_,
                        self.types,
                        self.contact,
                        self.status,
                        self.stock,
                        self.created,
                        self.creator,
                        self.payment,
                        self.updated,
                        self.parent,
                        self.shipping,
                        self.flags,
                        self.warehouse,
                        self.owner,
                        self.tax_day,
                        self.channel,
                        self.delivery_day,
                    )
                )
            ]
        return self._search_bulk

    @staticmethod
    def search_row(record: dict) -> list:
        """order-search row of a GET record (examples/order-search.json; departmentId is the channel, the
        channel's old name)."""
        parties = record["parties"]
        party = parties.get("customer") or parties.get("supplier") or {}
        invoice = record["invoices"][0] if record["invoices"] else {}
        current = record["assignment"]["current"]
        return [
            record["id"],
            TYPE_ID[record["orderTypeCode"]],
            party.get("contactId"),
            record["orderStatus"]["orderStatusId"],
            STOCK_STATUS_ID[record["stockStatusCode"]],
            record["createdOn"],
            record["createdById"],
            record["reference"],
            PAYMENT_STATUS_ID[record["orderPaymentStatus"]],
            record.get("updatedOn"),
            record["parentOrderId"],
            SHIPPING_STATUS_ID[record["shippingStatusCode"]],
            record.get("externalRef"),
            record.get("installedIntegrationInstanceId"),
            record["warehouseId"],
            current["staffOwnerContactId"],
            invoice.get("taxDate"),
            current["channelId"],
            record["delivery"].get("deliveryDate"),
        ]

    def last_ordered(self) -> dict[int, str]:
        """contactId → createdOn of the customer's latest sales order (contact-search `lastOrderedOn`); cached
        until the orders change."""
        if self._last_ordered is None or self._last_ordered[0] != self.version:
            self._last_ordered = (self.version, self._compute_last_ordered())
        return self._last_ordered[1]

    def _compute_last_ordered(self) -> dict[int, str]:
        latest: dict[int, int] = {}
        skip = self._deleted | self._overlay.keys() if self.dirty else ()
        for oid, t, contact, made in zip(self.ids_, self.types, self.contact, self.created):
            if t == SO and oid not in skip:
                latest[contact] = made  # creation instants ascend with the index
        tf = self.ctx.tf
        for record in self._overlay.values():
            if record["orderTypeCode"] == "SO":
                contact, made = record["parties"]["customer"]["contactId"], tf.parse(record["createdOn"])
                latest[contact] = max(made, latest.get(contact, made))
        return {contact: tf.dt(ms) for contact, ms in latest.items()}
