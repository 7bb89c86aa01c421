"""What the CLI does with unusual input, as a user or a platform hands it over (issue: bad input, a friendlier CLI):
one clear message and the right exit status, never a traceback, never a secret, never a silent success."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from integration_tests.connector_cli import configured_catalog, connector_command
from source_brightpearl.api.datetimes import parse_datetime


def assert_no_traceback(result):
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, result.stderr[-2000:]


def test_no_arguments_prints_usage_and_exits_2():
    completed = subprocess.run(connector_command(), capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2
    assert completed.stdout == "" and "Traceback" not in completed.stderr
    assert completed.stderr.startswith("usage: source-brightpearl {spec,check,discover,read,authorize}")


def test_help_lists_every_command():
    completed = subprocess.run(connector_command() + ["--help"], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0
    for command in ("spec", "check", "discover", "read", "authorize"):
        assert f"\n  {command} " in completed.stdout, command


def test_a_catalog_of_unknown_streams_is_refused_with_a_message(sandbox_module, connector):
    catalog = {
        "streams": [
            {
                "stream": {"name": "invoices", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                "sync_mode": "full_refresh",
                "destination_sync_mode": "overwrite",
            }
        ]
    }
    read = connector("read", config=sandbox_module.config_with_tokens(), catalog=catalog)
    assert read.returncode == 1
    [error] = read.errors
    assert error["failure_type"] == "config_error" and "(invoices)" in error["message"] and "discover" in error["message"]


def test_a_config_nested_100000_deep_is_a_one_line_error(connector, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    check = connector("check", extra_args=["--config", str(path)])
    assert check.returncode == 0
    assert check.connection_status["status"] == "FAILED" and "nested too deeply" in check.connection_status["message"]
    assert_no_traceback(check)
    read = connector("read", extra_args=["--config", str(path), "--catalog", str(path)])
    assert read.returncode == 1 and read.errors[0]["failure_type"] == "config_error"
    assert_no_traceback(read)


@pytest.mark.parametrize("expiry", [604800, 1767225600.5, "next week"])
def test_a_numeric_or_unparseable_token_expiry_means_refresh_now(sandbox_module, connector, expiry):
    config = {**sandbox_module.config_with_tokens(), "token_expiry_date": expiry}
    check = connector("check", config=config)
    assert check.connection_status == {"status": "SUCCEEDED"}, check.stdout[-2000:]
    [saved] = check.emitted_configs
    assert parse_datetime(saved["token_expiry_date"]) > datetime.now(timezone.utc)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"base_url": "http://admin:hunter2-password@127.0.0.1:9"}, "must not contain a user name or password"),
        ({"base_url": "http://127.0.0.1:9/#"}, "without a path, query"),
        ({"start_date": "2999-01-01"}, "`start_date` (Start date) `2999-01-01` is in the future"),
        ({"start_date": "0999-01-01T00:00:00Z"}, "before the year 1000"),
        ({"account": "sandbox\n"}, "`account` (Account) `sandbox\\n` is malformed"),
        ({"developer_ref": "dev\r\nX-Evil: 1"}, "`developer_ref` (Developer reference)"),
        ({"api_domain": "collector.example.net"}, "not a Brightpearl API host"),
    ],
    ids=["userinfo", "fragment", "future-start", "year-999", "newline", "header-crlf", "api-domain"],
)
def test_bad_boundaries_are_config_errors_naming_the_field(sandbox_module, connector, changes, words):
    config = {**sandbox_module.config_with_tokens(), **changes}
    sandbox_module.reset_counters()
    check = connector("check", config=config)
    assert check.returncode == 0
    assert check.connection_status["status"] == "FAILED" and words in check.connection_status["message"]
    assert "hunter2" not in check.stdout + check.stderr
    assert_no_traceback(check)
    assert sandbox_module.counters()["api_requests"] == 0, "refused before anything is sent"


@pytest.mark.parametrize("cursor", ["2024-06-01", "2024-06-01T00:00:00+02:00", "2024-06-01T00:00:00.000-06:00"])
def test_a_state_in_any_iso_8601_form_resumes(sandbox_module, connector, cursor):
    config = {**sandbox_module.config_with_tokens(), "start_date": "2024-01-01"}
    catalog = configured_catalog(connector("discover", config=config).catalog, ["orders"], sync_mode="incremental")
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"}, "stream_state": {"syncCursor": cursor}}}]
    read = connector("read", config=config, catalog=catalog, state=state)
    assert read.returncode == 0, read.stdout[-3000:]
    assert read.errors == []
    cursors = [parse_datetime(s["stream"]["stream_state"]["syncCursor"]) for s in read.states]
    assert cursors and max(cursors) <= datetime.now(timezone.utc), "a saved cursor is never in the future"


def test_a_state_ahead_of_the_clock_is_refused_naming_the_stream(sandbox_module, connector):
    config = sandbox_module.config_with_tokens()
    catalog = configured_catalog(connector("discover", config=config).catalog, ["products"], sync_mode="incremental")
    ahead = (datetime.now(timezone.utc) + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "products"}, "stream_state": {"syncCursor": ahead}}}]
    read = connector("read", config=config, catalog=catalog, state=state)
    assert read.returncode == 1 and read.records == {}
    [error] = read.errors
    assert error["failure_type"] == "config_error"
    assert "Stream 'products'" in error["message"] and "in the future" in error["message"]
