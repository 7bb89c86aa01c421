"""Search for ids, then read the full objects by id-set GETs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional

from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api import envelopes as detail_records
from source_brightpearl.api.idsets import MAX_IDS_PER_GET, batches, compress
from source_brightpearl.api.search import MalformedSearchResponse
from source_brightpearl.components.retrievers.paging import SearchPaging
from source_brightpearl.components.retrievers.windows import window_bounds


@dataclass
class SearchThenGetRetriever(SearchPaging):
    """Searches for ids, then reads the full objects by id set.

    `$parameters`: `id_column` (the search column holding the id), `resource_path` (the detail resource; the id set
    is appended), `detail_params`, `batch_size` (≤ 200), and `envelope` / `shape` / `key_field`, which say how a
    detail response becomes records (see `detail_records`).
    """

    detail_requester: Optional[Requester] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self.id_column: str = parameters["id_column"]
        self.detail_params: Dict[str, Any] = dict(parameters.get("detail_params") or {})
        self.batch_size = min(int(parameters.get("batch_size", MAX_IDS_PER_GET)), MAX_IDS_PER_GET)
        self._to_records = detail_records.converter(
            parameters.get("envelope", "list"), parameters.get("shape", "as_is"), parameters.get("key_field")
        )

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Dict[str, Any]]:
        # Each id is fetched once per sync: a record matching two window filters (updatedOn and createdOn), two
        # windows, or repeated search rows (journal lines, goods-in rows) is read once, at its latest version.
        window_end = window_bounds(stream_slice)[1]
        pending: List[int] = []
        for page in self._search_pages(stream_slice, {"columns": self.id_column}):
            try:
                ids = page.column_values(self.id_column)
            except MalformedSearchResponse as error:
                raise self._failure(str(error), None) from None
            for record_id in ids:
                if record_id is not None and self._claim(record_id):
                    pending.append(record_id)
            while len(pending) >= self.batch_size:
                for record in self._fetch(pending[: self.batch_size]):
                    yield self._add_sync_cursor(record, window_end)
                del pending[: self.batch_size]
        for batch in batches(pending, self.batch_size):
            for record in self._fetch(batch):
                yield self._add_sync_cursor(record, window_end)

    def _fetch(self, ids: List[int]) -> Iterator[Dict[str, Any]]:
        assert self.detail_requester is not None, f"{self.name}: detail_requester is not declared"
        response = self._send(self.detail_requester, self.resource_path, {"id_set": compress(ids)}, {}, self.detail_params)
        if response is not None and response.status_code == 404:
            # Every id vanished between the search and the GET: some resources answer 404 CMNC-404, others 200 []
            # (PROTOCOL.md §8). Nothing to emit.
            return
        response = self._check_available(response)
        try:
            yield from self._to_records(self._json(response))
        except detail_records.MalformedDetailResponse as error:
            raise self._failure(str(error), response) from None
