"""Records changing while a multi-page search is paged (issue 17): nothing is skipped, nothing left stale.

The sandbox answers with latency and a hook changes the world after search pages — the way a live account keeps
moving during a sync: orders, products and contacts already read are updated out of the window (every later row
shifts up), others are deleted, new ones are created. The check is what a warehouse user sees: the records of the
sync and of the next one (from the state it saved), latest per primary key, equal the account's data. Paging by
`lastResult + 1` fails these tests (one row skipped per change; the state moves past it).

Each test prints the request cost against the floor (ceil(N / 500) search pages per window filter and
ceil(N / 200) GETs for N records), for docs/performance.md.
"""

from __future__ import annotations

import math
import random
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional

from integration_tests.connector_cli import configured_catalog, run_connector
from sandbox import SandboxOptions
from sandbox.world import Scale, World

# stream -> (sandbox resource, primary key, search endpoint, detail GET endpoint)
STREAMS = {
    "orders": ("order", "id", "GET order-service/order-search", "GET order-service/order/{ids}"),
    "products": ("product", "id", "GET product-service/product-search", "GET product-service/product/{ids}"),
    "contacts": ("contact", "contactId", "GET contact-service/contact-search", "GET contact-service/contact/{ids}"),
}
ACCOUNT = Scale(orders=3000, products=1300, contacts=1300)
CHANGED_BEFORE_SYNC = {"orders": 1600, "products": 1100, "contacts": 1100}
FAST = 5000  # requests per minute: the sandbox's pace, not Brightpearl's (pacing has its own tests)


def _final_states(result) -> List[dict]:
    latest: Dict[str, dict] = {}
    for state in result.states:
        latest[state["stream"]["stream_descriptor"]["name"]] = state
    return list(latest.values())


def _read(config, catalog, workdir, state=None):
    result = run_connector("read", workdir, config=config, catalog=catalog, state=state)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _fold(union: Dict[str, Dict], result) -> None:
    for stream, records in result.records.items():
        key = STREAMS[stream][1]
        for record in records:
            union.setdefault(stream, {})[record[key]] = record


def _assert_union_is_the_truth(world, union: Dict[str, Dict]) -> None:
    for stream, (resource, key, _, _) in STREAMS.items():
        got = union.get(stream, {})
        truth = {record[key]: record for record in world.truth(resource)}
        missing = sorted(set(truth) - set(got))
        assert not missing, f"{stream}: {len(missing)} records never emitted, e.g. {missing[:5]}"
        stale = [
            record_id
            for record_id, expected in truth.items()
            if any(got[record_id].get(field) != value for field, value in expected.items() if value is not None)
        ]
        assert not stale, f"{stream}: {len(stale)} records left at an old version, e.g. {stale[:5]}"


class Clock:
    """The sandbox's clock: real time unless pinned (a change it stamps must never be in the future)."""

    def __init__(self) -> None:
        self.pinned: Optional[datetime] = None

    def __call__(self) -> datetime:
        return self.pinned or datetime.now(timezone.utc)


def _setup(sandbox_factory, tmp_path, streams, clock=None):
    world = None
    if clock:
        # The world's seeded history ends at the account's last midnight before it is built. Built as of a day ago,
        # every seeded change precedes the changes a test stamps "ten minutes ago", whatever the time of day (built
        # now, a test run in the first minutes after the account's midnight stamped them before seeded ones).
        clock.pinned = datetime.now(timezone.utc) - timedelta(days=1)
        world = World(seed=17, scale=ACCOUNT, clock=clock)
        clock.pinned = None
    sandbox = sandbox_factory(SandboxOptions(seed=17, scale=ACCOUNT), world=world)
    config = {**sandbox.config_with_tokens(), "requests_per_minute": FAST}
    discover = run_connector("discover", tmp_path / "discover", config=config)
    catalog = configured_catalog(discover.catalog, streams, sync_mode="incremental")
    return sandbox, config, catalog


def _cost(sandbox, result, streams) -> Dict[str, dict]:
    counts = sandbox.counters()["requests_by_endpoint"]
    moved = sum("moved while it was paged" in line for line in result.log_lines())
    cost = {}
    for stream in streams:
        _, _, search, detail = STREAMS[stream]
        emitted = len(result.records.get(stream, []))
        cost[stream] = {
            "records": emitted,
            "search_pages": counts.get(search, 0),
            "gets": counts.get(detail, 0),
            "get_floor": math.ceil(emitted / 200),
        }
    print(f"request cost ({moved} step-backs logged): {cost}")
    return cost


