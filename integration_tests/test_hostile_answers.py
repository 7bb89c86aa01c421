"""Wrong answers never lose a record silently (issue 13): one precise fault armed in the sandbox per test, the real
CLI reading through it. Either every record arrives, or the sync stops with a message naming the stream and the
saved state does not move past what was not read."""

from __future__ import annotations

from typing import List

import pytest

from integration_tests.connector_cli import configured_catalog, run_connector
from sandbox import SandboxOptions
from sandbox.world import Scale

ACCOUNT = Scale(orders=1200, products=80, contacts=60)  # three search pages of orders, six id-set GETs
ORDERS_SEARCH = "order-service/order-search"
ORDERS_GET = "order-service/order/{ids}"


@pytest.fixture(scope="module")
def account(tmp_path_factory):
    """One sandbox for the module (faults are armed per test and spent by it), its config and an orders catalog."""
    from sandbox import Sandbox

    with Sandbox(SandboxOptions(seed=13, scale=ACCOUNT)) as sandbox:
        config = {**sandbox.config_with_tokens(), "requests_per_minute": 5000}
        discover = run_connector("discover", tmp_path_factory.mktemp("discover"), config=config)
        yield sandbox, config, configured_catalog(discover.catalog, ["orders"])


def _read_orders(account, tmp_path, *faults):
    sandbox, config, catalog = account
    sandbox.disarm_faults()
    sandbox.reset_counters()
    for kind, options in faults:
        sandbox.arm_fault(kind, **options)
    result = run_connector("read", tmp_path, config=config, catalog=catalog)
    assert sandbox.armed_faults() == [], "every armed fault must have been met"
    return result


def _truth(sandbox) -> List[int]:
    return sorted(order["id"] for order in sandbox.world.truth("order"))


def _emitted(result) -> List[int]:
    return sorted(order["id"] for order in result.records.get("orders", []))


@pytest.mark.parametrize(
    "kind,options",
    [
        ("detail_404", {"endpoint": ORDERS_GET, "skip": 2}),
        ("omit_id", {"endpoint": ORDERS_GET, "skip": 1}),
        ("truncated_body", {"endpoint": ORDERS_GET, "skip": 3}),
        ("empty_body", {"endpoint": ORDERS_GET}),
        ("truncated_body", {"endpoint": ORDERS_SEARCH, "skip": 1}),
        ("null_results", {"endpoint": ORDERS_SEARCH, "skip": 1}),
        ("short_page", {"endpoint": ORDERS_SEARCH}),
    ],
)
def test_one_wrong_answer_is_asked_again_and_nothing_is_lost(account, tmp_path, kind, options):
    result = _read_orders(account, tmp_path, (kind, options))
    assert result.returncode == 0, result.stderr[-3000:]
    sandbox = account[0]
    emitted = _emitted(result)
    assert emitted == _truth(sandbox), f"{kind}: {len(set(_truth(sandbox)) - set(emitted))} orders lost"
    assert sandbox.counters()["faults"] == {kind: 1}
    assert not any("deleted since the search" in line for line in result.log_lines())


def test_ids_not_asked_for_are_never_emitted(account, tmp_path):
    result = _read_orders(
        account, tmp_path, ("extra_id", {"endpoint": ORDERS_GET}), ("swap_id", {"endpoint": ORDERS_GET, "skip": 1})
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert _emitted(result) == _truth(account[0])  # the swapped-out order was asked for again
    warnings = [line for line in result.log_lines() if "not asked for" in line]
    assert len(warnings) == 2 and all("not emitted" in line for line in warnings)


def test_orders_gone_between_search_and_get_are_counted_not_hidden(account, tmp_path):
    sandbox = account[0]
    gone = _truth(sandbox)[10:13]  # on the first search page

    def delete_after_first_search_page(endpoint, request, response):
        if endpoint == f"GET {ORDERS_SEARCH}" and not request.param("firstResult"):
            for order_id in gone:
                if sandbox.world.collection("order").get(order_id) is not None:
                    sandbox.world.delete("order", order_id)

    sandbox.add_hook(delete_after_first_search_page)
    try:
        result = _read_orders(account, tmp_path)
    finally:
        sandbox.remove_hook(delete_after_first_search_page)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _emitted(result) == _truth(sandbox)
    [warning] = [line for line in result.log_lines() if "deleted since the search" in line]
    assert "3 id(s)" in warning and ", ".join(str(i) for i in gone) in warning


def test_a_search_that_ignores_first_result_stops_with_a_clear_error(account, tmp_path):
    result = _read_orders(account, tmp_path, ("ignore_first_result", {"endpoint": ORDERS_SEARCH}))
    assert result.returncode != 0
    error = result.errors[0]  # the stream's own; the CDK adds a summary after it
    assert "Stream 'orders'" in error["message"] and "ignores firstResult" in error["message"]
    assert "Traceback" not in error["message"]
    counts = account[0].counters()["requests_by_endpoint"]
    assert counts[f"GET {ORDERS_SEARCH}"] <= 3, "it must not page for ever"


def test_the_state_never_moves_past_a_window_that_failed(sandbox_factory, tmp_path):
    # Windows of several search pages; a later page of some window is answered as the first page (the search
    # ignores firstResult): the sync stops there. Whatever state it saved, resuming from it loses nothing.
    sandbox = sandbox_factory(SandboxOptions(seed=13, scale=Scale(orders=5000, products=20, contacts=20)))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 5000}
    discover = run_connector("discover", tmp_path / "discover", config=config)
    catalog = configured_catalog(discover.catalog, ["orders"], sync_mode="incremental")
    sandbox.arm_fault("ignore_first_result", endpoint=ORDERS_SEARCH, skip=3)
    failed = run_connector("read", tmp_path / "failed", config=config, catalog=catalog)
    assert sandbox.armed_faults() == []
    assert failed.returncode != 0 and "ignores firstResult" in failed.errors[0]["message"]
    emitted = {order["id"]: order for order in failed.records.get("orders", [])}
    assert emitted, "the sync must have completed some windows before the fault"
    resumed = run_connector("read", tmp_path / "resumed", config=config, catalog=catalog, state=failed.states[-1:])
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    union = {**emitted, **{order["id"]: order for order in resumed.records["orders"]}}
    assert sorted(union) == _truth(sandbox)
    # and the resumed sync did not read everything again: the state had moved, just not past the failed window
    assert len(resumed.records["orders"]) < len(union)
