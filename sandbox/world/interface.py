"""The contract with the protocol half (see ../README.md "World interface"): search tables, id-set collections
and static lists, each a thin view over a store."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson

from .store import Store, WorldContext, bulk_build


@dataclass(frozen=True)
class Column:
    name: str
    report_data_type: str  # IDSET INTEGER STRING SEARCH_STRING BOOLEAN PERIOD
    reference_data: tuple[str, ...] = ()
    sortable: bool = True
    filterable: bool = True
    required: bool = False
    is_free_text_searchable: bool = False


def columns(*specs: tuple) -> list[Column]:
    """Columns from compact tuples: (name, type[, reference_data[, sortable[, filterable]]])."""
    return [Column(*spec) for spec in specs]


class SearchTable:
    """A `*-search` resource: positional rows aligned with `columns`, sorted by columns[0] ascending."""

    columns: list[Column]
    misreported_results_available: int | None = None

    def rows(self) -> list[list]:
        """Current rows (shared and cached until a mutation: do not modify)."""
        raise NotImplementedError

    def reference(self) -> dict:
        """The top-level `reference` sibling: full maps; the server narrows them to a page."""
        return {}

    def dicts(self) -> list[dict]:
        """Rows as {column name: value}."""
        names = [c.name for c in self.columns]
        return [dict(zip(names, row)) for row in self.rows()]


class StoreTable(SearchTable):
    """A search table over one store.

    `bulk_rows()` gives the rows of the untouched seeded records, aligned with `store.seed_ids()` (one row per
    record, or a list of rows per record when `multi`); `record_rows(id, record)` gives the same for a changed
    or created record. Rows are rebuilt when the store or a dependency (`deps`) changes; `bulk_rows` is rebuilt
    only when a dependency changes (it may read their current state, e.g. a contact's last order date)."""

    def __init__(
        self,
        ctx: WorldContext,
        cols: list[Column],
        store: Store,
        *,
        bulk_rows: Callable[[], list],
        record_rows: Callable[[int, Any], Any],
        multi: bool = False,
        reference: Callable[[], dict] | None = None,
        deps: tuple[Store, ...] = (),
        sort_by_first_column: bool = False,
    ):
        self.columns = cols
        self._ctx = ctx
        self._store = store
        self._bulk_rows = bulk_rows
        self._record_rows = record_rows
        self._multi = multi
        self._reference = reference
        self._deps = deps
        self._sort = sort_by_first_column
        self._bulk: tuple[tuple, list] | None = None
        self._rows: tuple[tuple, list[list]] | None = None
        self._ref: tuple[tuple, dict] | None = None

    def _dep_key(self) -> tuple:
        return tuple(d.version for d in self._deps)

    def _bulk_for(self, key: tuple) -> list:
        if self._bulk is None or self._bulk[0] != key:
            self._bulk = (key, self._bulk_rows())
        return self._bulk[1]

    def rows(self) -> list[list]:
        with self._ctx.lock:
            dep_key = self._dep_key()
            key = (self._store.version, dep_key)
            if self._rows is not None and self._rows[0] == key:
                return self._rows[1]
            with bulk_build():
                return self._rebuild(key, dep_key)

    def _rebuild(self, key: tuple, dep_key: tuple) -> list[list]:
        bulk = self._bulk_for(dep_key)
        store = self._store
        if store.dirty:
            per_record = store.current_items(bulk.__getitem__, self._record_rows)
        else:
            per_record = bulk
        rows = [row for group in per_record for row in group] if self._multi else per_record
        if self._sort:
            rows = sorted(rows, key=itemgetter(0))
        self._rows = (key, rows)
        return rows

    def reference(self) -> dict:
        if self._reference is None:
            return {}
        with self._ctx.lock:
            key = (self._store.version, self._dep_key())
            if self._ref is None or self._ref[0] != key:
                with bulk_build():
                    self._ref = (key, self._reference())
            return self._ref[1]


class ListTable(SearchTable):
    """A search-only resource whose records are its rows (payments, goods movements, small reference lists)."""

    def __init__(
        self,
        ctx: WorldContext,
        cols: list[Column],
        store: Store,
        *,
        reference: Callable[[], dict] | None = None,
        sort_by_first_column: bool = False,
        misreported_results_available: int | None = None,
    ):
        self.columns = cols
        self.misreported_results_available = misreported_results_available
        self._inner = StoreTable(
            ctx,
            cols,
            store,
            bulk_rows=store.seed_records,  # type: ignore[attr-defined]
            record_rows=lambda _id, row: row,
            reference=reference,
            sort_by_first_column=sort_by_first_column,
        )

    def rows(self) -> list[list]:
        return self._inner.rows()

    def reference(self) -> dict:
        return self._inner.reference()


class ByteCache:
    """Serialized records, least recently used first out, bounded by total size."""

    def __init__(self, budget_bytes: int):
        self._budget = budget_bytes
        self._size = 0
        self._entries: OrderedDict[tuple, tuple[int, bytes]] = OrderedDict()

    def get(self, key: tuple, rev: int) -> bytes | None:
        hit = self._entries.get(key)
        if hit is None or hit[0] != rev:
            return None
        self._entries.move_to_end(key)
        return hit[1]

    def put(self, key: tuple, rev: int, body: bytes) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old[1])
        self._entries[key] = (rev, body)
        self._size += len(body)
        while self._size > self._budget and self._entries:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._size -= len(dropped)


class Collection:
    """A resource read by id-set GET. Attributes are the README's contract."""

    def __init__(
        self,
        ctx: WorldContext,
        name: str,
        store: Store,
        cache: ByteCache,
        *,
        max_ids: int | None = None,
        envelope: str = "list",
        missing: str = "404",
        not_found_message: str = "",
        allow_all: bool = False,
        id_key: str | None = None,
    ):
        self.name = name
        self.max_ids = max_ids
        self.envelope = envelope
        self.missing = missing
        self.not_found_message = not_found_message
        self.allow_all = allow_all
        # For "map" envelopes: the key the record would carry its map id under when flattened (World.truth).
        self.id_key = id_key
        self._ctx = ctx
        self._store = store
        self._cache = cache

    def ids(self) -> list[int]:
        with self._ctx.lock:
            return self._store.ids()

    def get_json(self, id: int, include_optional: frozenset[str] = frozenset()) -> bytes | None:
        custom = "customFields" in include_optional
        null_custom = "nullCustomFields" in include_optional
        key = (self.name, id, custom, null_custom)
        with self._ctx.lock:
            store = self._store
            rev = store.rev(id)
            body = self._cache.get(key, rev)
            if body is not None:
                return body
            record = store.record(id)
            if record is None:
                return None
            body = orjson.dumps(store.served(record, custom, null_custom))
            self._cache.put(key, rev, body)
            return body

    def get(self, id: int, include_optional: frozenset[str] = frozenset()) -> dict | None:
        body = self.get_json(id, include_optional)
        return None if body is None else orjson.loads(body)

    def parent_id(self, id: int) -> int | None:
        with self._ctx.lock:
            return self._store.parent_id(id)


class StaticList:
    """A resource with no ids (exchange rates, payment methods): the whole list, always."""

    def __init__(self, build: Callable[[], list[dict]]):
        self._build = build
        self._records: list[dict] | None = None

    def records(self) -> list[dict]:
        if self._records is None:
            self._records = self._build()
        return self._records
