"""Airbyte's standard connector tests (`airbyte_cdk.test.standard_tests`), run in-process against the sandbox.

The scenarios are in `acceptance-test-config.yml` at the connector root (the directory holding metadata.yaml, where
the CDK looks for it): `spec` validates a sample config, `check` must succeed with working tokens and fail with
tokens Brightpearl rejects, `discover` must return a sound catalog, a read of every discovered stream must return
records that all validate against their schemas, and a read with a broken catalog must fail.

The CDK does not collect the file's `incremental` section. Its future state is read here instead, and the connector's
answer checked: Airbyte's own future-state test expects an empty successful read, which this connector refuses by
design (the entry's `bypass_reason` says why).

The sandbox listens on a port chosen when it starts, so the scenario configs `secrets/config.json` and
`secrets/invalid_config.json` (git-ignored) are written here before the tests and deleted after. The working config
carries a valid access token with a future expiry: every test builds the connector anew from the file, so none may
spend a rotating refresh token (docs/cdk-notes.md §C5.4). The Docker image tests are deselected in conftest.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

# The CDK hook that parametrizes the suite's tests with the scenarios of acceptance-test-config.yml.
from airbyte_cdk.test.standard_tests.pytest_hooks import pytest_generate_tests  # noqa: F401

from integration_tests.connector_cli import configured_catalog, run_connector
from source_brightpearl.resources import load_manifest
from source_brightpearl.source import SourceBrightpearl
from source_brightpearl.state import incremental_stream_names

ROOT = Path(__file__).resolve().parents[1]
SECRETS = ROOT / "secrets"
ACCEPTANCE = yaml.safe_load((ROOT / "acceptance-test-config.yml").read_text())


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


def _entries(section: str) -> list:
    return ACCEPTANCE["acceptance_tests"].get(section, {}).get("tests", [])


def test_reads_cover_every_discovered_stream():
    """High strictness, read entries without a hand-made catalog (so every discovered stream is read, and a new stream
    cannot go untested), every empty stream with its reason, and the sections Airbyte expects at that level."""
    assert ACCEPTANCE["test_strictness_level"] == "high"
    for section in ("connection", "discovery", "basic_read", "full_refresh", "incremental"):
        assert _entries(section), f"acceptance-test-config.yml has no {section} tests"
    for section in ("basic_read", "full_refresh", "incremental"):
        for entry in _entries(section):
            assert "configured_catalog_path" not in entry, f"{section}: read every discovered stream, not a fixed list"
            for empty in entry.get("empty_streams", []):
                assert empty.get("bypass_reason"), f"{section}: empty stream {empty['name']} needs its reason"


def test_future_state_of_the_acceptance_config_is_refused(sandbox_module, tmp_path):
    """The `incremental` entry's future state, read by the real CLI: every incremental stream is in it, and the read
    stops with a config error that names a stream and says what to do, before emitting any record."""
    [entry] = _entries("incremental")
    future = entry["future_state"]
    assert future.get("bypass_reason"), "say why Airbyte's empty-read expectation does not apply"
    state = json.loads((ROOT / future["future_state_path"]).read_text())
    incremental = incremental_stream_names(load_manifest())
    assert {message["stream"]["stream_descriptor"]["name"] for message in state} == incremental

    config = sandbox_module.config_with_tokens()
    discover = run_connector("discover", tmp_path / "discover", config=config)
    assert discover.returncode == 0, discover.stderr[-2000:]
    catalog = configured_catalog(discover.catalog, sorted(incremental), sync_mode="incremental")
    read = run_connector("read", tmp_path / "read", config=config, catalog=catalog, state=state)

    assert read.returncode != 0
    assert not read.records, "records were read from a state in the future"
    [error] = read.errors
    assert error["failure_type"] == "config_error"
    assert "in the future" in error["message"] and "Reset this stream" in error["message"]
    assert any(f"'{name}'" in error["message"] for name in incremental), error["message"]
