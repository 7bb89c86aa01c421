from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from sandbox.world import Scale, World

# The project's reference payloads sit next to the repository (shared/, as laid out for sessions and CI).
EXAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "brightpearl-api" / "examples"
FIXED_NOW = datetime(2026, 3, 10, 15, 30, tzinfo=timezone.utc)


class Clock:
    """A controllable clock: starts at FIXED_NOW, moves only when told."""

    def __init__(self, now: datetime = FIXED_NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def small_world() -> World:
    """Read-only: tests that mutate build their own world."""
    return World(seed=7, scale=Scale.named("small"), clock=Clock())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fresh_world(clock: Clock) -> World:
    return World(seed=11, scale=Scale.named("small"), clock=clock)
