"""docs/brightpearl.md states what the connector does: its stream table and changelog follow the code."""

import re
from pathlib import Path

import pytest
import yaml

from source_brightpearl.resources import load_spec
from source_brightpearl.source import SourceBrightpearl

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "brightpearl.md").read_text()

CONFIG = {
    "data_center": "euw1",
    "account": "acme",
    "state_length": 32,
    "scope": "",
    "client_id": "acme_app",
    "client_secret": "s",
    "response_token_key": "access_token",
    "grant_type": "authorization_code",
}


def _table(heading: str) -> list:
    """The rows of the first table under `## heading`, as lists of stripped cells (header and rule skipped)."""
    section = DOC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


@pytest.fixture(scope="module")
def catalog():
    source = SourceBrightpearl(config=dict(CONFIG))
    return {stream.name: stream.as_airbyte_stream() for stream in source.streams(source._config)}


def test_stream_table_matches_the_catalog(catalog):
    documented = {row[0]: row for row in _table("Supported streams")}
    assert set(documented) == set(catalog)
    for name, stream in catalog.items():
        row = documented[name]
        assert row[1] == ", ".join(key[0] for key in stream.source_defined_primary_key), name
        modes = {mode.value for mode in stream.supported_sync_modes}
        assert row[2] == ("full refresh, incremental" if "incremental" in modes else "full refresh"), name
        if "incremental" in modes:
            assert stream.default_cursor_field == ["syncCursor"], name
        else:
            assert row[3] == "—", name


def test_documented_settings_exist_with_their_defaults():
    properties = load_spec()["connectionSpecification"]["properties"]
    documented = re.findall(r"\*\*([A-Z][^*]+)\*\*\s+\(default (\d+)\)", DOC)
    assert len(documented) >= 3
    for title, default in documented:
        matches = [p for p in properties.values() if p["title"] == title]
        assert matches, f"the docs name a setting '{title}' that spec.json does not have"
        assert str(matches[0].get("default")) == default, title


def test_changelog_names_the_current_version():
    version = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]["dockerImageTag"]
    changelog = DOC.split("## Changelog", 1)[1]
    assert f"| {version} |" in changelog


def test_retry_figures_match_the_manifest():
    handler = yaml.safe_load((ROOT / "manifest.yaml").read_text())["definitions"]["error_handler"]
    text = " ".join(DOC.split())  # line breaks inside sentences don't matter
    assert f"retried up to {handler['max_error_retries']} times" in text
    assert f"up to {handler['max_retries']} throttled windows in a row" in text
    assert handler["max_time"] == 3600 and "(an hour)" in text
