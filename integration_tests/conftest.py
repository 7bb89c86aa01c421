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
    from integration_tests.sandbox import Sandbox, SandboxOptions

    with Sandbox(SandboxOptions()) as sandbox:
        yield sandbox
