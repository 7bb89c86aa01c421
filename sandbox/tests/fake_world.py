"""A small stand-in for the real `world` package, implementing the same interface (README "World interface"),
so the protocol tests depend on nothing but the contract. Data is tiny and fully predictable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import orjson

TZ = timezone(timedelta(hours=-6))
EPOCH = datetime(2024, 1, 1, tzinfo=TZ)

# Orders 1..1300 except multiples of 10: 1170 orders (more than one 500-row page).
ORDER_IDS = [i for i in range(1, 1301) if i % 10]
CONTACT_IDS = list(range(1, 451))
GOODS_OUT_IDS = list(range(1001, 1031))  # note 1000+k belongs to order k
JOURNAL_IDS = [1, 2, 3, 5, 8]
BRAND_IDS = [1, 2, 3]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000") + moment.strftime("%z")[:3] + ":" + moment.strftime("%z")[3:]


def created_on(order_id: int) -> datetime:
    return EPOCH + timedelta(hours=order_id)


def updated_on(order_id: int) -> datetime | None:
    """Every third order was never updated (null in search, key absent in GET)."""
    return None if order_id % 3 == 0 else created_on(order_id) + timedelta(minutes=30)


@dataclass(frozen=True)
class Column:
    name: str
    report_data_type: str
    reference_data: tuple[str, ...] = ()
    sortable: bool = True
    filterable: bool = True
    required: bool = False
    is_free_text_searchable: bool = False


class SearchTable:
    def __init__(self, columns, rows, reference=None, misreported_results_available=None):
        self.columns = columns
        self._rows = rows
        self._reference = reference or {}
        self.misreported_results_available = misreported_results_available

    def rows(self):
        return self._rows()

    def reference(self):
        return self._reference


class Collection:
    def __init__(
        self, records, *, max_ids=200, envelope="list", missing="empty", not_found_message="", allow_all=False, parents=None
    ):
        self._records = records  # id → dict (live: mutations change it)
        self.max_ids = max_ids
        self.envelope = envelope
        self.missing = missing
        self.not_found_message = not_found_message
        self.allow_all = allow_all
        self._parents = parents or {}

    def ids(self):
        return sorted(self._records)

    def get(self, id, include_optional=frozenset()):
        record = self._records.get(id)
        if record is None:
            return None
        record = dict(record)
        custom = record.pop("customFields", None)
        if "customFields" in include_optional and custom is not None:
            record["customFields"] = custom
        return record

    def get_json(self, id, include_optional=frozenset()):
        record = self.get(id, include_optional)
        return None if record is None else orjson.dumps(record)

    def parent_id(self, id):
        return self._parents.get(id)


class StaticList:
    def __init__(self, records):
        self._records = records

    def records(self):
        return list(self._records)


ORDER_COLUMNS = [
    Column("orderId", "IDSET"),
    Column("orderTypeId", "IDSET", ("orderTypeNames",)),
    Column("contactId", "INTEGER"),
    Column("orderStatusId", "INTEGER", ("orderStatusNames",)),
    Column("createdOn", "PERIOD"),
    Column("updatedOn", "PERIOD"),
    Column("customerRef", "STRING"),
    Column("customerName", "SEARCH_STRING", is_free_text_searchable=True),
    Column("historicalOrder", "BOOLEAN"),
    Column("internalNote", "STRING", filterable=False, sortable=False),
]
NAMES = ["Alice Smith", "Bob Jones", "Carol White", "Dan Brown"]
STATUS_NAMES = {"1": "Draft", "2": "New", "3": "Invoiced", "4": "Cancelled"}


class FakeWorld:
    def __init__(self):
        self.version = 0
        self.orders = {i: self._order(i) for i in ORDER_IDS}
        contacts = {i: {"contactId": i, "firstName": f"C{i}", "customFields": {"PCF_X": i}} for i in CONTACT_IDS}
        goods_out = {i: {"orderId": i - 1000, "warehouseId": 2} for i in GOODS_OUT_IDS}
        self._collections = {
            "order": Collection(self.orders),
            "contact": Collection(contacts, envelope="contact", missing="404", not_found_message="No Contact Found"),
            "goods-out-note": Collection(goods_out, max_ids=500, envelope="map", parents={i: i - 1000 for i in GOODS_OUT_IDS}),
            "journal": Collection(
                {i: {"id": i, "journalTypeCode": "SI"} for i in JOURNAL_IDS},
                envelope="journals",
                missing="404",
                not_found_message="No journals found",
            ),
            "brand": Collection({i: {"id": i, "name": f"Brand {i}"} for i in BRAND_IDS}, max_ids=None, allow_all=True),
            "product-price": Collection({}, missing="404", not_found_message="No Product Prices Found"),
        }
        self._tables = {
            "order-search": SearchTable(
                ORDER_COLUMNS,
                self._order_rows,
                {"orderTypeNames": {"1": "SALES_ORDER", "2": "PURCHASE_ORDER"}, "orderStatusNames": STATUS_NAMES},
            ),
            "supplier-payment-search": SearchTable(
                [Column("paymentId", "IDSET"), Column("amountPaid", "STRING")],
                lambda: [[i, f"{i}.00"] for i in range(1, 8)],
                misreported_results_available=500,
            ),
        }
        self._static = {"exchange-rate": StaticList([{"currencyId": 1, "rate": "1.0"}])}

    @staticmethod
    def _order(i):
        record = {
            "id": i,
            "orderTypeCode": "SO" if i % 2 else "PO",
            "reference": f"#{i:04d}",
            "createdOn": iso(created_on(i)),
            "customFields": {"PCF_NOTE": f"n{i}"},
        }
        if updated_on(i) is not None:
            record["updatedOn"] = iso(updated_on(i))
        return record

    def _order_rows(self):
        rows = []
        for i in sorted(self.orders):
            order = self.orders[i]
            rows.append(
                [
                    i,
                    1 if i % 2 else 2,
                    100 + i % 7,
                    1 + i % 4,
                    order["createdOn"],
                    order.get("updatedOn"),
                    order["reference"],
                    NAMES[i % 4],
                    i % 5 == 0,
                    None,
                ]
            )
        return rows

    def search_table(self, name):
        return self._tables[name]

    def collection(self, name):
        return self._collections[name]

    def static_list(self, name):
        return self._static[name]

    def account_configuration(self):
        return {"timeZone": "America/Chicago", "baseCurrencyCode": "USD"}

    def update(self, resource, id, **changes):
        assert resource == "order"
        self.orders[id].update(changes, updatedOn=iso(datetime.now(TZ)))
        self.version += 1

    def create(self, resource, never_updated=False, **fields):
        assert resource == "order"
        new_id = max(self.orders) + 1
        self.orders[new_id] = {**self._order(new_id), **fields}
        self.version += 1
        return new_id

    def delete(self, resource, id):
        assert resource == "order"
        del self.orders[id]
        self.version += 1
