"""Fixtures for tests that run the real connector CLI against the sandbox."""

from __future__ import annotations

import pytest

from integration_tests.connector_cli import run_connector
from source_brightpearl.resources import load_schemas


@pytest.fixture(scope="session")
def schemas():
    return load_schemas()


@pytest.fixture
def connector(tmp_path):
    """`connector("read", config=..., catalog=...)` runs `source-brightpearl` in a fresh directory per call."""
    calls = {"n": 0}

    def run(command, **kwargs):
        calls["n"] += 1
        return run_connector(command, tmp_path / f"{calls['n']:02d}-{command}", **kwargs)

    return run


@pytest.fixture(scope="module")
def sandbox_module():
    """One sandbox (small default data) shared by the tests of a module that only read from it."""
    from sandbox import Sandbox, SandboxOptions

    with Sandbox(SandboxOptions()) as sandbox:
        yield sandbox


def pytest_configure(config):
    # Marks the CDK's standard tests put on their cases (test_standard.py).
    config.addinivalue_line("markers", "image_tests: Airbyte standard tests that build and run the Docker image")
    config.addinivalue_line("markers", "requires_creds: Airbyte standard-test scenarios that need real credentials")


def pytest_collection_modifyitems(config, items):
    """The CDK's own Docker image tests (test_standard.py) are always deselected: they build an image from Airbyte's
    Dockerfile template (downloaded from GitHub, with the entrypoint named after this checkout's directory) instead of
    this repo's Dockerfile, and run it on Docker's bridge network, which cannot reach the sandbox on 127.0.0.1.
    test_docker.py builds and runs this repo's image instead, where a Docker daemon exists (BRIGHTPEARL_DOCKER_TESTS=1).
    """
    docker = [item for item in items if "test_docker" in item.name and item.get_closest_marker("image_tests")]
    if docker:
        config.hook.pytest_deselected(items=docker)
        items[:] = [item for item in items if item not in docker]
