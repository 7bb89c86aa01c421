"""Warehouses, their locations, shipping methods and product availability (docs/brightpearl-api.md §R3.8, §R3.19)."""

from __future__ import annotations

from typing import Any

from . import names
from .interface import columns
from .rand import mix, pick, record_rng, stream_rng, tag, unit
from .store import ListStore, WorldContext

FIRST_WAREHOUSE_ID = 2  # the recorded accounts number warehouses from 2
TAG_AVAILABILITY = tag("product-availability")
TAG_LOCATION = tag("default-location")

WAREHOUSE_SEARCH_COLUMNS = columns(
    ("id", "IDSET"), ("name", "SEARCH_STRING"), ("typeDescription", "STRING"), ("addressId", "INTEGER")
)
LOCATION_SEARCH_COLUMNS = columns(
    ("id", "IDSET"),
    ("warehouseId", "IDSET"),
    ("zoneId", "IDSET"),
    ("groupingA", "STRING"),
    ("groupingB", "STRING"),
    ("groupingC", "STRING"),
    ("groupingD", "STRING"),
    ("barcode", "STRING"),
)

# zone-search [tap]: id, name, warehouseId. Locations of a warehouse name their zone (location-search zoneId).
ZONE_SEARCH_COLUMNS = columns(("id", "IDSET"), ("name", "SEARCH_STRING"), ("warehouseId", "IDSET"))
ZONE_NAMES = ("Pick face", "Bulk storage", "Overflow")

_TYPE_DESCRIPTIONS = {"warehouse": "Warehouse", "store": "Store", "3pl": "Third-party logistics"}


