"""A busy or flaky API never fails a sync, and pacing keeps 503s rare (issue: rate-limit pacing, retries).

The sandbox throttles with a compressed window (20 requests per 2 s, i.e. 600 a minute) and injects faults
of requests — 10% here, so a run is sure to meet some (500s, Cloudflare HTML 502s, dropped connections). The connector is told the same budget.
"""

from __future__ import annotations

from integration_tests.connector_cli import configured_catalog
from sandbox import SandboxOptions
from sandbox.world import Scale

# Enough data for about 60 requests, so a 10% fault rate is sure to hit some of them.
BUSY_ACCOUNT = Scale(orders=6000, products=600, contacts=1500)

STREAMS = ["orders", "products", "contacts", "customer_payments", "warehouses"]
TRUTH = {
    "orders": ("order", "id"),
    "products": ("product", "id"),
    "contacts": ("contact", "contactId"),
    "customer_payments": ("customer-payment", "paymentId"),
}


def test_throttled_and_faulty_api_still_yields_every_record(sandbox_factory, connector):
    sandbox = sandbox_factory(SandboxOptions(seed=3, scale=BUSY_ACCOUNT, throttle_cap=20, throttle_window=2.0))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 600}
    discover = connector("discover", config=config)
    catalog = configured_catalog(discover.catalog, STREAMS)
    sandbox.set_options(fault_500=0.04, fault_html_502=0.04, fault_drop=0.02)
    sandbox.reset_counters()

    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    for stream, (resource, key) in TRUTH.items():
        expected = {r[key] for r in sandbox.world.truth(resource)}
        assert {r[key] for r in read.records[stream]} == expected, stream

    counters = sandbox.counters()
    assert sum(counters["faults"].values()) > 0, "the test must actually inject faults"
    assert counters["throttled"] <= 0.02 * counters["api_requests"], counters


def test_pacing_waits_are_logged_and_never_exceed_the_cap(sandbox_factory, connector):
    # The API allows 8 requests a minute and the connector is told so; the read needs about twice that, so the
    # budget has to hold requests back for a window instead of meeting 503s.
    sandbox = sandbox_factory(SandboxOptions(seed=3, scale="tiny"))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 8}
    discover = connector("discover", config=config)
    catalog = configured_catalog(
        discover.catalog,
        [
            "orders",
            "products",
            "contacts",
            "warehouses",
            "brands",
            "channels",
            "order_statuses",
            "order_types",
            "tax_codes",
            "price_lists",
            "seasons",
            "currencies",
        ],
    )
    sandbox.set_options(throttle_cap=8, throttle_window=60.0)  # a fresh window, after discover's requests
    sandbox.reset_counters()
    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    assert sandbox.counters()["api_requests"] > 8
    assert sandbox.counters()["throttled"] == 0, "the budget must keep the connector under the cap"
    assert any("for the request budget" in line for line in read.log_lines())


def test_a_503_is_waited_out_using_the_throttle_header(sandbox_factory, connector):
    # The connector believes it may send 6000 a minute; the API allows 5 per 3 s. The requests-remaining header
    # keeps it within each window, so the 503 comes from other apps of the account using up the current window.
    sandbox = sandbox_factory(SandboxOptions(seed=3, scale=Scale(orders=3000), throttle_cap=5, throttle_window=3.0))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 6000}
    discover = connector("discover", config=config)
    catalog = configured_catalog(discover.catalog, ["orders", "products", "warehouses", "brands"])
    sandbox.reset_counters()
    sandbox.exhaust_quota(3)  # 9 s: still exhausted when the connector, started after it, sends its first request
    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    assert sandbox.counters()["throttled"] > 0
    assert any("Brightpearl is throttling (HTTP 503); waiting" in line for line in read.log_lines())
    assert {r["id"] for r in read.records["orders"]} == {r["id"] for r in sandbox.world.truth("order")}


def test_a_long_stretch_of_throttling_is_waited_out(sandbox_factory, connector):
    # Other integrations use up the account's quota for 25 s (50 windows of 0.5 s): the connector's first requests
    # meet more consecutive 503s than its 6 retries for failures (each wait ≤ 1.5 s: the window + the CDK's 1 s,
    # so even a slow start leaves well over 8), and must keep waiting rather than fail.
    sandbox = sandbox_factory(SandboxOptions(seed=3, scale="tiny", throttle_cap=50, throttle_window=0.5))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 6000}
    discover = connector("discover", config=config)
    catalog = configured_catalog(discover.catalog, ["orders", "brands"])
    sandbox.reset_counters()
    sandbox.exhaust_quota(50)
    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    assert sandbox.counters()["throttled"] >= 8, sandbox.counters()
    assert {r["id"] for r in read.records["orders"]} == {r["id"] for r in sandbox.world.truth("order")}
    assert {r["id"] for r in read.records["brands"]} == {r["id"] for r in sandbox.world.truth("brand")}


def test_check_reports_a_used_up_quota_rather_than_wait_like_a_read(sandbox_factory, connector):
    # `check` has someone waiting on it: 5 throttled windows, then a FAILED status that says why. A read in the
    # same situation keeps waiting (test above).
    sandbox = sandbox_factory(SandboxOptions(seed=3, scale="tiny", throttle_cap=50, throttle_window=0.5))
    config = sandbox.config_with_tokens()
    sandbox.exhaust_quota(120)  # a minute: far longer than check waits
    check = connector("check", config=config)
    assert check.returncode == 0, check.stderr[-3000:]
    status = check.connection_status
    assert status["status"] == "FAILED"
    assert "account's request quota" in status["message"] and "Retry later" in status["message"]
    assert sandbox.counters()["throttled"] == 6  # the first try and 5 retries
