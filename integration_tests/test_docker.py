"""The connector image built from this repo's Dockerfile, run as Airbyte runs it: `spec`, `check`, `discover` and
`read` inside the container, against the sandbox.

Needs a Docker daemon, so it runs only with BRIGHTPEARL_DOCKER_TESTS=1 (then a missing `docker` CLI is a failure, not
a skip). The containers use `--network host` to reach the sandbox on 127.0.0.1, which needs Docker on Linux (or a
Docker Desktop with host networking enabled). The build pulls the base image and the package's dependencies.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any, Mapping, Optional

import pytest
import yaml

from integration_tests.connector_cli import CliResult, configured_catalog, leaked_secrets
from source_brightpearl.resources import load_spec
from unit_tests.record_validation import invalid_records

pytestmark = pytest.mark.skipif(
    os.environ.get("BRIGHTPEARL_DOCKER_TESTS") != "1", reason="image tests need a Docker daemon: set BRIGHTPEARL_DOCKER_TESTS=1"
)

ROOT = Path(__file__).resolve().parents[1]
METADATA = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]
BUILD_TIMEOUT = 1800  # seconds: a cold build pulls the base image and installs the CDK
RUN_TIMEOUT = 600
SECRET_KEYS = ("client_secret", "authorization_code", "access_token", "refresh_token")


@pytest.fixture(scope="module")
def image():
    if shutil.which("docker") is None:
        pytest.fail("BRIGHTPEARL_DOCKER_TESTS=1 but there is no `docker` CLI on PATH")
    tag = f"source-brightpearl:test-{uuid.uuid4().hex[:12]}"
    build = subprocess.run(["docker", "build", "-t", tag, str(ROOT)], capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert build.returncode == 0, f"docker build failed:\n{build.stderr[-4000:]}"
    yield tag
    subprocess.run(["docker", "image", "rm", "--force", tag], capture_output=True, timeout=120)


def run_image(
    image: str,
    command: str,
    workdir: Path,
    config: Optional[Mapping[str, Any]] = None,
    catalog: Optional[Mapping[str, Any]] = None,
) -> CliResult:
    """`docker run IMAGE command --config /data/config.json ...` with the inputs mounted read-only at /data."""
    workdir.mkdir(parents=True)
    # The image runs as its own `airbyte` user, whose uid may differ from ours: the mounted files must be readable.
    # They carry sandbox tokens only.
    workdir.chmod(0o755)
    args = ["docker", "run", "--rm", "--network", "host", "-v", f"{workdir}:/data:ro", image, command]
    for name, content in (("config", config), ("catalog", catalog)):
        if content is not None:
            path = workdir / f"{name}.json"
            path.write_text(json.dumps(content))
            path.chmod(0o644)
            args += [f"--{name}", f"/data/{name}.json"]
    completed = subprocess.run(args, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    messages = []
    for line in completed.stdout.splitlines():
        if line.strip().startswith("{"):
            try:
                messages.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    result = CliResult(command, completed.returncode, completed.stdout, completed.stderr, messages)
    configs = ([dict(config)] if config else []) + result.emitted_configs
    secrets = [c.get(key) for c in configs for key in SECRET_KEYS if isinstance(c.get(key), str)]
    assert not leaked_secrets(result.output_without_control(), secrets), f"the image's `{command}` printed a secret"
    return result


def test_image_follows_airbytes_conventions(image):
    inspected = json.loads(
        subprocess.run(["docker", "image", "inspect", image], capture_output=True, text=True, timeout=60, check=True).stdout
    )[0]["Config"]
    assert inspected["Entrypoint"] == ["source-brightpearl"]
    assert "AIRBYTE_ENTRYPOINT=source-brightpearl" in inspected["Env"]
    assert inspected["User"] == "airbyte", "the connector runs as the base image's non-root user"
    assert inspected["Labels"]["io.airbyte.name"] == METADATA["dockerRepository"]
    assert inspected["Labels"]["io.airbyte.version"] == METADATA["dockerImageTag"]


def test_image_spec_is_the_repos_spec(image, tmp_path):
    result = run_image(image, "spec", tmp_path / "spec")
    assert result.returncode == 0, result.stderr[-2000:]
    [message] = result.of_type("SPEC")
    spec = load_spec()
    assert message["spec"]["connectionSpecification"] == spec["connectionSpecification"]
    assert message["spec"]["documentationUrl"] == spec["documentationUrl"]


def test_image_checks_and_reads_the_sandbox(image, sandbox, tmp_path):
    config = sandbox.config_with_tokens()
    check = run_image(image, "check", tmp_path / "check", config=config)
    assert check.returncode == 0, check.stderr[-2000:]
    assert check.connection_status["status"] == "SUCCEEDED", check.connection_status

    discover = run_image(image, "discover", tmp_path / "discover", config=config)
    assert discover.returncode == 0, discover.stderr[-2000:]
    catalog = configured_catalog(discover.catalog, ["orders", "contacts"])
    read = run_image(image, "read", tmp_path / "read", config=config, catalog=catalog)
    assert read.returncode == 0, read.stderr[-3000:]

    assert {r["id"] for r in read.records["orders"]} == {o["id"] for o in sandbox.world.truth("order")}
    assert {r["contactId"] for r in read.records["contacts"]} == {c["contactId"] for c in sandbox.world.truth("contact")}
    schemas = {s["name"]: s["json_schema"] for s in discover.catalog["streams"]}
    assert invalid_records(schemas, read.records) == {}
