"""How big a world is: record counts per resource."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


@dataclass(frozen=True)
class Scale:
    """Counts per resource. `orders`, `products` and `contacts` drive the rest; any count left as None is derived
    from them in proportions loosely modelled on the mid-size account in docs/brightpearl-api.md §R2 (about 2.3 order rows
    per order, a few warehouses, a long tail of reference data)."""

    orders: int = 300
    products: int | None = None
    contacts: int | None = None
    warehouses: int | None = None
    locations_per_warehouse: int | None = None
    brands: int | None = None
    categories: int | None = None
    collections: int | None = None
    seasons: int | None = None
    product_types: int | None = None
    options: int | None = None
    channels: int | None = None
    shipping_methods: int | None = None
    lead_sources: int | None = None
    companies: int | None = None
    contact_groups: int | None = None
    staff: int | None = None
    suppliers: int | None = None
    stock_transfers: int | None = None
    stock_corrections: int | None = None
    manual_journals: int | None = None

    @classmethod
    def named(cls, name: str) -> Scale:
        """ "tiny" (a handful of each), "small" (tests), "20k", "100k", "200k" (orders)."""
        presets = {
            "tiny": cls(orders=12, products=8, contacts=8),
            "small": cls(orders=300, products=80, contacts=60),
            "20k": cls(orders=20_000, products=4_000, contacts=5_000),
            "100k": cls(orders=100_000, products=20_000, contacts=25_000),
            "200k": cls(orders=200_000, products=40_000, contacts=50_000),
        }
        try:
            return presets[name]
        except KeyError:
            raise ValueError(f"unknown scale {name!r}; choose one of {', '.join(presets)}") from None

    def resolved(self) -> Scale:
        """Every count filled in."""
        orders = max(1, self.orders)
        products = self.products if self.products is not None else max(4, orders // 4)
        contacts = self.contacts if self.contacts is not None else max(8, orders // 5)
        derived = {
            "warehouses": 2 if orders < 100 else 3 if orders < 10_000 else 4 if orders < 150_000 else 5,
            "locations_per_warehouse": _clamp(products // 40 + 3, 3, 200),
            "brands": _clamp(products // 20, 3, 300),
            "categories": _clamp(products // 40 + 5, 5, 60),
            "seasons": _clamp(products // 200 + 3, 3, 6),
            "product_types": _clamp(products // 500 + 3, 3, 10),
            "options": _clamp(products // 1000 + 2, 2, 6),
            "channels": _clamp(orders // 2000 + 3, 3, 6),  # the third is the marketplace (integration) channel
            "shipping_methods": _clamp(orders // 5000 + 3, 3, 10),
            "lead_sources": _clamp(contacts // 1000 + 3, 3, 8),
            "companies": max(2, contacts // 8),
            "contact_groups": _clamp(contacts // 2000 + 3, 3, 8),
            "staff": _clamp(contacts // 500 + 3, 3, 40),
            "suppliers": max(2, contacts // 12),
            "stock_transfers": _clamp(orders // 300, 1, 400),
            "stock_corrections": _clamp(orders // 150, 1, 2000),
            "manual_journals": _clamp(orders // 200, 2, 1000),
        }
        derived["collections"] = _clamp((self.brands or derived["brands"]) * 2, 2, 400)
        values = {name: getattr(self, name) if getattr(self, name) is not None else value for name, value in derived.items()}
        values["staff"] = min(values["staff"], max(1, contacts - 2))
        values["suppliers"] = min(values["suppliers"], max(1, contacts - values["staff"] - 1))
        return dataclasses.replace(self, orders=orders, products=products, contacts=contacts, **values)
