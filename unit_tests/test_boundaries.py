"""The connector's edges in isolation: ISO 8601 parsing, the bounded body read, the throttle classifier, whole-line
output, and whose problem a failed read is."""

import os
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import orjson
import pytest
import requests
import requests_mock as requests_mock_module
from airbyte_cdk.models import FailureType

from source_brightpearl.api.datetimes import _parse_iso_8601, parse_datetime
from source_brightpearl.api.throttling import announced_wait, is_throttled
from source_brightpearl.api.transport import (
    LIMITS_ENVIRONMENT_VARIABLE,
    HttpLimits,
    ResponseTooLarge,
    http_limits,
    read_body_within_limits,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024-06-01", datetime(2024, 6, 1, tzinfo=UTC)),
        ("2024-06-01T00:00:00+02:00", datetime(2024, 5, 31, 22, tzinfo=UTC)),
        ("2024-06-01T00:00:00.000-06:00", datetime(2024, 6, 1, 6, tzinfo=UTC)),
        ("2024-06-01T00:00:00Z", datetime(2024, 6, 1, tzinfo=UTC)),
        ("2024-06-01t00:00:00z", datetime(2024, 6, 1, tzinfo=UTC)),
        ("20240601T103000+0200", datetime(2024, 6, 1, 8, 30, tzinfo=UTC)),
        ("2024-06-01T10:30:00.1234567-05", datetime(2024, 6, 1, 15, 30, 0, 123456, tzinfo=UTC)),
        ("2024-06-01T10:30:00,5Z", datetime(2024, 6, 1, 10, 30, 0, 500000, tzinfo=UTC)),
        ("2024-06-01 10:30", datetime(2024, 6, 1, 10, 30, tzinfo=UTC)),
    ],
)
def test_every_iso_8601_form_gives_the_same_moment_on_every_python(text, expected):
    assert parse_datetime(text) == expected
    # The fallback parser (all Python 3.10 has for most of these forms) agrees with the fast path.
    parsed = _parse_iso_8601(text)
    assert (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC) == expected


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01", "2024-06-01T25:00:00Z", "2024-06", "", "2024-06-01T10:00:00+2:00"])
def test_what_is_not_iso_8601_is_refused(text):
    with pytest.raises(ValueError):
        parse_datetime(text)


def _response(status, body=b"", headers=None):
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    return response


def test_one_classifier_says_what_is_throttling():
    assert is_throttled(_response(429))
    assert is_throttled(_response(503, b"", {"brightpearl-requests-remaining": "0"}))
    assert is_throttled(_response(503, b'{"response":"You have sent too many requests. Please wait"}'))
    assert not is_throttled(_response(503, b"<html>maintenance</html>", {"brightpearl-requests-remaining": "120"}))
    assert not is_throttled(_response(500))
    assert announced_wait(_response(503, headers={"brightpearl-next-throttle-period": "-5"})) == 0.25
    assert announced_wait(_response(503, headers={"brightpearl-next-throttle-period": "nan"})) is None


def test_limits_come_from_the_environment_when_set(monkeypatch):
    assert http_limits() == HttpLimits()
    monkeypatch.setenv(LIMITS_ENVIRONMENT_VARIABLE, "connect=2, read=3,body=4.5,max_body_bytes=1000,throttle_wait=1")
    assert http_limits() == HttpLimits(connect=2, read=3, body=4.5, max_body_bytes=1000, throttle_wait=1)
    monkeypatch.setenv(LIMITS_ENVIRONMENT_VARIABLE, "patience=9")
    with pytest.raises(ValueError, match="unknown limit 'patience'"):
        http_limits()


def test_every_requester_gets_the_timeouts():
    from source_brightpearl.resources import load_manifest

    requester = load_manifest()["definitions"]["requester"]
    assert (requester["connect_timeout_in_seconds"], requester["read_timeout_in_seconds"]) == HttpLimits().timeouts


@pytest.fixture
def mock():
    with requests_mock_module.Mocker() as m:
        yield m


def _get(url):
    session = requests.Session()
    return session.get(url, hooks={"response": read_body_within_limits}, timeout=5)


