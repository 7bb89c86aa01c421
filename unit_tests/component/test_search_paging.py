"""Paging through Brightpearl searches, read end to end: every row of a multi-page search, every id across pages and
id-set batches, and a result set that changes while it is paged."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest

from source_brightpearl.resources import load_schemas
from unit_tests import builders
from unit_tests.record_validation import record_errors

PAYMENT_SEARCH = "accounting-service/customer-payment-search"


def _mock_account_check(mocker: HttpMocker) -> None:
    mocker.get(HttpRequest(f"{builders.API}/integration-service/account-configuration"), builders.account_configuration())


def _invalid(stream: str, records: list) -> list:
    schema = load_schemas()[stream]
    return [problem for record in records for problem in record_errors(schema, record)][:5]


def test_contract_paging__every_row_of_a_three_page_search_is_emitted_once():
    rows = builders.payment_rows(1201)  # 500 + 500 + 201
    with HttpMocker() as mocker:
        _mock_account_check(mocker)
        table = builders.SearchTable(PAYMENT_SEARCH, builders.PAYMENT_COLUMNS, rows).register(mocker)
        output = builders.read_streams({"customer_payments": SyncMode.full_refresh})

    assert not builders.error_messages(output)
    records = builders.emitted(output, "customer_payments")
    assert Counter(record["paymentId"] for record in records) == Counter(range(1, 1202))
    assert len(table.asked) >= 3  # it really paged
    by_id = {record["paymentId"]: record for record in records}
    assert by_id[1201]["amountPaid"] == "1201.50"  # decimals stay strings
    assert not _invalid("customer_payments", records)


def test_contract_paging__a_row_deleted_while_paging_skips_no_other_row():
    """After the first page is served, payment 10 (on it) is deleted: every later row moves up one position. Paging
    by position alone would then skip the row that moved onto page 1's last slot."""
    rows = builders.payment_rows(1201)
    with HttpMocker() as mocker:
        _mock_account_check(mocker)
        table = builders.SearchTable(PAYMENT_SEARCH, builders.PAYMENT_COLUMNS, rows).register(mocker)
        table.on_answer = lambda table, count: table.delete(10) if count == 1 else None
        output = builders.read_streams({"customer_payments": SyncMode.full_refresh})

    assert not builders.error_messages(output)
    emitted = Counter(record["paymentId"] for record in builders.emitted(output, "customer_payments"))
    still_there = set(range(1, 1202)) - {10}
    assert still_there <= set(emitted), f"skipped: {sorted(still_there - set(emitted))}"
    assert max(emitted.values()) == 1, "a row was emitted twice"


def test_contract_paging__a_misreported_total_does_not_cut_supplier_payments_short():
    """supplier-payment-search reports 500 results (and no further page) whatever it holds."""
    rows = [{key: value for key, value in row.items() if key != "transactionCode"} for row in builders.payment_rows(1201)]
    columns = [(name, kind) for name, kind in builders.PAYMENT_COLUMNS]
    with HttpMocker() as mocker:
        _mock_account_check(mocker)
        table = builders.SearchTable("accounting-service/supplier-payment-search", columns, rows).register(mocker)
        table.misreported_total = 500
        output = builders.read_streams({"supplier_payments": SyncMode.full_refresh})

    assert not builders.error_messages(output)
    emitted = Counter(record["paymentId"] for record in builders.emitted(output, "supplier_payments"))
    assert emitted == Counter(range(1, 1202))


def test_contract_paging__search_then_get_reads_every_id_across_pages_and_id_sets():
    orders = [builders.order_record(order_id) for order_id in range(1, 701)]  # 2 search pages, 4 id sets
    with HttpMocker() as mocker:
        _mock_account_check(mocker)
        search = builders.SearchTable(
            "order-service/order-search", builders.ORDER_SEARCH_COLUMNS, builders.order_search_rows(orders)
        )
        search.register(mocker)
        details = builders.IdSetEndpoint("order-service/order", orders, empty="list")
        details.register(mocker, [order["id"] for order in orders])
        output = builders.read_streams({"orders": SyncMode.full_refresh})

    assert not builders.error_messages(output)
    records = builders.emitted(output, "orders")
    assert Counter(record["id"] for record in records) == Counter(range(1, 701))
    assert all(len(ids) <= 200 for ids in details.asked), "Brightpearl answers at most 200 ids per GET"
    # Full objects, not search rows: nested rows and money as the detail GET returns them.
    assert records[0]["orderRows"] and records[0]["totalValue"]["total"] == "10.00"
    # Orders are read with their custom fields.
    assert all("customFields" in query.get("includeOptional", "") for query in details.queries)
    assert not _invalid("orders", records)


def test_contract_paging__an_order_updated_out_of_its_window_while_paging_skips_no_other_order():
    """Incremental: orders are searched by updatedOn (then createdOn) within the sync's window. After the first search
    page, order 3 is updated: its updatedOn moves past the window, and the rows behind it move up one position."""
    now = datetime.now(timezone.utc)
    created = (now - timedelta(days=3)).isoformat(timespec="milliseconds")
    updated = (now - timedelta(days=2)).isoformat(timespec="milliseconds")
    orders = [builders.order_record(order_id, created_on=created, updated_on=updated) for order_id in range(1, 701)]
    settings = builders.config(
        start_date=(now - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        report_deletions=False,  # paging is under test here; the deletion check's OPTIONS is tested elsewhere
    )

    def update_order_3(table: builders.SearchTable, count: int) -> None:
        if count == 1:
            later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat(timespec="milliseconds")
            next(row for row in table.rows if row["orderId"] == 3)["updatedOn"] = later
            details.records[3]["updatedOn"] = later

    with HttpMocker() as mocker:
        _mock_account_check(mocker)
        search = builders.SearchTable(
            "order-service/order-search", builders.ORDER_SEARCH_COLUMNS, builders.order_search_rows(orders)
        )
        search.register(mocker)
        details = builders.IdSetEndpoint("order-service/order", orders, empty="list")
        details.register(mocker, [order["id"] for order in orders])
        search.on_answer = update_order_3
        output = builders.read_streams({"orders": SyncMode.incremental}, settings)

    assert not builders.error_messages(output)
    emitted = Counter(record["id"] for record in builders.emitted(output, "orders"))
    unchanged = set(range(1, 701)) - {3}
    assert unchanged <= set(emitted), f"skipped: {sorted(unchanged - set(emitted))}"
    assert max(emitted.values()) == 1, "an order was emitted twice"
    # Every record carries the cursor, and the state saved at the end is one of theirs (or the window's end).
    records = builders.emitted(output, "orders")
    assert all(record.get("syncCursor") for record in records)
    assert output.most_recent_state.stream_state.syncCursor >= min(record["syncCursor"] for record in records)
    assert not _invalid("orders", records)
