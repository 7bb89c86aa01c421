"""Customer payments, supplier payments and journals (docs/brightpearl-api.md §R3.13, §R3.14).

One bulk pass over the seeded orders, run on first use, posts what their lifecycle implies:
- an invoice journal when an order completes (SI, PI, SC, PC: debtors/creditors against sales or stock and tax);
- a payment when it is paid (customer RECEIPT, AUTH then CAPTURE for some card orders, PAYMENT for refunds;
  supplier PAYMENT, RECEIPT for credits), each with its bank journal (BR, BP, PP);
- a few manual journals (JJ) with free-text descriptions and no order.
Journals and payments are numbered in time order. Journal lines are numbered credits first, then debits, and
journal-search shows one row per line with its `journalRowId`.
"""

from __future__ import annotations

from array import array
from typing import Any, NamedTuple

from . import money, names
from .accounting import (
    BASE_CURRENCY_ID,
    CUSTOMER_PAYMENT_METHODS,
    SUPPLIER_PAYMENT_METHODS,
    TAX_BY_ID,
    Accounting,
)
from .interface import columns
from .orders import F_AUTH, PC, PO, SC, SO, Orders
from .rand import stream_rng
from .reference import COMPLETE, PAID, PARTIALLY_PAID
from .store import ListStore, Store, WorldContext
from .timefmt import DAY_MS, HOUR_MS, MINUTE_MS

FIRST_JOURNAL_ID = 1
FIRST_JOURNAL_ROW_ID = 1
FIRST_PAYMENT_ID = 1
NO_TAX_CODE_ID = 3  # "N": payment and manual journal lines
TAX_ID_BY_CODE = {t[1]: t[0] for t in TAX_BY_ID.values()}

CUSTOMER_PAYMENT_SEARCH_COLUMNS = columns(
    ("paymentId", "IDSET"),
    ("transactionRef", "STRING", (), False),
    ("transactionCode", "STRING", (), False),
    ("paymentMethodCode", "STRING", (), False),
    ("paymentType", "STRING", (), False),
    ("orderId", "IDSET", (), False),
    ("currencyId", "IDSET", (), False),
    ("currencyCode", "STRING", (), False),
    ("amountAuthorized", "STRING", (), False),
    ("amountPaid", "STRING", (), False),
    ("expires", "PERIOD", (), False),
    ("paymentDate", "PERIOD"),
    ("createdOn", "PERIOD"),
    ("journalId", "IDSET"),
)
SUPPLIER_PAYMENT_SEARCH_COLUMNS = columns(
    ("paymentId", "IDSET"),
    ("transactionRef", "STRING"),
    ("paymentMethodCode", "STRING"),
    ("paymentType", "STRING"),
    ("orderId", "IDSET"),
    ("currencyId", "IDSET"),
    ("currencyCode", "STRING"),
    ("amountPaid", "STRING"),
    ("paymentDate", "PERIOD"),
    ("createdOn", "PERIOD"),
    ("journalId", "IDSET"),
)
JOURNAL_SEARCH_COLUMNS = columns(
    ("journalId", "IDSET"),
    ("journalType", "STRING"),
    ("orderId", "IDSET"),
    ("invoiceReference", "SEARCH_STRING"),
    ("channelId", "INTEGER"),
    ("nominalCode", "STRING"),
    ("journalDate", "PERIOD"),
    ("journalDebit", "STRING"),
    ("journalCredit", "STRING"),
    ("journalRef", "INTEGER"),
    ("currencyId", "INTEGER"),
    ("exchangeRate", "STRING"),
    ("transactionDebit", "STRING"),
    ("transactionCredit", "STRING"),
    ("projectId", "INTEGER"),
    ("leadSourceId", "INTEGER"),
    ("contactId", "INTEGER"),
    ("journalDueDate", "PERIOD"),
    ("journalDateEntered", "PERIOD"),
    ("createdContactId", "INTEGER"),
    ("taxCodeId", "INTEGER"),
    ("taxReconciliationDate", "PERIOD"),
    ("taxPeriodId", "INTEGER"),
    ("journalRowId", "IDSET"),
)

