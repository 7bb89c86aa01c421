"""Goods notes, goods movements and stock transfers (docs/brightpearl-api.md §R3.16, §R3.17, §R3.19).

One bulk pass over the seeded orders, run on first use, yields every seeded note and movement:
- goods-out notes for sales orders being fulfilled (two notes when shipped in parts), plus stock-transfer notes;
- goods-in notes for received purchase orders and for sales credits whose goods came back;
- stock corrections (movements only) and stock transfers.
Goods notes of every kind share one id sequence in creation order, from 12,000,000 (the recorded goods-out note
ids exceed 10^7). Movements are numbered in time order; a goods-out movement's batch is the latest goods-in
note of that product.
"""

from __future__ import annotations

from array import array
from typing import Any, NamedTuple

from . import money
from .accounting import BASE_CURRENCY_ID
from .interface import columns
from .orders import F_PARTIAL, F_RETURNED, F_SPLIT, PO, SC, SO, Orders
from .products import Products
from .rand import mix, record_rng, stream_rng, tag, unit
from .reference import COMPLETE, FULFILLED, IN_PROGRESS
from .store import ListStore, Store, WorldContext
from .timefmt import DAY_MS, HOUR_MS, MINUTE_MS
from .warehouse import Warehouses

FIRST_NOTE_ID = 12_000_000
FIRST_MOVEMENT_ID = 500
FIRST_EVENT_VERSION = 3_000_000
TAG_ON_HAND = tag("goods-in-on-hand")
TAG_NOTE = tag("goods-out-note")
TAG_IN = tag("goods-in-note")

GOODS_OUT_SEARCH_COLUMNS = columns(
    ("goodsOutNoteId", "INTEGER"),
    ("printed", "BOOLEAN"),
    ("picked", "BOOLEAN"),
    ("packed", "BOOLEAN"),
    ("shipped", "BOOLEAN"),
    ("shippedOn", "PERIOD"),
    ("orderId", "INTEGER"),
    ("shippingMethodId", "IDSET"),
    ("warehouseId", "INTEGER"),
    ("priority", "BOOLEAN"),
    ("createdOn", "PERIOD"),
    ("releaseDate", "PERIOD"),
    ("createdBy", "INTEGER"),
    ("labelUri", "STRING"),
    ("channelId", "INTEGER"),
    ("transfer", "BOOLEAN"),
)
GOODS_IN_SEARCH_COLUMNS = columns(
    ("purchaseOrderId", "INTEGER"),
    ("batchId", "INTEGER"),
    ("userBatchRef", "SEARCH_STRING"),
    ("productId", "INTEGER"),
    ("locationId", "INTEGER"),
    ("groupingA", "STRING"),
    ("groupingB", "STRING"),
    ("groupingC", "STRING"),
    ("groupingD", "STRING"),
    ("price", "STRING"),
    ("landedCosts", "STRING"),
    ("currCode", "STRING"),
    ("receivedQuantity", "INTEGER"),
    ("onHand", "INTEGER"),
    ("createdDate", "PERIOD"),
    ("receivedDate", "PERIOD"),
    ("warehouseId", "INTEGER"),
)
GOODS_MOVEMENT_SEARCH_COLUMNS = columns(
    ("goodsMovementId", "IDSET"),
    ("productId", "IDSET"),
    ("salesOrderRowId", "IDSET"),
    ("purchaseOrderRowId", "IDSET"),
    ("quantity", "INTEGER"),
    ("destinationLocationId", "IDSET"),
    ("warehouseId", "IDSET"),
    ("goodsNoteId", "IDSET"),
    ("productValue", "STRING"),
    ("currencyCode", "STRING"),
    ("orderId", "IDSET"),
    ("isCleared", "BOOLEAN"),
    ("isQuarantine", "BOOLEAN"),
    ("batchId", "IDSET"),
    ("goodsNoteTypeCode", "STRING"),
    ("updatedOn", "PERIOD"),
)


