"""The API route table (paths relative to `/public-api/{account}/`), mirroring the table in README.md, and
path matching. `{ids}` is an ID set; `{orderIds}` is an ID set or `*` (goods notes). A trailing `{ids}` may always
be omitted (or left empty by a trailing slash): whether that means "all", "a page" or "an ID set is required" is
the collection's business (`allow_all`, the contact envelope)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    template: str  # as in README.md, `[/{ids}]` marking the optional id set
    kind: str  # "search" | "collection" | "static" | "account-configuration"
    world_name: str
    options: bool = False  # OPTIONS {ids} → getUris (docs/brightpearl-api.md §P8)

    @property
    def pattern(self) -> tuple[str, ...]:
        return tuple(self.template.replace("[/", "/").replace("]", "").split("/"))

    @property
    def resource_segment(self) -> str:
        """The literal before `{ids}` — the resource name OPTIONS puts in its URIs (`/order/1-200`)."""
        return self.pattern[-2] if self.pattern[-1] == "{ids}" else self.pattern[-1]

    @property
    def allowed_methods(self) -> tuple[str, ...]:
        return ("GET", "OPTIONS") if self.options else ("GET",)


def _search(template: str, name: str) -> Route:
    return Route(template, "search", name)


def _collection(template: str, name: str, options: bool = False) -> Route:
    return Route(template, "collection", name, options)


ROUTES: tuple[Route, ...] = (
    _search("order-service/order-search", "order-search"),
    _collection("order-service/order/{ids}", "order", options=True),
    _collection("order-service/order-status[/{ids}]", "order-status"),
    _collection("order-service/order-type", "order-type"),
    _collection("order-service/order-stock-status", "order-stock-status"),
    _collection("order-service/order-shipping-status", "order-shipping-status"),
    _collection("order-service/sale/custom-field-meta-data[/{ids}]", "sale-custom-field-meta-data"),
    _collection("order-service/purchase/custom-field-meta-data[/{ids}]", "purchase-custom-field-meta-data"),
    _search("product-service/product-search", "product-search"),
    _collection("product-service/product/custom-field-meta-data[/{ids}]", "product-custom-field-meta-data"),
    _collection("product-service/product/{ids}", "product", options=True),
    _collection("product-service/product-price/{ids}", "product-price", options=True),
    _collection("product-service/price-list[/{ids}]", "price-list"),
    _collection("product-service/brand[/{ids}]", "brand"),
    _search("product-service/brand-search", "brand-search"),
    _collection("product-service/brightpearl-category[/{ids}]", "brightpearl-category"),
    _search("product-service/collection-search", "collection-search"),
    _collection("product-service/season[/{ids}]", "season"),
    _search("product-service/product-type-search", "product-type-search"),
    _search("product-service/option-search", "option-search"),
    _search("product-service/option-value-search", "option-value-search"),
    _collection("product-service/channel[/{ids}]", "channel"),
    _collection("product-service/channel-brand[/{ids}]", "channel-brand"),
    _search("contact-service/contact-search", "contact-search"),
    _collection("contact-service/contact/{ids}", "contact", options=True),
    _collection("contact-service/customer/custom-field-meta-data[/{ids}]", "customer-custom-field-meta-data"),
    _collection("contact-service/supplier/custom-field-meta-data[/{ids}]", "supplier-custom-field-meta-data"),
    _search("contact-service/company-search", "company-search"),
    _search("contact-service/contact-group-search", "contact-group-search"),
    _search("contact-service/contact-group-member-search", "contact-group-member-search"),
    _collection("contact-service/lead-source[/{ids}]", "lead-source"),
    _collection("warehouse-service/warehouse[/{ids}]", "warehouse"),
    _search("warehouse-service/warehouse-search", "warehouse-search"),
    _search("warehouse-service/location-search", "location-search"),
    _search("warehouse-service/zone-search", "zone-search"),
    _collection("warehouse-service/shipping-method[/{ids}]", "shipping-method"),
    _search("warehouse-service/goods-note/goods-out-search", "goods-out-search"),
    _collection("warehouse-service/order/{orderIds}/goods-note/goods-out[/{ids}]", "goods-out-note"),
    _search("warehouse-service/goods-in-search", "goods-in-search"),
    _collection("warehouse-service/order/{orderIds}/goods-note/goods-in/{ids}", "goods-in-note"),
    _search("warehouse-service/goods-movement-search", "goods-movement-search"),
    _collection("warehouse-service/product-availability/{ids}", "product-availability"),
    _collection("warehouse-service/stock-transfer[/{ids}]", "stock-transfer"),
    _search("accounting-service/customer-payment-search", "customer-payment-search"),
    _search("accounting-service/supplier-payment-search", "supplier-payment-search"),
    _search("accounting-service/journal-search", "journal-search"),
    _collection("accounting-service/journal/{ids}", "journal"),
    _collection("accounting-service/nominal-code[/{ids}]", "nominal-code"),
    _collection("accounting-service/tax-code[/{ids}]", "tax-code"),
    _search("accounting-service/currency-search", "currency-search"),
    Route("accounting-service/exchange-rate", "static", "exchange-rate"),
    _collection("accounting-service/accounting-period[/{ids}]", "accounting-period"),
    Route("accounting-service/payment-method", "static", "payment-method"),
    Route("integration-service/account-configuration", "account-configuration", "account-configuration"),
)


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    ids: str | None  # the `{ids}` segment, None when omitted
    order_ids: str | None  # the `{orderIds}` segment of goods-note paths

    @property
    def endpoint(self) -> str:
        """The normalised template for counters: `order-service/order/{ids}`, or without `/{ids}` when omitted."""
        pattern = self.route.pattern
        if pattern[-1] == "{ids}" and self.ids is None:
            pattern = pattern[:-1]
        return "/".join(pattern)


def match_route(segments: list[str]) -> RouteMatch | None:
    """Match decoded path segments (after `public-api/{account}`). A trailing slash is an omitted id set."""
    if segments and segments[-1] == "":
        segments = segments[:-1]
    for route in ROUTES:
        pattern = route.pattern
        if len(segments) == len(pattern) - 1 and pattern[-1] == "{ids}":
            pattern = pattern[:-1]
        elif len(segments) != len(pattern):
            continue
        captured: dict[str, str] = {}
        for expected, actual in zip(pattern, segments):
            if expected.startswith("{"):
                captured[expected] = actual
            elif expected != actual:
                break
        else:
            return RouteMatch(route, captured.get("{ids}"), captured.get("{orderIds}"))
    return None
