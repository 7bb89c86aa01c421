"""The generic `*-search` engine (docs/brightpearl-api.md §P7) over a world `SearchTable`: filters by column type, sort,
1-based paging, column subsets, positional rows, `metaData` and the `reference` sibling.

Choices where the notes are silent (also listed in README "Protocol choices"):
- query parameters that name no filterable column (unknown filters, `countOnly`, …) are ignored; an empty filter
  value is ignored too;
- `pageSize` above 500 is clamped to 500; `pageSize`/`firstResult` that are not integers ≥ 1, and an unknown or
  unsortable `sort` column, give 400 `CMNC-400` (a 0-based `firstResult=0` is a client bug worth failing loudly);
- unknown names in `columns=` are dropped; if none is left, all columns are served;
- PERIOD bounds are inclusive at both ends; a date-time without an offset, or a bare date, is read in the account's
  time zone (docs/brightpearl-api.md §P9 guesses so); rows whose cell is null never match a filter;
- `reference` lists only the entries referenced by the served rows of the served columns (as recorded);
- sorting with `sort=` is stable over the default order, so ties stay in id order; nulls sort first ascending.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson

from .http_types import Request, Response, errors_response, raw_json_response
from .idsets import IdSetError, parse_id_set

MAX_PAGE_SIZE = 500
_RESERVED = frozenset({"pageSize", "firstResult", "columns", "sort"})
_CACHE_ENTRIES = 32
_INSTANT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
_INTEGER = re.compile(r"^-?\d+$")


class SearchError(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def _unparseable(name: str, value: str, type_name: str) -> SearchError:
    # A bad filter value is a 500, not a 400 (docs/brightpearl-api.md §P6).
    return SearchError(errors_response(500, "CMNC-018", f"The filter {name}={value} cannot be parsed as: {type_name}"))


def _bad_request(message: str) -> SearchError:
    return SearchError(errors_response(400, "CMNC-400", message))


def parse_instant(text: str, default_tz: timezone) -> float | None:
    """ISO 8601 (`Z`, `±hh:mm`, `±hhmm`, optional time and millis) → epoch seconds; None if unparseable. A `+`
    sent unencoded arrives as a space and fails here, as it does on the real API."""
    match = _INSTANT.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        tz = default_tz if offset is None else _offset(offset)
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz)
    except ValueError:
        return None
    return moment.timestamp() + (float("0." + fraction) if fraction else 0.0)


def _offset(text: str) -> timezone:
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


class SearchEngine:
    def __init__(self, world: Any, tz_offset: str) -> None:
        self._world = world
        self._tz = _offset(tz_offset)
        self._lock = threading.Lock()
        # (table, filters, sort, world.version) → the matching rows in order: paging costs a slice (docs/brightpearl-api.md §P7).
        self._results: OrderedDict[tuple, list[list]] = OrderedDict()
        # (table, column index) → (the rows they were parsed from, cell instants): PERIOD filters and sorts parse
        # each cell once per version of the rows (the world shares one rows list until a mutation).
        self._instants: dict[tuple[str, int], tuple[list[list], list[float | None]]] = {}

    def search(self, table_name: str, request: Request) -> Response:
        try:
            return self._search(table_name, request)
        except SearchError as error:
            return error.response

    def _search(self, table_name: str, request: Request) -> Response:
        version = self._world.version
        table = self._world.search_table(table_name)
        columns = list(table.columns)
        by_name = {column.name: i for i, column in enumerate(columns)}

        filters = self._parse_filters(request, columns, by_name)
        sort_keys = self._parse_sort(request.param("sort"), columns, by_name)
        output = self._parse_columns(request.param("columns"), by_name) or list(range(len(columns)))
        page_size = min(_positive_int(request.param("pageSize"), "pageSize", MAX_PAGE_SIZE), MAX_PAGE_SIZE)
        first = _positive_int(request.param("firstResult"), "firstResult", 1)

        matched = self._matching_rows(table_name, table, version, filters, sort_keys)
        page = matched[first - 1 : first - 1 + page_size]
        last = first + len(page) - 1

        meta: dict[str, Any] = {
            "morePagesAvailable": last < len(matched) if page else False,
            # supplier-payment-search misreports this (docs/brightpearl-api.md §P7 paging caveats); the world says by how much.
            "resultsAvailable": len(matched)
            if table.misreported_results_available is None
            else table.misreported_results_available,
            "resultsReturned": len(page),
        }
        if page:  # an empty result carries no firstResult/lastResult
            meta["firstResult"] = first
            meta["lastResult"] = last
        meta["columns"] = [_column_json(columns[i]) for i in output]
        sorting = sort_keys or [(0, "ASC")]
        meta["sorting"] = [{"filterable": _column_json(columns[i]), "direction": d} for i, d in sorting]

        if output == list(range(len(columns))):
            results = page
        else:
            results = [[row[i] for i in output] for row in page]
        body = {
            "response": {"results": results, "metaData": meta},
            "reference": _page_reference(table.reference(), columns, output, page),
        }
        return raw_json_response(200, orjson.dumps(body), message_type="bulk-data-search")

    def earliest_instant(self, table_names: list[str]) -> float | None:
        """The earliest date-time in any PERIOD column of these tables (tables the world lacks are skipped). The
        parsed cells stay cached for the PERIOD filters that will follow."""
        earliest = None
        for name in table_names:
            try:
                table = self._world.search_table(name)
            except KeyError:
                continue
            rows = table.rows()
            for index, column in enumerate(table.columns):
                if column.report_data_type != "PERIOD":
                    continue
                instants = [i for i in self._cell_instants(name, rows, index) if i is not None]
                if instants and (earliest is None or min(instants) < earliest):
                    earliest = min(instants)
        return earliest

    # -- parsing -------------------------------------------------------------------------------------------------

    def _parse_filters(self, request: Request, columns: list, by_name: dict[str, int]) -> dict[str, tuple]:
        """name → (column index, type, parsed value). Values are validated here so a bad one fails even when a
        cached answer exists."""
        filters: dict[str, tuple] = {}
        for name, value in request.query:
            if name in _RESERVED or name not in by_name or value == "":
                continue
            index = by_name[name]
            column = columns[index]
            if not column.filterable:
                continue
            filters[name] = (index, column.report_data_type, self._parse_filter_value(name, value, column.report_data_type))
        return filters

    def _parse_filter_value(self, name: str, value: str, type_name: str) -> Any:
        if type_name == "PERIOD":
            start, slash, end = value.partition("/")
            if not slash or "/" in end:
                raise _unparseable(name, value, type_name)
            bounds = []
            for part in (start, end):
                if part == "":
                    bounds.append(None)
                    continue
                instant = parse_instant(part, self._tz)
                if instant is None:
                    raise _unparseable(name, value, type_name)
                bounds.append(instant)
            return tuple(bounds)
        if type_name == "IDSET":
            try:
                return parse_id_set(value)
            except IdSetError:
                raise _unparseable(name, value, type_name) from None
        if type_name == "INTEGER":
            if not _INTEGER.match(value):
                raise _unparseable(name, value, type_name)
            return int(value)
        if type_name == "BOOLEAN":
            if value.lower() not in ("true", "false"):
                raise _unparseable(name, value, type_name)
            return value.lower() == "true"
        if type_name == "SEARCH_STRING":
            return value.lower()
        return value  # STRING and any other type: exact match

    def _parse_sort(self, text: str | None, columns: list, by_name: dict[str, int]) -> list[tuple[int, str]]:
        """`col.ASC`, `col.DESC`, `col|DESC` (2014-era syntax, docs/brightpearl-api.md §P7), `col` (ascending), comma-separated."""
        if not text:
            return []
        keys = []
        for part in text.split(","):
            name, direction = part, "ASC"
            for separator in (".", "|"):
                head, sep, tail = part.rpartition(separator)
                if sep and tail.upper() in ("ASC", "DESC"):
                    name, direction = head, tail.upper()
                    break
            index = by_name.get(name)
            if index is None or not columns[index].sortable:
                raise _bad_request(f"Cannot sort by {name}")
            keys.append((index, direction))
        return keys

    @staticmethod
    def _parse_columns(text: str | None, by_name: dict[str, int]) -> list[int]:
        if not text:
            return []
        chosen: list[int] = []
        for name in text.split(","):
            index = by_name.get(name.strip())
            if index is not None and index not in chosen:
                chosen.append(index)
        return chosen

    # -- evaluation ----------------------------------------------------------------------------------------------

    def _matching_rows(
        self, table_name: str, table: Any, version: int, filters: dict[str, tuple], sort_keys: list[tuple[int, str]]
    ) -> list[list]:
        key = (table_name, tuple(sorted((n, repr(f[2])) for n, f in filters.items())), tuple(sort_keys), version)
        with self._lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return cached
        rows = table.rows()
        selected = list(range(len(rows)))
        for index, type_name, value in filters.values():
            selected = self._apply_filter(table_name, rows, selected, index, type_name, value)
        # Rows come sorted by the id column ascending; stable sorts from the last key to the first keep that as
        # the final tie-break.
        for index, direction in reversed(sort_keys):
            cells = self._sort_cells(table_name, table, rows, index)
            selected.sort(
                key=lambda r: (cells[r] is not None, cells[r] if cells[r] is not None else 0), reverse=direction == "DESC"
            )
        matched = [rows[r] for r in selected]
        with self._lock:
            self._results[key] = matched
            while len(self._results) > _CACHE_ENTRIES:
                self._results.popitem(last=False)
        return matched

    def _apply_filter(
        self, table_name: str, rows: list[list], selected: list[int], index: int, type_name: str, value: Any
    ) -> list[int]:
        if type_name == "PERIOD":
            instants = self._cell_instants(table_name, rows, index)
            low, high = value
            return [
                r
                for r in selected
                if instants[r] is not None and (low is None or instants[r] >= low) and (high is None or instants[r] <= high)
            ]
        test = _cell_test(type_name, value)
        return [r for r in selected if rows[r][index] is not None and test(rows[r][index])]

    def _sort_cells(self, table_name: str, table: Any, rows: list[list], index: int) -> list:
        if table.columns[index].report_data_type == "PERIOD":
            return self._cell_instants(table_name, rows, index)
        return [row[index] for row in rows]

    def _cell_instant(self, text: str) -> float | None:
        """A served cell: the C parser first (6x faster; 200k-row tables), the strict one for anything else."""
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return parse_instant(text, self._tz)
        return (moment if moment.tzinfo else moment.replace(tzinfo=self._tz)).timestamp()

    def _cell_instants(self, table_name: str, rows: list[list], index: int) -> list[float | None]:
        key = (table_name, index)
        with self._lock:
            cached = self._instants.get(key)
        if cached is not None and cached[0] is rows:
            return cached[1]
        instants = [self._cell_instant(row[index]) if isinstance(row[index], str) else None for row in rows]
        with self._lock:
            self._instants[key] = (rows, instants)
        return instants


def _cell_test(type_name: str, value: Any) -> Callable[[Any], bool]:
    if type_name == "IDSET":
        return lambda cell: cell in value
    if type_name in ("INTEGER", "BOOLEAN"):
        return lambda cell: cell == value
    if type_name == "SEARCH_STRING":
        return lambda cell: value in str(cell).lower()
    return lambda cell: str(cell) == value


def _positive_int(text: str | None, name: str, default: int) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < 1:
        raise _bad_request(f"{name} must be a positive integer, got {text}")
    return int(text)


def _column_json(column: Any) -> dict:
    return {
        "name": column.name,
        "sortable": column.sortable,
        "filterable": column.filterable,
        "reportDataType": column.report_data_type,
        "referenceData": list(column.reference_data),
        "isFreeTextSearchable": column.is_free_text_searchable,
        "required": column.required,
    }


def _page_reference(reference: dict, columns: list, output: list[int], page: list[list]) -> dict:
    """Narrow the table's reference maps to the keys that the served cells point at: a page of orders carries
    the names of the statuses on that page, and product-search's `productCategoryMembership` (referenced by the
    productId column) lists only the page's products."""
    narrowed: dict[str, dict] = {}
    for index in output:
        for ref_name in columns[index].reference_data:
            labels = reference.get(ref_name)
            if not labels:
                continue
            part = narrowed.setdefault(ref_name, {})
            for row in page:
                cell = row[index]
                if cell is not None and str(cell) in labels:
                    part[str(cell)] = labels[str(cell)]
    return {name: labels for name, labels in narrowed.items() if labels}