class OutNote(NamedTuple):
    """A seeded goods-out note. Times are epoch ms, 0 when the step has not happened."""

    order_id: int  # 0 for a stock transfer
    warehouse: int
    target_warehouse: int  # transfers only
    created: int
    printed: int
    picked: int
    packed: int
    shipped: int
    ship_method: int
    created_by: int
    handler: int  # staff who printed/picked/packed/shipped
    priority: bool
    sequence: int
    rows: tuple  # (row id, product id, quantity, location id)
    label: bool


class InNote(NamedTuple):
    order_id: int
    warehouse: int
    received: int
    created_by: int
    open: bool
    batch_reference: str
    moved: tuple  # (row id, product id, quantity, location id, unit value 10^-4, currency, quarantine)


class GoodsPass:
    """The bulk pass. Built once, on first use of any goods resource, from the seeded orders only."""

    def __init__(self, ctx: WorldContext, orders: Orders, products: Products, warehouses: Warehouses):
        self.ctx = ctx
        self._orders = orders
        self._products = products
        self._warehouses = warehouses
        self.out_ids: list[int] = []
        self.out_notes: list[OutNote] = []
        self.in_ids: list[int] = []
        self.in_notes: list[InNote] = []
        self.movement_rows: list[list] = []
        self.transfers: list[dict] = []
        self._run()

    def _run(self) -> None:
        ctx, orders, wh = self.ctx, self._orders, self._warehouses
        rng = stream_rng(ctx.seed, "goods")
        staff = orders.contacts.staff_ids
        # (instant, kind, payload, stock transfer or None); kinds: 0 goods out, 1 goods in, 2 stock correction
        pending: list[tuple[int, int, Any, dict | None]] = []

        for i in range(len(orders.ids_)):
            t, stage, flags = orders.types[i], orders.stage[i], orders.flags[i]
            if not orders.updated[i]:
                continue
            if t == SO and stage in (IN_PROGRESS, FULFILLED, COMPLETE):
                for note in self._out_notes(i, rng, staff):
                    pending.append((note.created, 0, note, None))
            elif (t == PO and stage in (FULFILLED, COMPLETE)) or (t == SC and flags & F_RETURNED):
                note = self._in_note(i, rng, staff)
                pending.append((note.received, 1, note, None))

        tracked = [p for p in self._products.core if p.tracked]
        span = ctx.anchor_ms - ctx.start_ms
        scale = ctx.scale
        for k in range(scale.stock_corrections if tracked else 0):
            moment = ctx.start_ms + int((k + rng.random()) * span / scale.stock_corrections) // 1000 * 1000
            product = rng.choice(tracked)
            warehouse = rng.choice(wh.ids)
            quantity = rng.choice((-3, -2, -1, -1, 1, 2, 5))
            pending.append((moment, 2, (product, warehouse, quantity), None))

        if len(wh.ids) > 1 and tracked:
            for k in range(scale.stock_transfers):
                moment = ctx.start_ms + int((k + rng.random()) * span / scale.stock_transfers) // 1000 * 1000
                source, target = rng.sample(wh.ids, 2)
                by = rng.choice(staff)
                record = {
                    "stockTransferId": k + 1,
                    "sourceWarehouseId": source,
                    "targetWarehouseId": target,
                    "goodsOutNoteId": 0,
                    "reference": f"TR-{k + 1:04d}" if rng.random() < 0.7 else "",
                    "createdBy": by,
                    "createdOn": ctx.tf.dt(moment),
                }
                self.transfers.append(record)
                if moment < ctx.anchor_ms - DAY_MS and rng.random() < 0.9:
                    items = rng.sample(tracked, min(len(tracked), rng.randint(1, 3)))
                    rows = tuple(
                        ((k + 1) * 100 + j, p.id, rng.randint(1, 12), wh.default_location(source, p.id))
                        for j, p in enumerate(items)
                    )
                    shipped = moment + rng.randint(1, 20) * HOUR_MS
                    note = OutNote(
                        0,
                        source,
                        target,
                        moment + MINUTE_MS,
                        shipped,
                        shipped,
                        shipped,
                        shipped,
                        0,
                        by,
                        by,
                        False,
                        1,
                        rows,
                        False,
                    )
                    pending.append((note.created, 0, note, record))

        pending.sort(key=lambda item: item[0])
        note_id = FIRST_NOTE_ID
        movements: list[tuple[int, int, list]] = []
        base_currency = orders.accounting.currencies[BASE_CURRENCY_ID].code
        for created, kind, payload, transfer in pending:
            if kind == 0:
                note = payload
                if transfer is not None:
                    transfer["goodsOutNoteId"] = note_id
                self.out_ids.append(note_id)
                self.out_notes.append(note)
                if note.shipped and note.order_id:
                    for row_id, product_id, quantity, location in note.rows:
                        cost = self._products.by_id(product_id).cost
                        movements.append(
                            (
                                note.shipped,
                                len(movements),
                                [
                                    product_id,
                                    row_id,
                                    0,
                                    -quantity,
                                    location,
                                    note.warehouse,
                                    note_id,
                                    money.dec(cost, 4),
                                    base_currency,
                                    note.order_id,
                                    False,
                                    False,
                                    None,
                                    "GO",
                                    note.shipped,
                                ],
                            )
                        )
            elif kind == 1:
                self.in_ids.append(note_id)
                self.in_notes.append(payload)
                for row_id, product_id, quantity, location, value, currency, quarantine in payload.moved:
                    cleared = payload.received < ctx.anchor_ms - 60 * DAY_MS
                    movements.append(
                        (
                            payload.received,
                            len(movements),
                            [
                                product_id,
                                0,
                                row_id,
                                quantity,
                                location,
                                payload.warehouse,
                                note_id,
                                money.dec(value, 4),
                                currency,
                                payload.order_id,
                                cleared,
                                quarantine,
                                note_id,
                                "GI",
                                payload.received,
                            ],
                        )
                    )
            else:
                product, warehouse, quantity = payload
                location = wh.default_location(warehouse, product.id)
                movements.append(
                    (
                        created,
                        len(movements),
                        [
                            product.id,
                            0,
                            0,
                            quantity,
                            location,
                            warehouse,
                            note_id,
                            money.dec(product.cost, 4),
                            base_currency,
                            0,
                            True,
                            False,
                            None,
                            "SC",
                            created,
                        ],
                    )
                )
            note_id += 1 if rng.random() > 0.05 else rng.randint(2, 6)

        movements.sort(key=lambda m: (m[0], m[1]))
        latest_batch: dict[int, int] = {}
        tf = ctx.tf
        for k, (moment, _, cells) in enumerate(movements):
            product_id = cells[0]
            if cells[13] == "GI":
                latest_batch[product_id] = cells[6]
            else:
                cells[12] = latest_batch.get(product_id, cells[6])
            stamp = moment if rng.random() < 0.8 else moment + rng.randint(1, 999)
            cells[14] = tf.dt(stamp)
            self.movement_rows.append([FIRST_MOVEMENT_ID + k] + cells)
        self.out_id_array = array("q", self.out_ids)
        self.in_id_array = array("q", self.in_ids)

    def _out_notes(self, i: int, rng, staff: list[int]) -> list[OutNote]:
        orders, wh = self._orders, self._warehouses
        events = orders.events(i)
        stage, flags = orders.stage[i], orders.flags[i]
        warehouse = orders.warehouse[i]
        rows = [
            (line.row_id, line.product_id, line.qty, wh.default_location(warehouse, line.product_id)) for line in orders.lines(i)
        ]
        parts = [rows]
        if flags & F_SPLIT and len(rows) > 1:
            half = (len(rows) + 1) // 2
            parts = [rows[:half], rows[half:]]
        notes = []
        handler = rng.choice(staff)
        for sequence, part in enumerate(parts, start=1):
            ship_all = stage == COMPLETE or (stage == FULFILLED and sequence == 1)
            if ship_all:
                printed, picked, packed = events["printed"], events["picked"], events["packed"]
                shipped = events["shipped"]
            else:
                printed = events["printed"] if rng.random() < 0.6 else 0
                picked = events["picked"] if printed and rng.random() < 0.5 else 0
                packed = events["packed"] if picked and rng.random() < 0.3 else 0
                shipped = 0
            created = events["note"] + (sequence - 1) * 1000
            notes.append(
                OutNote(
                    orders.ids_[i],
                    warehouse,
                    0,
                    created,
                    printed,
                    picked,
                    packed,
                    shipped,
                    orders.ship_method[i],
                    orders.creator[i],
                    handler,
                    rng.random() < 0.05,
                    sequence,
                    tuple(part),
                    bool(shipped) and rng.random() < 0.5,
                )
            )
        return notes

    def _in_note(self, i: int, rng, staff: list[int]) -> InNote:
        orders, wh = self._orders, self._warehouses
        lines = orders.lines(i)
        if orders.flags[i] & F_PARTIAL and len(lines) > 1:
            lines = lines[: len(lines) // 2]
        warehouse = orders.warehouse[i]
        currency = orders.accounting.currencies[BASE_CURRENCY_ID].code  # row costs are in the base currency
        received = orders.events(i)["received"]
        moved = []
        for line in lines:
            quarantine = rng.random() < 0.03
            location = wh.quarantine[warehouse] if quarantine else wh.default_location(warehouse, line.product_id)
            moved.append((line.row_id, line.product_id, line.qty, location, line.cost, currency, quarantine))
        reference = f"BATCH-{orders.ids_[i]}-{rng.randint(100, 999)}" if rng.random() < 0.6 else ""
        return InNote(
            orders.ids_[i],
            warehouse,
            received,
            rng.choice(staff),
            received > self.ctx.anchor_ms - 14 * DAY_MS and orders.types[i] == PO,
            reference,
            tuple(moved),
        )


class GoodsOutNotes(Store):
    """goods-out-note: GET map keyed by note id (docs/brightpearl-api.md §R3.16); the note itself carries no id."""

    name = "goods-out-note"

    def __init__(self, ctx: WorldContext, goods, orders: Orders):
        super().__init__(ctx)
        self._goods = goods
        self._orders = orders

    def seed_ids(self) -> array:
        return self._goods().out_id_array

    def first_id(self) -> int:
        return FIRST_NOTE_ID

    def seed_record(self, index: int) -> dict:
        goods = self._goods()
        return self.build(goods.out_ids[index], goods.out_notes[index])

    def parent_id(self, record_id: int) -> int | None:
        """The note's order (None for stock transfers). Cheap for seeded notes: the server indexes all of them."""
        if self.is_changed(record_id) or record_id in self._deleted:
            record = self.record(record_id)
            return (record["orderId"] or None) if record else None
        index = self.seed_index(record_id)
        return None if index is None else self._goods().out_notes[index].order_id or None

    def build(self, note_id: int, note: OutNote) -> dict:
        tf = self.ctx.tf
        status: dict[str, Any] = {
            "shipped": bool(note.shipped),
            "packed": bool(note.packed),
            "picked": bool(note.picked),
            "printed": bool(note.printed),
        }
        for step in ("picked", "packed", "shipped", "printed"):
            moment = getattr(note, step)
            if moment:
                status[f"{step}On"] = tf.dt(moment)
        for step in ("picked", "packed", "shipped", "printed"):
            if getattr(note, step):
                status[f"{step}ById"] = note.handler
        shipping: dict[str, Any] = {
            "reference": f"TRK{mix(self.ctx.seed, TAG_NOTE, note_id) % 10**12:012d}" if note.shipped and note.order_id else "",
            "shippingMethodId": note.ship_method,
        }
        if note.packed:
            shipping["boxes"] = 1 + len(note.rows) // 3
            shipping["weight"] = money.dec(sum(q for _, _, q, _ in note.rows) * 450, 3)
        record: dict[str, Any] = {"orderId": note.order_id, "warehouseId": note.warehouse}
        if note.target_warehouse:
            record["targetWarehouseId"] = note.target_warehouse
        record.update(
            {
                "transfer": not note.order_id,
                "priority": note.priority,
                "status": status,
                "shipping": shipping,
                "releaseDate": tf.dt(note.created),
                "createdOn": tf.dt(note.created),
                "createdBy": note.created_by,
            }
        )
        order_rows: dict[str, list] = {}
        for row_id, product_id, quantity, location in note.rows:
            order_rows.setdefault(str(row_id), []).append({"productId": product_id, "quantity": quantity, "locationId": location})
        record["orderRows"] = order_rows
        record["sequence"] = note.sequence
        events = [{"occured": tf.dt(note.created), "eventOwnerId": note.created_by, "eventCode": "PLA"}]
        for step, code in (("printed", "PRI"), ("picked", "PIC"), ("packed", "PAC"), ("shipped", "SHW")):
            if getattr(note, step):
                events.append({"occured": tf.dt(getattr(note, step)), "eventOwnerId": note.handler, "eventCode": code})
        record["events"] = events
        if note.label:
            record["labelUri"] = f"https://labels.example.com/goods-out/{note_id}.pdf"
        record["lastEventVersion"] = FIRST_EVENT_VERSION + (note_id - FIRST_NOTE_ID) * 3 + len(events)
        return record

    def search_row(self, note_id: int, record: dict) -> list:
        """goods-out-search row (channelId comes from the note's order)."""
        status = record["status"]
        order_id = record["orderId"]
        channel = self._orders.channel_of(order_id) if order_id and self._orders.has(order_id) else 0
        return [
            note_id,
            status["printed"],
            status["picked"],
            status["packed"],
            status["shipped"],
            status.get("shippedOn"),
            order_id,
            record["shipping"]["shippingMethodId"],
            record["warehouseId"],
            record["priority"],
            record["createdOn"],
            record["releaseDate"],
            record["createdBy"],
            record.get("labelUri"),
            channel or None,
            record["transfer"],
        ]

    def seeded_search_rows(self) -> list[list]:
        """Rows of the seeded notes without building their GET records (the fast path; tests hold it equal to
        `search_row(build(...))`)."""
        tf, orders = self.ctx.tf, self._orders
        rows = []
        for note_id, note in zip(self._goods().out_ids, self._goods().out_notes):
            channel = orders.channel_of(note.order_id) if note.order_id and orders.has(note.order_id) else 0
            rows.append(
                [
                    note_id,
                    bool(note.printed),
                    bool(note.picked),
                    bool(note.packed),
                    bool(note.shipped),
                    tf.dt(note.shipped) if note.shipped else None,
                    note.order_id,
                    note.ship_method,
                    note.warehouse,
                    note.priority,
                    tf.dt(note.created),
                    tf.dt(note.created),
                    note.created_by,
                    f"https://labels.example.com/goods-out/{note_id}.pdf" if note.label else None,
                    channel or None,
                    not note.order_id,
                ]
            )
        return rows


class GoodsInNotes(Store):
    """goods-in-note: GET map keyed by goodsNoteId (docs/brightpearl-api.md §R3.17); search rows repeat per moved line."""

    name = "goods-in-note"

    def __init__(self, ctx: WorldContext, goods, warehouses: Warehouses):
        super().__init__(ctx)
        self._goods = goods
        self._warehouses = warehouses

    def seed_ids(self) -> array:
        return self._goods().in_id_array

    def first_id(self) -> int:
        return FIRST_NOTE_ID

    def seed_record(self, index: int) -> dict:
        goods = self._goods()
        return self.build(goods.in_ids[index], goods.in_notes[index])

    def parent_id(self, record_id: int) -> int | None:
        if self.is_changed(record_id) or record_id in self._deleted:
            record = self.record(record_id)
            return record["orderId"] if record else None
        index = self.seed_index(record_id)
        return None if index is None else self._goods().in_notes[index].order_id

    def build(self, note_id: int, note: InNote) -> dict:
        tf = self.ctx.tf
        rng = record_rng(self.ctx.seed, TAG_IN, note_id)
        received = tf.dt(note.received)
        record: dict[str, Any] = {
            "goodsNoteId": note_id,
            "orderId": note.order_id,
            "transfer": False,
            "goodsNoteStatus": "OPEN" if note.open else "CLOSED",
        }
        if note.batch_reference:
            record["userBatchReference"] = note.batch_reference
        record.update({"receivedOn": received, "createdBy": note.created_by})
        moved = []
        for row_id, product_id, quantity, location, value, currency, quarantine in note.moved:
            cleared = note.received < self.ctx.anchor_ms - 60 * DAY_MS
            updated = (
                note.received
                if not cleared or rng.random() < 0.5
                else min(self.ctx.anchor_ms - 1000, note.received + rng.randint(1, 30) * DAY_MS + rng.randint(1, 999))
            )
            moved.append(
                {
                    "productId": product_id,
                    "purchaseOrderRowId": row_id,
                    "quantity": quantity,
                    "warehouseId": note.warehouse,
                    "destinationLocationId": location,
                    "goodsNoteId": note_id,
                    "batchGoodsNoteId": note_id,
                    "productValue": {"currency": currency, "value": money.dec(value, 4)},
                    "cleared": cleared,
                    "valueConfirmed": not note.open,
                    "allocated": rng.random() < 0.3,
                    "quarantine": quarantine,
                    "createdOn": received,
                    "createdBy": note.created_by,
                    "updatedOn": tf.dt(updated),
                    "updatedBy": note.created_by,
                }
            )
        record["goodsMoved"] = moved
        return record

    def search_rows(self, record: dict) -> list[list]:
        """One row per moved line; batchId is the note id (docs/brightpearl-api.md §R3.17)."""
        rows = []
        for moved in record["goodsMoved"]:
            grouping = self._warehouses.groupings.get(moved["destinationLocationId"], (None,) * 4)
            quantity = moved["quantity"]
            on_hand = int(quantity * unit(mix(self.ctx.seed, TAG_ON_HAND, moved["goodsNoteId"]), moved["productId"]))
            rows.append(
                [
                    record["orderId"],
                    moved["goodsNoteId"],
                    record.get("userBatchReference"),
                    moved["productId"],
                    moved["destinationLocationId"],
                    *grouping,
                    moved["productValue"]["value"],
                    "0.0000",
                    moved["productValue"]["currency"],
                    quantity,
                    on_hand,
                    moved["createdOn"],
                    record["receivedOn"],
                    moved["warehouseId"],
                ]
            )
        return rows


class GoodsMovements(ListStore):
    """goods-movement: search only; records are the rows."""

    name = "goods-movement"

    def __init__(self, ctx: WorldContext, goods):
        super().__init__(ctx)
        self._goods = goods

    def build(self):
        rows = self._goods().movement_rows
        return [r[0] for r in rows], rows

    def first_id(self) -> int:
        return FIRST_MOVEMENT_ID


class StockTransfers(ListStore):
    name = "stock-transfer"

    def __init__(self, ctx: WorldContext, goods):
        super().__init__(ctx)
        self._goods = goods

    def build(self):
        records = self._goods().transfers
        return [r["stockTransferId"] for r in records], records
