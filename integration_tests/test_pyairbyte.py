"""PyAirbyte as a data engineer uses it: the installed connector run as a subprocess, two related streams loaded
into DuckDB, checked against the sandbox's data, joined in SQL, with rotated tokens handed back to the caller."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from sandbox import SandboxOptions

# PyAirbyte's dependencies warn about Python versions and pydantic APIs on import: not about this connector.
pytestmark = [
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

CONNECTOR = Path(sys.executable).with_name("source-brightpearl")

ORDERS_PER_CUSTOMER = """
SELECT c.contactid AS contact_id, count(*) AS orders
FROM orders AS o
JOIN contacts AS c ON c.contactid = CAST(json_extract(o.parties, '$.customer.contactId') AS BIGINT)
GROUP BY c.contactid
"""


def test_orders_and_contacts_load_into_duckdb_and_join(sandbox_factory, tmp_path, monkeypatch):
    # PyAirbyte asks Airbyte's online registry about every connector unless it is told it is offline; its temp
    # files and logs go to this test's directory. It reads these settings when first imported.
    monkeypatch.setenv("AIRBYTE_OFFLINE_MODE", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AIRBYTE_TEMP_DIR", str(tmp_path / "temp"))
    monkeypatch.setenv("AIRBYTE_LOGGING_ROOT", str(tmp_path / "logs"))
    (tmp_path / "temp").mkdir()
    ab = pytest.importorskip("airbyte", reason="PyAirbyte is installed on Python < 3.13 only (see pyproject.toml)")
    from sqlalchemy import text

    # Access tokens that live a minute: well inside the connector's refresh margin, so every connector process
    # PyAirbyte starts refreshes once, and each refresh token is single-use.
    sandbox = sandbox_factory(SandboxOptions(token_lifetime=60, rotate_refresh_tokens=True))
    config = sandbox.config_with_tokens()
    saved = []

    def save_config(new_config):
        # What a scheduler must do with a rotated config: keep it, and start the next command from it.
        saved.append(new_config)
        source.set_config(new_config)

    source = ab.get_source(
        "source-brightpearl",
        config=config,
        local_executable=CONNECTOR,
        config_change_callback=save_config,
        install_if_missing=False,
    )
    source.select_streams(["orders", "contacts"])
    cache = ab.DuckDBCache(db_path=tmp_path / "brightpearl.duckdb", schema_name="main", cache_dir=tmp_path / "cache")
    result = source.read(cache=cache)

    orders = list(sandbox.world.truth("order"))
    contacts = list(sandbox.world.truth("contact"))
    assert len(result["orders"]) == len(orders)
    assert len(result["contacts"]) == len(contacts)

    contact_ids = {contact["contactId"] for contact in contacts}
    customers = [((order.get("parties") or {}).get("customer") or {}).get("contactId") for order in orders]
    expected = Counter(customer for customer in customers if customer in contact_ids)
    assert expected, "the sandbox data should have orders placed by known contacts"
    with cache.get_sql_engine().connect() as connection:
        joined = {row.contact_id: row.orders for row in connection.execute(text(ORDERS_PER_CUSTOMER))}
    assert joined == dict(expected)

    # Rotation: each connector process refreshed once, PyAirbyte passed every new config to the callback, and the
    # next process started from it (a stale single-use refresh token would have been refused).
    assert saved, "the connector rotated no token"
    refresh_tokens = [c["refresh_token"] for c in saved]
    assert config["refresh_token"] not in refresh_tokens
    assert len(set(refresh_tokens)) == len(refresh_tokens)
    assert sandbox.counters()["token_grants"]["refresh_token"] == {"success": len(saved)}


def test_a_deleted_order_becomes_a_tombstone_row_in_the_duckdb_cache(sandbox_factory, tmp_path, monkeypatch):
    """What PyAirbyte's caches do with a deletion record (airbyte 0.71, `SqlProcessorBase`): a stream with a primary
    key is written with MERGE INTO the final table: a matching row gets every non-key column from the new record.
    The row is not deleted: it stays as a tombstone whose `_ab_cdc_deleted_at` is set and whose other columns are
    NULL. So queries over a PyAirbyte cache filter `WHERE _ab_cdc_deleted_at IS NULL` (docs/brightpearl.md)."""
    monkeypatch.setenv("AIRBYTE_OFFLINE_MODE", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AIRBYTE_TEMP_DIR", str(tmp_path / "temp"))
    monkeypatch.setenv("AIRBYTE_LOGGING_ROOT", str(tmp_path / "logs"))
    (tmp_path / "temp").mkdir()
    import airbyte as ab
    from sqlalchemy import text

    sandbox = sandbox_factory(SandboxOptions(scale="tiny", token_lifetime=86400))
    source = ab.get_source(
        "source-brightpearl", config=sandbox.config_with_tokens(), local_executable=CONNECTOR, install_if_missing=False
    )
    source.select_streams(["orders"])
    cache = ab.DuckDBCache(db_path=tmp_path / "brightpearl.duckdb", schema_name="main", cache_dir=tmp_path / "cache")
    source.read(cache=cache)  # PyAirbyte reads incrementally and keeps the state in the cache

    orders = [order["id"] for order in sandbox.world.truth("order")]
    deleted = orders[len(orders) // 2]
    sandbox.world.delete("order", deleted)
    second = source.read(cache=cache)
    assert len(second["orders"]) >= 1

    with cache.get_sql_engine().connect() as connection:
        rows = {row.id: row for row in connection.execute(text("SELECT id, _ab_cdc_deleted_at, ordertypecode FROM orders"))}
        live = {row.id for row in connection.execute(text("SELECT id FROM orders WHERE _ab_cdc_deleted_at IS NULL"))}
        total = connection.execute(text("SELECT count(*) FROM orders")).scalar()
    assert total == len(orders), "merged on the primary key: one row per order"
    assert set(rows) == set(orders), "the deleted order's row is still there"
    tombstone = rows[deleted]
    assert tombstone._ab_cdc_deleted_at is not None and tombstone.ordertypecode is None
    assert live == set(orders) - {deleted}
