"""docs/brightpearl.md states what the connector does, in Airbyte's connector docs template: its headings follow the
template's order, its prerequisites explain every required setting, and its stream table and changelog follow the
code."""

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


# Airbyte's connector docs template (the order its documentation header check walks), as (level, heading). Other
# headings may sit between these, at levels 3 and below: a new H2 would break the template, so put a new topic under
# the fitting H2 (e.g. a limitation under "Connector limitations"). "Step 1: ..." is matched by its prefix.
TEMPLATE = [
    (2, "Prerequisites"),
    (2, "Setup guide"),
    (3, "Step 1: "),
    (3, "Step 2: Set up the Brightpearl connector in Airbyte"),
    (4, "For Airbyte Cloud:"),
    (4, "For Airbyte Open Source:"),
    (2, "Supported sync modes"),
    (2, "Supported Streams"),
    (2, "Data type map"),
    (2, "Limitations & Troubleshooting"),
    (3, "Connector limitations"),
    (4, "Rate limiting"),
    (3, "Troubleshooting"),
    (2, "Changelog"),
]


def _headings(text: str) -> list:
    """(level, title) of every Markdown heading outside fenced code blocks."""
    headings, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"(#{1,6}) (.+)", line)):
            headings.append((len(match.group(1)), match.group(2).strip()))
    return headings


def _section(heading: str) -> str:
    """The text under `## heading`, up to the next H2."""
    return DOC.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def _table(heading: str) -> list:
    """The rows of the first table under `## heading`, as lists of stripped cells (header and rule skipped)."""
    rows = [line for line in _section(heading).splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


@pytest.fixture(scope="module")
def catalog():
    source = SourceBrightpearl(config=dict(CONFIG))
    return {stream.name: stream.as_airbyte_stream() for stream in source.streams(source._config)}


def test_stream_table_matches_the_catalog(catalog):
    documented = {row[0]: row for row in _table("Supported Streams")}
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


def test_headings_follow_airbytes_template():
    headings = _headings(DOC)
    name = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]["name"]
    assert headings[0] == (1, name), "the page starts with the connector's name from metadata.yaml as its only H1"
    assert [h for h in headings if h[0] == 1] == [(1, name)]
    assert [h for h in headings if h[0] == 2] == [h for h in TEMPLATE if h[0] == 2], "H2s must be the template's, in order"
    position = 0
    for level, title in TEMPLATE:
        found = next(
            (i for i, (lv, t) in enumerate(headings[position:], position) if lv == level and t.startswith(title)),
            None,
        )
        assert found is not None, f"'{'#' * level} {title}' is missing, or out of the template's order"
        position = found + 1
    # The Cloud and Open Source blocks belong to Step 2, before the next H2.
    step2 = headings.index((3, "Step 2: Set up the Brightpearl connector in Airbyte"))
    assert headings[step2 + 1 : step2 + 3] == [(4, "For Airbyte Cloud:"), (4, "For Airbyte Open Source:")]


@pytest.mark.parametrize("key", load_spec()["connectionSpecification"]["required"])
def test_prerequisites_explain_every_required_setting(key):
    title = load_spec()["connectionSpecification"]["properties"][key]["title"]
    rows = {row[1]: row for row in _table("Prerequisites")}
    assert f"`{key}`" in rows, f"Prerequisites: the required setting {key} has no row"
    row = rows[f"`{key}`"]
    assert row[0] == f"**{title}**", f"Prerequisites: {key} must be named by its form title, {title}"
    assert len(row[2].split()) >= 4, f"Prerequisites: say what to enter for {key}"


def test_changelog_has_airbytes_columns_and_names_the_current_version():
    version = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]["dockerImageTag"]
    lines = [line for line in _section("Changelog").splitlines() if line.startswith("|")]
    assert [cell.strip() for cell in lines[0].strip("|").split("|")] == ["Version", "Date", "Pull Request", "Subject"]
    assert any(line.startswith(f"| {version} |") for line in lines[2:])


def test_relative_links_resolve():
    """Links between the docs pages, and to headings of a page, point at something that exists."""
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text()
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # an absolute URL
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.is_file(), f"{page.name}: link to {target} names no file"
            if anchor and linked.suffix == ".md":
                anchors = {_anchor(title) for _, title in _headings(linked.read_text())}
                assert anchor in anchors, f"{page.name}: link to {target} names no heading of {linked.name}"


def _anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def test_retry_figures_match_the_manifest():
    handler = yaml.safe_load((ROOT / "manifest.yaml").read_text())["definitions"]["error_handler"]
    text = " ".join(DOC.split())  # line breaks inside sentences don't matter
    assert f"retried up to {handler['max_error_retries']} times" in text
    assert f"up to {handler['max_retries']} throttled windows in a row" in text
    assert handler["max_time"] == 3600 and "(an hour)" in text
