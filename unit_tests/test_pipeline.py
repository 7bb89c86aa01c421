"""The request pipeline (components/retrievers/pipeline.py): order, bounds, failures, and no deadlock."""

import threading
import time

import pytest

from source_brightpearl.components.retrievers.pipeline import Prefetch, RequestPool, configured_workers, ordered_map
from source_brightpearl.resources import load_spec


class CountingCall:
    """A call that takes `seconds` and returns its argument, counting the most calls that ran at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.most = 0
        self._running = 0
        self._lock = threading.Lock()

    def __call__(self, n):
        with self._lock:
            self._running += 1
            self.most = max(self.most, self._running)
        time.sleep(self.seconds)
        with self._lock:
            self._running -= 1
        return n


def test_results_come_out_in_submission_order_whatever_finishes_first():
    pool = RequestPool(4)

    def slow_for_small(n):
        time.sleep(0.02 * (5 - n % 5))
        return n * 10

    assert list(ordered_map(pool, slow_for_small, range(20), depth=4)) == [n * 10 for n in range(20)]


def test_in_flight_calls_never_exceed_the_pool_and_items_are_pulled_lazily():
    pool = RequestPool(3)
    call, pulled = CountingCall(0.01), []

    def items():
        for n in range(30):
            pulled.append(n)
            yield n

    results = ordered_map(pool, call, items(), depth=3)
    assert next(results) == 0
    assert len(pulled) <= 4, "items are taken only as results are consumed"
    assert list(results) == list(range(1, 30))
    assert call.most <= 3


def test_lookahead_grows_when_the_caller_waits_on_a_slow_call():
    pool = RequestPool(6)
    slow = CountingCall(0.03)

    assert list(ordered_map(pool, slow, range(40), depth=6)) == list(range(40))
    assert slow.most >= 4, "a slow API should get several calls in flight"


def test_passthrough_items_keep_their_place_and_take_no_slot():
    pool = RequestPool(2)
    items = [1, "note", 2, 3, "end"]
    out = list(ordered_map(pool, lambda n: n * 2, items, depth=2, passthrough=lambda item: isinstance(item, str)))
    assert out == [2, "note", 4, 6, "end"]


def test_an_exception_reaches_the_caller_in_order_and_frees_the_slots():
    pool = RequestPool(2)

    def call(n):
        if n == 3:
            raise ValueError("boom")
        return n

    results = ordered_map(pool, call, range(10), depth=2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="boom"):
        next(results)
    time.sleep(0.1)  # discarded calls finish and give their slots back
    assert list(ordered_map(pool, lambda n: n, range(5), depth=2)) == list(range(5))


def test_streams_sharing_a_full_pool_never_deadlock():
    # Two pipelines on a one-slot pool, consumed in lock step by one thread: whoever finds no slot free makes its
    # call in place instead of waiting for the other.
    pool = RequestPool(1)
    first = ordered_map(pool, lambda n: n, range(50), depth=1)
    second = ordered_map(pool, lambda n: -n, range(50), depth=1)
    got = [(next(first), next(second)) for _ in range(50)]
    assert got == [(n, -n) for n in range(50)]


def test_prefetch_serves_pages_asked_for_in_order_and_drops_them_on_a_restart():
    pool = RequestPool(2)
    fetched = []

    def page(position):
        def fetch():
            fetched.append(position)
            return f"page {position}"

        return fetch

    with Prefetch(pool, depth=2) as prefetch:
        assert prefetch.get(1, page(1)) == "page 1"
        prefetch.ahead((p, page(p)) for p in (501, 1001, 1501))
        assert prefetch.get(501, page(501)) == "page 501"
        # A restart asks for page 1 again: what was fetched ahead is dropped, page 1 is fetched in place.
        assert prefetch.get(1, page(1)) == "page 1"
    assert sorted(fetched).count(1) == 2 and 1501 not in fetched


def test_num_workers_defaults_to_the_spec():
    default = load_spec()["connectionSpecification"]["properties"]["num_workers"]["default"]
    assert configured_workers({}) == default
    assert configured_workers({"num_workers": 3}) == 3


def test_the_manifests_worker_default_is_the_specs():
    from airbyte_cdk.sources.declarative.concurrency_level import ConcurrencyLevel

    from source_brightpearl.config import prepared_config
    from source_brightpearl.resources import load_manifest

    level = load_manifest()["concurrency_level"]
    spec = load_spec()["connectionSpecification"]["properties"]["num_workers"]

    def workers(config):
        return ConcurrencyLevel(
            level["default_concurrency"], level["max_concurrency"], config=config, parameters={}
        ).get_concurrency_level()

    assert workers(prepared_config({})) == spec["default"] == configured_workers({})
    assert workers(prepared_config({"num_workers": 3})) == 3
    assert level["max_concurrency"] == spec["maximum"]
