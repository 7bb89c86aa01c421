"""Search-only resources: each search row is a record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

from airbyte_cdk.models import AirbyteMessage
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.components.retrievers.paging import SearchPaging
from source_brightpearl.components.retrievers.windows import is_empty, searched_window


@dataclass
class SearchRetriever(SearchPaging):
    """Emits each search row as a record keyed by column name, once per sync: rows read twice (the paging overlap,
    window boundaries) are recognised by `id_column`, or by `row_key` (several columns) where one id is not a row's
    identity (contact-group members: one row per contact and group)."""

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self.row_key: List[str] = list(parameters.get("row_key") or [])

    def _row_identity(self, record: Mapping[str, Any]) -> Any:
        if self.row_key:
            return tuple(record.get(column) for column in self.row_key)
        return record.get(self.id_column)

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Union[Dict[str, Any], AirbyteMessage]]:
        window = searched_window(stream_slice, datetime.now(timezone.utc))
        if is_empty(window):
            return
        window_end = window[1]
        for page in self._search_pages(window, stream_slice):
            estimate = self._estimate(stream_slice, page)
            if estimate is not None:
                yield estimate
            for record in page.records():
                if self._claim(self._row_identity(record)):
                    yield self._add_sync_cursor(record, window_end)
            self.progress.read(len(page.rows))
