"""Product reference data (docs/brightpearl-api.md §R3.9, §R3.10): price lists, brands, categories, collections, seasons,
product types, options and option values. Small and eager; their timestamps fall in the account's setup year
and some were touched later (brand `updatedOn` exists "for change detection")."""

from __future__ import annotations

import random

from . import names
from .accounting import Accounting
from .rand import stream_rng
from .store import WorldContext
from .timefmt import DAY_MS

# id, name, code, currency id, type, gross. Id 0 is a real list ("Cost"; docs/brightpearl-api.md §R3.9).
PRICE_LISTS = (
    (0, "Cost", "COST", 1, "BUY", False),
    (1, "Retail", "RETAIL", 1, "SELL", True),
    (2, "Wholesale", "WHOLESALE", 1, "SELL", False),
    (3, "Retail EUR", "RETAIL EUR", 2, "SELL", True),
    (4, "Retail GBP", "RETAIL GBP", 3, "SELL", True),
    (5, "Retail CAD", "RETAIL CAD", 4, "SELL", True),
    (6, "Supplier", "SUPPLIER", 1, "BUY", False),
)
COST_LIST = 0
RETAIL_LIST = 1
WHOLESALE_LIST = 2
SUPPLIER_LIST = 6
RETAIL_LIST_BY_CURRENCY = {1: 1, 2: 3, 3: 4, 4: 5}
PRICE_LIST_BY_ID = {p[0]: p for p in PRICE_LISTS}

CATEGORY_FIRST_ID = 300
BRAND_FIRST_ID = 70


def setup_instant(ctx: WorldContext, rng: random.Random) -> int:
    """An instant in the year before seeded history starts (when the account was set up)."""
    return ctx.start_ms - rng.randint(1, 365) * DAY_MS + rng.randint(0, 86_399) * 1000


def touched_instant(ctx: WorldContext, rng: random.Random, created: int, chance: float) -> int:
    """`created`, or (with the given chance) a later edit before the anchor."""
    if rng.random() >= chance:
        return created
    return min(ctx.anchor_ms - 1000, created + rng.randint(1, 700) * DAY_MS + rng.randint(0, 86_399) * 1000)


class Catalog:
    """Ids and records of the product reference data, plus the pieces products draw from."""

    def __init__(self, ctx: WorldContext, accounting: Accounting, staff_ids: list[int]):
        self.ctx = ctx
        scale = ctx.scale
        rng = stream_rng(ctx.seed, "catalog")
        tf = ctx.tf

        self.brand_records: list[dict] = []
        for i in range(scale.brands):
            word = names.BRAND_WORDS[i % len(names.BRAND_WORDS)]
            name = word if i < len(names.BRAND_WORDS) else f"{word} {names.COMPANY_TRADES[i // 20 % 15]}"
            created = setup_instant(ctx, rng)
            self.brand_records.append(
                {
                    "id": BRAND_FIRST_ID + i,
                    "name": name,
                    "description": "" if rng.random() < 0.4 else f"{name} products",
                    "createdOn": tf.dt(created),
                    "updatedOn": tf.dt(touched_instant(ctx, rng, created, 0.3)),
                }
            )
        self.brand_ids = [b["id"] for b in self.brand_records]

        self.category_records: list[dict] = []
        tops = min(scale.categories, 12)
        for i in range(scale.categories):
            created = setup_instant(ctx, rng)
            if i < tops:
                name, parent = names.CATEGORY_NAMES[i], 0
            else:
                parent_index = rng.randrange(tops)
                parent = CATEGORY_FIRST_ID + parent_index
                name = f"{names.CATEGORY_NAMES[parent_index]} - {rng.choice(names.PRODUCT_NOUNS)}"
            self.category_records.append(
                {
                    "id": CATEGORY_FIRST_ID + i,
                    "name": name,
                    "parentId": parent,
                    "active": rng.random() > 0.05,
                    "createdOn": tf.dt(created),
                    "createdById": rng.choice(staff_ids),
                    "updatedOn": tf.dt(touched_instant(ctx, rng, created, 0.25)),
                    "updatedById": rng.choice(staff_ids),
                    "description": {
                        "languageCode": "en",
                        "text": "" if rng.random() < 0.5 else f"<p>{name}</p>",
                        "format": "PLAINTEXT",
                    },
                }
            )
        self.category_ids = [c["id"] for c in self.category_records]

        # collection-search rows: collectionId, collectionName, brandId, createdOn, updatedOn
        self.collection_rows: list[list] = []
        kinds = ("Collection", "Edit", "Line", "Series")
        for i in range(scale.collections):
            created = setup_instant(ctx, rng)
            name = f"{names.PRODUCT_ADJECTIVES[i % len(names.PRODUCT_ADJECTIVES)]} {kinds[i // 20 % 4]}"
            self.collection_rows.append(
                [i + 1, name, rng.choice(self.brand_ids), tf.dt(created), tf.dt(touched_instant(ctx, rng, created, 0.2))]
            )
        self.collection_ids = [r[0] for r in self.collection_rows]

        self.season_records: list[dict] = []
        start_year = int(tf.date(tf.local_day(ctx.start_ms))[:4])
        for i in range(scale.seasons):
            season = names.SEASON_NAMES[i % len(names.SEASON_NAMES)]
            year = start_year + i // len(names.SEASON_NAMES)
            record = {"id": i + 1, "name": f"{season} {year}", "description": f"{season} range {year}"}
            month = (1 + 3 * (i % 4)) % 12 + 1
            if i % 3 != 1:
                record["dateFrom"] = f"{year}-{month:02d}-01"
            if i % 3 != 2:
                record["dateTo"] = f"{year + (month > 9)}-{(month + 2) % 12 + 1:02d}-28"
            self.season_records.append(record)
        self.season_ids = [s["id"] for s in self.season_records]

        # product-type-search rows: id, name, updatedOn
        self.product_type_rows = [
            [i + 1, names.PRODUCT_TYPES[i], tf.dt(setup_instant(ctx, rng))] for i in range(scale.product_types)
        ]
        self.product_type_ids = [r[0] for r in self.product_type_rows]

        # option-search rows: id, name, updatedOn; option-value-search rows: optionId, optionName, optionValueId,
        # optionValueName, updatedOn (value ids ascend with their option, so both columns sort alike).
        self.option_rows: list[list] = []
        self.option_value_rows: list[list] = []
        self.option_values: dict[int, list[tuple[int, str]]] = {}
        value_id = 1
        for i in range(scale.options):
            option_name, values = names.OPTIONS[i % len(names.OPTIONS)]
            stamp = tf.dt(setup_instant(ctx, rng))
            self.option_rows.append([i + 1, option_name, stamp])
            self.option_values[i + 1] = []
            for value in values:
                self.option_value_rows.append([i + 1, option_name, value_id, value, stamp])
                self.option_values[i + 1].append((value_id, value))
                value_id += 1
        self.option_names = {r[0]: r[1] for r in self.option_rows}

        self.price_list_records: list[dict] = []
        for pid, name, code, currency_id, kind, gross in PRICE_LISTS:
            currency = accounting.currencies[currency_id]
            self.price_list_records.append(
                {
                    "id": pid,
                    "name": {"languageCode": "en", "text": name, "format": "PLAINTEXT"},
                    "code": code,
                    "currencyCode": currency.code,
                    "currencySymbol": currency.symbol,
                    "currencyId": currency_id,
                    "priceListTypeCode": kind,
                    "gross": gross,
                }
            )
