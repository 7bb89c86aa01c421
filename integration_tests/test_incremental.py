"""Incremental sync that loses nothing (issue: windows, never-updated orders, lookback, checkpoints, resume).

Each test runs the real CLI against a sandbox whose clock the test controls, so changes can be placed exactly: on a
window boundary, on the saved cursor's second, as never-updated creations. The check is the one a warehouse user
makes: the union of every sync's records, latest per primary key, equals the account's data.
"""

from __future__ import annotations

import json
import math
import os
import signal
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List

import pytest

from integration_tests.connector_cli import configured_catalog, run_connector, start_read
from sandbox import Sandbox, SandboxOptions
from sandbox.world import Scale, World
from source_brightpearl.api.datetimes import parse_datetime

# stream -> (sandbox resource, primary key)
INCREMENTAL = {
    "orders": ("order", "id"),
    "products": ("product", "id"),
    "contacts": ("contact", "contactId"),
    "goods_out_notes": ("goods-out-note", "goodsOutNoteId"),
    "goods_in_notes": ("goods-in-note", "goodsNoteId"),
    "journals": ("journal", "id"),
    "customer_payments": ("customer-payment", "paymentId"),
    "supplier_payments": ("supplier-payment", "paymentId"),
    "goods_movements": ("goods-movement", "goodsMovementId"),
}
WINDOW = timedelta(days=180)  # manifest.yaml definitions.incremental.step


class Clock:
    """The sandbox's clock: real time unless a test pins it (every change it stamps must not be in the future)."""

    def __init__(self) -> None:
        self.pinned = None

    def __call__(self) -> datetime:
        return self.pinned or datetime.now(timezone.utc)


@pytest.fixture
def clocked_sandbox():
    clock = Clock()
    world = World(seed=11, scale=Scale.named("small"), clock=clock)
    with Sandbox(SandboxOptions(seed=11), world=world) as sandbox:
        yield sandbox, clock


def _final_states(messages) -> List[dict]:
    latest: Dict[str, dict] = {}
    for message in messages:
        if message["type"] == "STATE":
            latest[message["state"]["stream"]["stream_descriptor"]["name"]] = message["state"]
    return list(latest.values())


def _merge(union: Dict[str, Dict], records: Dict[str, List[dict]]) -> int:
    """Fold a sync's records into the union (latest wins, as append-dedup does); return how many re-read a key."""
    overlap = 0
    for stream, stream_records in records.items():
        key = INCREMENTAL[stream][1]
        target = union.setdefault(stream, {})
        for record in stream_records:
            overlap += record[key] in target
            target[record[key]] = record
    return overlap


def _assert_union_is_the_truth(sandbox, union: Dict[str, Dict]) -> None:
    for stream, (resource, key) in INCREMENTAL.items():
        truth = {record[key]: record for record in sandbox.world.truth(resource)}
        got = union.get(stream, {})
        missing = sorted(set(truth) - set(got))
        assert not missing, f"{stream}: {len(missing)} records missing, e.g. {missing[:5]}"
        stale = [
            record_id
            for record_id, expected in truth.items()
            if any(got[record_id].get(field) != value for field, value in expected.items() if value is not None)
        ]
        assert not stale, f"{stream}: {len(stale)} records stale, e.g. {stale[:5]}"


def _read(sandbox, workdir: Path, config: dict, catalog: dict, state=None):
    result = run_connector("read", workdir, config=config, catalog=catalog, state=state)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _catalog(config, workdir: Path) -> dict:
    discover = run_connector("discover", workdir, config=config)
    streams = {s["name"]: s for s in discover.catalog["streams"]}
    for name in INCREMENTAL:
        assert "incremental" in streams[name]["supported_sync_modes"], name
        assert streams[name]["default_cursor_field"] == ["syncCursor"]
    return configured_catalog(discover.catalog, list(INCREMENTAL), sync_mode="incremental")


