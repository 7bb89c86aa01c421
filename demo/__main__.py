"""`make demo`: the connector's main job, end to end, on the bundled Brightpearl sandbox.

1. Starts the sandbox (a local Brightpearl API on 127.0.0.1).
2. Walks the OAuth authorization-code flow as a platform would: consent URL with a `state` of `state_length`
   characters -> the callback carries `code` and the same `state` -> the code goes into the config.
3. Runs the installed `source-brightpearl` CLI for `spec` and `check` (the check exchanges the code; the new tokens
   arrive as a CONNECTOR_CONFIG control message and are saved).
4. PyAirbyte runs the connector as a subprocess, persists every rotated token through its config-change callback,
   and loads every stream into a local DuckDB file.
5. Prints per-stream record counts and answers a question in SQL: sales revenue by month and channel.
6. Stops the sandbox.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import urlsplit

# PyAirbyte looks up Airbyte's online connector registry unless told it is offline; the demo needs no network.
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

import requests  # noqa: E402

from sandbox import Sandbox, SandboxOptions  # noqa: E402
from source_brightpearl.authorize.consent import code_from_callback, consent_url, new_state  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "demo_output"
CONNECTOR = Path(sys.executable).with_name("source-brightpearl")

REVENUE_SQL = """
SELECT strftime(o.placedon, '%Y-%m')                                          AS month,
       coalesce(c.name, 'no channel')                                          AS channel,
       count(*)                                                                AS orders,
       sum(CAST(json_extract_string(o.totalvalue, '$.baseTotal') AS DECIMAL(18, 2))) AS revenue
FROM orders o
LEFT JOIN channels c
       ON c.id = CAST(json_extract(o.assignment, '$.current.channelId') AS BIGINT)
WHERE o.ordertypecode = 'SO'
GROUP BY 1, 2
ORDER BY 1 DESC, 4 DESC
LIMIT 12
"""


def step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def run_cli(command: str, config_path: Path) -> List[Dict[str, Any]]:
    args = [str(CONNECTOR), command] + (["--config", str(config_path)] if command != "spec" else [])
    out = subprocess.run(args, capture_output=True, text=True, check=False, timeout=300).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def authorise(sandbox: Sandbox, config: Dict[str, Any]) -> Dict[str, Any]:
    """The consent step as a platform runs it: open the consent URL, follow Brightpearl's redirect to the callback."""
    state = new_state(config["state_length"])
    url = consent_url(config, state)
    print(
        f"consent URL: {url.split('?')[0]}?response_type=code&client_id={config['client_id']}&redirect_uri=…&state=<{len(state)} chars>"
    )
    redirect = requests.get(url, allow_redirects=False, timeout=30)
    callback = redirect.headers["Location"]
    assert urlsplit(callback).netloc == urlsplit(config["oauth_callback_url"]).netloc
    code = code_from_callback(callback, state)  # checks the state echoed back
    print("callback received: state matches, authorised code captured")
    return {**config, "authorization_code": code}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small", help="sandbox data size: tiny, small, 20k, 100k")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--token-lifetime", type=int, default=8, help="sandbox access-token lifetime in seconds")
    options = parser.parse_args()

    import airbyte as ab

    OUTPUT.mkdir(exist_ok=True)
    config_path = OUTPUT / "config.json"
    db_path = OUTPUT / "brightpearl.duckdb"
    for stale in (db_path, db_path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    started = time.monotonic()

    step(f"Starting the Brightpearl sandbox (scale {options.scale}, seed {options.seed})")
    # Short-lived access tokens and single-use refresh tokens, so the run shows token rotation being persisted.
    sandbox_options = SandboxOptions(seed=options.seed, scale=options.scale, token_lifetime=options.token_lifetime)
    with Sandbox(sandbox_options) as sandbox:
        print(f"sandbox listening on {sandbox.base_url}")
        config = sandbox.config()
        config.pop("authorization_code", None)  # the demo obtains its own code through the consent flow

        step("OAuth authorization-code flow")
        config = authorise(sandbox, config)
        config_path.write_text(json.dumps(config, indent=2))

        step("source-brightpearl spec / check")
        spec = next(m["spec"] for m in run_cli("spec", config_path) if m["type"] == "SPEC")
        print(
            f"spec: {len(spec['connectionSpecification']['properties'])} config fields, advanced_auth {spec['advanced_auth']['auth_flow_type']}"
        )
        check = run_cli("check", config_path)
        status = next(m["connectionStatus"] for m in check if m["type"] == "CONNECTION_STATUS")
        print(f"check: {status['status']}{' — ' + status.get('message', '') if status['status'] != 'SUCCEEDED' else ''}")
        if status["status"] != "SUCCEEDED":
            return 1
        for message in check:
            if message["type"] == "CONTROL":
                config = message["control"]["connectorConfig"]["config"]
        config_path.write_text(json.dumps(config, indent=2))
        print("code exchanged; tokens saved to demo_output/config.json (the code is gone from it)")

        step("PyAirbyte: discover and read every stream into DuckDB")

        rotations = []

        def persist(new_config: Dict[str, Any]) -> None:
            # A platform stores every rotated token set; so does the demo, in the source and on disk.
            config_path.write_text(json.dumps(new_config, indent=2))
            source.set_config(new_config)
            rotations.append(new_config["token_expiry_date"])

        source = ab.get_source(
            "source-brightpearl",
            config=config,
            local_executable=CONNECTOR,
            config_change_callback=persist,
            install_if_missing=False,
        )
        source.select_all_streams()
        cache = ab.DuckDBCache(db_path=str(db_path), schema_name="main")
        result = source.read(cache=cache)

        grants = sandbox.counters()["token_grants"].get("refresh_token", {})
        print(
            f"token rotations persisted through the config-change callback: {len(rotations)} "
            f"(sandbox refresh grants: {grants.get('success', 0)} ok, {sum(v for k, v in grants.items() if k != 'success')} refused)"
        )

        step("Records per stream")
        truth_orders = len(list(sandbox.world.truth("order")))
        counts = {name: len(dataset) for name, dataset in sorted(result.streams.items())}
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            print(f"  {name:<{width}}  {count:>7,}")
        print(f"  {'(orders in the sandbox)':<{width}}  {truth_orders:>7,}")

        step("Sales revenue (base currency) by month and channel, latest 12 rows, from DuckDB")
        from sqlalchemy import text

        with cache.get_sql_engine().connect() as connection:
            rows = connection.execute(text(REVENUE_SQL)).fetchall()
        print(f"  {'month':<8} {'channel':<22} {'orders':>6} {'revenue':>14}")
        for month, channel, orders, revenue in rows:
            print(f"  {month:<8} {channel:<22} {orders:>6} {revenue:>14,.2f}")

    step(f"Done in {time.monotonic() - started:.0f} s. Sandbox stopped. DuckDB file: {db_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
