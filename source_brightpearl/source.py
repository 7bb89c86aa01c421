"""SourceBrightpearl: the declarative source over manifest.yaml, spec.json and schemas/."""

from __future__ import annotations

import ctypes
import logging
from typing import Any, Dict, Iterator, List, Mapping, MutableMapping, Optional

from airbyte_cdk.models import (
    AirbyteCatalog,
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateMessage,
    ConfiguredAirbyteCatalog,
    Status,
    SyncMode,
)
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.declarative.models.declarative_component_schema import HttpRequester as HttpRequesterModel
from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.check import check_connection, check_requester_name
from source_brightpearl.components import deletions
from source_brightpearl.components.oauth import Credentials
from source_brightpearl.components.pacing import paced
from source_brightpearl.config import prepared_config
from source_brightpearl.discover import type_custom_fields
from source_brightpearl.resources import load_manifest, only_streams, without_time_windows
from source_brightpearl.state import checked_state, incremental_stream_names

# Records (and messages) waiting for the main thread: ten 200-record detail GETs.
RECORD_QUEUE_SIZE = 2_000


# glibc gives each thread that allocates its own malloc arena (up to 8 per core), and an arena keeps what it once
# held. With a dozen threads parsing ~1 MB answers, that was 60-70 MB of peak RSS beyond the live data (measured);
# two arenas serve the threads as well. M_ARENA_MAX is mallopt's parameter -8 (glibc's malloc.h).
M_ARENA_MAX = -8
MALLOC_ARENAS = 2


def limit_malloc_arenas() -> None:
    """Cap glibc's malloc arenas before the sync's threads start; elsewhere (macOS, musl) nothing to do."""
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def normalized_config(config: Mapping[str, Any]) -> Dict[str, Any]:
    """The config as every component sees it (config.py `prepared_config`: normalised dates, spec defaults)."""
    return prepared_config(config)


class SourceBrightpearl(ConcurrentDeclarativeSource):
    """Build it with the config, catalog and state it will run with: the CDK's read/discover use the constructor's
    config, not their arguments (docs/cdk-notes.md §C1.4)."""

    def __init__(
        self,
        catalog: Optional[ConfiguredAirbyteCatalog] = None,
        config: Optional[Mapping[str, Any]] = None,
        state: Optional[List[AirbyteStateMessage]] = None,
        config_path: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        full_refresh = [
            configured.stream.name
            for configured in (catalog.streams if catalog else [])
            if configured.sync_mode == SyncMode.full_refresh
        ]
        manifest = load_manifest()
        state = checked_state(state, incremental_stream_names(manifest), logging.getLogger("airbyte"))
        manifest = without_time_windows(manifest, full_refresh)
        if catalog is not None:
            manifest = only_streams(manifest, (configured.stream.name for configured in catalog.streams))
        super().__init__(
            catalog=catalog,
            config=normalized_config(config or {}),
            state=state,
            source_config=manifest,
            config_path=config_path,
            **kwargs,
        )
        # Streams that report deletions need their own cursor class; the CDK creates the factory that builds cursors
        # inside the constructor above (components/deletions.py explains the mechanism).
        deletions.install(self._constructor)
        self._limit_record_queue()
        limit_malloc_arenas()

    def _limit_record_queue(self) -> None:
        # The CDK hands every record from the partition threads to the main thread (which writes stdout) through one
        # queue of 10,000 items. With several requests in flight, the readers outrun the writer and fill it, and
        # 10,000 Brightpearl orders are ~150 MB of Python objects: most of a sync's memory. A smaller queue keeps
        # the writer as busy (it still holds several detail GETs' worth) and memory flat (docs/performance.md).
        queue = getattr(self._concurrent_source, "_queue", None)
        if queue is not None and getattr(queue, "maxsize", 0) > RECORD_QUEUE_SIZE:
            queue.maxsize = RECORD_QUEUE_SIZE

    def _prepare_for_stream_build(self) -> None:
        # The CDK builds a new API budget each time streams are built; the account check and the streams must
        # share one, or their requests are counted separately and the cap is exceeded. Every request then passes
        # the throttle gate in front of it (components/pacing.py), which all streams and workers share too.
        budget = self._constructor._api_budget
        super()._prepare_for_stream_build()
        if budget is not None:
            self._constructor._api_budget = budget
        self._constructor._api_budget = paced(self._constructor._api_budget, int(self.live_config["requests_per_minute"]))

    @property
    def live_config(self) -> MutableMapping[str, Any]:
        """The config every component shares; token refreshes write into it."""
        return self._config  # type: ignore[return-value]

    def declared_requester(self, name: str, definition: str = "requester") -> Any:
        """A requester built from the manifest's `definitions`, for calls outside a stream (check, discover)."""
        component = dict(self._source_config["definitions"][definition])
        component.setdefault("$parameters", {}).setdefault("name", name)
        return self._constructor.create_component(HttpRequesterModel, component, self.live_config, name=name)

    def _check_connection(self, logger: logging.Logger, interactive: bool = False) -> Any:
        requester = self.declared_requester("check", check_requester_name(interactive))
        return check_connection(requester, self.live_config, logger)

    def _ensure_credentials(self) -> None:
        # Obtain tokens before any stream is built or any URL is formed: a code exchange can move the API host
        # (`api_domain` in the token response), and every request must then go there.
        Credentials(self.live_config).access_token()

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        try:
            self._ensure_credentials()
        except AirbyteTracedException as error:
            # Rejected credentials, or a token endpoint that is down: `check` answers FAILED with the message either
            # way (the message says whose problem it is), never with a stack trace.
            return AirbyteConnectionStatus(status=Status.FAILED, message=error.message)
        self._prepare_for_stream_build()
        problem = self._check_connection(logger, interactive=True)
        if problem:
            return AirbyteConnectionStatus(status=Status.FAILED, message=problem.message)
        return AirbyteConnectionStatus(status=Status.SUCCEEDED)

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        catalog = super().discover(logger, config)
        type_custom_fields(catalog.streams, self._read_custom_field_metadata, logger)
        return catalog

    def _read_custom_field_metadata(self, resource_path: str) -> List[Mapping[str, Any]]:
        """One metadata endpoint through the manifest's declared requester (auth, budget, retries apply)."""
        self._ensure_credentials()
        self._prepare_for_stream_build()
        response = self.declared_requester("metadata").send_request(
            stream_slice=StreamSlice(partition={"resource_path": resource_path}, cursor_slice={})
        )
        if response is None or response.status_code in (403, 404):
            status = response.status_code if response is not None else "no response"
            raise LookupError(f"{resource_path} answered {status}")
        records = response.json().get("response")
        if not isinstance(records, list):
            raise ValueError(f"{resource_path} did not return a list")
        return records

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: Optional[List[AirbyteStateMessage]] = None,
    ) -> Iterator[AirbyteMessage]:
        self._ensure_credentials()
        self._prepare_for_stream_build()
        # One request proves the account before any stream runs, so a wrong account fails the sync loudly
        # instead of every stream being skipped as "resource unavailable" (see retrievers.py).
        problem = self._check_connection(logger)
        if problem:
            raise AirbyteTracedException(
                message=problem.message, internal_message=problem.message, failure_type=problem.failure_type
            )
        yield from super().read(logger, config, catalog, state)
