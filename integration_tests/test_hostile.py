"""Hostile answers never hang the connector and never blame the wrong party (issue: timeouts, bounded waits, hostile
responses, precise errors).

The real CLI against the sandbox's hostile faults: a server that accepts and never answers, one that drips its
answers, a throttle header claiming a day, a token endpoint that fails, an answer larger than the connector accepts.
The connector's HTTP bounds are shortened through `BRIGHTPEARL_HTTP_LIMITS` (read timeout 1 s, body 2 s, throttle
wait 2 s) so each case takes seconds; their production values are pinned by the unit tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from integration_tests.connector_cli import configured_catalog, connector_command
from sandbox import SandboxOptions
from sandbox.world import Scale
from source_brightpearl.api.transport import LIMITS_ENVIRONMENT_VARIABLE

SHORT_LIMITS = "connect=2,read=1,body=2,throttle_wait=2"
TRUTH = {"orders": ("order", "id"), "products": ("product", "id"), "contacts": ("contact", "contactId")}


@pytest.fixture
def short_limits(monkeypatch):
    monkeypatch.setenv(LIMITS_ENVIRONMENT_VARIABLE, SHORT_LIMITS)


def assert_no_traceback(result):
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, result.stderr[-2000:]


def expired(config):
    """The config with an access token the connector must refresh before its first call."""
    return {**config, "token_expiry_date": "2001-01-01T00:00:00+00:00"}


def test_a_server_that_never_answers_fails_check_promptly_with_a_message(sandbox_factory, connector, short_limits):
    sandbox = sandbox_factory(SandboxOptions(scale="tiny", fault_hang=1.0))
    check = connector("check", config=sandbox.config_with_tokens(), timeout=120)
    assert check.returncode == 0
    assert check.connection_status["status"] == "FAILED"
    assert "did not answer in time" in check.connection_status["message"], check.connection_status
    assert_no_traceback(check)
    # `check` retries a failure twice: three read timeouts, then the answer.
    assert sandbox.counters()["faults"] == {"hang": 3}


def test_hanging_and_dripping_answers_are_retried_and_nothing_is_lost(sandbox_factory, connector, short_limits):
    sandbox = sandbox_factory(SandboxOptions(seed=5, scale=Scale(orders=1200, products=300, contacts=400)))
    config = sandbox.config_with_tokens()
    catalog = configured_catalog(connector("discover", config=config).catalog, list(TRUTH))
    sandbox.set_options(fault_hang=0.15, fault_drip=0.15, drip_interval=1.0)
    read = connector("read", config=config, catalog=catalog, timeout=600)
    assert read.returncode == 0, read.stderr[-3000:]
    for stream, (resource, key) in TRUTH.items():
        assert {r[key] for r in read.records[stream]} == {r[key] for r in sandbox.world.truth(resource)}, stream
    faults = sandbox.counters()["faults"]
    assert faults.get("hang", 0) > 0 and faults.get("drip", 0) > 0, faults


def test_a_throttle_header_claiming_a_day_is_waited_out_for_one_window(sandbox_factory, connector, short_limits):
    sandbox = sandbox_factory(SandboxOptions(scale="tiny", throttle_window=2.0, throttle_period_ms=86_400_000))
    config = sandbox.config_with_tokens()
    sandbox.exhaust_quota(3)  # 6 s of 503s: the connector starts within them
    check = connector("check", config=config, timeout=120)
    assert check.connection_status == {"status": "SUCCEEDED"}, check.stdout[-2000:]
    assert sandbox.counters()["throttled"] >= 1
    capped = [line for line in check.log_lines() if "asks for a wait of 86,400 s" in line]
    assert capped and "waiting 2 s instead" in capped[0], check.log_lines()


@pytest.mark.parametrize(
    ("fault", "words"),
    [("500", "answered HTTP 500"), ("html", "with an HTML page"), ("hang", "no answer in time")],
)
def test_a_failing_token_endpoint_is_an_outage_not_a_credentials_problem(sandbox_factory, connector, short_limits, fault, words):
    sandbox = sandbox_factory(SandboxOptions(scale="tiny"))
    catalog = configured_catalog(connector("discover", config=sandbox.config_with_tokens()).catalog, ["warehouses"])
    config = expired(sandbox.config_with_tokens())
    sandbox.set_options(token_fault=fault)

    check = connector("check", config=config, timeout=120)
    assert check.returncode == 0
    status = check.connection_status
    assert status["status"] == "FAILED" and words in status["message"], status
    assert "not a problem with your credentials" in status["message"] or "Could not reach" in status["message"]
    assert "re-authorise" not in status["message"].lower()
    assert_no_traceback(check)

    read = connector("read", config=config, catalog=catalog, timeout=120)
    assert read.returncode == 1
    assert [error["failure_type"] for error in read.errors] == ["transient_error"], read.errors
    assert words in read.errors[0]["message"]


def test_an_oversized_answer_fails_its_stream_and_the_read_reports_a_transient_failure(sandbox_factory, connector, monkeypatch):
    sandbox = sandbox_factory(SandboxOptions(seed=2, scale="tiny"))
    config = sandbox.config_with_tokens()
    catalog = configured_catalog(connector("discover", config=config).catalog, ["orders", "warehouses"])
    # Larger than the account check's answer and a warehouse list, smaller than a page of orders.
    monkeypatch.setenv(LIMITS_ENVIRONMENT_VARIABLE, "max_body_bytes=20000")
    read = connector("read", config=config, catalog=catalog)
    assert read.returncode == 1
    assert read.records["warehouses"], "the other stream is read"
    [stream_error] = [error for error in read.errors if error.get("stream_descriptor")]
    assert stream_error["stream_descriptor"]["name"] == "orders" and "larger than" in stream_error["message"]
    assert stream_error["failure_type"] == "transient_error"
    # The CDK's summary of the failed read comes last; it says whose problem the read's failure is.
    summary = read.errors[-1]
    assert summary["message"].startswith("During the sync, the following streams did not sync successfully")
    assert summary["failure_type"] == "transient_error"


def test_sigterm_leaves_only_whole_lines_on_stdout(sandbox_factory, connector, tmp_path):
    # Orders are large records (a few KB each), so output comes in big writes that a slow reader blocks.
    sandbox = sandbox_factory(SandboxOptions(seed=3, scale=Scale(orders=3000)))
    config = sandbox.config_with_tokens()
    catalog = configured_catalog(connector("discover", config=config).catalog, ["orders"])
    for name, content in (("config", config), ("catalog", catalog)):
        (tmp_path / f"{name}.json").write_text(json.dumps(content))
    sandbox.reset_counters()
    process = subprocess.Popen(
        connector_command() + ["read", "--config", str(tmp_path / "config.json"), "--catalog", str(tmp_path / "catalog.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        # Nothing reads stdout yet: once records flow, the pipe fills and the connector is blocked mid-write.
        deadline = time.monotonic() + 60
        while sandbox.counters()["requests_by_endpoint"].get("GET order-service/order/{ids}", 0) < 1:
            assert time.monotonic() < deadline and process.poll() is None, "the read never reached the orders"
            time.sleep(0.1)
        time.sleep(1)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    lines = output.split(b"\n")
    assert lines[-1] == b"", "stdout must end with a whole line"
    messages = [json.loads(line) for line in lines[:-1]]  # every line is a whole JSON message
    assert any(message["type"] == "RECORD" for message in messages)
    assert process.returncode == 143
