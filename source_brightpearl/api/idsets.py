"""Brightpearl ID sets (help article "IDs & ID sets", docs/brightpearl-api.md §P8): `8`, `1-100`, `1,5,9`, `1-14,18-203`.

Detail GETs take at most 200 ids; ranges keep URLs short, so consecutive ids are written as `a-b`.
"""

from __future__ import annotations

from typing import Iterable, Iterator, List, Sequence

MAX_IDS_PER_GET = 200


def compress(ids: Iterable[int]) -> str:
    """Sorted, de-duplicated ids as an ID set with ranges: [1,2,3,5,7,8] -> "1-3,5,7-8"."""
    ordered = sorted(set(ids))
    if not ordered:
        return ""
    parts: List[str] = []
    start = previous = ordered[0]
    for value in ordered[1:]:
        if value == previous + 1:
            previous = value
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = value
    parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ",".join(parts)


def batches(ids: Sequence[int], size: int = MAX_IDS_PER_GET) -> Iterator[List[int]]:
    """Consecutive batches of at most `size` ids, in the given order (search order is ascending id, so each batch
    compresses into as few ranges as the data allows)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])