def test_changes_while_paging_are_all_delivered_by_this_sync_or_the_next(sandbox_factory, tmp_path):
    clock = Clock()
    sandbox, config, catalog = _setup(sandbox_factory, tmp_path, list(STREAMS), clock)
    world = sandbox.world
    union: Dict[str, Dict] = {}
    first = _read(config, catalog, tmp_path / "sync1")
    _fold(union, first)

    # Many records changed ten minutes before the next sync (before the default 5-minute lookback of the sync after
    # it, which so cannot make up for a row skipped now): its one window holds several pages of each stream.
    clock.pinned = datetime.now(timezone.utc) - timedelta(minutes=10)
    changed: Dict[str, List[int]] = {}
    for stream, count in CHANGED_BEFORE_SYNC.items():
        resource, key, _, _ = STREAMS[stream]
        changed[stream] = sorted(record[key] for record in world.truth(resource))[:count]
        for record_id in changed[stream]:
            world.update(resource, record_id)
    clock.pinned = None

    # While the next sync pages: after every search page of a time window, records it already read (the lowest ids
    # of the window) are updated out of the window, one is deleted, and one is created.
    rng = random.Random(17)
    by_search = {search: stream for stream, (_, _, search, _) in STREAMS.items()}
    mutations = {"updated": 0, "deleted": 0, "created": 0}

    def move_records(endpoint, request, response):
        stream = by_search.get(endpoint)
        if stream is None or response.status != 200 or not request.param("updatedOn"):
            return
        resource = STREAMS[stream][0]
        pool = changed[stream]
        for _ in range(3):
            world.update(resource, pool.pop(rng.randrange(min(len(pool), 50))))
            mutations["updated"] += 1
        world.delete(resource, pool.pop(rng.randrange(min(len(pool), 50))))
        mutations["deleted"] += 1
        if stream == "orders":
            world.create(resource, never_updated=True)
        else:
            world.create(resource)
        mutations["created"] += 1

    sandbox.set_options(latency_ms=15)
    sandbox.reset_counters()
    sandbox.add_hook(move_records)
    second = _read(config, catalog, tmp_path / "sync2", state=_final_states(first))
    sandbox.remove_hook(move_records)
    _fold(union, second)
    assert mutations["updated"] >= 3 * 3 * 2, mutations  # at least two pages of each stream were followed by changes
    assert any("moved while it was paged" in line for line in second.log_lines())
    cost = _cost(sandbox, second, list(STREAMS))
    for stream, numbers in cost.items():
        assert numbers["gets"] <= numbers["get_floor"] + 2, (stream, numbers)

    third = _read(config, catalog, tmp_path / "sync3", state=_final_states(second))
    _fold(union, third)
    _assert_union_is_the_truth(world, union)


def test_a_live_account_changing_every_few_milliseconds_loses_nothing(sandbox_factory, tmp_path):
    # No hook: a background thread changes orders at random while the connector pages with latency, as on a live
    # account. Whatever the interleaving, the sync and the next one deliver every order at its latest version.
    clock = Clock()
    sandbox, config, catalog = _setup(sandbox_factory, tmp_path, ["orders"], clock)
    world = sandbox.world
    union: Dict[str, Dict] = {}
    first = _read(config, catalog, tmp_path / "sync1")
    _fold(union, first)
    ids = sorted(record["id"] for record in world.truth("order"))
    clock.pinned = datetime.now(timezone.utc) - timedelta(minutes=10)  # beyond the next sync's lookback
    for record_id in ids[:1600]:
        world.update("order", record_id)
    clock.pinned = None

    stop = threading.Event()
    rng = random.Random(3)

    def live_account():
        while not stop.is_set():
            world.update("order", ids[rng.randrange(1600)])
            if rng.random() < 0.1:
                world.create("order", never_updated=rng.random() < 0.5)
            time.sleep(0.01)

    sandbox.set_options(latency_ms=25)
    changer = threading.Thread(target=live_account, daemon=True)
    changer.start()
    try:
        second = _read(config, catalog, tmp_path / "sync2", state=_final_states(first))
    finally:
        stop.set()
        changer.join(timeout=10)
    _fold(union, second)
    sandbox.set_options(latency_ms=0)
    third = _read(config, catalog, tmp_path / "sync3", state=_final_states(second))
    _fold(union, third)
    truth = {record["id"]: record for record in world.truth("order")}
    assert set(truth) <= set(union["orders"])
    stale = [i for i, record in truth.items() if union["orders"][i].get("updatedOn") != record.get("updatedOn")]
    assert not stale, f"{len(stale)} orders left at an old version"


def test_full_refresh_while_records_are_created_and_deleted(sandbox_factory, tmp_path):
    sandbox = sandbox_factory(SandboxOptions(seed=17, scale=ACCOUNT))
    world = sandbox.world
    config = {**sandbox.config_with_tokens(), "requests_per_minute": FAST}
    discover = run_connector("discover", tmp_path / "discover", config=config)
    catalog = configured_catalog(discover.catalog, ["orders", "products", "contacts"])
    initial = {stream: {r[STREAMS[stream][1]] for r in world.truth(STREAMS[stream][0])} for stream in STREAMS}
    deleted: Dict[str, set] = {stream: set() for stream in STREAMS}
    by_search = {search: stream for stream, (_, _, search, _) in STREAMS.items()}
    rng = random.Random(5)

    def churn(endpoint, request, response):
        stream = by_search.get(endpoint)
        if stream is None or response.status != 200:
            return
        resource, key, _, _ = STREAMS[stream]
        present = sorted(initial[stream] - deleted[stream])
        for _ in range(4):  # rows already read leave: every later row shifts up
            victim = present.pop(rng.randrange(min(len(present), 300)))
            world.delete(resource, victim)
            deleted[stream].add(victim)
        world.create(resource)

    sandbox.reset_counters()
    sandbox.add_hook(churn)
    result = run_connector("read", tmp_path / "read", config=config, catalog=catalog)
    sandbox.remove_hook(churn)
    assert result.returncode == 0, result.stderr[-3000:]
    for stream, (_, key, _, _) in STREAMS.items():
        emitted = {record[key] for record in result.records[stream]}
        survivors = initial[stream] - deleted[stream]
        missing = survivors - emitted
        assert not missing, f"{stream}: {len(missing)} records present throughout were skipped"
        assert len(emitted) == len(result.records[stream]), f"{stream}: a record was emitted twice"
    _cost(sandbox, result, list(STREAMS))