def test_second_sync_after_changes_loses_nothing(clocked_sandbox, tmp_path):
    sandbox, clock = clocked_sandbox
    world = sandbox.world
    config = sandbox.config_with_tokens()
    start = parse_datetime(config["start_date"])
    catalog = _catalog(config, tmp_path / "discover")

    # Before the first sync: changes exactly on a window boundary and one second either side of it.
    boundary = start + WINDOW
    for offset in (timedelta(0), timedelta(milliseconds=-500), timedelta(milliseconds=500)):
        clock.pinned = boundary + offset
        world.create("order", never_updated=True)
    clock.pinned = None

    first = _read(sandbox, tmp_path / "sync1", config, catalog)
    states = _final_states(first.messages)
    assert {s["stream"]["stream_descriptor"]["name"] for s in states} == set(INCREMENTAL)
    union: Dict[str, Dict] = {}
    _merge(union, first.records)
    _assert_union_is_the_truth(sandbox, union)
    assert (
        len([m for m in first.messages if m["type"] == "STATE" and m["state"]["stream"]["stream_descriptor"]["name"] == "orders"])
        > 2
    ), "a multi-year first sync must checkpoint after each window"

    # Between syncs: updates, creations, never-updated creations, and a change on the saved cursor's exact second.
    orders_cursor = next(s for s in states if s["stream"]["stream_descriptor"]["name"] == "orders")["stream"]["stream_state"][
        "syncCursor"
    ]
    clock.pinned = parse_datetime(orders_cursor)
    oldest_order = next(iter(world.truth("order")))["id"]
    world.update("order", oldest_order)  # an order from two years ago, changed now
    world.create("order", never_updated=True)
    clock.pinned = None
    changed = {"order": 4, "product": 3, "contact": 3, "goods-movement": 2}
    for resource, count in changed.items():
        ids = [r[INCREMENTAL[next(s for s, v in INCREMENTAL.items() if v[0] == resource)][1]] for r in world.truth(resource)]
        for record_id in ids[:: max(1, len(ids) // count)][:count]:
            world.update(resource, record_id)
    sales_order = next(o["id"] for o in world.truth("order") if o["orderTypeCode"] == "SO")
    purchase_order = next(o["id"] for o in world.truth("order") if o["orderTypeCode"] == "PO")
    for resource in ("order", "product", "contact", "journal", "goods-movement"):
        world.create(resource)
    world.create("customer-payment", orderId=sales_order)
    world.create("supplier-payment", orderId=purchase_order)
    world.create("goods-out-note", orderId=sales_order)
    world.create("goods-in-note", orderId=purchase_order)
    world.create("order", never_updated=True)

    sandbox.reset_counters()
    second = _read(sandbox, tmp_path / "sync2", config, catalog, state=states)
    overlap = _merge(union, second.records)
    _assert_union_is_the_truth(sandbox, union)

    # The second sync re-reads only the lookback and the recent goods notes, not the account.
    emitted = sum(len(v) for v in second.records.values())
    total = sum(len(list(world.truth(resource))) for resource, _ in INCREMENTAL.values())
    assert emitted < total / 4, f"second sync emitted {emitted} of {total} records"
    assert overlap <= emitted


def test_cost_of_an_incremental_sync_follows_the_changes_not_the_account(sandbox_factory, tmp_path):
    sandbox = sandbox_factory(SandboxOptions(seed=5, scale=Scale(orders=3000, products=200, contacts=300)))
    world = sandbox.world
    config = sandbox.config_with_tokens()
    discover = run_connector("discover", tmp_path / "d", config=config)
    catalog = configured_catalog(discover.catalog, ["orders"], sync_mode="incremental")
    first = _read(sandbox, tmp_path / "s1", config, catalog)

    changes = 450
    ids = [r["id"] for r in world.truth("order")]
    for record_id in ids[:changes]:
        world.update("order", record_id)
    sandbox.reset_counters()
    second = _read(sandbox, tmp_path / "s2", config, catalog, state=_final_states(first.messages))
    counts = sandbox.counters()["requests_by_endpoint"]
    gets = counts.get("GET order-service/order/{ids}", 0)
    searches = counts.get("GET order-service/order-search", 0)
    emitted = len(second.records["orders"])
    assert changes <= emitted < changes + 100, "only the changes and the lookback are read again"
    # K changes: about K/200 GETs and K/500 search pages per window filter (updatedOn, createdOn), one window here;
    # not proportional to the 3,000 orders of the account.
    assert gets == math.ceil(emitted / 200)
    assert searches <= 2 * math.ceil(emitted / 500)


def test_killed_sync_resumes_from_its_last_checkpoint_without_a_gap(clocked_sandbox, tmp_path):
    sandbox, _ = clocked_sandbox
    world = sandbox.world
    config = sandbox.config_with_tokens()
    discover = run_connector("discover", tmp_path / "d", config=config)
    catalog = configured_catalog(discover.catalog, ["orders"], sync_mode="incremental")
    sandbox.set_options(latency_ms=60)  # slow enough to stop it between checkpoints

    process = start_read(config, catalog, tmp_path / "killed")
    messages, states_seen = [], 0
    for line in process.stdout:
        if line.startswith("{"):
            message = json.loads(line)
            messages.append(message)
            states_seen += message["type"] == "STATE"
            if states_seen == 2:
                os.kill(process.pid, signal.SIGKILL)
                break
    process.wait(timeout=30)
    assert states_seen == 2, "the sync ended before it could be interrupted"
    union: Dict[str, Dict] = {}
    _merge(union, {"orders": [m["record"]["data"] for m in messages if m["type"] == "RECORD"]})

    sandbox.set_options(latency_ms=0)
    world.create("order", never_updated=True)
    resumed = _read(sandbox, tmp_path / "resumed", config, catalog, state=_final_states(messages))
    _merge(union, resumed.records)
    truth = {r["id"] for r in world.truth("order")}
    assert set(union["orders"]) == truth


def _read_orders_from_state(sandbox, tmp_path, stream_state: dict):
    """A read of `orders` resuming from a hand-written state."""
    config = sandbox.config_with_tokens()
    discover = run_connector("discover", tmp_path / "d", config=config)
    catalog = configured_catalog(discover.catalog, ["orders"], sync_mode="incremental")
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"}, "stream_state": stream_state}}]
    return run_connector("read", tmp_path / "r", config=config, catalog=catalog, state=state)


def test_malformed_state_is_refused_with_a_clear_message(sandbox, tmp_path):
    result = _read_orders_from_state(sandbox, tmp_path, {"syncCursor": "yesterday"})
    assert result.returncode != 0
    [error] = result.errors
    assert "orders" in error["message"] and "Reset this stream" in error["message"]
    assert "Traceback" not in result.stdout
    assert not result.records


def test_future_state_is_refused(sandbox, tmp_path):
    result = _read_orders_from_state(sandbox, tmp_path, {"syncCursor": "2999-01-01T00:00:00Z"})
    assert result.returncode != 0 and "in the future" in result.errors[0]["message"]


def test_foreign_state_restarts_the_stream_safely(sandbox, tmp_path):
    result = _read_orders_from_state(sandbox, tmp_path, {"updatedOn": "2026-01-01"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert {r["id"] for r in result.records["orders"]} == {r["id"] for r in sandbox.world.truth("order")}
    assert any("not this connector's" in line for line in result.log_lines())
