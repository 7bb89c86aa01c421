"""Paging through one Brightpearl search (1-based `firstResult`), window filter by window filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

import requests
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.search import MAX_PAGE_SIZE, MalformedSearchResponse, SearchPage, next_first_result, parse_search_page
from source_brightpearl.components.retrievers.base import BrightpearlRetriever, logger
from source_brightpearl.components.retrievers.windows import window_bounds, window_params

MAX_SEARCH_RESTARTS = 3


@dataclass
class SearchPaging(BrightpearlRetriever):
    """Pages through one search with 1-based `firstResult`.

    Stream specifics come from the stream's `$parameters` (manifest.yaml): `search_path` (or `resource_path` for
    search-only streams), `page_size`, `trust_more_pages`, `window_filters`, `search_params`.
    """

    search_requester: Optional[Requester] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self.search_path: str = parameters.get("search_path") or self.resource_path
        self.page_size = min(int(parameters.get("page_size", MAX_PAGE_SIZE)), MAX_PAGE_SIZE)
        # RESOURCES.md §1: supplier-payment-search misreports its counts, so page until a short page instead.
        self.trust_more_pages = bool(parameters.get("trust_more_pages", True))
        self.window_filters: List[str] = list(parameters.get("window_filters") or [])
        self.search_params: Dict[str, Any] = dict(parameters.get("search_params") or {})

    def _search_pages(self, stream_slice: Optional[StreamSlice], extra_params: Mapping[str, Any]) -> Iterator[SearchPage]:
        """Every page of the search, for each window filter in turn.

        Paging is by offset, so if the result set changes while we page (a record updated out of the window,
        deleted, or created), later pages shift and a record could be skipped. When `resultsAvailable` differs
        from the first page's, the search restarts from the first page; records already emitted are not read again.
        """
        assert self.search_requester is not None, f"{self.name}: search_requester is not declared"
        bounds = window_bounds(stream_slice)
        has_window = bounds != (None, None)
        filters: Sequence[Optional[str]] = self.window_filters if has_window and self.window_filters else [None]
        cursor_slice = dict(stream_slice.cursor_slice) if stream_slice else {}
        for filter_name in filters:
            restarts = 0
            first_result: Optional[int] = 1
            expected_total: Optional[int] = None
            while first_result is not None:
                params = {
                    "pageSize": self.page_size,
                    **self.search_params,
                    **extra_params,
                    **window_params(bounds, filter_name),
                }
                if first_result > 1:
                    params["firstResult"] = first_result
                response = self._check_available(self._send(self.search_requester, self.search_path, {}, cursor_slice, params))
                page = self._parse(response)
                total = page.meta.get("resultsAvailable")
                if first_result == 1:
                    expected_total = total
                elif self.trust_more_pages and total != expected_total and restarts < MAX_SEARCH_RESTARTS:
                    restarts += 1
                    logger.info(
                        f"Stream '{self.name}': the search result changed while paging ({expected_total} -> {total} results); "
                        "reading it again from the first page so no record is skipped."
                    )
                    first_result = 1
                    continue
                yield page
                first_result = next_first_result(page, self.page_size, self.trust_more_pages)

    @staticmethod
    def _has_window(stream_slice: Optional[StreamSlice]) -> bool:
        return bool(stream_slice and (stream_slice.get("start_time") or stream_slice.get("end_time")))

    def _parse(self, response: requests.Response) -> SearchPage:
        try:
            return parse_search_page(response)
        except MalformedSearchResponse as error:
            raise self._failure(str(error), response) from None
