"""Reference resources answered in one GET without an id set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional

import requests
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.envelopes import DetailReader
from source_brightpearl.api.responses import decode_json
from source_brightpearl.components.retrievers.base import BrightpearlRetriever


@dataclass
class ListRetriever(BrightpearlRetriever):
    """One GET without an id set; `envelope` (default `list`) as in `DetailReader`."""

    requester: Optional[Requester] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self._reader = DetailReader(parameters.get("envelope", "list"))

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Dict[str, Any]]:
        assert self.requester is not None, f"{self.name}: requester is not declared"
        partition = stream_slice.partition if stream_slice else {}
        yield from self._request(self.requester, self._slice_path(stream_slice), self._parse, partition=partition)

    def _parse(self, response: requests.Response) -> List[Dict[str, Any]]:
        return list(self._reader(decode_json(response.content, response.status_code, response.headers)))
