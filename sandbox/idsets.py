"""Brightpearl ID sets (docs/brightpearl-api.md §P8): parsing for GET paths and IDSET search filters, and range compression
for OPTIONS `getUris`.

Syntax: a single id `8`, an ascending range `1-100`, lists separated by `,` (ordered) or `.` (unordered), and
mixtures (`1-14,18-203`, `1.5-9,12`). The wildcard `*` is not an id set; routes that accept it check for it
before parsing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_PART = re.compile(r"^(\d+)(?:-(\d+))?$")
_SEPARATORS = re.compile(r"[,.]")


class IdSetError(ValueError):
    """The text is not a valid ID set (empty part, non-digit, descending range)."""


@dataclass(frozen=True)
class IdSet:
    """Requested ids as ascending, merged, inclusive intervals. Kept as intervals so a filter like `1-1000000000`
    costs nothing to parse or to test membership against."""

    intervals: tuple[tuple[int, int], ...]

    @property
    def count(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.intervals)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        pos = bisect.bisect_right(self.intervals, (value, float("inf"))) - 1
        return pos >= 0 and self.intervals[pos][0] <= value <= self.intervals[pos][1]

    def ids(self) -> list[int]:
        """Every requested id, ascending. Only call after checking `count` against a limit."""
        return [i for lo, hi in self.intervals for i in range(lo, hi + 1)]

    def select(self, existing: Sequence[int]) -> list[int]:
        """The existing ids (ascending list) that are in this set; walks whichever side is smaller."""
        if self.count <= len(existing):
            return [i for i in self.ids() if _contains_sorted(existing, i)]
        out: list[int] = []
        for lo, hi in self.intervals:
            start = bisect.bisect_left(existing, lo)
            stop = bisect.bisect_right(existing, hi)
            out.extend(existing[start:stop])
        return out


def _contains_sorted(values: Sequence[int], value: int) -> bool:
    pos = bisect.bisect_left(values, value)
    return pos < len(values) and values[pos] == value


def parse_id_set(text: str) -> IdSet:
    if not text:
        raise IdSetError("empty ID set")
    intervals: list[tuple[int, int]] = []
    for part in _SEPARATORS.split(text):
        match = _PART.match(part)
        if not match:
            raise IdSetError(f"invalid ID set element {part!r}")
        lo = int(match.group(1))
        hi = int(match.group(2)) if match.group(2) is not None else lo
        if hi < lo:
            # Docs: "the first number … must be lower than the second".
            raise IdSetError(f"descending range {part!r}")
        intervals.append((lo, hi))
    return IdSet(_merge(intervals))


def _merge(intervals: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    intervals.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in intervals:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return tuple(merged)


def compress(ids: Iterable[int]) -> str:
    """Ascending ids → the shortest ID-set text: runs of two or more become `a-b` (the recorded OPTIONS answer
    writes `1-2,5,8,10-41`)."""
    parts: list[str] = []
    run_start = run_end = None
    for i in ids:
        if run_end is not None and i == run_end + 1:
            run_end = i
            continue
        if run_start is not None:
            parts.append(_run(run_start, run_end))
        run_start = run_end = i
    if run_start is not None:
        parts.append(_run(run_start, run_end))
    return ",".join(parts)


def _run(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}-{end}"
