"""Brightpearl resource search (`…/{resource}-search`, docs/brightpearl.md "How paging stays complete"): columnar pages.

A page is `{"response": {"results": [[cell, …], …], "metaData": {"columns": [{"name": …}, …],
"morePagesAvailable": …, "firstResult": …, "lastResult": …, "resultsAvailable": …, "resultsReturned": …,
"sorting": [{"filterable": {"name": …}, "direction": "ASC"}]}}, "reference": {…}}`.
Rows are zipped with the column names the page itself declares — never with assumed positions.

`parse_search_page` rejects a page that contradicts its own `metaData` (rows announced but `results` null, fewer
or more rows than `resultsReturned` or `firstResult`..`lastResult` say, a short page that says more pages follow):
taken as it stands, such a page would lose rows silently, so it is a transient `MalformedResponse`, asked for again.
An answer for another `firstResult` than the one asked for is a search that ignores `firstResult`: not transient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

import requests

from source_brightpearl.api.responses import MalformedResponse, decode_json

MAX_PAGE_SIZE = 500


class MalformedSearchResponse(MalformedResponse):
    pass


@dataclass(frozen=True)
class SearchPage:
    columns: List[str]
    rows: List[List[Any]]
    meta: Mapping[str, Any]

    def records(self) -> Iterator[Dict[str, Any]]:
        columns = self.columns
        for row in self.rows:
            yield dict(zip(columns, row))

    def column_values(self, name: str) -> List[Any]:
        try:
            index = self.columns.index(name)
        except ValueError:
            raise MalformedSearchResponse(f"the response has no '{name}' column (columns: {', '.join(self.columns)})") from None
        return [row[index] for row in self.rows]

    def declared_sort(self) -> Optional[Tuple[str, str]]:
        """The first sort key the page declares (`metaData.sorting[0]`: column name, direction), if any."""
        sorting = self.meta.get("sorting")
        if not isinstance(sorting, list) or not sorting or not isinstance(sorting[0], dict):
            return None
        column = sorting[0].get("filterable")
        name = column.get("name") if isinstance(column, dict) else None
        if not isinstance(name, str):
            return None
        return name, str(sorting[0].get("direction") or "ASC").upper()

    def more_pages(self, page_size: int, trust_more_pages: bool = True) -> bool:
        """Whether rows follow this page. `morePagesAvailable` is the API's answer (older responses lack it: then
        `lastResult < resultsAvailable`). For `supplier-payment-search`, whose counts are wrong (docs/brightpearl.md),
        `trust_more_pages=False` keeps paging while pages come back full. An empty page always ends the search."""
        returned = len(self.rows)
        if returned == 0:
            return False
        if not trust_more_pages:
            return returned >= page_size
        more = self.meta.get("morePagesAvailable")
        if more is None:
            first = _int(self.meta.get("firstResult")) or 1
            last = _int(self.meta.get("lastResult")) or first + returned - 1
            return last < (_int(self.meta.get("resultsAvailable")) or 0)
        return bool(more)


def _int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_search_page(
    response: requests.Response, first_result: int = 1, page_size: int = MAX_PAGE_SIZE, trust_more_pages: bool = True
) -> SearchPage:
    """The page answered for `firstResult=first_result`, checked against its own `metaData`."""
    body = decode_json(response.content, response.status_code, response.headers)
    payload = body.get("response") if isinstance(body, dict) else None
    meta = payload.get("metaData") if isinstance(payload, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("columns"), list):
        raise MalformedSearchResponse("the body has no response.metaData.columns")
    assert isinstance(payload, dict)  # implied by meta being a dict
    columns: List[str] = [column.get("name") for column in meta["columns"] if isinstance(column, dict)]  # type: ignore[misc]
    rows = payload.get("results")
    if rows is None:
        _check_no_rows_announced(meta, first_result, trust_more_pages)
        rows = []
    if not isinstance(rows, list):
        raise MalformedSearchResponse("response.results is not a list")
    width = len(columns)
    for row in rows:
        if not isinstance(row, list) or len(row) != width:
            raise MalformedSearchResponse(
                f"a result row has {len(row) if isinstance(row, list) else 'no'} cells but metaData declares {width} columns"
            )
    page = SearchPage(columns=columns, rows=rows, meta=meta)
    _check_counts(page, first_result, page_size, trust_more_pages)
    return page


def _check_no_rows_announced(meta: Mapping[str, Any], first_result: int, trust_more_pages: bool) -> None:
    returned = _int(meta.get("resultsReturned"))
    available = _int(meta.get("resultsAvailable")) if trust_more_pages else None
    if (returned or 0) > 0 or meta.get("morePagesAvailable") or (available is not None and available >= first_result):
        raise MalformedSearchResponse(
            f"response.results is null although metaData announces rows (resultsReturned {returned}, "
            f"resultsAvailable {meta.get('resultsAvailable')}, firstResult asked {first_result})",
            transient=True,
        )


def _check_counts(page: SearchPage, first_result: int, page_size: int, trust_more_pages: bool) -> None:
    meta, returned = page.meta, len(page.rows)
    announced = _int(meta.get("resultsReturned"))
    if announced is not None and announced != returned:
        raise MalformedSearchResponse(f"{returned} rows but metaData.resultsReturned is {announced}", transient=True)
    first, last = _int(meta.get("firstResult")), _int(meta.get("lastResult"))
    if returned and first is not None and first != first_result:
        raise MalformedSearchResponse(
            f"asked for rows from {first_result}, answered rows from {first}: the search ignores firstResult, so paging "
            "it would never end"
        )
    if returned and first is not None and last is not None and last - first + 1 != returned:
        raise MalformedSearchResponse(
            f"{returned} rows but metaData says rows {first} to {last} ({last - first + 1})", transient=True
        )
    if trust_more_pages and returned < page_size and meta.get("morePagesAvailable"):
        raise MalformedSearchResponse(
            f"a short page ({returned} of {page_size} rows) says more pages are available", transient=True
        )
