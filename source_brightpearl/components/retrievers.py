"""Retrievers for Brightpearl's read patterns (DESIGN.md §5).

- `ListRetriever`: reference resources answered in one GET without an id set (`{"response": [...]}`).
- `SearchRetriever`: search-only resources (payments, goods movements, small reference searches) emit the search
  rows themselves, zipped with the page's column names.
- `SearchThenGetRetriever`: search for ids (one column only, 500 rows a page), then GET the details in id sets of at
  most 200, compressed into ranges. The API returns detail objects in any order and silently skips ids that
  vanished since the search, so results are taken as they come and keyed by their own id.

Every request goes through a requester declared in manifest.yaml, so authentication, the API budget, throttling
waits and retries apply to all of them. The requester's URL takes the resource path from the request's partition
(`resource_path`) and appends `id_set` when present. A slice may carry a time window (`start_time`/`end_time`) for
incremental streams; each name in `window_filters` is then sent as a PERIOD filter `start/end`.

A 403 or 404 on a stream's own endpoint means the account lacks that resource (not every documented endpoint
exists on every account, PROTOCOL.md §11): the stream is skipped with a warning naming it, and the sync goes on.
`SourceBrightpearl.read` proves the account and credentials first, so this cannot hide a wrong account.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import InitVar, dataclass, field
from datetime import datetime
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

import orjson
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.declarative.retrievers.retriever import Retriever
from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.streams.core import StreamData
from airbyte_cdk.sources.types import Config, StreamSlice
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api import envelopes as detail_records
from source_brightpearl.api.datetimes import WINDOW_END_PADDING, format_utc, format_utc_millis, parse_datetime
from source_brightpearl.api.idsets import MAX_IDS_PER_GET, batches, compress
from source_brightpearl.api.search import MAX_PAGE_SIZE, MalformedSearchResponse, SearchPage, next_first_result, parse_search_page

logger = logging.getLogger("airbyte")

UNAVAILABLE = (403, 404)
MAX_SEARCH_RESTARTS = 3


class ResourceUnavailable(Exception):
    """The account answered 403/404 for the stream's endpoint."""


def _endpoint(response: Optional[requests.Response]) -> str:
    if response is None or not response.request or not response.request.path_url:
        return "endpoint"
    return response.request.path_url.split("?", 1)[0]


def _window_bounds(stream_slice: Optional[StreamSlice]) -> Tuple[Optional[datetime], Optional[datetime]]:
    """The slice's time window as UTC datetimes, its end widened by the cursor granularity (one second).

    The CDK's windows are [start, next_start - 1 s]; Brightpearl's PERIOD filters are inclusive at both ends and
    its timestamps have milliseconds, so searching up to `end + 1 s` (the next window's start) leaves no gap
    between windows. A record on the boundary instant is read twice, never missed.
    """
    if not stream_slice:
        return None, None
    start, end = stream_slice.get("start_time"), stream_slice.get("end_time")
    if not start and not end:
        return None, None
    return (parse_datetime(start) if start else None, parse_datetime(end) + WINDOW_END_PADDING if end else None)


def _window_params(bounds: Tuple[Optional[datetime], Optional[datetime]], filter_name: Optional[str]) -> Dict[str, str]:
    start, end = bounds
    if not filter_name or (start is None and end is None):
        return {}
    # PERIOD filters are `from/to` (PROTOCOL.md §7), sent in UTC with an explicit Z; the `/` stays raw.
    return {filter_name: f"{format_utc(start) if start else ''}/{format_utc(end) if end else ''}"}


