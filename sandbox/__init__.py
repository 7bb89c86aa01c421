"""A local Brightpearl API for tests, the demo and the benchmarks (see README.md)."""

from .options import SandboxOptions
from .sandbox import Sandbox
from .world import Scale

__all__ = ["Sandbox", "SandboxOptions", "Scale"]
