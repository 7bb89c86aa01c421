"""Paging through one Brightpearl search, window filter by window filter, so that no row is skipped while the
result set moves (`source_brightpearl.api.stable_paging` says how)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence

from airbyte_cdk.models import AirbyteMessage
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.responses import MalformedResponse
from source_brightpearl.api.search import MAX_PAGE_SIZE, SearchPage, parse_search_page
from source_brightpearl.api.stable_paging import PagingError, StablePaging
from source_brightpearl.components.progress import StreamProgress
from source_brightpearl.components.retrievers.base import BrightpearlRetriever, logger
from source_brightpearl.components.retrievers.pipeline import Prefetch, RequestPool, configured_workers, shared_pool
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
        self.workers = configured_workers(self.config)
        self.progress = StreamProgress(self.name)

    @property
    def request_pool(self) -> RequestPool:
        """The sync's pool for requests beyond the one this partition's thread is making (pipeline.py)."""
        return shared_pool(self.workers)

    @property
    def prefetch_depth(self) -> int:
        """Search pages fetched ahead: about a third of the pool, the share of searches among a stream's requests
        (one 500-row page feeds two or three 200-id GETs)."""
        return max(1, self.workers // 3)

    def _estimate(self, stream_slice: Optional[StreamSlice], page: SearchPage, share: float = 1.0) -> Optional[AirbyteMessage]:
        """The stream's estimate from the first page of a search (progress.py); the message to emit, if any. Free:
        every search page carries `resultsAvailable`. Not for searches whose counts are wrong (`trust_more_pages`)."""
        if not self.trust_more_pages or page.meta.get("firstResult") not in (None, 1):
            return None
        key = str(sorted((stream_slice or {}).items()))
        return self.progress.searched(key, page.meta.get("resultsAvailable"), share)

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
        # While nothing moves, every page after the first starts where the paging predicts (one row of overlap), so
        # the next pages can be fetched ahead on the request pool (pipeline.py); each is still checked in order
        # below, and a page asked for anywhere else (rows moved) is fetched in place, discarding what was ahead.
        prefetch = Prefetch(self.request_pool, self.prefetch_depth)
        try:
            yield from self._paged_search(window, filter_name, stream_slice, columns, prefetch)
        finally:
            prefetch.close()

    def _paged_search(
        self,
        window: Window,
        filter_name: Optional[str],
        stream_slice: Optional[StreamSlice],
        columns: List[str],
        prefetch: Prefetch,
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
            page = prefetch.get((first_result, params.get("columns")), self._page_request(cursor_slice, params, first_result))
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
            self._fetch_ahead(prefetch, paging, page, cursor_slice, params)
            yield page

    def _page_request(
        self, cursor_slice: Mapping[str, Any], params: Mapping[str, Any], first_result: int
    ) -> Callable[[], SearchPage]:
        """The request (sent, checked, parsed) for the search page at `first_result`."""
        assert self.search_requester is not None, f"{self.name}: search_requester is not declared"
        page_params = dict(params)
        if first_result > 1:
            page_params["firstResult"] = first_result
        return functools.partial(
            self._request,
            self.search_requester,
            self.search_path,
            functools.partial(
                parse_search_page, first_result=first_result, page_size=self.page_size, trust_more_pages=self.trust_more_pages
            ),
            cursor_slice=cursor_slice,
            params=page_params,
        )

    def _fetch_ahead(
        self,
        prefetch: Prefetch,
        paging: StablePaging,
        page: SearchPage,
        cursor_slice: Mapping[str, Any],
        params: Mapping[str, Any],
    ) -> None:
        """Hand the pages the paging will ask for next, if nothing moves, to the pool: from its next position on, one
        page less one row of overlap apart, up to the last row the search announced. Only while the positions are
        that regular: not after rows moved (the overlap grows), nor when the sort key is not the row's identity."""
        total = page.meta.get("resultsAvailable")
        if paging.done or paging.step_backs or not paging.key_is_identity or not self.trust_more_pages:
            return
        if not isinstance(total, int) or isinstance(total, bool):
            return
        base = {key: value for key, value in params.items() if key != "firstResult"}
        stride = self.page_size - 1
        prefetch.ahead(
            ((position, base.get("columns")), self._page_request(cursor_slice, base, position))
            for position in range(paging.next_first_result, total + 1, stride)
        )

    def _paging(self, sort_column: str) -> StablePaging:
        return StablePaging(
            self.page_size,
            key_is_identity=sort_column == self.id_column,
            trust_more_pages=self.trust_more_pages,
            column=sort_column,
        )
