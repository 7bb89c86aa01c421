"""Brightpearl resource search (`…/{resource}-search`, PROTOCOL.md §7): columnar pages and 1-based paging.

A page is `{"response": {"results": [[cell, …], …], "metaData": {"columns": [{"name": …}, …],
"morePagesAvailable": …, "firstResult": …, "lastResult": …, "resultsAvailable": …}}, "reference": {…}}`.
Rows are zipped with the column names the page itself declares — never with assumed positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional

import orjson
import requests

MAX_PAGE_SIZE = 500


class MalformedSearchResponse(ValueError):
    pass


@dataclass(frozen=True)
class SearchPage:
    columns: List[str]
    rows: List[List[Any]]
    meta: Mapping[str, Any]

    def records(self) -> Iterator[Dict[str, Any]]:
        columns = self.columns
        width = len(columns)
        for row in self.rows:
            if not isinstance(row, list) or len(row) != width:
                raise MalformedSearchResponse(
                    f"a result row has {len(row) if isinstance(row, list) else 'no'} cells but metaData declares {width} columns"
                )
            yield dict(zip(columns, row))

    def column_values(self, name: str) -> List[Any]:
        try:
            index = self.columns.index(name)
        except ValueError:
            raise MalformedSearchResponse(f"the response has no '{name}' column (columns: {', '.join(self.columns)})") from None
        return [row[index] for row in self.rows]


def parse_search_page(response: requests.Response) -> SearchPage:
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        raise MalformedSearchResponse(
            f"the body is not JSON (HTTP {response.status_code}, Content-Type {response.headers.get('Content-Type', 'none')})"
        ) from None
    payload = body.get("response") if isinstance(body, dict) else None
    meta = payload.get("metaData") if isinstance(payload, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("columns"), list):
        raise MalformedSearchResponse("the body has no response.metaData.columns")
    assert isinstance(payload, dict)  # implied by meta being a dict
    rows = payload.get("results")
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        raise MalformedSearchResponse("response.results is not a list")
    columns: List[str] = [column.get("name") for column in meta["columns"] if isinstance(column, dict)]  # type: ignore[misc]
    return SearchPage(columns=columns, rows=rows, meta=meta)


def next_first_result(page: SearchPage, page_size: int, trust_more_pages: bool = True) -> Optional[int]:
    """The `firstResult` of the next page, or None when this was the last one.

    `morePagesAvailable` is the API's answer (older responses lack it: then `lastResult < resultsAvailable`). For
    `supplier-payment-search`, whose counts are wrong (RESOURCES.md §1), `trust_more_pages=False` keeps paging while
    pages come back full. An empty page always ends the search.
    """
    returned = len(page.rows)
    if returned == 0:
        return None
    first = page.meta.get("firstResult") or 1
    last = page.meta.get("lastResult") or first + returned - 1
    if not trust_more_pages:
        return last + 1 if returned >= page_size else None
    more = page.meta.get("morePagesAvailable")
    if more is None:
        more = last < (page.meta.get("resultsAvailable") or 0)
    return last + 1 if more else None
