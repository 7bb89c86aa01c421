"""Products and their prices (docs/brightpearl-api.md §R3.5–§R3.7).

The eager core holds what other resources need cheaply (creation time, name, SKU, tax code, price and cost,
stock tracking, bundle and variant structure); a GET record's remaining details come from the product's own
generator. Products come in variant groups (shared productGroupId, one option value each), plus a few bundles
and non-stock-tracked service items.
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect_right
from typing import Any

from . import custom_fields, money, names
from .accounting import TAX_BY_ID, Accounting
from .catalog import (
    COST_LIST,
    PRICE_LISTS,
    RETAIL_LIST,
    SUPPLIER_LIST,
    WHOLESALE_LIST,
    Catalog,
)
from .interface import columns
from .rand import Weighted, record_rng, stream_rng, tag
from .store import Store, WorldContext
from .timefmt import DAY_MS
from .warehouse import Warehouses

TAG = tag("product")
TAG_PRICE = tag("product-price")
FIRST_PRODUCT_ID = 1000
FIRST_GROUP_ID = 200

LIVE, DISCONTINUED = "LIVE", "DISCONTINUED"
_TAX = Weighted((2, 4, 1, 3), (75, 10, 10, 5))
_SERVICES = ("Gift Wrapping", "Engraving", "Assembly Service", "Extended Warranty", "Monogramming")

PRODUCT_SEARCH_COLUMNS = columns(
    ("productId", "IDSET", ("productCategoryMembership",)),
    ("productName", "SEARCH_STRING"),
    ("SKU", "STRING"),
    ("barcode", "STRING"),
    ("EAN", "STRING"),
    ("UPC", "STRING"),
    ("ISBN", "STRING"),
    ("MPN", "STRING"),
    ("stockTracked", "BOOLEAN"),
    ("salesChannelName", "STRING", (), True, False),
    ("createdOn", "PERIOD"),
    ("updatedOn", "PERIOD"),
    ("brightpearlCategoryCode", "IDSET", (), False, True),
    ("productGroupId", "INTEGER"),
    ("brandId", "IDSET"),
    ("productTypeId", "IDSET"),
    ("productStatus", "STRING"),
    ("primarySupplierId", "IDSET"),
)


class ProductCore:
    """What the rest of the world needs to know about a seeded product."""

    __slots__ = (
        "id",
        "created",
        "updated",
        "name",
        "sku",
        "brand",
        "ptype",
        "cats",
        "collection",
        "seasons",
        "group",
        "variation",
        "supplier",
        "tracked",
        "components",
        "tax",
        "price",
        "cost",
        "status",
        "options",
    )

    def __init__(self, **values: Any):
        for key, value in values.items():
            setattr(self, key, value)
        # what an order row shows as productOptions ({"Size": "M"}); shared, never modified
        self.options = {v[1]: v[3] for v in self.variation}


def _initials(words: str) -> str:
    return "".join(w[0] for w in words.replace("-", " ").split() if w[0].isalpha()).upper()[:4]


class Products(Store):
    name = "product"

    def __init__(
        self,
        ctx: WorldContext,
        catalog: Catalog,
        accounting: Accounting,
        warehouses: Warehouses,
        supplier_ids: list[int],
        supplier_created: array,
    ):
        super().__init__(ctx)
        self.catalog = catalog
        self.accounting = accounting
        self.warehouses = warehouses
        self.core: list[ProductCore] = []
        self._generate(supplier_ids, supplier_created)
        self.ids_ = array("q", (p.id for p in self.core))
        # Products an order row may use (not bundles, not services), by creation instant.
        orderable = [p for p in self.core if not p.components and p.tracked]
        self.orderable = orderable
        self.orderable_ids = array("q", (p.id for p in orderable))
        self.orderable_created = array("q", (p.created for p in orderable))
        self._search: tuple[list, list] | None = None
        self.created_core: dict[int, ProductCore] = {}

    # -- generation ----------------------------------------------------------------------------------------------

    def _generate(self, supplier_ids: list[int], supplier_created: array) -> None:
        ctx, cat = self.ctx, self.catalog
        scale = ctx.scale
        rng = stream_rng(ctx.seed, "products")
        n = scale.products
        lo = ctx.start_ms - 365 * DAY_MS
        span = ctx.anchor_ms - DAY_MS - lo
        product_id, group_id = FIRST_PRODUCT_ID, FIRST_GROUP_ID
        option_ids = sorted(cat.option_values)
        i = bundles = 0
        while i < n:
            size = rng.randint(2, 4) if rng.random() < 0.35 and n - i >= 2 and option_ids else 1
            size = min(size, n - i)
            made = lo + int((i + rng.random()) * span / n) // 1000 * 1000
            suppliers_then = bisect_right(supplier_created, made)
            supplier = supplier_ids[rng.randrange(suppliers_then)] if suppliers_then and rng.random() < 0.7 else 0
            base = {
                "brand": rng.choice(cat.brand_ids),
                "ptype": rng.choice(cat.product_type_ids),
                "cats": tuple(rng.sample(cat.category_ids, 2 if rng.random() < 0.3 else 1)),
                "collection": rng.choice(cat.collection_ids) if rng.random() < 0.5 else 0,
                "seasons": tuple(sorted(rng.sample(cat.season_ids, rng.choice((0, 0, 1, 2))))),
                "supplier": supplier,
                "tax": _TAX.at(rng.random()),
            }
            candidates = [p for p in self.core[-40:] if not p.components and p.tracked]
            # ~3% bundles, and at least two in any catalogue of 20+ so even small worlds show the shape
            due = n >= 20 and (bundles < 1 and i >= n // 2 or bundles < 2 and i >= 3 * n // 4)
            bundle = size == 1 and len(candidates) >= 2 and (rng.random() < 0.03 or due)
            service = size == 1 and not bundle and i > 0 and rng.random() < 0.03  # product 1 is always orderable
            if bundle:
                bundles += 1
                parts = rng.sample(candidates, 2)
                kits = [p for p in self.core[-200:] if p.components]
                if kits and (bundles == 2 or rng.random() < 0.3):  # bundles of bundles (product-get-bundle.json)
                    parts[0] = rng.choice(kits)
                components = tuple((p.id, rng.randint(1, 2)) for p in parts)
                name = f"{rng.choice(names.PRODUCT_ADJECTIVES)} Gift Set"
                price4 = sum(p.price * q for p, (_, q) in zip(parts, components)) * 9 // 10 // 100 * 100
                cost4 = sum(p.cost * q for p, (_, q) in zip(parts, components))
            else:
                components = ()
                name = (
                    rng.choice(_SERVICES)
                    if service
                    else f"{rng.choice(names.PRODUCT_ADJECTIVES)} {rng.choice(names.PRODUCT_MATERIALS)} "
                    f"{rng.choice(names.PRODUCT_NOUNS)}"
                )
                price4 = (rng.randint(5, 250) * 100 - 1) * 100
                cost4 = price4 * rng.randint(35, 60) // 100 // 100 * 100
            options = rng.sample(option_ids, min(len(option_ids), 2 if rng.random() < 0.3 else 1)) if size > 1 else []
            if options:
                possible = 1
                for oid in options:
                    possible *= len(cat.option_values[oid])
                size = min(size, possible)
            combos = self._combos(rng, options, size)
            for k in range(size):
                made_k = made + k * 1000
                edited = (
                    made_k
                    if rng.random() < 0.4
                    else min(ctx.anchor_ms - 1000, made_k + rng.randint(1, 600) * DAY_MS + rng.randint(0, 86_399_999))
                )
                if rng.random() < 0.8:
                    edited = edited // 1000 * 1000
                variation = combos[k] if combos else ()
                label = name + (" - " + " / ".join(v[3] for v in variation) if variation else "")
                sku = f"{_initials(name)}-{(group_id if size > 1 else product_id) % 100000:05d}" + "".join(
                    f"-{v[3][:3].upper()}" for v in variation
                )
                self.core.append(
                    ProductCore(
                        id=product_id,
                        created=made_k,
                        updated=max(made_k, edited),
                        name=label,
                        sku=sku,
                        group=group_id if size > 1 else 0,
                        variation=variation,
                        tracked=not (bundle or service),
                        components=components,
                        price=price4,
                        cost=cost4,
                        status=DISCONTINUED if rng.random() < 0.05 else LIVE,
                        **base,
                    )
                )
                product_id += 1 if rng.random() > 0.02 else rng.randint(2, 5)
            if size > 1:
                group_id += 1
            i += size

    def _combos(self, rng: random.Random, options: list[int], size: int) -> list[tuple]:
        """`size` distinct option-value combinations: tuples of (optionId, optionName, optionValueId, value)."""
        if not options:
            return []
        pools = [
            [(oid, self.catalog.option_names[oid], vid, value) for vid, value in self.catalog.option_values[oid]]
            for oid in options
        ]
        combos: list[tuple] = []
        seen = set()
        while len(combos) < size:
            combo = tuple(rng.choice(pool) for pool in pools)
            key = tuple(c[2] for c in combo)
            if key not in seen:
                seen.add(key)
                combos.append(combo)
        return combos

    # -- store ---------------------------------------------------------------------------------------------------

    def seed_ids(self) -> array:
        return self.ids_

    def first_id(self) -> int:
        return FIRST_PRODUCT_ID

    def seed_record(self, index: int) -> dict:
        return self.build_record(self.core[index])

    def served(self, record: Any, custom: bool, null_custom: bool) -> Any:
        return custom_fields.served(record, custom_fields.PRODUCT_FIELDS, custom, null_custom)

    def by_id(self, product_id: int) -> ProductCore:
        """The core of a seeded or created product."""
        index = self.seed_index(product_id)
        if index is None:
            return self.created_core[product_id]
        return self.core[index]

    def tracked_ids(self) -> list[int]:
        return [p.id for p in self.core if p.tracked]

    def orderable_before(self, moment: int) -> int:
        """How many orderable products existed at `moment` (a prefix of `orderable_ids`)."""
        return bisect_right(self.orderable_created, moment)

    # -- prices --------------------------------------------------------------------------------------------------

    def list_price(self, p: ProductCore, list_id: int) -> dict[int, int]:
        """Quantity break → unit price (10^-4) on a price list; {} when the product has no price there."""
        if list_id == COST_LIST:
            return {1: p.cost}
        if list_id == SUPPLIER_LIST:
            return {} if not p.supplier else {1: p.cost, 10: p.cost * 97 // 100 // 100 * 100}
        if list_id == RETAIL_LIST:
            return {1: p.price}
        if list_id == WHOLESALE_LIST:
            if p.components:
                return {}
            unit = p.price * 6 // 10 // 100 * 100
            return {1: unit, 10: unit * 95 // 1000 * 10, 50: unit * 9 // 10 // 100 * 100}
        currency = self.accounting.currencies[next(pl[3] for pl in PRICE_LISTS if pl[0] == list_id)]
        converted = money.mul_div(p.price, currency.latest_rate, 1_000_000)
        return {1: ((converted + 9999) // 10000) * 10000 - 100}

    def unit_price(self, p: ProductCore, list_id: int) -> int:
        """The single-unit price on a list, falling back to retail when the list has none."""
        if list_id == RETAIL_LIST:
            return p.price
        prices = self.list_price(p, list_id)
        return prices.get(1, 0) if prices else self.list_price(p, RETAIL_LIST)[1]

    def price_record(self, p: ProductCore) -> dict:
        """product-price GET element (examples/product-price-get.json). BUY lists print the fixed 4 dp the
        recording shows; SELL lists print the variable scale the docs show ("9.555")."""
        lists = []
        for list_id, _, _, currency_id, kind, _ in PRICE_LISTS:
            prices = self.list_price(p, list_id)
            text = money.dec if kind == "BUY" else money.loose
            lists.append(
                {
                    "priceListId": list_id,
                    "currencyCode": self.accounting.currencies[currency_id].code,
                    "currencyId": currency_id,
                    "quantityPrice": {str(q): text(v, 4) for q, v in sorted(prices.items())},
                }
            )
        return {"productId": p.id, "priceLists": lists}

    # -- GET record ----------------------------------------------------------------------------------------------

    @staticmethod
    def _identity(p: ProductCore, rng) -> dict[str, str]:
        """identity{} — drawn first from the product's generator, so search rows can be made without the rest of
        the record. Codes never set are absent (null in search); a few products carry them all as ""."""
        identity: dict[str, str] = {"sku": p.sku}
        blank_codes = rng.random() < 0.05
        for key, chance in (("isbn", 0.03), ("ean", 0.25), ("upc", 0.15), ("mpn", 0.2)):
            if blank_codes:
                identity[key] = ""
            elif rng.random() < chance:
                identity[key] = f"{rng.randint(10**12, 10**13 - 1)}" if key != "mpn" else f"MPN-{p.id}"
        identity["barcode"] = f"0{rng.randint(10**10, 10**11 - 1)}" if rng.random() < 0.7 else ""
        return identity

    def build_record(self, p: ProductCore) -> dict:
        tf = self.ctx.tf
        rng = record_rng(self.ctx.seed, TAG, p.id)
        identity = self._identity(p, rng)

        weight = round(rng.uniform(0.05, 4.0), 2) if p.tracked else 0.0
        stock: dict[str, Any] = {"stockTracked": p.tracked, "weight": {"magnitude": weight}}
        if not p.components:
            length, height, width = (round(rng.uniform(1, 60), 1) for _ in range(3))
            stock["dimensions"] = {
                "length": length,
                "height": height,
                "width": width,
                "volume": round(length * height * width, 2),
            }
        tax = TAX_BY_ID[p.tax]
        description = "" if rng.random() < 0.4 else f"<p>{p.name}. Made from quality materials.</p>"

        record: dict[str, Any] = {"id": p.id, "brandId": p.brand}
        if p.collection:
            record["collectionId"] = p.collection
        record["productTypeId"] = p.ptype
        record["identity"] = identity
        if p.group:
            record["productGroupId"] = p.group
        if p.supplier:
            record["primarySupplierId"] = p.supplier
        record["featured"] = rng.random() < 0.08
        record["stock"] = stock
        record["financialDetails"] = {"taxable": tax[3] is not None, "taxCode": {"id": tax[0], "code": tax[1]}}
        record["salesChannels"] = [
            {
                "salesChannelName": "Brightpearl",
                "productName": p.name,
                "productCondition": "new",
                "categories": [{"categoryCode": str(c)} for c in p.cats],
                "description": {"languageCode": "en", "text": description, "format": "HTML_FRAGMENT"},
                "shortDescription": {"languageCode": "en", "text": description[:40], "format": "HTML_FRAGMENT"},
            }
        ]
        record["composition"] = self._composition(p)
        if p.variation:
            record["variations"] = [
                {"optionId": oid, "optionName": oname, "optionValueId": vid, "optionValue": value}
                for oid, oname, vid, value in p.variation
            ]
        record["customFields"] = custom_fields.generate(custom_fields.PRODUCT_FIELDS, rng, tf, p.created)
        record["createdOn"] = tf.dt(p.created)
        record["updatedOn"] = tf.dt(p.updated)
        if p.tracked:
            wh = self.warehouses
            record["warehouses"] = {
                str(wid): {
                    "defaultLocationId": wh.default_location(wid, p.id),
                    "overflowLocationId": wh.overflow_location(wid, p.id),
                    "reorderLevel": rng.choice((0, 0, 5, 10, 20)),
                    "reorderQuantity": rng.choice((0, 0, 10, 24, 50)),
                }
                for wid in wh.ids
            }
        record["nominalCodeStock"] = "1001"
        record["nominalCodePurchases"] = "5000"
        record["nominalCodeSales"] = "4000"
        record["seasonIds"] = list(p.seasons)
        record["reporting"] = {}
        record["status"] = p.status
        record["salesPopupMessage"] = "" if rng.random() < 0.97 else "Check size guide"
        record["warehousePopupMessage"] = "" if rng.random() < 0.97 else "Fragile: pack with care"
        # version is the last-modified instant in epoch ms (an int64; docs/brightpearl-api.md §R3.5)
        record["version"] = p.updated
        return record

    def _composition(self, p: ProductCore) -> dict:
        """{bundle, bundleComponents?}; a component that is itself a bundle carries its own composition."""
        composition: dict[str, Any] = {"bundle": bool(p.components)}
        if p.components:
            components = []
            for pid, qty in p.components:
                component: dict[str, Any] = {"productId": pid, "productQuantity": qty}
                inner = self.by_id(pid)
                if inner.components:
                    component["composition"] = self._composition(inner)
                components.append(component)
            composition["bundleComponents"] = components
        return composition

    # -- search --------------------------------------------------------------------------------------------------

    @staticmethod
    def search_row(record: dict) -> list:
        """product-search row; unset identity codes are null (docs/brightpearl-api.md §R3.6)."""
        ident = record["identity"]
        channel = record["salesChannels"][0]
        categories = channel["categories"]
        return [
            record["id"],
            channel["productName"],
            ident["sku"],
            ident.get("barcode"),
            ident.get("ean"),
            ident.get("upc"),
            ident.get("isbn"),
            ident.get("mpn"),
            record["stock"]["stockTracked"],
            channel["salesChannelName"],
            record["createdOn"],
            record["updatedOn"],
            int(categories[0]["categoryCode"]) if categories else None,
            record.get("productGroupId"),
            record["brandId"],
            record["productTypeId"],
            record["status"],
            record.get("primarySupplierId"),
        ]

    @staticmethod
    def category_ids(record: dict) -> list[int]:
        return [int(c["categoryCode"]) for c in record["salesChannels"][0]["categories"]]

    def seeded_search(self) -> tuple[list, list]:
        """Search rows and category lists of every seeded product, from the core and the identity draws only
        (the fast path; tests hold it equal to `search_row(build_record(...))`). Derived once."""
        if self._search is None:
            seed, dt = self.ctx.seed, self.ctx.tf.dt
            rows = []
            for p in self.core:
                ident = self._identity(p, record_rng(seed, TAG, p.id))
                rows.append(
                    [
                        p.id,
                        p.name,
                        p.sku,
                        ident.get("barcode"),
                        ident.get("ean"),
                        ident.get("upc"),
                        ident.get("isbn"),
                        ident.get("mpn"),
                        p.tracked,
                        "Brightpearl",
                        dt(p.created),
                        dt(p.updated),
                        p.cats[0] if p.cats else None,
                        p.group or None,
                        p.brand,
                        p.ptype,
                        p.status,
                        p.supplier or None,
                    ]
                )
            self._search = (rows, [list(p.cats) for p in self.core])
        return self._search


class ProductPrices(Store):
    """product-price: one element per product (docs/brightpearl-api.md §R3.7). Missing ids → 404 "No Product Prices Found"."""

    name = "product-price"

    def __init__(self, ctx: WorldContext, products: Products):
        super().__init__(ctx)
        self._products = products

    def seed_ids(self) -> array:
        return self._products.ids_

    def seed_record(self, index: int) -> dict:
        return self._products.price_record(self._products.core[index])
