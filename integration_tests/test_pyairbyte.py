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
