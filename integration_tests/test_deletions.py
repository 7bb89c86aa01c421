"""Deletions reported as CDC deletes, through the real CLI against the sandbox (docs/brightpearl.md, "Deletions").

The check a warehouse user makes: after applying every sync's records the way an Append + Deduped destination does
(latest `syncCursor` per primary key wins; a winning record with `_ab_cdc_deleted_at` removes the key), the
destination holds exactly the records that exist in Brightpearl.
"""

from __future__ import annotations

import math
from typing import Dict, List

import pytest

from integration_tests.connector_cli import configured_catalog, run_connector
from sandbox import SandboxOptions
from sandbox.world import Scale
from source_brightpearl.api.datetimes import parse_datetime
from source_brightpearl.api.idranges import RangeSet
from unit_tests.record_validation import invalid_records

# stream -> (sandbox resource, primary key, OPTIONS route as the sandbox counts it)
STREAMS = {
    "orders": ("order", "id", "OPTIONS order-service/order"),
    "products": ("product", "id", "OPTIONS product-service/product"),
    "contacts": ("contact", "contactId", "OPTIONS contact-service/contact"),
}
DELETED_AT = "_ab_cdc_deleted_at"


@pytest.fixture
def account(sandbox_factory, tmp_path):
    """A sandbox with more than 200 ids per resource (OPTIONS answers several URIs), its config and catalog."""
    # A generous request budget on both sides: these tests count requests; pacing them would only slow the suite.
    sandbox = sandbox_factory(SandboxOptions(seed=21, scale=Scale(orders=450, products=230, contacts=210), throttle_cap=3000))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 3000}
    discover = run_connector("discover", tmp_path / "discover", config=config)
    assert discover.returncode == 0, discover.stderr[-2000:]
    catalog = configured_catalog(discover.catalog, list(STREAMS), sync_mode="incremental")
    schemas = {s["name"]: s["json_schema"] for s in discover.catalog["streams"]}
    return sandbox, config, catalog, schemas


def _read(workdir, config, catalog, state=None):
    result = run_connector("read", workdir, config=config, catalog=catalog, state=state)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _final_states(result) -> List[dict]:
    latest: Dict[str, dict] = {}
    for state in result.states:
        latest[state["stream"]["stream_descriptor"]["name"]] = state
    return list(latest.values())


def _stream_state(states: List[dict], stream: str) -> dict:
    return next(s for s in states if s["stream"]["stream_descriptor"]["name"] == stream)["stream"]["stream_state"]


def _deletions(result, stream: str) -> List[dict]:
    return [record for record in result.records.get(stream, []) if record.get(DELETED_AT) is not None]


def _truth_ids(sandbox, stream: str) -> set:
    resource, key, _ = STREAMS[stream]
    return {record[key] for record in sandbox.world.truth(resource)}


def _apply(destination: Dict[str, dict], result) -> None:
    """Append + Deduped with CDC deletes: per primary key the record with the highest syncCursor wins (the later one
    on a tie); a winning deletion removes the key."""
    for stream, records in result.records.items():
        key = STREAMS[stream][1]
        table = destination.setdefault(stream, {})
        for record in records:
            current = table.get(record[key])
            if current is None or parse_datetime(record["syncCursor"]) >= parse_datetime(current["syncCursor"]):
                table[record[key]] = record
    for table in destination.values():
        for record_id in [k for k, v in table.items() if v.get(DELETED_AT) is not None]:
            del table[record_id]


