"""Record stores: an immutable seeded part plus a mutable overlay.

The seeded part is a pure function of the seed: bulk cores are generated from stream generators, and a record's
details are derived on demand from its own generator, so the order in which records are first looked at never
changes them. Mutations never touch the seeded part; they write whole current records into the overlay (changed
or created ids) or mark ids deleted. Cross-resource derivations (an order's rows naming a product, a goods note
copying an order's rows) always read the *seeded* part of the other resource, like the real API's snapshots.
"""

from __future__ import annotations

import gc
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .scale import Scale
from .timefmt import TimeFormat

_gc_pause_depth = 0
_gc_lock = threading.Lock()


@contextmanager
def bulk_build():
    """Pause the cyclic garbage collector while building large acyclic structures (hundreds of thousands of row
    lists and records), then freeze what survived: otherwise every later collection rescans them, which made a
    loop over 100k goods notes take seconds in a 200k world. Frozen objects are still freed by reference
    counting; cyclic garbage is collected first so none gets frozen with them. Nested and thread-safe."""
    global _gc_pause_depth
    with _gc_lock:
        if _gc_pause_depth == 0:
            bulk_build.was_enabled = gc.isenabled()
            gc.collect()
            gc.disable()
        _gc_pause_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pause_depth -= 1
            if _gc_pause_depth == 0:
                gc.freeze()
                if bulk_build.was_enabled:
                    gc.enable()


@dataclass
class WorldContext:
    """What every part of the world shares."""

    seed: int
    scale: Scale
    tf: TimeFormat
    anchor_ms: int  # end of seeded history: the account-zone midnight before construction
    start_ms: int  # seeded orders begin here (two years before the anchor)
    clock_ms: Callable[[], int]
    zone_name: str  # IANA zone reported by account-configuration, consistent with the offset
    lock: threading.RLock = field(default_factory=threading.RLock)
    version: int = 0  # bumps on every mutation (World.version)


class Store:
    """One resource's records. Subclasses provide the seeded part (`seed_ids`, `seed_record`)."""

    name = ""

    def __init__(self, ctx: WorldContext):
        self.ctx = ctx
        self.version = 0
        self._overlay: dict[int, Any] = {}
        self._revs: dict[int, int] = {}
        self._deleted: set[int] = set()
        self._created: list[int] = []
        self._next_id = 0
        self._ids: list[int] | None = None

    # -- seeded part -------------------------------------------------------------------------------------------

    def seed_ids(self) -> Sequence[int]:
        """Seeded ids, ascending."""
        raise NotImplementedError

    def seed_record(self, index: int) -> Any:
        """The seeded record at `index` of `seed_ids()` (callers must not modify it)."""
        raise NotImplementedError

    def served(self, record: Any, custom_fields: bool, null_custom_fields: bool) -> Any:
        """The record as a GET serves it; stores with custom fields drop or complete them here."""
        return record

    def parent_id(self, record_id: int) -> int | None:
        return None

    def seed_index(self, record_id: int) -> int | None:
        ids = self.seed_ids()
        i = bisect_left(ids, record_id)
        return i if i < len(ids) and ids[i] == record_id else None

    # -- current state -----------------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Whether anything was changed, created or deleted."""
        return bool(self._overlay or self._deleted)

    def ids(self) -> list[int]:
        if self._ids is None:
            seeded = self.seed_ids()
            if self._deleted:
                ids = [i for i in seeded if i not in self._deleted]
            else:
                ids = list(seeded)
            ids.extend(i for i in self._created if i not in self._deleted)
            self._ids = ids
        return self._ids

    def has(self, record_id: int) -> bool:
        if record_id in self._deleted:
            return False
        return record_id in self._overlay or self.seed_index(record_id) is not None

    def record(self, record_id: int) -> Any | None:
        """The current record (shared: callers must not modify it)."""
        if record_id in self._deleted:
            return None
        current = self._overlay.get(record_id)
        if current is not None:
            return current
        index = self.seed_index(record_id)
        return None if index is None else self.seed_record(index)

    def is_changed(self, record_id: int) -> bool:
        return record_id in self._overlay

    def rev(self, record_id: int) -> int:
        """How many times the record was written (caches compare it)."""
        return self._revs.get(record_id, 0)

    # -- writes (callers hold the world lock) ------------------------------------------------------------------

    def allocate_id(self) -> int:
        if not self._next_id:
            seeded = self.seed_ids()
            self._next_id = (seeded[-1] if len(seeded) else self.first_id() - 1) + 1
        record_id = self._next_id
        self._next_id += 1
        return record_id

    def first_id(self) -> int:
        return 1

    def put(self, record_id: int, record: Any) -> None:
        if record_id not in self._overlay and self.seed_index(record_id) is None:
            self._created.append(record_id)
        self._overlay[record_id] = record
        self._deleted.discard(record_id)
        self._touch(record_id)

    def delete(self, record_id: int) -> None:
        if not self.has(record_id):
            raise KeyError(f"{self.name} {record_id} does not exist")
        self._deleted.add(record_id)
        self._overlay.pop(record_id, None)
        self._touch(record_id)

    def _touch(self, record_id: int) -> None:
        self._revs[record_id] = self._revs.get(record_id, 0) + 1
        self._ids = None
        self.version += 1

    def current_items(self, seeded_value: Callable[[int], Any], changed_value: Callable[[int, Any], Any]) -> list[Any]:
        """One value per current id, in id order: `seeded_value(index)` for untouched seeded records,
        `changed_value(id, record)` for changed or created ones."""
        out: list[Any] = []
        overlay, deleted = self._overlay, self._deleted
        for index, record_id in enumerate(self.seed_ids()):
            if record_id in deleted:
                continue
            current = overlay.get(record_id)
            out.append(seeded_value(index) if current is None else changed_value(record_id, current))
        out.extend(changed_value(i, overlay[i]) for i in self._created if i not in deleted)
        return out


class ListStore(Store):
    """A store whose seeded records are built in one go (reference data, derived bulk sets).

    `build()` returns (ids ascending, records); it runs once, on first use, under the world lock."""

    def __init__(self, ctx: WorldContext):
        super().__init__(ctx)
        self._built: tuple[array, list] | None = None

    def build(self) -> tuple[Sequence[int], list]:
        raise NotImplementedError

    def _data(self) -> tuple[array, list]:
        if self._built is None:
            with self.ctx.lock, bulk_build():
                if self._built is None:
                    ids, records = self.build()
                    self._built = (array("q", ids), records)
        return self._built

    def seed_ids(self) -> Sequence[int]:
        return self._data()[0]

    def seed_records(self) -> list:
        """The seeded records themselves (shared; do not modify)."""
        return self._data()[1]

    def seed_record(self, index: int) -> Any:
        return self._data()[1][index]


def deep_copy(value: Any) -> Any:
    """A private copy of a JSON-like record, for a mutation to edit."""
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value
