"""Order and contact reference data (docs/brightpearl-api.md §R3.2, §R3.10, §R3.12, §R3.20): order types and statuses, stock,
shipping and payment statuses, channels, lead sources, companies and contact groups."""

from __future__ import annotations

from . import names
from .rand import stream_rng
from .store import WorldContext

ORDER_TYPES = ((1, "SO", "Sales Order"), (2, "PO", "Purchase Order"), (3, "SC", "Sales Credit"), (4, "PC", "Purchase Credit"))
TYPE_CODE = {t[0]: t[1] for t in ORDER_TYPES}
TYPE_ID = {t[1]: t[0] for t in ORDER_TYPES}
ORDER_TYPE_NAMES = {"1": "SALES_ORDER", "2": "PURCHASE_ORDER", "3": "SALES_CREDIT", "4": "PURCHASE_CREDIT"}

# Lifecycle stages the generator reasons in; each status belongs to one order type and one stage.
DRAFT, NEW, IN_PROGRESS, FULFILLED, COMPLETE, CANCELLED = range(6)
_STAGE_STATE = {DRAFT: "draft", NEW: "open", IN_PROGRESS: "open", FULFILLED: "open", COMPLETE: "complete", CANCELLED: "cancelled"}

# statusId, name, type, stage, colour. The ids of the recorded examples keep their meaning (1 Draft / Quote,
# 3 New phone order, 4 Invoiced, 6 Pending PO, 10 Sales credit, 12 Purchase credit).
ORDER_STATUSES = (
    (1, "Draft / Quote", "SO", DRAFT, "#E7E6E4"),
    (2, "New web order", "SO", NEW, "#FFD966"),
    (3, "New phone order", "SO", NEW, "#FFE599"),
    (4, "Invoiced", "SO", COMPLETE, "#93C47D"),
    (5, "Cancelled", "SO", CANCELLED, "#999999"),
    (6, "Pending PO", "PO", NEW, "#9FC5E8"),
    (7, "Placed with supplier", "PO", IN_PROGRESS, "#6FA8DC"),
    (8, "Goods received", "PO", FULFILLED, "#3D85C6"),
    (9, "Ready to ship", "SO", IN_PROGRESS, "#F6B26B"),
    (10, "Sales credit", "SC", NEW, "#EA9999"),
    (11, "Credit complete", "SC", COMPLETE, "#B6D7A8"),
    (12, "Purchase credit", "PC", NEW, "#D5A6BD"),
    (13, "Purchase credit complete", "PC", COMPLETE, "#C27BA0"),
    (14, "Dispatched", "SO", FULFILLED, "#A4C2F4"),
    (15, "PO invoiced", "PO", COMPLETE, "#76A5AF"),
    (16, "PO cancelled", "PO", CANCELLED, "#999999"),
    (17, "Credit cancelled", "SC", CANCELLED, "#999999"),
    (18, "Awaiting stock", "SO", NEW, "#F9CB9C"),
)
STATUS_BY_ID = {s[0]: s for s in ORDER_STATUSES}
DISABLED_STATUS_ID = 19  # a retired status: listed by GET, never used by an order


def statuses_for(type_code: str, stage: int) -> list[int]:
    """Status ids of one type at one stage, falling back to the nearest earlier stage that has one."""
    for s in range(stage, -1, -1):
        found = [st[0] for st in ORDER_STATUSES if st[2] == type_code and st[3] == s]
        if found:
            return found
    return [st[0] for st in ORDER_STATUSES if st[2] == type_code][:1]


# id, code, description. NON is 13 "Unset", as on the recorded fresh orders (examples/order-search.json).
STOCK_STATUSES = (
    (1, "SON", "Not allocated"),
    (2, "SOP", "Part allocated"),
    (3, "SOA", "All allocated"),
    (4, "SCN", "Nothing returned"),
    (5, "SCP", "Part returned"),
    (6, "SCA", "All returned"),
    (7, "PON", "Nothing received"),
    (8, "POP", "Part received"),
    (9, "POA", "All received"),
    (10, "PCN", "Nothing sent back"),
    (11, "PCP", "Part sent back"),
    (12, "PCA", "All sent back"),
    (13, "NON", "Unset"),
)
STOCK_STATUS_ID = {s[1]: s[0] for s in STOCK_STATUSES}
STOCK_STATUS_CODE = {s[0]: s[1] for s in STOCK_STATUSES}

SHIPPING_STATUSES = (
    (1, "NST", "No stock tracked products on order"),
    (2, "SNS", "Stock not shipped"),
    (3, "SPS", "Stock part shipped"),
    (4, "ASS", "All stock shipped"),
)
SHIPPING_STATUS_CODE = {s[0]: s[1] for s in SHIPPING_STATUSES}

# Only the ids in the recorded reference map are known (5 = NOT_APPLICABLE); the others are this world's.
PAYMENT_STATUSES = ((1, "PAID"), (2, "UNPAID"), (3, "PARTIALLY_PAID"), (5, "NOT_APPLICABLE"))
PAYMENT_STATUS_CODE = dict(PAYMENT_STATUSES)
PAYMENT_STATUS_ID = {code: pid for pid, code in PAYMENT_STATUSES}
PAID, UNPAID, PARTIALLY_PAID, NOT_APPLICABLE = 1, 2, 3, 5

MARKETPLACE_INTEGRATION_ID = 7  # installed integration instance behind the marketplace channel


