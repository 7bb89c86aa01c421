"""Determinism, laziness independence, time rules, null omission and the scale presets."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from sandbox.world import Scale, World

from .conftest import FIXED_NOW, Clock

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(-06:00|Z)$")
PERIOD_END = re.compile(r"^\d{4}-\d{2}-\d{2}T23:59:59:999Z$")


def _everything(world: World, reverse: bool = False) -> dict:
    """Every served payload of a world, visiting records in the given order."""
    out: dict = {}
    names = world.collection_names()
    for name in reversed(names) if reverse else names:
        collection = world.collection(name)
        ids = collection.ids()
        for i in reversed(ids) if reverse else ids:
            out[(name, i)] = collection.get_json(i, frozenset({"customFields", "nullCustomFields"}))
    for name in world.search_table_names():
        table = world.search_table(name)
        out[name] = (table.rows(), table.reference())
    for name in world.static_list_names():
        out[name] = world.static_list(name).records()
    return out


def test_same_seed_and_scale_give_identical_payloads():
    a = World(seed=3, scale=Scale.named("small"), clock=Clock())
    b = World(seed=3, scale=Scale.named("small"), clock=Clock(FIXED_NOW.replace(hour=20)))  # same local day
    assert _everything(a) == _everything(b)


def test_laziness_does_not_change_output():
    """Derivations read only seeded state and per-record generators: visiting records in another order (and
    building the goods and ledger passes first) gives the same bytes."""
    a = World(seed=5, scale=Scale.named("small"), clock=Clock())
    b = World(seed=5, scale=Scale.named("small"), clock=Clock())
    b.search_table("journal-search").rows()
    b.search_table("goods-movement-search").rows()
    assert _everything(a) == _everything(b, reverse=True)


def test_different_seeds_differ():
    a = World(seed=1, scale=Scale.named("tiny"), clock=Clock())
    b = World(seed=2, scale=Scale.named("tiny"), clock=Clock())
    assert a.search_table("order-search").rows() != b.search_table("order-search").rows()


def test_tiny_world_has_a_handful_of_everything():
    world = World(seed=1, scale=Scale.named("tiny"), clock=Clock())
    assert len(world.collection("order").ids()) == 12
    assert len(world.collection("product").ids()) == 8
    assert len(world.collection("contact").ids()) == 8
    assert {r[1] for r in world.search_table("order-search").rows()} == {1, 2, 3, 4}
    for name in world.search_table_names():
        if name not in ("goods-in-search", "supplier-payment-search", "goods-movement-search"):
            assert world.search_table(name).rows(), name


@pytest.mark.parametrize("name", ["tiny", "small", "20k", "100k", "200k"])
def test_scale_presets(name):
    scale = Scale.named(name).resolved()
    assert scale.orders > 0 and scale.products > 0 and scale.contacts > scale.staff + scale.suppliers
    assert 2 <= scale.warehouses <= 6


def _strings(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, path + "[]")
    elif isinstance(value, str):
        yield path, value


def _nulls(value, path=""):
    if value is None:
        yield path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _nulls(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from _nulls(v, path + "[]")


def test_get_records_never_contain_null(small_world):
    for name in small_world.collection_names():
        collection = small_world.collection(name)
        for i in collection.ids():
            record = collection.get(i, frozenset({"customFields", "nullCustomFields"}))
            assert not list(_nulls(record)), (name, i, list(_nulls(record)))
    for name in small_world.static_list_names():
        assert not list(_nulls(small_world.static_list(name).records())), name


def test_datetimes_are_in_the_account_offset_with_millis(small_world):
    for name in small_world.collection_names():
        collection = small_world.collection(name)
        for i in collection.ids():
            for path, text in _strings(collection.get(i)):
                if re.match(r"^\d{4}-\d{2}-\d{2}T", text):
                    if name == "accounting-period" and path == ".endDate":
                        assert PERIOD_END.match(text), text
                    else:
                        assert DATETIME.match(text), (name, path, text)
                        assert name == "accounting-period" or text.endswith("-06:00"), (name, path, text)


def test_updated_on_has_some_non_zero_millis(small_world):
    stamps = [r[9] for r in small_world.search_table("order-search").rows() if r[9]]
    assert any(not s.endswith(".000-06:00") for s in stamps)


def test_never_updated_orders(small_world):
    rows = small_world.search_table("order-search").rows()
    never = [r for r in rows if r[9] is None]
    assert 0.2 < len(never) / len(rows) < 0.4
    orders = small_world.collection("order")
    for row in never:
        assert "updatedOn" not in orders.get(row[0])
    for row in rows:
        if row[9] is not None:
            assert small_world.ctx.tf.parse(row[9]) >= small_world.ctx.tf.parse(row[5])


def test_seeded_history_spans_two_years_before_the_anchor(small_world):
    tf = small_world.ctx.tf
    created = [tf.parse(r[5]) for r in small_world.search_table("order-search").rows()]
    assert created == sorted(created)  # ascending with id
    anchor = small_world.ctx.anchor_ms
    assert anchor - created[0] > 700 * 86_400_000 and created[-1] < anchor
    assert anchor <= int(FIXED_NOW.timestamp() * 1000)


def test_account_configuration_matches_the_offset():
    world = World(seed=1, scale=Scale.named("tiny"), tz_offset="+10:00", clock=lambda: datetime(2026, 1, 1, tzinfo=timezone.utc))
    config = world.account_configuration()
    assert config["timeZone"] == "Australia/Brisbane" and config["baseCurrencyCode"] == "USD"
    assert all(isinstance(v, str) for v in config.values())
    assert world.collection("order").get(world.collection("order").ids()[0])["createdOn"].endswith("+10:00")