@dataclass
class _BrightpearlRetriever(Retriever):
    """What all retrievers share: stream identity, transformations, and the unavailable-resource rule."""

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    name: str
    transformations: List[RecordTransformation] = field(default_factory=list)

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self.resource_path: str = parameters.get("resource_path") or ""
        # Incremental streams: the record fields `syncCursor` is derived from, in order of preference.
        self.cursor_sources: List[str] = list(parameters.get("cursor_sources") or [])
        # Primary-key values already emitted in this sync (shared by the stream's concurrent partitions): a record
        # found again in a later window (or on a window boundary) was already read at its latest version.
        self._emitted: Set[Any] = set()
        self._emitted_lock = threading.Lock()

    def _claim(self, key: Any) -> bool:
        """True the first time `key` is seen in this sync."""
        with self._emitted_lock:
            if key in self._emitted:
                return False
            self._emitted.add(key)
            return True

    def _add_sync_cursor(self, record: Dict[str, Any], window_end: Optional[datetime]) -> Dict[str, Any]:
        """Add `syncCursor` (documented in each incremental stream's schema): the first of `cursor_sources` the
        record has (orders never updated carry no updatedOn, so createdOn stands in), in UTC, capped at the end of
        the window the record was read in. The cap matters: a record changed between the search and the GET comes
        back with a newer timestamp, and saving that as state would skip changes made meanwhile to records not yet
        read. The value never decreases from one sync to the next for the same record."""
        if not self.cursor_sources:
            return record
        for source in self.cursor_sources:
            value = record.get(source)
            if value:
                try:
                    moment = parse_datetime(value)
                except ValueError:
                    continue
                if window_end is not None and moment > window_end:
                    moment = window_end
                record["syncCursor"] = format_utc_millis(moment)
                break
        return record

    def read_records(self, records_schema: Mapping[str, Any], stream_slice: Optional[StreamSlice] = None) -> Iterable[StreamData]:
        try:
            records = self._records(stream_slice)
            if not self.transformations:
                yield from records
                return
            for record in records:
                for transformation in self.transformations:
                    transformation.transform(record, config=self.config, stream_slice=stream_slice)  # type: ignore[arg-type]
                yield record
        except ResourceUnavailable as unavailable:
            logger.warning(str(unavailable))

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Dict[str, Any]]:
        raise NotImplementedError

    def _send(self, requester: Requester, resource_path: str, partition: Mapping[str, Any], cursor_slice: Mapping[str, Any], params: Optional[Mapping[str, Any]] = None) -> Optional[requests.Response]:
        """Send through the declared requester; when its bounded retries run out, fail naming the stream, the
        endpoint and the cause (the CDK's own message names neither)."""
        request_slice = StreamSlice(partition={**partition, "resource_path": resource_path}, cursor_slice=dict(cursor_slice))
        try:
            return requester.send_request(stream_slice=request_slice, request_params=dict(params or {}))
        except AirbyteTracedException as error:
            if error.failure_type == FailureType.config_error:
                raise
            raise AirbyteTracedException(
                message=f"Stream '{self.name}': Brightpearl kept failing on {resource_path} after retrying ({error.message}). "
                "The sync stopped; records already emitted are kept. Retry later; if it persists, check Brightpearl's status.",
                internal_message=f"{self.name}: {resource_path}: {error.internal_message or error.message}",
                failure_type=FailureType.transient_error,
            ) from None
        except requests.RequestException as error:
            raise AirbyteTracedException(
                message=f"Stream '{self.name}': could not reach Brightpearl for {resource_path} ({type(error).__name__}). "
                "The sync stopped; records already emitted are kept. Check the network and retry.",
                internal_message=f"{self.name}: {resource_path}: {type(error).__name__}",
                failure_type=FailureType.transient_error,
            ) from None

    def _check_available(self, response: Optional[requests.Response]) -> requests.Response:
        if response is None:
            raise self._failure("no response", None)
        if response.status_code in UNAVAILABLE:
            raise ResourceUnavailable(
                f"Stream '{self.name}' skipped: Brightpearl answered HTTP {response.status_code} for {_endpoint(response)} "
                f"({self._error_text(response)}). This account or app cannot read this resource; grant the app access "
                "or deselect the stream. Other streams go on."
            )
        return response

    @staticmethod
    def _error_text(response: requests.Response) -> str:
        try:
            errors = orjson.loads(response.content).get("errors") or [{}]
            return str(errors[0].get("message") or "no message")
        except (orjson.JSONDecodeError, AttributeError, IndexError, TypeError):
            return "no message"

    def _failure(self, problem: str, response: Optional[requests.Response]) -> AirbyteTracedException:
        endpoint = _endpoint(response)
        return AirbyteTracedException(
            message=f"Stream '{self.name}': Brightpearl's {endpoint} returned an unexpected response ({problem}). "
            "The sync stopped rather than emit a partial stream; retry later, and report it if it persists.",
            internal_message=f"{self.name}: unexpected response from {endpoint}: {problem}",
            failure_type=FailureType.system_error,
        )

    def _json(self, response: requests.Response) -> Any:
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise self._failure(
                f"not JSON: HTTP {response.status_code}, Content-Type {response.headers.get('Content-Type', 'none')}", response
            ) from None

    def _slice_path(self, stream_slice: Optional[StreamSlice]) -> str:
        return (stream_slice or {}).get("resource_path") or self.resource_path


@dataclass
class ListRetriever(_BrightpearlRetriever):
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


@dataclass
class _SearchPaging(_BrightpearlRetriever):
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
        bounds = _window_bounds(stream_slice)
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
                    **_window_params(bounds, filter_name),
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


@dataclass
class SearchRetriever(_SearchPaging):
    """Emits each search row as a record keyed by column name."""

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        # The row's id column, used to emit each row once per sync (windows overlap on their boundary instant).
        self.key_column: Optional[str] = parameters.get("id_column")

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Dict[str, Any]]:
        window_end = _window_bounds(stream_slice)[1]
        for page in self._search_pages(stream_slice, {}):
            try:
                for record in page.records():
                    if self.key_column is None or self._claim(record.get(self.key_column)):
                        yield self._add_sync_cursor(record, window_end)
            except MalformedSearchResponse as error:
                raise self._failure(str(error), None) from None


@dataclass
class SearchThenGetRetriever(_SearchPaging):
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
        window_end = _window_bounds(stream_slice)[1]
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
