"""Reference resources answered in one GET without an id set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, Mapping, Optional

from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api import envelopes as detail_records
from source_brightpearl.components.retrievers.base import BrightpearlRetriever


@dataclass
class ListRetriever(BrightpearlRetriever):
    """One GET without an id set; `envelope` (default `list`) as in `detail_records`."""

    requester: Optional[Requester] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self._to_records = detail_records.converter(parameters.get("envelope", "list"))

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Dict[str, Any]]:
        assert self.requester is not None, f"{self.name}: requester is not declared"
        partition = stream_slice.partition if stream_slice else {}
        response = self._check_available(self._send(self.requester, self._slice_path(stream_slice), partition, {}))
        try:
            yield from self._to_records(self._json(response))
        except detail_records.MalformedDetailResponse as error:
            raise self._failure(str(error), response) from None
