"""`World`: the sandbox's data, wired from the resource modules (see ../README.md "World interface")."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

from . import custom_fields
from .accounting import Accounting
from .catalog import Catalog
from .contacts import CONTACT_SEARCH_COLUMNS, FIRST_CONTACT_ID, SUPPLIER, Contacts
from .goods import (
    GOODS_IN_SEARCH_COLUMNS,
    GOODS_MOVEMENT_SEARCH_COLUMNS,
    GOODS_OUT_SEARCH_COLUMNS,
    GoodsInNotes,
    GoodsMovements,
    GoodsOutNotes,
    GoodsPass,
    StockTransfers,
)
from .interface import (
    ByteCache,
    Collection,
    ListTable,
    SearchTable,
    StaticList,
    StoreTable,
    columns,
)
from .ledger import (
    CUSTOMER_PAYMENT_SEARCH_COLUMNS,
    JOURNAL_SEARCH_COLUMNS,
    SUPPLIER_PAYMENT_SEARCH_COLUMNS,
    CustomerPayments,
    Journals,
    LedgerPass,
    SupplierPayments,
)
from .memberships import GroupTable, MemberTable
from .mutations import Mutations
from .orders import ORDER_SEARCH_COLUMNS, Orders
from .products import PRODUCT_SEARCH_COLUMNS, ProductPrices, Products
from .reference import (
    ORDER_TYPES,
    SHIPPING_STATUSES,
    STOCK_STATUSES,
    Organisation,
    order_reference,
    order_status_records,
)
from .scale import Scale
from .store import ListStore, Store, WorldContext, bulk_build
from .timefmt import DAY_MS, TimeFormat, to_ms
from .warehouse import (
    LOCATION_SEARCH_COLUMNS,
    WAREHOUSE_SEARCH_COLUMNS,
    ZONE_SEARCH_COLUMNS,
    Availability,
    Warehouses,
)

SEEDED_HISTORY_DAYS = 730
DEFAULT_CACHE_BYTES = 1024 * 1024 * 1024

# Account zones reported by account-configuration for common offsets (fixed-offset accounts; docs/brightpearl-api.md §R1).
_ZONES = {
    "-08:00": "America/Los_Angeles",
    "-07:00": "America/Denver",
    "-06:00": "America/Chicago",
    "-05:00": "America/New_York",
    "-04:00": "America/Halifax",
    "-03:30": "America/St_Johns",
    "-03:00": "America/Sao_Paulo",
    "+00:00": "Europe/London",
    "+01:00": "Europe/Paris",
    "+02:00": "Europe/Athens",
    "+03:30": "Asia/Tehran",
    "+05:30": "Asia/Kolkata",
    "+05:45": "Asia/Kathmandu",
    "+08:00": "Asia/Singapore",
    "+09:30": "Australia/Darwin",
    "+10:00": "Australia/Brisbane",
    "+11:00": "Australia/Sydney",
    "+12:00": "Pacific/Auckland",
}


def zone_name(tf: TimeFormat) -> str:
    offset = tf.suffix if tf.suffix != "Z" else "+00:00"
    if offset in _ZONES:
        return _ZONES[offset]
    hours, minutes = divmod(abs(tf.offset_ms) // 60_000, 60)
    if minutes:
        raise ValueError(f"no time zone known for offset {offset}")
    # POSIX-style Etc zones invert the sign: Etc/GMT+6 is UTC-06:00.
    return f"Etc/GMT{'+' if tf.offset_ms < 0 else '-'}{hours}"


class RecordList(ListStore):
    """A small reference collection: records given up front, keyed by `id_key`."""

    def __init__(self, ctx: WorldContext, name: str, records: list, id_key: str | int):
        super().__init__(ctx)
        self.name = name
        self._records = records
        self._id_key = id_key

    def build(self):
        return [r[self._id_key] for r in self._records], self._records

    def first_id(self) -> int:
        return 1


class CustomFieldMetadata(ListStore):
    def __init__(self, ctx: WorldContext, name: str, fields: tuple):
        super().__init__(ctx)
        self.name = name
        self._fields = fields

    def build(self):
        return [f.id for f in self._fields], [custom_fields.metadata_record(f) for f in self._fields]


class World:
    """Deterministic Brightpearl data for one seed and scale; see the package docstring."""

    def __init__(
        self,
        seed: int = 1,
        scale: Scale | None = None,
        tz_offset: str = "-06:00",
        clock: Callable[[], datetime] | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ):
        self.seed = seed
        self.scale = (scale or Scale.named("small")).resolved()
        self.tz_offset = tz_offset
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        tf = TimeFormat(tz_offset)
        # Seeded history ends at the account-zone midnight before construction, so two worlds built the same day
        # are byte-identical and every seeded instant precedes every mutation.
        anchor = tf.midnight_ms(tf.local_day(to_ms(self._clock())))
        self.ctx = ctx = WorldContext(
            seed=seed,
            scale=self.scale,
            tf=tf,
            anchor_ms=anchor,
            start_ms=anchor - SEEDED_HISTORY_DAYS * DAY_MS,
            clock_ms=lambda: to_ms(self._clock()),
            zone_name=zone_name(tf),
            lock=threading.RLock(),
        )
        with bulk_build():
            self._build_cores(ctx)
        self._goods: GoodsPass | None = None
        self._ledger: LedgerPass | None = None
        self._stores: dict[str, Store] = {}
        self._collections: dict[str, Collection] = {}
        self._tables: dict[str, SearchTable] = {}
        self._row_columns: dict[str, list] = {}
        self._static: dict[str, StaticList] = {}
        self._cache = ByteCache(cache_bytes)
        self._wire()
        self._mutations = Mutations(self)

    def _build_cores(self, ctx: WorldContext) -> None:
        """The eager part: reference data and the compact cores of contacts, products and orders."""
        staff_ids = list(range(FIRST_CONTACT_ID, FIRST_CONTACT_ID + self.scale.staff))
        self.accounting = Accounting(ctx, staff_ids)
        self.catalog = Catalog(ctx, self.accounting, staff_ids)
        self.warehouses = Warehouses(ctx)
        self.organisation = Organisation(ctx, staff_ids, self.warehouses.ids)
        self.contacts = Contacts(ctx, self.organisation)
        suppliers = self.contacts.by_kind[SUPPLIER]
        self.products = Products(ctx, self.catalog, self.accounting, self.warehouses, list(suppliers[0]), suppliers[1])
        self.orders = Orders(ctx, self.contacts, self.products, self.organisation, self.warehouses, self.accounting)

    # -- lazy bulk passes ----------------------------------------------------------------------------------------

    def goods(self) -> GoodsPass:
        if self._goods is None:
            self._lifecycle()
        return self._goods

    def ledger(self) -> LedgerPass:
        if self._ledger is None:
            self._lifecycle()
        return self._ledger

    def _lifecycle(self) -> None:
        """Both bulk passes over the seeded orders at once: they read the same order rows, derived once."""
        with self.ctx.lock, bulk_build(), self.orders.lines_memo():
            if self._goods is None:
                self._goods = GoodsPass(self.ctx, self.orders, self.products, self.warehouses)
            if self._ledger is None:
                self._ledger = LedgerPass(self.ctx, self.orders, self.accounting)

    # -- wiring --------------------------------------------------------------------------------------------------

    def _store(self, store: Store) -> Store:
        self._stores[store.name] = store
        return store

    def _collection(self, name: str, store: Store, **options: Any) -> Collection:
        self._store(store)
        collection = Collection(self.ctx, name, store, self._cache, **options)
        self._collections[name] = collection
        return collection

    def _table(self, name: str, table: SearchTable) -> None:
        self._tables[name] = table

    def _records(self, name: str, records: list, id_key: str, **options: Any) -> Store:
        store = RecordList(self.ctx, name, records, id_key)
        self._collection(name, store, allow_all=True, **options)
        return store

    def _rows(self, name: str, table: str, rows: list, cols, id_index: int = 0, **options: Any) -> None:
        """A search-only resource whose records are its rows."""
        self._row_table(table, self._store(RecordList(self.ctx, name, rows, id_index)), cols, **options)

    def _row_table(self, table: str, store: Store, cols, **options: Any) -> None:
        self._table(table, ListTable(self.ctx, cols, store, **options))
        self._row_columns[store.name] = cols

    def _wire(self) -> None:
        """Stores, collections, tables and lists under the route table's names (../README.md "Routes").

        Missing ids: order answers 200 [] and contact, product-price and goods-in 404 with their recorded messages
        (docs/brightpearl-api.md §P8); the rest follow the docs' rule for an empty
        multi-resource GET (404), with messages in the recorded style. Id limits per GET: docs/brightpearl-api.md §R1."""
        ctx, cat, org, wh, acc = self.ctx, self.catalog, self.organisation, self.warehouses, self.accounting
        orders, products, contacts = self.orders, self.products, self.contacts

        # Orders
        self._collection("order", orders, max_ids=200, missing="empty")
        self._table(
            "order-search",
            StoreTable(
                ctx,
                ORDER_SEARCH_COLUMNS,
                orders,
                bulk_rows=orders.seeded_search_rows,
                record_rows=lambda _id, r: orders.search_row(r),
                reference=order_reference,
            ),
        )
        self._records("order-status", order_status_records(), "statusId", not_found_message="No Order Statuses Found")
        for name, rows in (
            ("order-type", ORDER_TYPES),
            ("order-stock-status", STOCK_STATUSES),
            ("order-shipping-status", SHIPPING_STATUSES),
        ):
            self._records(
                name, [{"id": i, "code": c, "description": d} for i, c, d in rows], "id", not_found_message="No Results Found"
            )
        for name, fields in (
            ("sale-custom-field-meta-data", custom_fields.SALE_FIELDS),
            ("purchase-custom-field-meta-data", custom_fields.PURCHASE_FIELDS),
            ("product-custom-field-meta-data", custom_fields.PRODUCT_FIELDS),
            ("customer-custom-field-meta-data", custom_fields.CUSTOMER_FIELDS),
            ("supplier-custom-field-meta-data", custom_fields.SUPPLIER_FIELDS),
        ):
            self._collection(
                name, CustomFieldMetadata(ctx, name, fields), allow_all=True, not_found_message="No Custom Fields Found"
            )

        # Products
        self._collection("product", products, max_ids=200, not_found_message="No Products Found")
        self._table(
            "product-search",
            StoreTable(
                ctx,
                PRODUCT_SEARCH_COLUMNS,
                products,
                bulk_rows=lambda: products.seeded_search()[0],
                record_rows=lambda _id, r: products.search_row(r),
                reference=self._category_membership,
            ),
        )
        self._collection("product-price", ProductPrices(ctx, products), max_ids=200, not_found_message="No Product Prices Found")
        self._collection(
            "product-availability",
            Availability(ctx, wh, products.tracked_ids),
            envelope="map",
            id_key="productId",
            not_found_message="These are non stock tracked products.",
        )
        self._records("price-list", cat.price_list_records, "id", not_found_message="No Price Lists Found")
        brands = self._records("brand", cat.brand_records, "id", not_found_message="No Brands Found")
        self._table(
            "brand-search",
            StoreTable(
                ctx,
                columns(("brandId", "IDSET"), ("brandName", "SEARCH_STRING"), ("createdOn", "PERIOD"), ("updatedOn", "PERIOD")),
                brands,
                bulk_rows=lambda: [self._brand_row(r) for r in brands.seed_records()],
                record_rows=lambda _id, r: self._brand_row(r),
            ),
        )
        self._records("brightpearl-category", cat.category_records, "id", not_found_message="No Categories Found")
        self._rows(
            "collection",
            "collection-search",
            cat.collection_rows,
            columns(
                ("collectionId", "IDSET"),
                ("collectionName", "SEARCH_STRING"),
                ("brandId", "IDSET"),
                ("createdOn", "PERIOD"),
                ("updatedOn", "PERIOD"),
            ),
        )
        self._records("season", cat.season_records, "id", not_found_message="No Seasons Found")
        self._rows(
            "product-type",
            "product-type-search",
            cat.product_type_rows,
            columns(("id", "IDSET"), ("name", "SEARCH_STRING"), ("updatedOn", "PERIOD")),
        )
        self._rows(
            "option",
            "option-search",
            cat.option_rows,
            columns(("id", "IDSET"), ("name", "SEARCH_STRING"), ("updatedOn", "PERIOD")),
        )
        # keyed by optionValueId (the third column); rows sort by optionId first, as columns[0]
        self._rows(
            "option-value",
            "option-value-search",
            cat.option_value_rows,
            columns(
                ("optionId", "IDSET"),
                ("optionName", "STRING"),
                ("optionValueId", "IDSET"),
                ("optionValueName", "STRING"),
                ("updatedOn", "PERIOD"),
            ),
            id_index=2,
            sort_by_first_column=True,
        )
        self._records("channel", org.channel_records, "id", not_found_message="No Channels Found")
        self._records("channel-brand", org.channel_brand_records, "channelBrandId", not_found_message="No Channel Brands Found")

        # Contacts
        self._collection(
            "contact", contacts, max_ids=200, envelope="contact", not_found_message="No Contact Found", allow_all=True
        )
        self._table(
            "contact-search",
            StoreTable(
                ctx,
                CONTACT_SEARCH_COLUMNS,
                contacts,
                bulk_rows=self._seeded_contact_rows,
                record_rows=lambda _id, record: contacts.search_row(record, self.orders.last_ordered()),
                deps=(orders,),
            ),
        )
        self._rows("company", "company-search", org.company_rows, columns(("companyId", "IDSET"), ("name", "SEARCH_STRING")))
        self._rows(
            "contact-group",
            "contact-group-search",
            org.contact_group_rows,
            columns(
                ("contactGroupId", "IDSET"), ("name", "SEARCH_STRING"), ("description", "STRING"), ("numberOfMembers", "INTEGER")
            ),
        )
        # Members follow the contacts; numberOfMembers counts them (memberships.py).
        members = MemberTable(ctx.seed, self._tables["contact-search"], self._tables["contact-group-search"])
        self._table("contact-group-member-search", members)
        self._table("contact-group-search", GroupTable(self._tables["contact-group-search"], members))
        self._records("lead-source", org.lead_source_records, "id", not_found_message="No Lead Sources Found")

        # Warehouse
        warehouses = self._records("warehouse", wh.records, "id", not_found_message="No Warehouses Found")
        self._table(
            "warehouse-search",
            StoreTable(
                ctx,
                WAREHOUSE_SEARCH_COLUMNS,
                warehouses,
                bulk_rows=lambda: [wh.search_row(r) for r in warehouses.seed_records()],
                record_rows=lambda _id, r: wh.search_row(r),
            ),
        )
        self._rows("location", "location-search", wh.location_rows, LOCATION_SEARCH_COLUMNS)
        self._rows("zone", "zone-search", wh.zone_rows, ZONE_SEARCH_COLUMNS)
        self._records("shipping-method", wh.shipping_method_records, "id", not_found_message="No Shipping Methods Found")
        out_notes = GoodsOutNotes(ctx, self.goods, orders)
        # `order/{orderIds}/goods-note/goods-out` with no note ids lists the orders' notes (recorded), hence allow_all
        self._collection(
            "goods-out-note",
            out_notes,
            max_ids=500,
            envelope="map",
            id_key="goodsOutNoteId",
            allow_all=True,
            not_found_message="No goods out notes found",
        )
        self._table(
            "goods-out-search",
            StoreTable(
                ctx,
                GOODS_OUT_SEARCH_COLUMNS,
                out_notes,
                bulk_rows=out_notes.seeded_search_rows,
                record_rows=out_notes.search_row,
                deps=(orders,),
            ),
        )
        in_notes = GoodsInNotes(ctx, self.goods, wh)
        self._collection(
            "goods-in-note",
            in_notes,
            max_ids=200,
            envelope="map",
            not_found_message="No goods in notes found within range of order IDs and goods in note IDs",
        )
        self._table(
            "goods-in-search",
            StoreTable(
                ctx,
                GOODS_IN_SEARCH_COLUMNS,
                in_notes,
                multi=True,
                sort_by_first_column=True,
                bulk_rows=lambda: [in_notes.search_rows(in_notes.seed_record(i)) for i in range(len(in_notes.seed_ids()))],
                record_rows=lambda _id, r: in_notes.search_rows(r),
            ),
        )
        movements = self._store(GoodsMovements(ctx, self.goods))
        self._row_table("goods-movement-search", movements, GOODS_MOVEMENT_SEARCH_COLUMNS)
        self._collection(
            "stock-transfer", StockTransfers(ctx, self.goods), allow_all=True, not_found_message="No Stock Transfers Found"
        )

        # Accounting
        customer_payments = self._store(CustomerPayments(ctx, self.ledger))
        self._row_table("customer-payment-search", customer_payments, CUSTOMER_PAYMENT_SEARCH_COLUMNS)
        supplier_payments = self._store(SupplierPayments(ctx, self.ledger))
        # The API bug: supplier-payment-search always reports resultsAvailable=500 (docs/brightpearl-api.md §R1).
        self._row_table(
            "supplier-payment-search", supplier_payments, SUPPLIER_PAYMENT_SEARCH_COLUMNS, misreported_results_available=500
        )
        journals = Journals(ctx, self.ledger, acc)
        self._collection("journal", journals, max_ids=200, envelope="journals", not_found_message="No Journals Found")
        self._table(
            "journal-search",
            StoreTable(
                ctx,
                JOURNAL_SEARCH_COLUMNS,
                journals,
                multi=True,
                bulk_rows=journals.seeded_search_rows,
                record_rows=lambda _id, r: journals.search_rows(r),
            ),
        )
        self._records("nominal-code", acc.nominal_code_records(), "id", not_found_message="No Nominal Codes Found")
        self._records("tax-code", acc.tax_code_records(), "id", not_found_message="No Tax Codes Found")
        self._rows(
            "currency",
            "currency-search",
            acc.currency_rows(),
            columns(
                ("id", "IDSET"),
                ("title", "STRING"),
                ("code", "STRING"),
                ("symbol", "STRING"),
                ("exchangeRate", "STRING"),
                ("isDefault", "BOOLEAN"),
                ("exchangeRateVarianceNominalCode", "STRING"),
            ),
        )
        self._records("accounting-period", acc.accounting_period_records(), "id", not_found_message="No Accounting Periods Found")
        self._static["exchange-rate"] = StaticList(acc.exchange_rate_records)
        self._static["payment-method"] = StaticList(acc.payment_method_records)

    # -- table helpers -------------------------------------------------------------------------------------------

    def _category_membership(self) -> dict:
        """product-search reference: productId → category ids (every category, not only the first)."""
        products = self.products
        seeded = products.seeded_search()[1]
        ids = products.seed_ids()
        return {
            "productCategoryMembership": {
                str(pid): cats
                for pid, cats in zip(
                    products.current_items(ids.__getitem__, lambda pid, _r: pid),
                    products.current_items(seeded.__getitem__, lambda _pid, r: products.category_ids(r)),
                )
            }
        }

    @staticmethod
    def _brand_row(record: dict) -> list:
        return [record["id"], record["name"], record["createdOn"], record["updatedOn"]]

    def _seeded_contact_rows(self) -> list[list]:
        last = self.orders.last_ordered()
        rows = self.contacts.seeded_search_rows()
        return [row[:13] + [last.get(row[0])] + row[14:] for row in rows]

    # -- the README interface ------------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self.ctx.version

    def search_table(self, name: str) -> SearchTable:
        try:
            return self._tables[name]
        except KeyError:
            raise KeyError(f"no search table {name!r}") from None

    def collection(self, name: str) -> Collection:
        try:
            return self._collections[name]
        except KeyError:
            raise KeyError(f"no collection {name!r}") from None

    def static_list(self, name: str) -> StaticList:
        try:
            return self._static[name]
        except KeyError:
            raise KeyError(f"no static list {name!r}") from None

    def search_table_names(self) -> list[str]:
        return sorted(self._tables)

    def collection_names(self) -> list[str]:
        return sorted(self._collections)

    def static_list_names(self) -> list[str]:
        return sorted(self._static)

    def account_configuration(self) -> dict:
        """integration-service/account-configuration: a map of strings (docs/brightpearl-api.md §R1)."""
        return {"baseCurrencyCode": self.accounting.currencies[1].code, "timeZone": self.ctx.zone_name, "taxSchemeCode": "US"}

    def row_columns(self, resource: str) -> list:
        """Columns of a search-only resource whose records are rows."""
        return self._row_columns[resource]

    def store(self, resource: str) -> Store:
        try:
            return self._stores[resource]
        except KeyError:
            raise KeyError(f"unknown resource {resource!r}; known: {', '.join(sorted(self._stores))}") from None

    # -- mutations and truth -------------------------------------------------------------------------------------

    def update(self, resource: str, id: int, **changes: Any) -> None:
        self._mutations.update(resource, id, changes)

    def create(self, resource: str, never_updated: bool = False, **fields: Any) -> int:
        return self._mutations.create(resource, never_updated, fields)

    def delete(self, resource: str, id: int) -> None:
        self._mutations.delete(resource, id)

    def truth(self, stream_resource: str, include_optional: frozenset[str] = frozenset()) -> Iterator[dict]:
        """Every current record as served: GET shape for collections (map envelopes get their map key under the
        collection's `id_key` when the record lacks it), column dicts for search tables and search-only
        resources, the records of static lists."""
        if stream_resource in self._collections:
            collection = self._collections[stream_resource]
            for record_id in collection.ids():
                record = collection.get(record_id, include_optional)
                if record is None:
                    continue
                if collection.id_key and collection.id_key not in record:
                    record = {collection.id_key: record_id, **record}
                yield record
            return
        if stream_resource in self._static:
            yield from self._static[stream_resource].records()
            return
        table = self._tables.get(stream_resource) or self._tables.get(f"{stream_resource}-search")
        if table is None:
            raise KeyError(f"unknown resource {stream_resource!r}")
        yield from table.dicts()