class Warehouses:
    """Warehouses, locations (a quarantine location plus bins per warehouse) and shipping methods."""

    def __init__(self, ctx: WorldContext):
        self.ctx = ctx
        scale = ctx.scale
        rng = stream_rng(ctx.seed, "warehouses")
        self.ids = [FIRST_WAREHOUSE_ID + i for i in range(scale.warehouses)]
        self._defaults: dict[int, int] = {}

        self.records: list[dict] = []
        for i, wid in enumerate(self.ids):
            name, kind = names.WAREHOUSES[i % len(names.WAREHOUSES)]
            record: dict[str, Any] = {
                "name": name,
                "typeCode": kind,
                "typeDescription": _TYPE_DESCRIPTIONS[kind],
                "id": wid,
                "address": {"addressId": i + 1},
                "clickAndCollectEnabled": kind == "store",
            }
            if kind == "store":
                record["weeklyOperatingPeriods"] = {
                    "timeZone": ctx.zone_name,
                    "periods": [
                        {
                            "dayOfWeek": day,
                            "openingHours": "09:00:00" if day < 7 else "10:00:00",
                            "closingHours": "17:30:00" if day < 6 else "16:00:00",
                        }
                        for day in range(1, 8)
                    ],
                }
                record["collectionSla"] = {"value": 2, "timeUnits": "HOURS"}
            if i == 0 and len(self.ids) > 1:
                record["externalTransferSlas"] = [
                    {"warehouseId": other, "value": rng.randint(1, 4), "timeUnits": rng.choice(("DAYS", "WORKING_DAYS"))}
                    for other in self.ids[1:]
                ]
            self.records.append(record)

        # location-search rows: id, warehouseId, zoneId, groupingA..D, barcode. Bins are named aisle/bay/shelf/bin;
        # stores use only the first two levels; the quarantine location has only groupingA "QUARANTINE".
        self.location_rows: list[list] = []
        self.bins: dict[int, list[int]] = {}
        self.quarantine: dict[int, int] = {}
        self.groupings: dict[int, tuple] = {}
        location_id = 1
        for i, wid in enumerate(self.ids):
            self.quarantine[wid] = location_id
            self.location_rows.append([location_id, wid, None, "QUARANTINE", None, None, None, None])
            self.groupings[location_id] = ("QUARANTINE", None, None, None)
            location_id += 1
            shallow = self.records[i]["typeCode"] == "store"
            self.bins[wid] = []
            for b in range(scale.locations_per_warehouse):
                aisle, bay = chr(65 + b // 24 % 26), f"{b % 24 + 1:02d}"
                grouping = (aisle, bay, None, None) if shallow else (aisle, bay, str(b % 4 + 1), chr(65 + b % 3))
                zone = None if shallow else 10 * (i + 1) + b // 24 % 3
                barcode = f"90{wid:02d}{location_id:06d}"
                self.location_rows.append([location_id, wid, zone, *grouping, barcode])
                self.groupings[location_id] = grouping
                self.bins[wid].append(location_id)
                location_id += 1

        # Zones of the warehouses whose bins have zones (stores have none): ids 10·(warehouse index + 1) + k, the
        # ids location-search rows carry, whether or not a bin uses each one yet.
        self.zone_rows: list[list] = [
            [10 * (i + 1) + k, f"{ZONE_NAMES[k]} {self.records[i]['name']}", wid]
            for i, wid in enumerate(self.ids)
            if self.records[i]["typeCode"] != "store"
            for k in range(len(ZONE_NAMES))
        ]

        self.shipping_method_ids: list[int] = []
        self.shipping_method_records: list[dict] = []
        for i in range(scale.shipping_methods):
            name, code = names.SHIPPING_METHODS[i]
            carrier = names.CARRIERS[i % len(names.CARRIERS)]
            record: dict[str, Any] = {
                "id": i + 1,
                "name": name,
                "code": code,
                "methodType": 1 + i % 3,
                "breaks": ("0,5,10,20", "0,50,100", "1,5,10")[i % 3],
                "additionalInformationRequired": code in ("FREIGHT", "INTPRI"),
            }
            if carrier is not None:
                record["carrier"] = carrier
            record["countries"] = "US,CA" if not code.startswith("INT") else "GB,DE,FR,MX"
            record["channelBrandTemplates"] = {"1": 100 + i, "2": 200 + i}
            self.shipping_method_records.append(record)
            self.shipping_method_ids.append(i + 1)

    def default_location(self, warehouse_id: int, product_id: int) -> int:
        """A product's bin in a warehouse (pure: goods notes and product GETs agree; memoised)."""
        key = product_id * 64 + warehouse_id
        location = self._defaults.get(key)
        if location is None:
            location = self._defaults[key] = pick(mix(self.ctx.seed, TAG_LOCATION, key), self.bins[warehouse_id])
        return location

    def overflow_location(self, warehouse_id: int, product_id: int) -> int:
        h = mix(self.ctx.seed, TAG_LOCATION, product_id * 64 + warehouse_id)
        return pick(h, self.bins[warehouse_id], salt=7) if unit(h, 3) < 0.25 else 0

    @staticmethod
    def search_row(record: dict) -> list:
        return [record["id"], record["name"], record["typeDescription"], record["address"]["addressId"]]


class Availability(ListStore):
    """product-availability: one record per stock-tracked product, a map per warehouse (docs/brightpearl-api.md §R3.8:
    inStock = onHand + allocated, all JSON numbers). A snapshot with no timestamp, independent of movements."""

    name = "product-availability"

    def __init__(self, ctx: WorldContext, warehouses: Warehouses, tracked_ids):
        super().__init__(ctx)
        self._warehouses = warehouses
        self._tracked_ids = tracked_ids

    def build(self):
        ids = list(self._tracked_ids())
        return ids, [self.snapshot(pid) for pid in ids]

    def snapshot(self, product_id: int, zero: bool = False) -> dict:
        rng = record_rng(self.ctx.seed, TAG_AVAILABILITY, product_id)
        per_warehouse = {}
        total = {"inStock": 0, "onHand": 0, "allocated": 0, "inTransit": 0}
        for wid in self._warehouses.ids:
            if not zero and wid != self._warehouses.ids[0] and rng.random() < 0.5:
                continue
            on_hand = 0 if zero else rng.choice((0, rng.randint(1, 40), rng.randint(20, 300)))
            allocated = 0 if zero or not on_hand else rng.randint(0, on_hand // 4)
            in_transit = 0 if zero or rng.random() < 0.85 else rng.randint(1, 24)
            cell = {"inStock": on_hand + allocated, "onHand": on_hand, "allocated": allocated, "inTransit": in_transit}
            per_warehouse[str(wid)] = cell
            for key in total:
                total[key] += cell[key]
        return {"total": total, "warehouses": per_warehouse}
