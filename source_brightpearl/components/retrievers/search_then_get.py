"""Search for ids, then read the full objects by id-set GETs, accounting for every id asked for."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple, Union

import requests
from airbyte_cdk.models import AirbyteMessage
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.envelopes import DetailReader
from source_brightpearl.api.idsets import MAX_IDS_PER_GET, batches, compress
from source_brightpearl.api.responses import decode_json
from source_brightpearl.api.search import MalformedSearchResponse
from source_brightpearl.components.progress import distinct_share
from source_brightpearl.components.retrievers.base import logger
from source_brightpearl.components.retrievers.paging import SearchPaging
from source_brightpearl.components.retrievers.pipeline import ordered_map
from source_brightpearl.components.retrievers.windows import Window, is_empty, searched_window

# Ids listed in a log line; the count is always given.
LOGGED_IDS = 10
# An id-set GET answered 404: none of its ids exist (as some resources answer when none do).
NOT_FOUND = 404
# Up to this many ids missing twice are plausibly deleted since the search; more, all answered 404 twice, look like a
# set refused as a whole (one bad id can fail a whole id set on some resources), so they are asked for in halves.
FEW_DELETIONS = 4


@dataclass
class SearchThenGetRetriever(SearchPaging):
    """Searches for ids, then reads the full objects by id set.

    `$parameters`: `id_column` (the search column holding the id), `resource_path` (the detail resource; the id set
    is appended), `detail_params`, `batch_size` (≤ 200), and `envelope` / `shape` / `key_field` / `id_field`, which
    say how a detail answer becomes records (see `DetailReader`).

    Every id asked for is accounted for (`_fetch`): returned, or asked for again and then counted as deleted since the
    search. An answer for ids not asked for is never emitted.
    """

    detail_requester: Optional[Requester] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self.detail_params: Dict[str, Any] = dict(parameters.get("detail_params") or {})
        self.batch_size = min(int(parameters.get("batch_size", MAX_IDS_PER_GET)), MAX_IDS_PER_GET)
        self._reader = DetailReader(
            parameters.get("envelope", "list"),
            parameters.get("shape", "as_is"),
            parameters.get("key_field"),
            parameters.get("id_field", "id"),
        )
        self._vanished = 0  # ids found by a search and gone by their GET, this sync (all partitions)
        self._vanished_lock = threading.Lock()

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Union[Dict[str, Any], AirbyteMessage]]:
        window = searched_window(stream_slice, datetime.now(timezone.utc))
        if is_empty(window):
            return
        window_end = window[1]
        # The detail GETs run several at a time on the sync's request pool while the search goes on; records come
        # out batch by batch in search order, progress estimates in their place among them (pipeline.py).
        for item in ordered_map(
            self.request_pool,
            self._read,
            self._work(window, stream_slice),
            self.request_pool.workers,
            passthrough=lambda item: isinstance(item, AirbyteMessage),
        ):
            if isinstance(item, AirbyteMessage):
                yield item
                continue
            ids, records = item
            estimate = self.progress.fetched(ids, len(records))
            if estimate is not None:
                yield estimate
            for record in records:
                yield self._add_sync_cursor(record, window_end)

    def _work(self, window: Window, stream_slice: Optional[StreamSlice]) -> Iterator[Union[List[int], AirbyteMessage]]:
        """The id batches to read, in search order, with the stream's estimate as soon as a search answers."""
        # Each id is fetched once per sync: a record matching two window filters (updatedOn and createdOn), two
        # windows, the paging overlap, or repeated search rows (journal lines, goods-in rows) is read once, at its
        # latest version.
        pending: List[int] = []
        for page in self._search_pages(window, stream_slice, [self.id_column]):
            ids = self._ids(page.column_values(self.id_column))
            estimate = self._estimate(stream_slice, page, distinct_share(ids))
            if estimate is not None:
                yield estimate
            for record_id in ids:
                if self._claim(record_id):
                    pending.append(record_id)
            while len(pending) >= self.batch_size:
                yield pending[: self.batch_size]
                del pending[: self.batch_size]
        yield from batches(pending, self.batch_size)

    def _read(self, ids: List[int]) -> Tuple[int, List[Dict[str, Any]]]:
        """One batch's records, read on a pool thread (`_fetch` is thread-safe) and handed back whole (bounded by the
        pool's slots)."""
        return len(ids), self._fetch(ids)

    def _ids(self, values: List[Any]) -> List[int]:
        for value in values:
            if not isinstance(value, int) or isinstance(value, bool):
                raise self._failure(
                    str(MalformedSearchResponse(f"the '{self.id_column}' column holds {value!r}, not an id")),
                    endpoint=self.search_path,
                )
        return values

    def _fetch(self, ids: Sequence[int]) -> List[Dict[str, Any]]:
        """The records of one batch of ids, every id accounted for. Self-contained and thread-safe (it may run on
        worker threads): it reads only its arguments and the retriever's configuration.

        Ids asked for and not returned — left out of an answer, or a 404 ("none of these") — are asked for again in
        one set; if more than a few are missing and that set is answered 404, in two halves. Ids still missing were deleted since the search: counted
        and logged, not an error. Objects for ids not asked for are logged and dropped."""
        found: Dict[int, List[Dict[str, Any]]] = {}
        missing, whole_set_404 = self._get(list(ids), found)
        if missing:
            missing, whole_set_404 = self._get(sorted(missing), found)
        if missing and whole_set_404 and len(missing) > FEW_DELETIONS:
            ordered = sorted(missing)
            middle = len(ordered) // 2
            missing = set()
            for half in (ordered[:middle], ordered[middle:]):
                missing |= self._get(half, found)[0]
        if missing:
            self._log_vanished(missing)
        return [record for record_id in ids for record in found.get(record_id, ())]

    def _get(self, ids: List[int], found: Dict[int, List[Dict[str, Any]]]) -> Tuple[Set[int], bool]:
        """One id-set GET: adds the records of the ids asked for to `found`; returns the ids still missing and whether the
        answer was a 404 for the whole set."""
        assert self.detail_requester is not None, f"{self.name}: detail_requester is not declared"
        id_set = compress(ids)
        answer = self._request(
            self.detail_requester,
            self.resource_path,
            self._parse_detail,
            partition={"id_set": id_set},
            params=self.detail_params,
            accept=(NOT_FOUND,),
        )
        if answer is None:
            return set(ids) - found.keys(), True
        asked = set(ids)
        extra: List[int] = []
        for record_id, records in answer:
            if record_id in asked:
                found.setdefault(record_id, records)
            else:
                extra.append(record_id)
        if extra:
            logger.warning(
                f"Stream '{self.name}': {self.resource_path}/{_short(id_set)} answered {len(extra)} object(s) for ids not "
                f"asked for ({_listed(extra)}); they are not emitted."
            )
        return asked - found.keys(), False

    def _parse_detail(self, response: requests.Response) -> Optional[List[Tuple[int, List[Dict[str, Any]]]]]:
        """Each object of the answer as (id, its records); None for a 404."""
        if response.status_code == NOT_FOUND:
            return None
        body = decode_json(response.content, response.status_code, response.headers)
        return [(record_id, list(self._reader.records(item))) for record_id, item in self._reader.identified(body)]

    def _log_vanished(self, missing: Set[int]) -> None:
        with self._vanished_lock:
            self._vanished += len(missing)
            total = self._vanished
        logger.warning(
            f"Stream '{self.name}': {len(missing)} id(s) found by the search were not returned by {self.resource_path}, "
            f"even when asked for again ({_listed(missing)}): deleted since the search, so not emitted "
            f"({total} so far in this sync)."
        )


def _listed(ids: Any) -> str:
    ordered = sorted(ids)
    shown = ", ".join(str(i) for i in ordered[:LOGGED_IDS])
    return shown + (f", … ({len(ordered) - LOGGED_IDS} more)" if len(ordered) > LOGGED_IDS else "")


def _short(id_set: str) -> str:
    return id_set if len(id_set) <= 40 else id_set[:37] + "…"
