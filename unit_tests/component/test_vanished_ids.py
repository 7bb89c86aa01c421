"""Ids found by a search that a detail GET does not return: deleted between the search and the GET (nothing to emit,
the sync goes on), or left out or refused once although they exist (never a silent loss)."""

from __future__ import annotations

from collections import Counter

import pytest
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest

from unit_tests import builders

ORDER_IDS = list(range(1, 351))  # one search page, two id sets: 1-200 and 201-350


def _read_orders(existing, configure=None, empty="404"):
    """A full-refresh read of orders whose search finds ORDER_IDS while only `existing` can still be read."""
    searched = [builders.order_record(order_id) for order_id in ORDER_IDS]
    with HttpMocker() as mocker:
        mocker.get(HttpRequest(f"{builders.API}/integration-service/account-configuration"), builders.account_configuration())
        builders.SearchTable(
            "order-service/order-search", builders.ORDER_SEARCH_COLUMNS, builders.order_search_rows(searched)
        ).register(mocker)
        details = builders.IdSetEndpoint(
            "order-service/order", [order for order in searched if order["id"] in existing], empty=empty
        )
        if configure:
            configure(details)
        details.register(mocker, ORDER_IDS)
        output = builders.read_streams({"orders": SyncMode.full_refresh})
    return output, Counter(record["id"] for record in builders.emitted(output, "orders")), details


@pytest.mark.parametrize("empty", ["404", "list"], ids=["missing-answered-404", "missing-answered-empty-list"])
def test_contract_vanished_ids__an_order_deleted_after_the_search_is_not_emitted_and_the_rest_are(empty):
    existing = set(ORDER_IDS) - {7}
    output, emitted, _ = _read_orders(existing, empty=empty)
    assert not builders.error_messages(output)
    assert emitted == Counter(existing)


@pytest.mark.parametrize("empty", ["404", "list"], ids=["answered-404", "answered-empty-list"])
def test_contract_vanished_ids__an_id_set_whose_orders_all_vanished_ends_nothing(empty):
    """Every order of the second id set was deleted since the search: some resources answer 404 CMNC-404, others
    `200 []`. The sync emits the rest and succeeds."""
    existing = set(range(1, 201))
    output, emitted, _ = _read_orders(existing, empty=empty)
    assert not builders.error_messages(output)
    assert emitted == Counter(existing)


def test_contract_vanished_ids__a_404_on_an_id_set_whose_orders_exist_loses_none():
    output, emitted, _ = _read_orders(set(ORDER_IDS), configure=lambda details: details.not_found_once.add("1-200"))
    assert emitted == Counter(ORDER_IDS) or builders.error_messages(output)


def test_contract_vanished_ids__an_order_left_out_of_one_answer_is_asked_for_again():
    output, emitted, _ = _read_orders(set(ORDER_IDS), configure=lambda details: details.left_out_once.add(42))
    assert emitted == Counter(ORDER_IDS) or builders.error_messages(output)
