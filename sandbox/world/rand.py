"""Deterministic randomness: every value in the world comes from the seed through these helpers.

Two kinds of source, both independent of the order in which records are looked at (so laziness never changes
output):
- bulk generators get a `random.Random` seeded by (seed, stream name);
- per-record details get a `random.Random` seeded by (seed, resource tag, record id), or a cheap 64-bit hash of
  the same triple when only a number or two is needed.
Python's `hash()` is salted per process, so it is never used; tags are CRC-32s of their names.
"""

from __future__ import annotations

import random
import zlib
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")

_MASK = (1 << 64) - 1


def tag(name: str) -> int:
    """A stable integer for a resource or stream name."""
    return zlib.crc32(name.encode())


def _splitmix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def mix(seed: int, tag_value: int, record_id: int) -> int:
    """A well-spread 64-bit hash of (seed, tag, id)."""
    return _splitmix(_splitmix(_splitmix(seed & _MASK) ^ tag_value) ^ (record_id & _MASK))


def record_rng(seed: int, tag_value: int, record_id: int) -> random.Random:
    """The private generator of one record's details."""
    return random.Random(mix(seed, tag_value, record_id))


def stream_rng(seed: int, name: str) -> random.Random:
    """The generator of one bulk stream (string seeds are hashed with SHA-512 by `random`, so they are stable)."""
    return random.Random(f"{seed}/{name}")


def unit(h: int, salt: int = 0) -> float:
    """A float in [0, 1) from a hash (different salts give independent-looking values)."""
    return (_splitmix(h ^ salt) >> 11) / float(1 << 53)


def pick(h: int, items: Sequence[T], salt: int = 0) -> T:
    """One item chosen by a hash."""
    return items[_splitmix(h ^ salt) % len(items)]


class Weighted:
    """Weighted choice by a uniform draw (bisect over cumulative weights)."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]):
        self.items = list(items)
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]

    def at(self, u: float) -> T:
        """The item for a uniform draw u in [0, 1)."""
        return self.items[bisect_right(self._cum, u * self._total)]

    def byte_table(self) -> bytes:
        """A 256-entry translation table mapping a random byte to an item (items must be ints < 256)."""
        return bytes(self.at((b + 0.5) / 256) for b in range(256))
