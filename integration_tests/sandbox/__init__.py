"""A local Brightpearl API for tests, the demo and the benchmarks (see README.md)."""

from .options import SandboxOptions
from .sandbox import Sandbox

__all__ = ["Sandbox", "SandboxOptions", "Scale"]


def __getattr__(name: str):
    # `Scale` belongs to the data half; imported on use so the protocol half loads without building a world.
    if name == "Scale":
        from .world import Scale

        return Scale
    raise AttributeError(name)