def test_a_deletion_is_reported_once_by_the_next_sync(account, tmp_path):
    sandbox, config, catalog, schemas = account
    world = sandbox.world
    first = _read(tmp_path / "sync1", config, catalog)
    assert not any(_deletions(first, stream) for stream in STREAMS), "a first sync has nothing to compare with"
    states = _final_states(first)
    for stream in STREAMS:
        assert RangeSet.decode(_stream_state(states, stream)["knownIds"]) == RangeSet.from_ids(_truth_ids(sandbox, stream))
    destination: Dict[str, dict] = {}
    _apply(destination, first)

    # Between syncs: deletions of old and recent records, a record created and deleted unseen, a new live record.
    deleted = {}
    for stream, (resource, _key, _route) in STREAMS.items():
        existing = sorted(_truth_ids(sandbox, stream))
        deleted[stream] = {existing[0], existing[len(existing) // 2], existing[-1]}
        for record_id in deleted[stream]:
            world.delete(resource, record_id)
        world.delete(resource, world.create(resource))
    new_order = world.create("order")

    sandbox.reset_counters()
    second = _read(tmp_path / "sync2", config, catalog, state=states)
    assert invalid_records(schemas, second.records) == {}
    for stream, (_, key, options_route) in STREAMS.items():
        reports = _deletions(second, stream)
        assert sorted(r[key] for r in reports) == sorted(deleted[stream]), stream
        for report in reports:
            assert set(report) == {key, DELETED_AT, "syncCursor"}, report
            assert report[DELETED_AT].endswith("Z") and report["syncCursor"] == report[DELETED_AT]
        assert sandbox.counters()["requests_by_endpoint"][options_route] == 1
    assert new_order in {r["id"] for r in second.records["orders"] if DELETED_AT not in r}

    # Every delete record is printed before the first state message that no longer lists its id.
    for stream in STREAMS:
        key = STREAMS[stream][1]
        position_of_state_without_them = next(
            i
            for i, message in enumerate(second.messages)
            if message["type"] == "STATE"
            and message["state"]["stream"]["stream_descriptor"]["name"] == stream
            and not deleted[stream] & set(RangeSet.decode(message["state"]["stream"]["stream_state"].get("knownIds", "")))
        )
        last_delete = max(
            i
            for i, message in enumerate(second.messages)
            if message["type"] == "RECORD"
            and message["record"]["stream"] == stream
            and message["record"]["data"].get(DELETED_AT)
            and message["record"]["data"][key] in deleted[stream]
        )
        assert last_delete < position_of_state_without_them, stream

    states = _final_states(second)
    _apply(destination, second)
    for stream in STREAMS:
        assert set(destination[stream]) == _truth_ids(sandbox, stream), stream
        assert RangeSet.decode(_stream_state(states, stream)["knownIds"]) == RangeSet.from_ids(_truth_ids(sandbox, stream))

    third = _read(tmp_path / "sync3", config, catalog, state=states)
    assert not any(_deletions(third, stream) for stream in STREAMS), "a deletion is reported once"
    _apply(destination, third)
    for stream in STREAMS:
        assert set(destination[stream]) == _truth_ids(sandbox, stream), stream


def test_first_sync_from_a_state_of_before_this_feature_records_the_ids_and_reports_nothing(account, tmp_path):
    sandbox, config, catalog, _ = account
    first = _read(tmp_path / "sync1", config, catalog)
    old_states = []
    for state in _final_states(first):
        state["stream"]["stream_state"].pop("knownIds")  # what an earlier version of the connector saved
        old_states.append(state)
    victim = sorted(_truth_ids(sandbox, "orders"))[5]
    sandbox.world.delete("order", victim)

    second = _read(tmp_path / "sync2", config, catalog, state=old_states)
    assert not any(_deletions(second, stream) for stream in STREAMS)
    assert any("deletions are reported from the next sync on" in line for line in second.log_lines())
    states = _final_states(second)
    assert _stream_state(states, "orders")["syncCursor"]
    assert victim not in RangeSet.decode(_stream_state(states, "orders")["knownIds"])

    other = sorted(_truth_ids(sandbox, "orders"))[7]
    sandbox.world.delete("order", other)
    third = _read(tmp_path / "sync3", config, catalog, state=states)
    assert [r["id"] for r in _deletions(third, "orders")] == [other]


def test_setting_off_reports_nothing_costs_nothing_and_drops_the_ids(account, tmp_path):
    sandbox, config, catalog, _ = account
    first = _read(tmp_path / "sync1", config, catalog)
    victim = sorted(_truth_ids(sandbox, "contacts"))[3]
    sandbox.world.delete("contact", victim)
    sandbox.reset_counters()
    off = _read(tmp_path / "off", {**config, "report_deletions": False}, catalog, state=_final_states(first))
    assert not any(_deletions(off, stream) for stream in STREAMS)
    assert not [route for route in sandbox.counters()["requests_by_endpoint"] if route.startswith("OPTIONS")]
    for stream in STREAMS:
        assert "knownIds" not in _stream_state(_final_states(off), stream)


def test_cost_is_one_request_per_stream_per_sync(account, tmp_path):
    sandbox, config, catalog, _ = account
    states = _final_states(_read(tmp_path / "sync1", config, catalog))
    by_setting = {}
    for setting in (False, True):
        sandbox.reset_counters()
        _read(tmp_path / f"report-{setting}", {**config, "report_deletions": setting}, catalog, state=states)
        by_setting[setting] = dict(sandbox.counters()["requests_by_endpoint"])
    extra = {
        route: count - by_setting[False].get(route, 0)
        for route, count in by_setting[True].items()
        if count != by_setting[False].get(route, 0)
    }
    assert extra == {options_route: 1 for _, _, options_route in STREAMS.values()}


def test_without_options_the_ids_come_from_an_id_only_search(account, tmp_path):
    sandbox, config, catalog, _ = account
    states = _final_states(_read(tmp_path / "sync1", config, catalog))
    sandbox.set_options(options_unsupported=("order",))
    victim = sorted(_truth_ids(sandbox, "orders"))[10]
    sandbox.world.delete("order", victim)
    sandbox.reset_counters()
    second = _read(tmp_path / "sync2", config, catalog, state=states)
    assert [r["id"] for r in _deletions(second, "orders")] == [victim]
    assert any("OPTIONS order-service/order is unavailable (HTTP 405)" in line for line in second.log_lines())
    counts = sandbox.counters()["requests_by_endpoint"]
    assert counts["OPTIONS order-service/order"] == 1
    # The fallback pages through every order id: ceil(N/500) search pages on top of the incremental window's.
    orders = len(_truth_ids(sandbox, "orders"))
    assert counts["GET order-service/order-search"] >= math.ceil(orders / 500)


def test_a_listing_cut_short_is_not_taken_for_deletions(account, tmp_path):
    sandbox, config, catalog, _ = account
    states = _final_states(_read(tmp_path / "sync1", config, catalog))
    known = _stream_state(states, "orders")["knownIds"]
    victim = sorted(_truth_ids(sandbox, "orders"))[-2]
    sandbox.world.delete("order", victim)

    sandbox.set_options(options_cut_short=50)
    faulty = _read(tmp_path / "faulty", config, catalog, state=states)
    assert not any(_deletions(faulty, stream) for stream in STREAMS)
    assert any("No deletions are reported this sync" in line for line in faulty.log_lines())
    assert _stream_state(_final_states(faulty), "orders")["knownIds"] == known, "the known ids are kept for the next check"

    sandbox.set_options(options_cut_short=0)
    healed = _read(tmp_path / "healed", config, catalog, state=_final_states(faulty))
    assert [r["id"] for r in _deletions(healed, "orders")] == [victim]
    assert not _deletions(healed, "products") and not _deletions(healed, "contacts")


def test_full_refresh_reports_no_deletions(account, tmp_path):
    sandbox, config, _, _ = account
    discover = run_connector("discover", tmp_path / "d", config=config)
    catalog = configured_catalog(discover.catalog, ["orders"], sync_mode="full_refresh")
    sandbox.world.delete("order", sorted(_truth_ids(sandbox, "orders"))[0])
    sandbox.reset_counters()
    result = _read(tmp_path / "full", config, catalog)
    assert {r["id"] for r in result.records["orders"]} == _truth_ids(sandbox, "orders")
    assert not _deletions(result, "orders")
    assert "OPTIONS order-service/order" not in sandbox.counters()["requests_by_endpoint"]


PAYMENTS = {"customer_payments": "customer-payment", "supplier_payments": "supplier-payment"}


def test_payment_deletions_are_opt_in_and_listed_by_search(sandbox_factory, tmp_path):
    sandbox = sandbox_factory(SandboxOptions(seed=21, scale="small", throttle_cap=3000))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 3000}
    discover = run_connector("discover", tmp_path / "discover", config=config)
    catalog = configured_catalog(discover.catalog, list(PAYMENTS), sync_mode="incremental")
    schemas = {s["name"]: s["json_schema"] for s in discover.catalog["streams"]}

    def payment_ids(stream):
        return sorted(r["paymentId"] for r in sandbox.world.truth(PAYMENTS[stream]))

    default = _read(tmp_path / "default", config, catalog)
    assert all("knownIds" not in s["stream"]["stream_state"] for s in _final_states(default)), "off by default"

    opted_in = {**config, "report_payment_deletions": True}
    first = _read(tmp_path / "sync1", opted_in, catalog, state=_final_states(default))
    deleted = {}
    for stream, resource in PAYMENTS.items():
        deleted[stream] = payment_ids(stream)[1]
        sandbox.world.delete(resource, deleted[stream])
    sandbox.reset_counters()
    second = _read(tmp_path / "sync2", opted_in, catalog, state=_final_states(first))
    assert invalid_records(schemas, second.records) == {}
    for stream in PAYMENTS:
        reports = [r for r in second.records.get(stream, []) if r.get(DELETED_AT)]
        assert [r["paymentId"] for r in reports] == [deleted[stream]], stream
        assert RangeSet.decode(_stream_state(_final_states(second), stream)["knownIds"]) == RangeSet.from_ids(payment_ids(stream))
    # The price: the id-only search pages through every payment (500 per page) on top of the incremental window.
    counts = sandbox.counters()["requests_by_endpoint"]
    for stream, resource in PAYMENTS.items():
        assert counts[f"GET accounting-service/{resource}-search"] >= math.ceil(len(payment_ids(stream)) / 500) + 1
