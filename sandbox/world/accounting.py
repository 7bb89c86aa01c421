"""Accounting reference data (docs/brightpearl-api.md §R3.15): currencies and their rate history, tax codes, the chart of
accounts, accounting periods and payment methods. Small, built eagerly, fixed for a seed."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from . import money
from .rand import stream_rng
from .store import WorldContext
from .timefmt import DAY_MS, date_to_days, days_to_date

BASE_CURRENCY_ID = 1

# id, code, title, symbol, rate (base units per... see Currency.rate_at), variance nominal code
_CURRENCIES = (
    (1, "USD", "US Dollar", "$", 1_000_000),
    (2, "EUR", "Euro", "€", 921_500),
    (3, "GBP", "British Pound", "£", 789_400),
    (4, "CAD", "Canadian Dollar", "CA$", 1_362_000),
)

# id, code, description, rate (None: no `rate` key, as the API omits a zero rate)
TAX_CODES = (
    (1, "Z", "Zero rated", None),
    (2, "T", "Taxable", 8.25),
    (3, "N", "Non taxable", None),
    (4, "R", "Reduced rate", 5.0),
    (5, "E", "Exempt", None),
    (6, "T10", "Taxable 10%", 10.0),
    (7, "GST", "Goods and services tax", 5.0),
    (8, "V20", "VAT 20%", 20.0),
)
TAX_BY_ID = {t[0]: t for t in TAX_CODES}

# code, name, type id, flags (b=bank, e=expense, d=discount, r=reconcile, l=locked), bank currency id
_NOMINALS = (
    ("0010", "Freehold property", 5, "", None),
    ("0030", "Office equipment", 5, "", None),
    ("1001", "Stock", 1, "", None),
    ("1100", "Trade debtors", 1, "r", None),
    ("1200", "Bank current account", 1, "br", 1),
    ("1210", "Bank euro account", 1, "br", 2),
    ("1220", "Card clearing", 1, "br", 1),
    ("1230", "Marketplace clearing", 1, "br", 1),
    ("2100", "Trade creditors", 2, "r", None),
    ("2200", "Sales tax control", 2, "l", None),
    ("2201", "Purchase tax control", 2, "l", None),
    ("3000", "Owner's equity", 7, "l", None),
    ("4000", "Sales", 3, "", None),
    ("4005", "Sales - wholesale", 3, "", None),
    ("4009", "Discounts allowed", 3, "d", None),
    ("4900", "Shipping income", 3, "", None),
    ("5000", "Cost of goods sold", 4, "e", None),
    ("5001", "Stock adjustments", 4, "e", None),
    ("7100", "Rent", 6, "e", None),
    ("7200", "Utilities", 6, "e", None),
    ("7300", "Payroll", 6, "e", None),
    ("7900", "Bank charges", 6, "e", None),
    ("7910", "Exchange rate variance", 6, "e", None),
    ("8000", "Depreciation", 6, "e", None),
)
NOMINAL_CODES = tuple(n[0] for n in _NOMINALS)
VARIANCE_NOMINAL = "7910"

# name, code, active, [(currency, bank nominal)], installed integration id (a string in the API)
_PAYMENT_METHODS = (
    ("Cash", "CASH", True, (("USD", "1200"),), "0"),
    ("Card", "CARD", True, (("USD", "1220"), ("EUR", "1210")), "3"),
    ("Bank transfer", "BANK_TRANSFER", True, (("USD", "1200"), ("EUR", "1210")), "0"),
    ("Cheque", "CHEQUE", True, (("USD", "1200"),), "0"),
    ("Marketplace payout", "MARKETPLACE", True, (("USD", "1230"),), "7"),
    ("Store credit", "STORE_CREDIT", False, (), "0"),
)
CUSTOMER_PAYMENT_METHODS = ("CARD", "CARD", "CARD", "BANK_TRANSFER", "CASH", "MARKETPLACE", "CHEQUE")
SUPPLIER_PAYMENT_METHODS = ("BANK_TRANSFER", "BANK_TRANSFER", "CHEQUE", "CARD")


@dataclass(frozen=True)
class Currency:
    id: int
    code: str
    title: str
    symbol: str
    history: tuple[tuple[int, int, int], ...]  # (active from ms, rate in 10^-6, added by) ascending

    def rate_at(self, ms: int) -> int:
        """Order-currency units per base unit active at an instant (10^-6): base = value / rate."""
        if not self.history:
            return 1_000_000
        i = bisect_right(self.history, (ms, 1 << 62, 0)) - 1
        return self.history[max(i, 0)][1]

    @property
    def latest_rate(self) -> int:
        return self.history[-1][1] if self.history else 1_000_000


class Accounting:
    """The chart of accounts and friends for one world."""

    def __init__(self, ctx: WorldContext, staff_ids: list[int]):
        self.ctx = ctx
        rng = stream_rng(ctx.seed, "accounting")
        self.currencies: dict[int, Currency] = {}
        self.currency_by_code: dict[str, Currency] = {}
        for cid, code, title, symbol, rate in _CURRENCIES:
            history: list[tuple[int, int, int]] = []
            if cid != BASE_CURRENCY_ID:
                # A 1970 epoch row, then revisions every few months (docs/brightpearl-api.md §R3.15).
                history.append((-ctx.tf.offset_ms, rate + rng.randint(-40_000, 40_000), staff_ids[0]))
                moment = ctx.start_ms - 120 * DAY_MS
                while moment < ctx.anchor_ms - 10 * DAY_MS:
                    moment += rng.randint(60, 150) * DAY_MS + rng.randint(0, DAY_MS - 1) // 1000 * 1000
                    if moment >= ctx.anchor_ms:
                        break
                    rate = max(1000, rate + rng.randint(-25_000, 25_000))
                    history.append((moment, rate, rng.choice(staff_ids)))
            currency = Currency(cid, code, title, symbol, tuple(history))
            self.currencies[cid] = currency
            self.currency_by_code[code] = currency
        self.nominal_ids = {code: i + 1 for i, code in enumerate(NOMINAL_CODES)}
        self._tax_periods: dict[int, tuple[int, int] | None] = {}
        self._staff = staff_ids

    # -- collections and lists ---------------------------------------------------------------------------------

    def tax_code_records(self) -> list[dict]:
        records = []
        for tid, code, description, rate in TAX_CODES:
            record = {"id": tid, "code": code, "description": description}
            if rate is not None:
                record["rate"] = rate
            records.append(record)
        return records

    def nominal_code_records(self) -> list[dict]:
        records = []
        for code, name, type_id, flags, currency in _NOMINALS:
            record = {
                "id": self.nominal_ids[code],
                "code": code,
                "name": name,
                "type": {"id": type_id},
                "bank": "b" in flags,
                "expense": "e" in flags,
                "discount": "d" in flags,
                "editable": "l" not in flags,
                "active": True,
                "taxCode": 0,
                "chartMapCode": "",
                "reconcile": "r" in flags,
            }
            if currency is not None:
                record["currencyId"] = currency
            if code in ("1230", "7910"):
                record["description"] = "Maintained by integrations" if code == "1230" else "Realised FX gains/losses"
            records.append(record)
        return records

    def currency_rows(self) -> list[list]:
        """currency-search rows: id, title, code, symbol, exchangeRate, isDefault, exchangeRateVarianceNominalCode."""
        return [
            [
                c.id,
                c.title,
                c.code,
                c.symbol,
                money.dec(c.latest_rate, 6),
                c.id == BASE_CURRENCY_ID,
                None if c.id == BASE_CURRENCY_ID else VARIANCE_NOMINAL,
            ]
            for c in self.currencies.values()
        ]

    def exchange_rate_records(self) -> list[dict]:
        """Base currency excluded; sorted by currency ascending, date descending (docs/brightpearl-api.md §R3.15)."""
        records = []
        for currency in self.currencies.values():
            for moment, rate, added_by in reversed(currency.history):
                records.append(
                    {
                        "currencyId": currency.id,
                        "rateActiveFrom": self.ctx.tf.dt(moment),
                        "rate": rate / 1_000_000,
                        "addedById": added_by,
                    }
                )
        return records

    def payment_method_records(self) -> list[dict]:
        records = []
        for method_id, (name, code, active, accounts, integration) in enumerate(_PAYMENT_METHODS, start=1):
            records.append(
                {
                    "name": name,
                    "code": code,
                    "isActive": active,
                    "bankAccounts": [
                        {"paymentMethodId": method_id, "currencyIsoCode": currency, "bankAccountNominalCode": nominal}
                        for currency, nominal in accounts
                    ],
                    "installedIntegrationId": integration,
                }
            )
        return records

    def bank_nominal(self, method_code: str, currency_code: str) -> str:
        for _, code, _, accounts, _ in _PAYMENT_METHODS:
            if code == method_code:
                for currency, nominal in accounts:
                    if currency == currency_code:
                        return nominal
                return accounts[0][1] if accounts else "1200"
        return "1200"

    # -- periods -----------------------------------------------------------------------------------------------

    def _months(self) -> list[tuple[int, int]]:
        """(first day, last day) of each calendar month from a year before the seeded history to a year after."""
        first = days_to_date(self.ctx.tf.local_day(self.ctx.start_ms) - 365).replace(day=1)
        last = days_to_date(self.ctx.tf.local_day(self.ctx.anchor_ms) + 365)
        months = []
        while first <= last:
            nxt = first.replace(year=first.year + (first.month == 12), month=first.month % 12 + 1)
            months.append((date_to_days(first), date_to_days(nxt) - 1))
            first = nxt
        return months

    def accounting_period_records(self) -> list[dict]:
        """Monthly periods; those that ended two months before the anchor are closed (docs/brightpearl-api.md §R3.15: the
        end date keeps its literal `23:59:59:999Z`)."""
        anchor_day = self.ctx.tf.local_day(self.ctx.anchor_ms)
        records = []
        for period_id, (start, end) in enumerate(self._months(), start=1):
            record = {"id": period_id, "startDate": self.ctx.tf.utc_day_dt(start), "endDate": self.ctx.tf.period_end(end)}
            if end < anchor_day - 60:
                record["closedDate"] = self.ctx.tf.utc_day_dt(end + 15)
                record["closedByUserId"] = self._staff[0]
            records.append(record)
        return records

    def tax_period(self, ms: int) -> tuple[int, int] | None:
        """(tax period id, reconciliation instant) for journals dated in a quarter that was filed (closed
        quarters more than 20 days before the anchor); None when not yet reconciled. Memoised per day."""
        local_day = self.ctx.tf.local_day(ms)
        if local_day not in self._tax_periods:
            self._tax_periods[local_day] = self._tax_period(local_day)
        return self._tax_periods[local_day]

    def _tax_period(self, local_day: int) -> tuple[int, int] | None:
        day = days_to_date(local_day)
        quarter_index = day.year * 4 + (day.month - 1) // 3
        quarter_end_month = (day.month - 1) // 3 * 3 + 3
        end = day.replace(month=quarter_end_month, day=1)
        end = end.replace(year=end.year + (end.month == 12), month=end.month % 12 + 1)
        filed = self.ctx.tf.midnight_ms(date_to_days(end) + 20) + 10 * 3_600_000
        if filed >= self.ctx.anchor_ms:
            return None
        return quarter_index - 8000 + 1, filed
