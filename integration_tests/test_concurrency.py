"""Several requests in flight under one budget, and the invariants that must survive it (issue: concurrent reads).

Each test runs the real CLI against a sandbox that answers with latency, served concurrently (each request sleeps
on its own server thread), so the connector's workers really overlap: the sandbox's `max_in_flight` counter says
how many requests it was serving at once. No timing is asserted; speed is measured in bench/ (docs/performance.md).
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Dict, List

from integration_tests.connector_cli import configured_catalog, start_read
from sandbox import SandboxOptions
from sandbox.world import Scale
from source_brightpearl.api.datetimes import parse_datetime

ACCOUNT = Scale(orders=3000, products=300, contacts=400)
ENTITIES = {"orders": ("order", "id"), "products": ("product", "id"), "contacts": ("contact", "contactId")}
SEARCH_THEN_GET = {
    "orders": ("order-service/order-search", "order-service/order/{ids}"),
    "products": ("product-service/product-search", "product-service/product/{ids}"),
    "contacts": ("contact-service/contact-search", "contact-service/contact/{ids}"),
}


def _catalog(connector, config, streams, sync_mode="full_refresh"):
    discover = connector("discover", config=config)
    assert discover.returncode == 0, discover.stderr[-2000:]
    return configured_catalog(discover.catalog, streams, sync_mode=sync_mode)


def _search_pages(rows: int) -> int:
    """Pages of a search of `rows` rows: 500 a page, each after the first re-reading one row (the stable paging's
    overlap, source_brightpearl/api/stable_paging.py)."""
    return max(1, math.ceil((rows - 1) / 499))


def _keys(records: List[dict], key: str) -> List:
    return [record[key] for record in records]


def test_concurrent_full_read_is_complete_at_the_floor_with_bounded_requests_in_flight(sandbox_factory, connector):
    workers = 6
    sandbox = sandbox_factory(SandboxOptions(seed=4, scale=ACCOUNT, latency_ms=60))
    config = {**sandbox.config_with_tokens(), "num_workers": workers}
    catalog = _catalog(connector, config, list(ENTITIES))
    sandbox.reset_counters()

    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    counters = sandbox.counters()

    for stream, (resource, key) in ENTITIES.items():
        emitted = _keys(read.records[stream], key)
        assert len(emitted) == len(set(emitted)), f"{stream}: an id was emitted twice"
        assert set(emitted) == {r[key] for r in sandbox.world.truth(resource)}, stream
    # Exactly the floor: search pages (none fetched ahead in vain), GETs of 200, one account check.
    floor = 1
    for stream, (search, get) in SEARCH_THEN_GET.items():
        count = len(read.records[stream])
        assert counters["requests_by_endpoint"].get(f"GET {search}") == _search_pages(count), stream
        assert counters["requests_by_endpoint"].get(f"GET {get}") == math.ceil(count / 200), stream
        floor += _search_pages(count) + math.ceil(count / 200)
    assert counters["api_requests"] == floor
    # Several requests overlapped, and never more than the pool plus one per stream being read: answers waiting to
    # be emitted are bounded the same way, so memory stays flat however long the search runs ahead.
    assert 2 < counters["max_in_flight"] <= workers + len(ENTITIES), counters["max_in_flight"]


def test_estimates_come_early_and_cost_no_request(sandbox_factory, connector):
    sandbox = sandbox_factory(SandboxOptions(seed=4, scale=ACCOUNT, latency_ms=20))
    config = sandbox.config_with_tokens()
    streams = ["orders", "journals", "goods_in_notes", "customer_payments"]
    catalog = _catalog(connector, config, streams)
    sandbox.reset_counters()

    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    positions: Dict[str, List[int]] = {}
    estimates: Dict[str, List[int]] = {}
    for position, message in enumerate(read.messages):
        if message["type"] == "RECORD":
            positions.setdefault(message["record"]["stream"], []).append(position)
        elif message["type"] == "TRACE" and message["trace"]["type"] == "ESTIMATE":
            estimate = message["trace"]["estimate"]
            assert estimate["type"] == "STREAM"
            estimates.setdefault(estimate["name"], []).append(position)
            estimates.setdefault(estimate["name"] + ":rows", []).append(estimate["row_estimate"])
    for stream in streams:
        assert stream in estimates, f"no estimate for {stream}"
        # Out as soon as the first search answered: before the stream's records are done (here: before its first).
        assert estimates[stream][0] < positions[stream][0], stream
        records = len(read.records[stream])
        final = estimates[stream + ":rows"][-1]
        # Journals and goods-in notes search one row per line: their estimate counts distinct ids, not rows.
        assert abs(final - records) <= 0.1 * records, (stream, final, records)
    assert any("records to read" in line for line in read.log_lines())
    # No request beyond the reads themselves: the searches' own counts feed the estimates.
    counters = sandbox.counters()["requests_by_endpoint"]
    assert counters["GET order-service/order-search"] == _search_pages(len(read.records["orders"]))
    assert counters["GET accounting-service/customer-payment-search"] == _search_pages(len(read.records["customer_payments"]))


def _state_cursor(message: dict):
    value = (message["state"]["stream"].get("stream_state") or {}).get("syncCursor")
    return parse_datetime(value) if value else None


def test_incremental_windows_read_at_once_checkpoint_only_after_their_records(sandbox_factory, connector):
    sandbox = sandbox_factory(SandboxOptions(seed=6, scale=ACCOUNT, latency_ms=40))
    config = {**sandbox.config_with_tokens(), "num_workers": 8}
    catalog = _catalog(connector, config, list(ENTITIES), sync_mode="incremental")
    sandbox.reset_counters()

    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    assert sandbox.counters()["max_in_flight"] > 3, "the windows should have been read concurrently"
    for stream, (resource, key) in ENTITIES.items():
        emitted = _keys(read.records[stream], key)
        assert len(emitted) == len(set(emitted)), f"{stream}: an id was emitted twice"
        assert set(emitted) == {r[key] for r in sandbox.world.truth(resource)}, stream
        # A STATE says "everything before this cursor is delivered": no record of the stream that comes after it in
        # the output may have a cursor below it (windows finish out of order; the state must wait for them).
        states = 0
        later_minimum = None
        for message in reversed(read.messages):
            if message["type"] == "RECORD" and message["record"]["stream"] == stream:
                cursor = parse_datetime(message["record"]["data"]["syncCursor"])
                later_minimum = cursor if later_minimum is None else min(later_minimum, cursor)
            elif message["type"] == "STATE" and message["state"]["stream"]["stream_descriptor"]["name"] == stream:
                state = _state_cursor(message)
                states += 1
                assert state is None or later_minimum is None or later_minimum >= state, (
                    f"{stream}: STATE {state} came before a record at {later_minimum}"
                )
        assert states > 2, f"{stream}: a multi-window sync must checkpoint after windows"


def test_killed_concurrent_read_resumes_from_its_last_state_without_loss(sandbox_factory, tmp_path, connector):
    sandbox = sandbox_factory(SandboxOptions(seed=7, scale=ACCOUNT, latency_ms=80))
    config = {**sandbox.config_with_tokens(), "num_workers": 8}
    catalog = _catalog(connector, config, list(ENTITIES), sync_mode="incremental")
    process = start_read(config, catalog, tmp_path / "killed")
    messages = []
    states = 0
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("{"):
            message = json.loads(line)
            messages.append(message)
            states += message["type"] == "STATE"
            if states == 4:  # mid-way, with windows of several streams in flight
                os.kill(process.pid, signal.SIGKILL)
                break
    process.wait(timeout=30)
    assert states == 4, "the read ended before it could be interrupted"
    last_states: Dict[str, dict] = {}
    for message in messages:
        if message["type"] == "STATE":
            last_states[message["state"]["stream"]["stream_descriptor"]["name"]] = message["state"]

    resumed = connector("read", config=config, catalog=catalog, state=list(last_states.values()))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    for stream, (resource, key) in ENTITIES.items():
        before = {m["record"]["data"][key] for m in messages if m["type"] == "RECORD" and m["record"]["stream"] == stream}
        after = set(_keys(resumed.records.get(stream, []), key))
        assert before | after == {r[key] for r in sandbox.world.truth(resource)}, stream


def _wait_for(predicate, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


def _read_in_background(config: dict, catalog: dict, workdir: Path):
    process = start_read(config, catalog, workdir, stderr=subprocess.PIPE)
    output: Dict[str, str] = {}

    def drain() -> None:
        out, err = process.communicate(timeout=600)
        output["stdout"], output["stderr"] = out, err

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    return process, reader, output


def test_single_use_refresh_token_is_spent_once_when_requests_in_flight_get_401_together(sandbox_factory, connector, tmp_path):
    # Rotating (single-use) refresh tokens. While the read has several requests in flight, every access token
    # expires: those requests all come back 401. Exactly one refresh may follow; a second one would spend the
    # refresh token already used (invalid_grant) or rotate for nothing.
    sandbox = sandbox_factory(SandboxOptions(seed=8, scale=ACCOUNT, latency_ms=300, rotate_refresh_tokens=True))
    config = {**sandbox.config_with_tokens(), "num_workers": 8}
    catalog = _catalog(connector, config, list(ENTITIES))
    sandbox.reset_counters()

    process, reader, output = _read_in_background(config, catalog, tmp_path / "read")
    _wait_for(lambda: sandbox.counters()["in_flight"] >= 4 or process.poll() is not None, "4 requests in flight")
    sandbox.expire_access_tokens()
    reader.join(600)
    assert process.returncode == 0, output.get("stderr", "")[-3000:]

    messages = [json.loads(line) for line in output["stdout"].splitlines() if line.startswith("{")]
    counters = sandbox.counters()
    assert counters["unauthorized"] >= 2, "several requests in flight should have met the expired token together"
    assert counters["token_grants"] == {"refresh_token": {"success": 1}}
    controls = [m for m in messages if m["type"] == "CONTROL"]
    assert len(controls) == 1, "one rotation, one CONTROL message"
    assert controls[0]["control"]["connectorConfig"]["config"]["refresh_token"] != config["refresh_token"]
    records: Dict[str, set] = {}
    for message in messages:
        if message["type"] == "RECORD":
            stream = message["record"]["stream"]
            records.setdefault(stream, set()).add(message["record"]["data"][ENTITIES[stream][1]])
    for stream, (resource, key) in ENTITIES.items():
        assert records[stream] == {r[key] for r in sandbox.world.truth(resource)}, stream


def test_after_a_503_the_other_workers_wait_for_the_window(sandbox_factory, connector, tmp_path):
    # Other apps use up the account's quota for 4 windows of 2 s while the read has requests in flight. The first
    # 503 must hold every worker until the window ends, then one request probes the next window. Without that,
    # each of the ~9 requests in flight would retry into every exhausted window on its own (about 3 times each).
    workers = 6
    sandbox = sandbox_factory(SandboxOptions(seed=9, scale=ACCOUNT, latency_ms=150, throttle_window=2.0))
    config = {**sandbox.config_with_tokens(), "num_workers": workers}
    catalog = _catalog(connector, config, list(ENTITIES))
    sandbox.reset_counters()

    process, reader, output = _read_in_background(config, catalog, tmp_path / "read")
    _wait_for(lambda: sandbox.counters()["in_flight"] >= 4 or process.poll() is not None, "4 requests in flight")
    sandbox.exhaust_quota(4)
    reader.join(600)
    assert process.returncode == 0, output.get("stderr", "")[-3000:]
    counters = sandbox.counters()
    in_flight_at_most = workers + len(ENTITIES)
    assert 0 < counters["throttled"] <= in_flight_at_most + 4 + 1, counters["throttled"]
    assert "every request waits" in output["stdout"]


def test_the_remaining_header_keeps_a_small_window_free_of_503s(sandbox_factory, connector):
    # The connector is allowed 6000 a minute and keeps up to 8 requests in flight, but each 1.5 s window of the
    # account holds only 6: the answers' `brightpearl-requests-remaining` must hold the workers back, window by
    # window, instead of letting them find the limit by 503s.
    sandbox = sandbox_factory(SandboxOptions(seed=3, scale=ACCOUNT, latency_ms=50, throttle_cap=6, throttle_window=1.5))
    config = {**sandbox.config_with_tokens(), "requests_per_minute": 6000, "num_workers": 8}
    catalog = _catalog(connector, config, ["orders", "contacts"])
    sandbox.set_options(throttle_cap=6, throttle_window=1.5, latency_ms=50)
    sandbox.reset_counters()
    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    counters = sandbox.counters()
    assert counters["api_requests"] > 6 * 3, "the read must span several windows"
    assert counters["throttled"] <= 2, counters["throttled"]
    assert len(read.records["orders"]) == len({r["id"] for r in read.records["orders"]}) == 3000