def test_a_body_within_the_bound_is_read(mock, monkeypatch):
    monkeypatch.setenv(LIMITS_ENVIRONMENT_VARIABLE, "max_body_bytes=1000")
    mock.get("https://api.test/small", content=b"x" * 1000)
    assert _get("https://api.test/small").content == b"x" * 1000


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_bound_is_refused_with_a_message(mock, monkeypatch, declared):
    monkeypatch.setenv(LIMITS_ENVIRONMENT_VARIABLE, "max_body_bytes=1000")
    headers = {} if declared else {"Content-Length": ""}  # without a length, the bound is found while reading
    mock.get("https://api.test/big?id=1", content=b"x" * 5000, headers=headers)
    with pytest.raises(ResponseTooLarge) as raised:
        _get("https://api.test/big?id=1")
    assert "https://api.test/big is larger than" in str(raised.value) and "id=1" not in str(raised.value)


def test_the_error_handler_fails_an_oversized_body_at_once_and_retries_timeouts_as_transient():
    from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction

    from source_brightpearl.source import SourceBrightpearl

    source = SourceBrightpearl(config={"data_center": "euw1", "account": "acme", "client_id": "acme_app", "access_token": "t"})
    handler = source.declared_requester("orders").error_handler
    request = requests.Request("GET", "https://euw1.brightpearlconnect.com/public-api/acme/order-service/order/1").prepare()
    too_large = handler.interpret_response(ResponseTooLarge("the answer is larger than 64 MiB", request=request))
    assert too_large.response_action == ResponseAction.FAIL and too_large.failure_type == FailureType.transient_error
    resolutions = [handler.interpret_response(requests.exceptions.ReadTimeout("slow", request=request)) for _ in range(7)]
    assert [r.response_action for r in resolutions] == [ResponseAction.RETRY] * 6 + [ResponseAction.FAIL]
    assert resolutions[-1].failure_type == FailureType.transient_error
    assert "did not answer in time" in resolutions[-1].error_message


def test_the_read_summary_takes_the_most_pressing_stream_failure():
    from source_brightpearl.cdk_run import StreamFailures

    def trace(stream, failure_type):
        error = {"message": "m", "failure_type": failure_type, "stream_descriptor": {"name": stream}}
        return orjson.dumps({"type": "TRACE", "trace": {"type": "ERROR", "emitted_at": 1.0, "error": error}}).decode()

    failures = StreamFailures()
    failures.observe('{"type":"RECORD","record":{"stream":"orders","data":{},"emitted_at":1}}')
    assert failures.most_pressing(default=FailureType.config_error) == FailureType.config_error  # nothing seen
    failures.observe(trace("orders", "transient_error"))
    assert failures.most_pressing(default=FailureType.config_error) == FailureType.transient_error
    failures.observe(trace("products", "system_error"))
    assert failures.most_pressing(default=FailureType.config_error) == FailureType.system_error
    failures.observe(trace("contacts", "config_error"))
    assert failures.most_pressing(default=FailureType.transient_error) == FailureType.config_error


@pytest.mark.timeout(120)
def test_whole_lines_are_written_and_sigterm_exits_after_the_line_in_progress(tmp_path):
    """A child process writes long lines through WholeLines to a slow pipe and is sent SIGTERM while writing: what
    reaches the pipe is whole lines only, and the exit status is 143."""
    script = tmp_path / "writer.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            from source_brightpearl.whole_lines import WholeLines

            with WholeLines() as out:  # from here on sys.stdout and sys.stderr are `out`
                print("ready", file=sys.__stderr__, flush=True)
                n = 0
                while True:
                    out.write('{"n": %d, "pad": "%s"}\\n' % (n, "x" * 300_000))
                    n += 1
            """
        )
    )
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    assert process.stderr is not None and process.stdout is not None
    process.stderr.readline()
    first = process.stdout.read(100_000)  # a partial line read; the writer is blocked on the full pipe meanwhile
    process.terminate()
    rest, _ = process.communicate(timeout=60)
    lines = (first + rest).split(b"\n")
    assert process.returncode == 143
    assert lines[-1] == b"", "the output must end with a complete line"
    import json

    assert [json.loads(line)["n"] for line in lines[:-1]] == list(range(len(lines) - 1))
