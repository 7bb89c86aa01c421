"""What every Brightpearl retriever shares: stream identity, transformations, sending through a declared requester
with errors that name the stream, the unavailable-resource rule, and `syncCursor` stamping.

No `from __future__ import annotations` here (the CDK reads the `InitVar` field with `typing.get_type_hints`, which
Python 3.10 rejects when it is a string)."""

import logging
import threading
import time
from dataclasses import InitVar, dataclass, field
from datetime import datetime
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Set, Tuple, TypeVar, Union

import orjson
import requests
from airbyte_cdk.models import AirbyteMessage, FailureType
from airbyte_cdk.sources.declarative.requesters.requester import Requester
from airbyte_cdk.sources.declarative.retrievers.retriever import Retriever
from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.streams.core import StreamData
from airbyte_cdk.sources.types import Config, StreamSlice
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.datetimes import format_utc_millis, parse_datetime
from source_brightpearl.api.responses import MalformedResponse
from source_brightpearl.components.backoff import BrightpearlBackoffStrategy
from source_brightpearl.resources import load_manifest

logger = logging.getLogger("airbyte")

UNAVAILABLE = (403, 404)
T = TypeVar("T")


def max_error_retries(requester: Requester) -> int:
    """The failure budget of the requester's error handler (manifest.yaml `max_error_retries`)."""
    handler = getattr(requester, "error_handler", None)
    for limit in (getattr(handler, "max_error_retries", None), getattr(handler, "max_retries", None)):
        if isinstance(limit, int):
            return limit
    # A requester without the declared handler (a test double): the manifest's own failure budget.
    return int(load_manifest()["definitions"]["error_handler"]["max_error_retries"])


def retry_wait(requester: Requester, attempt: int) -> float:
    """The wait before re-sending after a failure, from the requester's declared backoff (exponential, capped)."""
    strategies = getattr(getattr(requester, "error_handler", None), "backoff_strategies", None) or []
    for strategy in strategies:
        wait = strategy.backoff_time(None, attempt)
        if wait is not None:
            return float(wait)
    return BrightpearlBackoffStrategy(config={}, parameters={}).backoff_time(None, attempt) or 1.0


class ResourceUnavailable(Exception):
    """The account answered 403/404 for the stream's endpoint."""


def endpoint_of(response: Optional[requests.Response]) -> str:
    if response is None or not response.request or not response.request.path_url:
        return "endpoint"
    return response.request.path_url.split("?", 1)[0]


@dataclass
class BrightpearlRetriever(Retriever):
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
                if isinstance(record, dict):  # not a progress message (components/progress.py)
                    for transformation in self.transformations:
                        transformation.transform(record, config=self.config, stream_slice=stream_slice)
                yield record
        except ResourceUnavailable as unavailable:
            logger.warning(str(unavailable))

    def _records(self, stream_slice: Optional[StreamSlice]) -> Iterator[Union[Dict[str, Any], AirbyteMessage]]:
        """The slice's records; a retriever may put Airbyte messages among them (progress estimates), which the
        CDK emits in their place."""
        raise NotImplementedError

    def _send(
        self,
        requester: Requester,
        resource_path: str,
        partition: Mapping[str, Any],
        cursor_slice: Mapping[str, Any],
        params: Optional[Mapping[str, Any]] = None,
    ) -> Optional[requests.Response]:
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

    def _request(
        self,
        requester: Requester,
        resource_path: str,
        parse: Callable[[requests.Response], T],
        partition: Optional[Mapping[str, Any]] = None,
        cursor_slice: Optional[Mapping[str, Any]] = None,
        params: Optional[Mapping[str, Any]] = None,
        accept: Tuple[int, ...] = (),
    ) -> T:
        """Send, check, parse: the one path every answer takes. An answer `parse` finds malformed in a passing way (a
        body cut short or empty, a search page contradicting its own metaData) is asked for again, waiting as the
        declared backoff says, up to the error handler's `max_error_retries`; then, or at once for a body of an
        unknown shape, the sync stops naming the stream. Statuses in `accept` (e.g. a detail GET's 404, "none of
        these ids") go to `parse` instead of the unavailable-resource rule. Thread-safe: nothing but locals."""
        attempts = 0
        budget = max_error_retries(requester)
        while True:
            response = self._send(requester, resource_path, partition or {}, cursor_slice or {}, params)
            if response is None:
                raise self._failure("no response", endpoint=resource_path)
            if response.status_code not in accept:
                self._check_available(response)
            try:
                return parse(response)
            except MalformedResponse as error:
                attempts += 1
                if not error.transient or attempts > budget:
                    raise self._failure(str(error), response, transient=error.transient, attempts=attempts) from None
                wait = retry_wait(requester, attempts)
                logger.warning(
                    f"Stream '{self.name}': Brightpearl's {endpoint_of(response)} answered with an unusable response "
                    f"({error}); asking again in {wait:.1f} s (retry {attempts} of {budget})."
                )
                time.sleep(wait)

    def _check_available(self, response: requests.Response) -> None:
        if response.status_code in UNAVAILABLE:
            raise ResourceUnavailable(
                f"Stream '{self.name}' skipped: Brightpearl answered HTTP {response.status_code} for {endpoint_of(response)} "
                f"({self._error_text(response)}). This account or app cannot read this resource; grant the app access "
                "or deselect the stream. Other streams go on."
            )

    @staticmethod
    def _error_text(response: requests.Response) -> str:
        try:
            errors = orjson.loads(response.content).get("errors") or [{}]
            return str(errors[0].get("message") or "no message")
        except (orjson.JSONDecodeError, AttributeError, IndexError, TypeError):
            return "no message"

    def _failure(
        self,
        problem: str,
        response: Optional[requests.Response] = None,
        *,
        endpoint: Optional[str] = None,
        transient: bool = False,
        attempts: int = 1,
    ) -> AirbyteTracedException:
        endpoint = endpoint or endpoint_of(response)
        tries = f" {attempts} times" if attempts > 1 else ""
        return AirbyteTracedException(
            message=f"Stream '{self.name}': Brightpearl's {endpoint} returned an unusable response{tries} ({problem}). "
            "The sync stopped rather than emit a partial stream, and the saved state does not move past it; "
            + ("retry later." if transient else "retry later, and report it if it persists."),
            internal_message=f"{self.name}: unusable response from {endpoint}: {problem}",
            failure_type=FailureType.transient_error if transient else FailureType.system_error,
        )

    def _slice_path(self, stream_slice: Optional[StreamSlice]) -> str:
        partition: Mapping[str, Any] = stream_slice or {}
        return str(partition.get("resource_path") or self.resource_path)
