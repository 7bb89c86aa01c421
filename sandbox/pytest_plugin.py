"""pytest fixtures (registered in the repo's root conftest.py):

- `sandbox`: a running sandbox with small default data, stopped after the test;
- `sandbox_factory(options=None, *, world=None, **option_overrides)`: start sandboxes with any options; all are
  stopped at teardown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .options import SandboxOptions
from .sandbox import Sandbox

DEFAULT_TEST_OPTIONS = SandboxOptions(seed=1, scale="small")


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    started: list[Sandbox] = []

    def start(options: SandboxOptions | None = None, /, *, world: Any = None, **overrides: Any) -> Sandbox:
        sandbox = Sandbox(dataclasses.replace(options or DEFAULT_TEST_OPTIONS, **overrides), world=world)
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def sandbox(sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory()