def order_status_records() -> list[dict]:
    records = []
    for sort, (sid, name, type_code, stage, colour) in enumerate(ORDER_STATUSES):
        records.append(
            {
                "statusId": sid,
                "name": name,
                "orderTypeCode": type_code,
                "sortOrder": sort,
                "disabled": False,
                "visible": stage != DRAFT,
                "color": colour,
                "remindAfterDays": 10 if stage in (NEW, IN_PROGRESS) else 0,
                "alertEmails": ["orders@example.com"] if sid == 2 else [],
                "emailContent": "" if sid != 14 else "Your order is on its way.",
                "batchProcess": stage == COMPLETE,
                "state": _STAGE_STATE[stage],
            }
        )
    records.append(
        {
            "statusId": DISABLED_STATUS_ID,
            "name": "Legacy hold",
            "orderTypeCode": "SO",
            "sortOrder": len(records),
            "disabled": True,
            "visible": False,
            "color": "#CCCCCC",
            "remindAfterDays": 0,
            "alertEmails": [],
            "emailContent": "",
            "batchProcess": False,
            "state": "open",
        }
    )
    return records


def order_reference() -> dict:
    """order-search's `reference` maps (examples/order-search.json): status names by id, the others by label."""
    return {
        "orderTypeNames": dict(ORDER_TYPE_NAMES),
        "orderStatusNames": {str(s[0]): s[1] for s in ORDER_STATUSES},
        "orderStockStatusNames": {str(s[0]): s[2] for s in STOCK_STATUSES},
        "orderPaymentStatusNames": {str(pid): code for pid, code in PAYMENT_STATUSES},
        "orderShippingStatusNames": {str(s[0]): s[2] for s in SHIPPING_STATUSES},
    }


class Organisation:
    """Channels, lead sources, companies and contact groups."""

    def __init__(self, ctx: WorldContext, staff_ids: list[int], warehouse_ids: list[int]):
        scale = ctx.scale
        rng = stream_rng(ctx.seed, "organisation")
        self.channel_records: list[dict] = []
        for i in range(scale.channels):
            name = names.CHANNELS[i]
            record = {"id": i + 1, "name": name, "channelTypeId": (1, 1, 5, 2, 3, 4)[i], "channelBrandId": 1 + i % 2}
            if i >= 1:
                record["defaultWarehouseId"] = warehouse_ids[i % len(warehouse_ids)]
                record["contactGroupId"] = 1 + i % scale.contact_groups
                record["defaultPriceListId"] = 2 if name == "Wholesale" else 1
                record["warehouseIds"] = sorted({warehouse_ids[0], warehouse_ids[i % len(warehouse_ids)]})
            if name == "Marketplace":
                record["integrationDetail"] = {
                    "installedIntegrationId": MARKETPLACE_INTEGRATION_ID,
                    "configSetId": 2,
                    "providerCode": "marketplace",
                    "integrationTypeCode": "MKP",
                    "active": True,
                }
            self.channel_records.append(record)
        self.channel_ids = [c["id"] for c in self.channel_records]
        # channel-brand GET [tap]: the brands channels trade under (channelBrandId above). The tap lists templates,
        # shippingTemplates, financialDetails and logo as objects without their fields: served empty.
        brand_ids = sorted({c["channelBrandId"] for c in self.channel_records})
        self.channel_brand_records = [
            {
                "channelBrandId": brand_id,
                "addressBookId": 100 + brand_id,
                "name": ("Main brand", "Outlet brand")[(brand_id - 1) % 2] + ("" if brand_id <= 2 else f" {brand_id}"),
                "companyName": ("Sandbox Trading Co.", "Sandbox Outlet Ltd.")[(brand_id - 1) % 2],
                "companyNumber": f"0{8123450 + brand_id}",
                "telephone": f"+1 555 01{brand_id:02d}",
                "emailAddress": f"hello{brand_id}@example.com",
                "accountingEmailAddress": f"accounts{brand_id}@example.com",
                "templates": {},
                "shippingTemplates": {},
                "financialDetails": {},
                "logo": {},
            }
            for brand_id in brand_ids
        ]
        self.marketplace_channel = next((c["id"] for c in self.channel_records if "integrationDetail" in c), 0)

        self.lead_source_records = [
            {"id": i + 1, "ownerId": rng.choice(staff_ids), "parentId": 0, "name": names.LEAD_SOURCES[i], "isActive": i != 2}
            for i in range(scale.lead_sources)
        ]
        self.lead_source_ids = [r["id"] for r in self.lead_source_records]

        # company-search rows: companyId, name
        self.company_rows = []
        for i in range(scale.companies):
            word = names.COMPANY_WORDS[i % len(names.COMPANY_WORDS)]
            trade = names.COMPANY_TRADES[(i // len(names.COMPANY_WORDS) + i) % len(names.COMPANY_TRADES)]
            suffix = names.COMPANY_SUFFIXES[i % len(names.COMPANY_SUFFIXES)]
            serial = i // (len(names.COMPANY_WORDS) * len(names.COMPANY_TRADES))
            self.company_rows.append([i + 1, " ".join(p for p in (word, trade, suffix, str(serial) if serial else "") if p)])
        self.company_names = {r[0]: r[1] for r in self.company_rows}

        # contact-group-search rows: contactGroupId, name, description, numberOfMembers
        self.contact_group_rows = [
            [i + 1, names.CONTACT_GROUPS[i][0], names.CONTACT_GROUPS[i][1], rng.randint(0, max(1, scale.contacts // 4))]
            for i in range(scale.contact_groups)
        ]
