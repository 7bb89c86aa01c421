"""Paging through one Brightpearl search, window filter by window filter, so that no row is skipped while the
result set moves (`source_brightpearl.api.stable_paging` says how)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.responses import MalformedResponse
from source_brightpearl.api.search import MAX_PAGE_SIZE, SearchPage, parse_search_page
from source_brightpearl.api.stable_paging import PagingError, StablePaging
from source_brightpearl.components.retrievers.base import BrightpearlRetriever, logger
from source_brightpearl.components.retrievers.windows import Window, window_params


@dataclass
class SearchPaging(BrightpearlRetriever):
    """Pages through one search by position with a verified overlap.

    Stream specifics come from the stream's `$parameters` (manifest.yaml): `search_path` (or `resource_path` for
    search-only streams), `page_size`, `trust_more_pages`, `window_filters`, `search_params`, `id_column` (the
    identity of a row: the id read, or the search row's primary key) and `sort_column` (the column the search is
    sorted by when the page does not say; default `id_column`).
    """

    search_requester: Optional[Requester] = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self.search_path: str = parameters.get("search_path") or self.resource_path
        self.page_size = min(int(parameters.get("page_size", MAX_PAGE_SIZE)), MAX_PAGE_SIZE)
        # supplier-payment-search misreports its counts (docs/brightpearl.md), so page until a short page instead.
        self.trust_more_pages = bool(parameters.get("trust_more_pages", True))
        self.window_filters: List[str] = list(parameters.get("window_filters") or [])
        self.search_params: Dict[str, Any] = dict(parameters.get("search_params") or {})
        id_column = parameters.get("id_column")
        if not id_column:
            raise ValueError(f"{self.name}: a search stream needs `id_column` (rows read twice are recognised by it)")
        self.id_column: str = id_column
        self.sort_column: str = parameters.get("sort_column") or id_column

    def _search_pages(
        self, window: Window, stream_slice: Optional[StreamSlice], columns: Sequence[str] = ()
    ) -> Iterator[SearchPage]:
        """Every page of the search, for each window filter in turn. `columns`: the columns to ask for (all when
        empty); the sort column is added when the search declares one that is not among them."""
        has_window = window != (None, None)
        filters: Sequence[Optional[str]] = self.window_filters if has_window and self.window_filters else [None]
        for filter_name in filters:
            yield from self._one_search(window, filter_name, stream_slice, list(columns))

    def _one_search(
        self, window: Window, filter_name: Optional[str], stream_slice: Optional[StreamSlice], columns: List[str]
    ) -> Iterator[SearchPage]:
        assert self.search_requester is not None, f"{self.name}: search_requester is not declared"
        cursor_slice = dict(stream_slice.cursor_slice) if stream_slice else {}
        sort_column = self.sort_column
        if columns and sort_column not in columns:
            columns.append(sort_column)
        paging = self._paging(sort_column)
        while not paging.done:
            first_result = paging.next_first_result
            params: Dict[str, Any] = {"pageSize": self.page_size, **self.search_params, **window_params(window, filter_name)}
            if columns:
                params["columns"] = ",".join(columns)
            if first_result > 1:
                params["firstResult"] = first_result
            page = self._request(
                self.search_requester,
                self.search_path,
                functools.partial(
                    parse_search_page, first_result=first_result, page_size=self.page_size, trust_more_pages=self.trust_more_pages
                ),
                cursor_slice=cursor_slice,
                params=params,
            )
            declared = page.declared_sort()
            if declared is not None and declared[0] != sort_column and first_result == 1:
                # The search says it is sorted by another column than the manifest expects: page by that one.
                sort_column = declared[0]
                paging = self._paging(sort_column)
                if sort_column not in page.columns:
                    logger.info(f"Stream '{self.name}': {self.search_path} is sorted by {sort_column}; asking for it too.")
                    columns.append(sort_column)
                    continue
            if declared is not None and (declared[0] != sort_column or declared[1] != "ASC"):
                raise self._failure(
                    f"the search is sorted by {declared[0]} {declared[1]}, not {sort_column} ascending, so paging it "
                    "cannot be proven complete",
                    endpoint=self.search_path,
                )
            steps_before = paging.step_backs
            try:
                paging.accept(first_result, page.column_values(sort_column), page.meta)
            except (PagingError, MalformedResponse) as error:
                raise self._failure(str(error), endpoint=self.search_path) from None
            if paging.step_backs > steps_before:
                logger.info(
                    f"Stream '{self.name}': rows of {self.search_path} moved while it was paged (records changed or "
                    f"deleted meanwhile); reading again from row {paging.next_first_result} so that none is skipped."
                )
            yield page

    def _paging(self, sort_column: str) -> StablePaging:
        return StablePaging(
            self.page_size,
            key_is_identity=sort_column == self.id_column,
            trust_more_pages=self.trust_more_pages,
            column=sort_column,
        )
