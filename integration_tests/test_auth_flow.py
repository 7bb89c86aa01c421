"""The OAuth authorization-code setup end to end, through the real CLI against the sandbox (issue: connector core).

Code exchange -> CONNECTOR_CONFIG control message -> a read with the updated config; access-token expiry in the
middle of a read with single-use refresh tokens; a reused code; a bad secret; a wrong account.
"""

from __future__ import annotations

from integration_tests.connector_cli import configured_catalog, leaked_secrets
from sandbox import SandboxOptions

CORE_STREAMS = ["orders", "products", "warehouses", "order_statuses"]


def _secrets(*configs):
    return [c.get(k) for c in configs for k in ("client_secret", "authorization_code", "access_token", "refresh_token")]


def test_code_exchange_is_persisted_then_used_by_the_next_run(sandbox, connector):
    config = sandbox.config()
    check = connector("check", config=config)
    assert check.connection_status == {"status": "SUCCEEDED"}, check.stdout + check.stderr
    [updated] = check.emitted_configs
    assert "authorization_code" not in updated, "a used code must be forgotten"
    assert updated["access_token"] and updated["refresh_token"] and updated["token_expiry_date"]
    assert sandbox.counters()["token_grants"]["authorization_code"]["success"] == 1

    discover = connector("discover", config=updated)
    catalog = configured_catalog(discover.catalog, CORE_STREAMS)
    read = connector("read", config=updated, catalog=catalog)
    assert read.returncode == 0, read.stderr[-2000:]
    assert read.emitted_configs == [], "a valid access token needs no refresh"
    for stream in CORE_STREAMS:
        assert read.records.get(stream), f"no {stream} records"
    assert not leaked_secrets(check.output_without_control() + read.output_without_control(), _secrets(config, updated))


def test_reused_code_asks_to_reauthorise(sandbox, connector):
    config = sandbox.config()
    assert connector("check", config=config).connection_status["status"] == "SUCCEEDED"
    again = connector("check", config=config)  # the same code a second time, as a platform that lost the update would
    status = again.connection_status
    assert status["status"] == "FAILED"
    assert "invalid_grant" in status["message"] and "Re-authorise" in status["message"]
    assert "Traceback" not in again.stdout
    assert not leaked_secrets(again.output_without_control(), _secrets(config))


def test_expired_code_asks_to_reauthorise(sandbox_factory, connector):
    sandbox = sandbox_factory(SandboxOptions(code_lifetime=0.2))
    config = sandbox.config()
    import time

    time.sleep(0.5)
    status = connector("check", config=config).connection_status
    assert status["status"] == "FAILED" and "Re-authorise" in status["message"]


def test_bad_secret_is_reported_as_invalid_client(sandbox, connector):
    config = {**sandbox.config(), "client_secret": "not-the-secret"}
    result = connector("check", config=config)
    assert result.connection_status["status"] == "FAILED"
    assert "invalid_client" in result.connection_status["message"]
    assert "client_secret" in result.connection_status["message"]
    assert not leaked_secrets(result.output_without_control(), _secrets(config))


def test_wrong_account_is_reported(sandbox, connector):
    config = {**sandbox.config(), "account": "someone-else"}
    result = connector("check", config=config)
    status = result.connection_status
    assert status["status"] == "FAILED"
    assert "someone-else" in status["message"] or "account" in status["message"].lower()
    assert "Traceback" not in result.stdout


def test_unreachable_data_center_is_a_clear_failure(connector, sandbox):
    # Nothing listens on port 9 of loopback: the same as a data center name that does not resolve.
    config = {**sandbox.config(), "base_url": "http://127.0.0.1:9"}
    status = connector("check", config=config).connection_status
    assert status["status"] == "FAILED"
    assert "127.0.0.1:9" in status["message"]


def test_token_expiry_mid_read_with_rotating_refresh_tokens(sandbox_factory, connector):
    # Tokens live 1 s and every refresh token is single-use; the read takes several seconds (latency per request).
    sandbox = sandbox_factory(SandboxOptions(token_lifetime=1, rotate_refresh_tokens=True, latency_ms=400))
    config = sandbox.config()
    discover = connector("discover", config=config)
    after_exchange = discover.emitted_configs[-1]  # the exchange, and maybe a refresh while discover typed custom fields
    catalog = configured_catalog(discover.catalog, CORE_STREAMS)

    read = connector("read", config=after_exchange, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]
    assert len(read.emitted_configs) >= 2, "expected several rotations during the read"
    rotated = [c["refresh_token"] for c in read.emitted_configs]
    assert len(set(rotated)) == len(rotated), "every refresh must persist a new single-use refresh token"
    expected_orders = {o["id"] for o in sandbox.world.truth("order")}
    assert {r["id"] for r in read.records["orders"]} == expected_orders

    # The last emitted config is what the platform stored: the next run must work with it.
    last = read.emitted_configs[-1]
    assert connector("check", config=last).connection_status["status"] == "SUCCEEDED"
    # ... and a config from before the rotation is spent (proves the tokens really were single-use).
    stale = connector("check", config={**after_exchange, "token_expiry_date": "2000-01-01T00:00:00Z"})
    assert stale.connection_status["status"] == "FAILED"
    grants = sandbox.counters()["token_grants"]
    assert grants["refresh_token"]["success"] >= 2


def test_revoked_token_mid_sync_is_refreshed_once(sandbox, connector):
    config = sandbox.config_with_tokens()
    discover = connector("discover", config=config)
    catalog = configured_catalog(discover.catalog, ["warehouses"])
    sandbox.revoke_tokens()  # the access token now gets 401 "Invalid instance token"; the refresh token still works?
    read = connector("read", config=config, catalog=catalog)
    # Revocation kills the refresh token too: the connector must stop with a re-authorise message, not loop.
    assert read.returncode != 0
    assert any("Re-authorise" in (e.get("message") or "") for e in read.errors), read.errors
    assert sandbox.counters()["token_grants"].get("refresh_token", {}).get("success", 0) == 0
