"""The Docker image's recipe agrees with metadata.yaml and pyproject.toml, and metadata points at docs that exist.

Building the image needs a Docker daemon (integration_tests/test_docker.py, BRIGHTPEARL_DOCKER_TESTS=1); these checks
read the files only, so they run everywhere.
"""

from __future__ import annotations

import fnmatch
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: tomllib arrived in 3.11; pip vendors the same parser
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
METADATA = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
DIGEST_PINNED = re.compile(r"^docker\.io/airbyte/python-connector-base:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$")


def _instructions(name: str) -> list:
    """The arguments of every `NAME ...` instruction, in order (comments skipped)."""
    return [line.split(None, 1)[1].strip() for line in DOCKERFILE.splitlines() if line.split(None, 1)[:1] == [name]]


def test_base_image_is_metadatas_and_pinned_by_digest():
    base = METADATA["connectorBuildOptions"]["baseImage"]
    assert DIGEST_PINNED.match(base), f"metadata.yaml baseImage must be pinned by digest: {base}"
    [arg] = [a for a in _instructions("ARG") if a.startswith("BASE_IMAGE=")]
    assert arg == f"BASE_IMAGE={base}", "the Dockerfile must build FROM metadata.yaml's baseImage"
    stages = _instructions("FROM")
    assert stages and all(stage.split()[0] == "${BASE_IMAGE}" for stage in stages)


def test_entrypoint_is_the_console_script_as_airbyte_runs_it():
    script = "source-brightpearl"
    assert script in PYPROJECT["project"]["scripts"]
    assert json.loads(_instructions("ENTRYPOINT")[-1]) == [script]
    assert f'AIRBYTE_ENTRYPOINT="{script}"' in _instructions("ENV")
    assert _instructions("USER")[-1] == "airbyte", "run as the base image's non-root user"


def test_labels_and_version_match_metadata():
    labels = dict(label.split("=", 1) for label in _instructions("LABEL"))
    assert labels["io.airbyte.name"] == METADATA["dockerRepository"]
    assert labels["io.airbyte.version"] == METADATA["dockerImageTag"] == PYPROJECT["project"]["version"]


def test_build_context_holds_what_the_wheel_is_built_from_and_nothing_else():
    """What the Dockerfile copies is allowed by .dockerignore (an allow-list that keeps secrets/ out), and covers
    everything pyproject.toml builds the wheel from."""
    copied = [
        source.rstrip("/") for args in _instructions("COPY") if not args.startswith("--from") for source in args.split()[:-1]
    ]
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()]
    patterns = [p for p in patterns if not p.startswith("#")]
    assert patterns[0] == "*", ".dockerignore must exclude everything by default"
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    assert set(copied) == allowed
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", PYPROJECT["project"]["readme"], *wheel["packages"], *wheel["force-include"]}
    assert needed <= set(copied), f"the image build lacks {sorted(needed - set(copied))}"
    assert not any(fnmatch.fnmatch("secrets", p) for p in allowed)


def test_documentation_url_names_this_repos_docs_page():
    """No docs.airbyte.com page exists for this connector, and the repository has no public address yet: metadata.yaml
    names the repo's page relative to the connector root, where it sits."""
    url = METADATA["documentationUrl"]
    assert "docs.airbyte.com" not in url
    assert url == "docs/brightpearl.md" and (ROOT / url).is_file()


def test_spec_documentation_url_is_absent_or_absolute():
    """The protocol types `documentationUrl` as an absolute URL: PyAirbyte rejects a SPEC message carrying a relative
    one ("Connector did not return a spec"). So spec.json names none until the page has a public address, and then
    names the same page as metadata.yaml."""
    url = json.loads((ROOT / "spec.json").read_text()).get("documentationUrl")
    if url is not None:
        assert re.match(r"https://", url) and "docs.airbyte.com" not in url and url.endswith("docs/brightpearl.md")


def test_spec_message_is_valid_airbyte_protocol():
    models = pytest.importorskip("airbyte_protocol.models", reason="the pydantic protocol models come with PyAirbyte")
    from source_brightpearl.run import spec_message

    message = models.AirbyteMessage.model_validate_json(spec_message())
    assert message.spec.connectionSpecification["required"]
