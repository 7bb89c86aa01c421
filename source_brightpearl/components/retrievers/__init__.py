"""Retrievers for Brightpearl's read patterns (CONTRIBUTING.md §2).

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
exists on every account, docs/brightpearl-api.md §P11): the stream is skipped with a warning naming it, and the sync goes on.
`SourceBrightpearl.read` proves the account and credentials first, so this cannot hide a wrong account.
"""

from source_brightpearl.components.retrievers.listing import ListRetriever
from source_brightpearl.components.retrievers.search_rows import SearchRetriever
from source_brightpearl.components.retrievers.search_then_get import SearchThenGetRetriever

__all__ = ["ListRetriever", "SearchRetriever", "SearchThenGetRetriever"]
