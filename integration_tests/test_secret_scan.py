"""The scan that every CLI run of the integration suite goes through (connector_cli.run_connector) can fail."""

import json
from urllib.parse import quote

import pytest

from integration_tests.connector_cli import CliResult, _assert_no_secret_leaked

CONFIG = {"client_secret": "s3cret-value-1", "refresh_token": "RT+abc/def=="}


def _result(stdout: str, stderr: str = "") -> CliResult:
    messages = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return CliResult("read", 0, stdout, stderr, messages)


@pytest.mark.parametrize(
    "stdout,stderr",
    [
        ('{"type":"LOG","log":{"level":"INFO","message":"secret is s3cret-value-1"}}', ""),
        ("", "Traceback ... refresh_token=" + quote("RT+abc/def==", safe="")),
        (
            '{"type":"LOG","log":{"level":"INFO","message":"new token NEW+token/value="}}\n'
            '{"type":"CONTROL","control":{"type":"CONNECTOR_CONFIG","connectorConfig":{"config":{"access_token":"NEW+token/value="}}}}',
            "",
        ),
    ],
    ids=["config-secret-in-log", "url-encoded-token-on-stderr", "obtained-token-in-log"],
)
def test_leaks_are_caught(stdout, stderr):
    with pytest.raises(AssertionError, match="printed .* secret value"):
        _assert_no_secret_leaked(_result(stdout, stderr), CONFIG)


def test_tokens_inside_control_messages_are_allowed():
    control = {
        "type": "CONTROL",
        "control": {"type": "CONNECTOR_CONFIG", "connectorConfig": {"config": {"refresh_token": "RT2+x/y=="}}},
    }
    _assert_no_secret_leaked(_result(json.dumps(control, separators=(",", ":"))), CONFIG)
