"""The 200k world builds and answers its first order-search quickly. Timings are printed, not asserted: this
machine is shared and its load varies."""

from __future__ import annotations

import time

from sandbox.world import Scale, World

from .conftest import Clock


def test_200k_world_builds_and_serves(capsys):
    started = time.perf_counter()
    world = World(seed=1, scale=Scale.named("200k"), clock=Clock())
    built = time.perf_counter()
    rows = world.search_table("order-search").rows()
    searched = time.perf_counter()
    orders = world.collection("order")
    bodies = [orders.get_json(i) for i in orders.ids()[:200]]
    fetched = time.perf_counter()
    with capsys.disabled():
        print(
            f"\n200k world: construct {built - started:.2f}s, first order-search rows {searched - built:.2f}s, "
            f"200 order GETs {fetched - searched:.2f}s"
        )
    assert len(rows) == 200_000 and len(orders.ids()) == 200_000
    assert all(bodies)
