"""Airbyte's standard connector tests (`airbyte_cdk.test.standard_tests`), run in-process against the sandbox.

The scenarios are in `acceptance-test-config.yml` at the connector root (the directory holding metadata.yaml, where
the CDK looks for it): `spec` validates a sample config, `check` must succeed with working tokens and fail with
tokens Brightpearl rejects, `discover` must return a sound catalog, a basic read of every stream must return records
that all validate against their schemas, and a read with a broken catalog must fail.

The sandbox listens on a port chosen when it starts, so the scenario configs `secrets/config.json` and
`secrets/invalid_config.json` (git-ignored) are written here before the tests and deleted after. The working config
carries a valid access token with a future expiry: every test builds the connector anew from the file, so none may
spend a rotating refresh token (CDK-NOTES §5.4). The Docker image tests are deselected in conftest.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path

import pytest
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

# The CDK hook that parametrizes the suite's tests with the scenarios of acceptance-test-config.yml.
from airbyte_cdk.test.standard_tests.pytest_hooks import pytest_generate_tests  # noqa: F401

from source_brightpearl.source import SourceBrightpearl
from unit_tests.record_validation import STREAMS

ROOT = Path(__file__).resolve().parents[1]
SECRETS = ROOT / "secrets"
CONFIGURED_CATALOG = ROOT / "integration_tests" / "configured_catalog.json"


def _write_secret(path: Path, config: dict) -> None:
    path.write_text(json.dumps(config, indent=2))
    os.chmod(path, 0o600)


@pytest.fixture(scope="module", autouse=True)
def scenario_configs(sandbox_module, tmp_path_factory):
    SECRETS.mkdir(exist_ok=True)
    # Two test runs in one checkout at once would overwrite each other's configs: the second waits for the first.
    with open(SECRETS / ".standard-tests.lock", "w") as lock, pytest.MonkeyPatch.context() as patch:
        fcntl.flock(lock, fcntl.LOCK_EX)
        config = sandbox_module.config_with_tokens()
        _write_secret(SECRETS / "config.json", config)
        _write_secret(
            SECRETS / "invalid_config.json",
            {**config, "access_token": "revoked-access-token", "refresh_token": "revoked-refresh-token"},
        )
        # The CDK's job runner writes every config it runs (tokens included) to a temp file it never deletes:
        # send those to pytest's temporary directory instead of /tmp.
        patch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("standard-tests")))
        try:
            yield sandbox_module
        finally:
            for name in ("config.json", "invalid_config.json"):
                (SECRETS / name).unlink(missing_ok=True)


class TestBrightpearlStandard(SourceTestSuiteBase):
    connector = SourceBrightpearl

    @classmethod
    def create_connector(cls, scenario):
        # A declarative source reads with the config it was built with, so build it with the scenario's config.
        config = scenario.get_config_dict(connector_root=cls.get_connector_root_dir(), empty_if_missing=True) if scenario else {}
        return SourceBrightpearl(config=config)


def test_configured_catalog_covers_every_stream():
    """basic_read reads the streams of the configured catalog: a stream missing from it would go untested."""
    catalog = json.loads(CONFIGURED_CATALOG.read_text())
    configured = {entry["stream"]["name"]: entry["primary_key"] for entry in catalog["streams"]}
    assert configured == {name: [[k] for k in key] for name, key in STREAMS.items()}