_INVOICE_POSTINGS = {
    # type: (journal code, net nominal, tax nominal, control nominal, control is debit)
    SO: ("SI", "4000", "2200", "1100", True),
    SC: ("SC", "4000", "2200", "1100", False),
    PO: ("PI", "1001", "2201", "2100", False),
    PC: ("PC", "1001", "2201", "2100", True),
}


def _base(amount: int, rate: int) -> int:
    """An order-currency amount in the base currency (rate: order units per base unit, 10^-6)."""
    return money.mul_div(amount, 1_000_000, rate)


class JournalLine(NamedTuple):
    nominal: str
    credit: bool
    base: int  # 10^-2, base currency
    amount: int  # 10^-2, transaction currency
    tax_id: int


class Journal(NamedTuple):
    code: str
    contact: int
    order_id: int
    invoice_reference: str
    tax_day: int
    due_day: int  # 0: no due date
    created: int
    created_by: int
    currency_id: int
    rate: int  # 10^-6
    channel: int
    lead_source: int
    description: str
    lines: tuple


class LedgerPass:
    """The bulk pass; built once from the seeded orders."""

    def __init__(self, ctx: WorldContext, orders: Orders, accounting: Accounting):
        self.ctx = ctx
        self._orders = orders
        self._accounting = accounting
        self.journal_ids: list[int] = []
        self.journals: list[Journal] = []
        self.first_row_ids: list[int] = []
        self.customer_payment_rows: list[list] = []
        self.supplier_payment_rows: list[list] = []
        self._run()
        self.journal_id_array = array("q", self.journal_ids)

    def _run(self) -> None:
        ctx, orders, acc = self.ctx, self._orders, self._accounting
        tf = ctx.tf
        rng = stream_rng(ctx.seed, "ledger")
        staff = orders.contacts.staff_ids
        # (instant, sequence, journal or None, payment row or None, "customer"/"supplier")
        events: list[tuple[int, int, Journal | None, list | None, str]] = []

        def post(moment: int, journal: Journal | None, payment: list | None = None, book: str = "") -> None:
            events.append((moment, len(events), journal, payment, book))

        for i in range(len(orders.ids_)):
            if not orders.updated[i]:
                continue
            t, stage, payment_status = orders.types[i], orders.stage[i], orders.payment[i]
            if stage != COMPLETE and payment_status not in (PAID, PARTIALLY_PAID):
                continue
            order_id, contact = orders.ids_[i], orders.contact[i]
            lines = orders.lines(i)
            net, tax = orders.totals(lines)
            rate = orders.rate(i)
            currency = acc.currencies[orders.currency_id(i)]
            events_at = orders.events(i)
            channel = orders.channel[i]
            lead = orders.contacts.lead_source(contact) if t in (SO, SC) else 0
            invoice_reference = orders.invoice_reference(i)
            tax_code = lines[0].tax_id if lines else NO_TAX_CODE_ID

            if stage == COMPLETE:
                code, net_nominal, tax_nominal, control, control_debit = _INVOICE_POSTINGS[t]
                base_net, base_tax = _base(net, rate), _base(tax, rate)
                entries = [JournalLine(net_nominal, control_debit, base_net, net, tax_code)]
                if tax:
                    entries.append(JournalLine(tax_nominal, control_debit, base_tax, tax, tax_code))
                entries.append(JournalLine(control, not control_debit, base_net + base_tax, net + tax, tax_code))
                due = orders.tax_day[i] + orders.contacts.credit_days(contact)
                post(
                    events_at["invoiced"],
                    Journal(
                        code,
                        contact,
                        order_id,
                        invoice_reference,
                        orders.tax_day[i],
                        due,
                        events_at["invoiced"],
                        orders.creator[i],
                        currency.id,
                        rate,
                        channel,
                        lead,
                        "",
                        tuple(entries),
                    ),
                )

            if payment_status not in (PAID, PARTIALLY_PAID):
                continue
            amount = net + tax if payment_status == PAID else (net + tax) // 2
            customer = t in (SO, SC)
            methods = CUSTOMER_PAYMENT_METHODS if customer else SUPPLIER_PAYMENT_METHODS
            method = "MARKETPLACE" if customer and channel == orders.org.marketplace_channel else rng.choice(methods)
            prepaid = t == SO and (stage != COMPLETE or channel in (1, 3))
            moment = events_at["prepaid"] if prepaid else events_at["paid"]
            bank = acc.bank_nominal(method, currency.code)
            incoming = t in (SO, PC)
            payment_type = "RECEIPT" if incoming else "PAYMENT"
            journal_code = {SO: "BR", SC: "BP", PO: "PP", PC: "BR"}[t]
            control = "1100" if customer else "2100"
            entries = (
                JournalLine(control, incoming, _base(amount, rate), amount, NO_TAX_CODE_ID),
                JournalLine(bank, not incoming, _base(amount, rate), amount, NO_TAX_CODE_ID),
            )
            journal = Journal(
                journal_code,
                contact,
                order_id,
                invoice_reference,
                tf.local_day(moment),
                0,
                moment + rng.randint(1, 90) * MINUTE_MS,
                rng.choice(staff),
                currency.id,
                rate,
                channel,
                lead,
                "",
                entries,
            )
            reference = self._transaction_reference(method, rng)
            paid_on = tf.dt(moment // HOUR_MS * HOUR_MS)
            if customer:
                if t == SO and orders.flags[i] & F_AUTH and method == "CARD":  # authorise, then capture
                    authorised = events_at["prepaid"] - MINUTE_MS
                    post(
                        authorised,
                        None,
                        [
                            reference,
                            f"AUTH{rng.randint(100000, 999999)}",
                            method,
                            "AUTH",
                            order_id,
                            currency.id,
                            currency.code,
                            money.dec(amount, 2),
                            "0.00",
                            tf.dt(authorised + 7 * DAY_MS),
                            tf.dt(authorised // HOUR_MS * HOUR_MS),
                            None,
                            None,
                        ],
                        "customer",
                    )
                    payment_type = "CAPTURE"
                code_text = f"TX{rng.randint(100000, 999999)}" if method in ("CARD", "MARKETPLACE") else ""
                post(
                    journal.created,
                    journal,
                    [
                        reference,
                        code_text,
                        method,
                        payment_type,
                        order_id,
                        currency.id,
                        currency.code,
                        "0.00",
                        money.dec(amount, 2),
                        None,
                        paid_on,
                        None,
                        None,
                    ],
                    "customer",
                )
            else:
                post(
                    journal.created,
                    journal,
                    [
                        reference,
                        method,
                        payment_type,
                        order_id,
                        currency.id,
                        currency.code,
                        money.dec(amount, 2),
                        paid_on,
                        None,
                        None,
                    ],
                    "supplier",
                )

        span = ctx.anchor_ms - ctx.start_ms
        manual = ctx.scale.manual_journals
        for k in range(manual):
            moment = ctx.start_ms + int((k + rng.random()) * span / manual) // 1000 * 1000
            text = rng.choice(names.MANUAL_JOURNAL_TEXTS)
            amount = rng.randint(50, 5000) * 100
            nominal = {
                "Rent": "7100",
                "Utilities": "7200",
                "Payroll accrual": "7300",
                "Bank charges": "7900",
                "Depreciation": "8000",
            }.get(text, "7200")
            entries = (
                JournalLine("1200", True, amount, amount, NO_TAX_CODE_ID),
                JournalLine(nominal, False, amount, amount, NO_TAX_CODE_ID),
            )
            post(
                moment,
                Journal(
                    "JJ",
                    0,
                    0,
                    "",
                    tf.local_day(moment),
                    0,
                    moment,
                    rng.choice(staff),
                    BASE_CURRENCY_ID,
                    1_000_000,
                    0,
                    0,
                    text,
                    entries,
                ),
            )

        events.sort(key=lambda e: (e[0], e[1]))
        journal_id, row_id = FIRST_JOURNAL_ID, FIRST_JOURNAL_ROW_ID
        customer_id = supplier_id = FIRST_PAYMENT_ID
        for moment, _, journal, payment, book in events:
            linked = None
            if journal is not None:
                linked = journal_id
                self.journal_ids.append(journal_id)
                self.journals.append(journal)
                self.first_row_ids.append(row_id)
                row_id += len(journal.lines)
                journal_id += 1
            if payment is None:
                continue
            stamp = tf.dt(journal.created if journal is not None else moment)
            if book == "customer":
                payment[11] = stamp
                payment[12] = linked
                self.customer_payment_rows.append([customer_id] + payment)
                customer_id += 1
            else:
                payment[8] = stamp
                payment[9] = linked
                self.supplier_payment_rows.append([supplier_id] + payment)
                supplier_id += 1

    @staticmethod
    def _transaction_reference(method: str, rng) -> str:
        if method in ("CARD", "MARKETPLACE"):
            return f"ch_{rng.getrandbits(48):012x}"
        if method == "BANK_TRANSFER":
            return f"BT{rng.randint(10**8, 10**9 - 1)}"
        if method == "CHEQUE":
            return f"CHQ{rng.randint(1000, 99999)}"
        return ""


class Journals(Store):
    """journal: GET `{"journals": [...]}` (docs/brightpearl-api.md §R3.14)."""

    name = "journal"

    def __init__(self, ctx: WorldContext, ledger, accounting: Accounting):
        super().__init__(ctx)
        self._ledger = ledger
        self._accounting = accounting
        self._row_ids: dict[int, list[int]] = {}  # journal-search row ids of changed or created journals
        self._next_row_id = 0

    def seed_ids(self) -> array:
        return self._ledger().journal_id_array

    def first_id(self) -> int:
        return FIRST_JOURNAL_ID

    def seed_record(self, index: int) -> dict:
        ledger = self._ledger()
        return self.build(ledger.journal_ids[index], ledger.journals[index])

    def row_ids(self, journal_id: int) -> list[int]:
        if journal_id in self._row_ids:
            return self._row_ids[journal_id]
        ledger = self._ledger()
        index = self.seed_index(journal_id)
        first = ledger.first_row_ids[index]
        return list(range(first, first + len(ledger.journals[index].lines)))

    def assign_row_ids(self, journal_id: int, count: int, keep: list[int] | None = None) -> None:
        """Give a written journal's lines row ids: existing lines keep theirs, new lines get fresh ones."""
        if not self._next_row_id:
            ledger = self._ledger()
            self._next_row_id = (
                ledger.first_row_ids[-1] + len(ledger.journals[-1].lines) if ledger.journals else FIRST_JOURNAL_ROW_ID
            )
        ids = list(keep or [])[:count]
        while len(ids) < count:
            ids.append(self._next_row_id)
            self._next_row_id += 1
        self._row_ids[journal_id] = ids

    def build(self, journal_id: int, journal: Journal) -> dict:
        tf = self.ctx.tf
        record: dict[str, Any] = {
            "id": journal_id,
            "contactId": journal.contact,
            "journalTypeCode": journal.code,
            "taxDate": tf.dt(tf.midnight_ms(journal.tax_day)),
        }
        if journal.due_day:
            record["dueDate"] = tf.utc_midnight_dt(journal.due_day)
        record["createdOn"] = tf.dt(journal.created)
        record["createdByContactId"] = journal.created_by
        if journal.description:
            record["description"] = journal.description
        reconciled = self._accounting.tax_period(tf.midnight_ms(journal.tax_day))
        record["taxReconciliation"] = {"date": tf.dt(reconciled[1]), "taxPeriodId": reconciled[0]} if reconciled else {}
        assignment: dict[str, int] = {}
        if journal.channel:
            assignment = {"channelId": journal.channel, "projectId": 0}
            if journal.lead_source:
                assignment["leadSourceId"] = journal.lead_source
        sides: dict[bool, list] = {True: [], False: []}
        for line in journal.lines:
            entry: dict[str, Any] = {
                "nominalCode": line.nominal,
                "change": {"value": money.dec(line.base, 2)},
                "assignment": dict(assignment),
            }
            if journal.order_id:
                entry["orderId"] = journal.order_id
            entry["invoiceReference"] = journal.invoice_reference
            entry["taxCode"] = TAX_BY_ID[line.tax_id][1]
            entry["transactionAmount"] = money.dec(line.amount, 2)
            sides[line.credit].append(entry)
        record["credits"] = sides[True]
        record["debits"] = sides[False]
        record["currencyId"] = journal.currency_id
        record["exchangeRate"] = money.dec(journal.rate, 6)
        return record

    def search_rows(self, record: dict) -> list[list]:
        """One row per line, credits first (the order their row ids were given in)."""
        reconciliation = record["taxReconciliation"]
        rows = []
        lines = [(line, True) for line in record["credits"]] + [(line, False) for line in record["debits"]]
        for (line, credit), row_id in zip(lines, self.row_ids(record["id"])):
            value, amount = line["change"]["value"], line.get("transactionAmount", line["change"]["value"])
            assignment = line["assignment"]
            order_id = line.get("orderId", 0)
            rows.append(
                [
                    record["id"],
                    record["journalTypeCode"],
                    order_id,
                    line["invoiceReference"],
                    assignment.get("channelId", 0),
                    line["nominalCode"],
                    record["taxDate"],
                    "0.00" if credit else value,
                    value if credit else "0.00",
                    order_id or None,
                    record["currencyId"],
                    record["exchangeRate"],
                    "0.00" if credit else amount,
                    amount if credit else "0.00",
                    assignment.get("projectId", 0),
                    assignment.get("leadSourceId", 0),
                    record["contactId"],
                    record.get("dueDate"),
                    record["createdOn"],
                    record["createdByContactId"],
                    TAX_ID_BY_CODE.get(line["taxCode"]),
                    reconciliation.get("date"),
                    reconciliation.get("taxPeriodId"),
                    row_id,
                ]
            )
        return rows

    def seeded_search_rows(self) -> list[list[list]]:
        """Per seeded journal, its rows straight from the ledger entries (the fast path; tests hold it equal to
        `search_rows(build(...))`)."""
        ledger, tf = self._ledger(), self.ctx.tf
        out = []
        for journal_id, journal, first_row in zip(ledger.journal_ids, ledger.journals, ledger.first_row_ids):
            tax_date = tf.dt(tf.midnight_ms(journal.tax_day))
            due = tf.utc_midnight_dt(journal.due_day) if journal.due_day else None
            created = tf.dt(journal.created)
            reconciled = self._accounting.tax_period(tf.midnight_ms(journal.tax_day))
            recon_date, recon_period = (tf.dt(reconciled[1]), reconciled[0]) if reconciled else (None, None)
            lead = journal.lead_source if journal.channel else 0
            rate = money.dec(journal.rate, 6)
            ordered = [line for line in journal.lines if line.credit] + [line for line in journal.lines if not line.credit]
            rows = []
            for k, line in enumerate(ordered):
                base, amount = money.dec(line.base, 2), money.dec(line.amount, 2)
                rows.append(
                    [
                        journal_id,
                        journal.code,
                        journal.order_id,
                        journal.invoice_reference,
                        journal.channel,
                        line.nominal,
                        tax_date,
                        "0.00" if line.credit else base,
                        base if line.credit else "0.00",
                        journal.order_id or None,
                        journal.currency_id,
                        rate,
                        "0.00" if line.credit else amount,
                        amount if line.credit else "0.00",
                        0,
                        lead,
                        journal.contact,
                        due,
                        created,
                        journal.created_by,
                        line.tax_id,
                        recon_date,
                        recon_period,
                        first_row + k,
                    ]
                )
            out.append(rows)
        return out


class CustomerPayments(ListStore):
    name = "customer-payment"

    def __init__(self, ctx: WorldContext, ledger):
        super().__init__(ctx)
        self._ledger = ledger

    def build(self):
        rows = self._ledger().customer_payment_rows
        return [r[0] for r in rows], rows

    def first_id(self) -> int:
        return FIRST_PAYMENT_ID


class SupplierPayments(ListStore):
    name = "supplier-payment"

    def __init__(self, ctx: WorldContext, ledger):
        super().__init__(ctx)
        self._ledger = ledger

    def build(self):
        rows = self._ledger().supplier_payment_rows
        return [r[0] for r in rows], rows

    def first_id(self) -> int:
        return FIRST_PAYMENT_ID
