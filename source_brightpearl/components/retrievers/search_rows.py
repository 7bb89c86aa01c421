"""Search-only streams: each search row is a record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, Mapping, Optional

from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.search import MalformedSearchResponse
from source_brightpearl.components.retrievers.paging import SearchPaging
from source_brightpearl.components.retrievers.windows import window_bounds


@dataclass
class SearchRetriever(SearchPaging):
    """Emits each search row as a record keyed by column name."""

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        # The row's id column, used to emit each row once per sync (windows overlap on their boundary instant).
        self.key_column: Optional[str] = parameters.get("id_column")

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Dict[str, Any]]:
        window_end = window_bounds(stream_slice)[1]
        for page in self._search_pages(stream_slice, {}):
            try:
                for record in page.records():
                    if self.key_column is None or self._claim(record.get(self.key_column)):
                        yield self._add_sync_cursor(record, window_end)
            except MalformedSearchResponse as error:
                raise self._failure(str(error), None) from None
