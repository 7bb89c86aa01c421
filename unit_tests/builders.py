"""Brightpearl answers for the component tests, served through the CDK's own HTTP mocking (`airbyte_cdk.test.mock_http`).

Two kinds of builder:
- static bodies and responses: `search_body` (a columnar search page), `id_set_body` (a detail GET answer),
  `json_response`, and the error answers a sync meets (`throttled`, `unauthorized`, `not_found`);
- small fakes that compute their answer from the request: `SearchTable` (one `*-search` endpoint over a table of
  rows) and `IdSetEndpoint` (detail GETs by id set). HttpMocker matches a request by exact path and serves fixed
  responses; the `requests_mock` library underneath it calls a body that is a function with the request. A fake
  served that way answers whatever page or id set the connector asks for, so a test states what exists and what
  goes wrong, and asserts what a user sees — never how the connector pages (by `firstResult` today; by a stable key
  after the paging redesign). `test_builders.py` guards this route through HttpMocker.

Every response carries the two throttle headers, as Brightpearl's do (401s and 404s included).
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import orjson
from airbyte_cdk.models import ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest, HttpResponse
from airbyte_cdk.test.mock_http.request import ANY_QUERY_PARAMS
from airbyte_cdk.test.models import ExpectedOutcome

from source_brightpearl.api.idsets import MAX_IDS_PER_GET, batches, compress

ACCOUNT = "acme"
ORIGIN = "https://euw1.brightpearlconnect.com"
API = f"{ORIGIN}/public-api/{ACCOUNT}"
TOKEN_URL = f"{ORIGIN}/{ACCOUNT}/oauth/token"
ACCESS_TOKEN = "component-test-access-token-1"
REFRESH_TOKEN = "component-test-refresh-token-1"
MAX_PAGE_SIZE = 500  # what Brightpearl serves at most per search page, whatever is asked for
ORDINARY_HEADERS = {"brightpearl-requests-remaining": "150", "brightpearl-next-throttle-period": "41092"}


def config(**overrides: Any) -> Dict[str, Any]:
    """A complete config with a valid access token (no token request before the first call) and a budget high enough
    that the API budget never paces a test."""
    base: Dict[str, Any] = {
        "data_center": "euw1",
        "account": ACCOUNT,
        "state_length": 32,
        "scope": "",
        "client_id": "acme_warehouse-sync",
        "client_secret": "component-test-client-secret",
        "response_token_key": "access_token",
        "grant_type": "refresh_token",
        "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN,
        "token_expiry_date": "2099-01-01T00:00:00+00:00",
        "requests_per_minute": 10000,
    }
    base.update(overrides)
    return base


def catalog(streams: Mapping[str, SyncMode]) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name, sync_mode in streams.items():
        builder.with_stream(name, sync_mode)
    return builder.build()


# ------------------------------------------------------------------------------------------------ static answers
def json_response(body: Any, status: int = 200, headers: Optional[Mapping[str, str]] = None) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(body),
        status,
        {"Content-Type": "application/json;charset=UTF-8", **ORDINARY_HEADERS, **(headers or {})},
    )


def throttled(period_ms: int) -> HttpResponse:
    """Brightpearl's answer once the account's minute is used up: 503, a string body, the wait in milliseconds."""
    return json_response(
        {"response": "You have sent too many requests. Please wait before sending another request"},
        503,
        {"brightpearl-requests-remaining": "0", "brightpearl-next-throttle-period": str(period_ms)},
    )


def unauthorized(message: str = "Authorization token expired") -> HttpResponse:
    """A rejected token: 401 with a plain string in `response` and no WWW-Authenticate header. It still carries the
    throttle headers, with a long period that a backoff must not wait on."""
    return json_response({"response": message}, 401, {"brightpearl-next-throttle-period": "50000"})


def not_found(message: str) -> HttpResponse:
    return json_response({"errors": [{"code": "CMNC-404", "message": message}]}, 404)


def account_configuration() -> HttpResponse:
    return json_response({"response": {"configuration": {"timeZone": "America/Chicago", "baseCurrencyCode": "USD"}}})


def column(name: str, report_data_type: str) -> Dict[str, Any]:
    return {
        "name": name,
        "sortable": True,
        "filterable": True,
        "reportDataType": report_data_type,
        "referenceData": [],
        "isFreeTextSearchable": False,
        "required": False,
    }


def search_body(
    columns: Sequence[Tuple[str, str]], rows: Sequence[Sequence[Any]], first_result: int, results_available: int
) -> Dict[str, Any]:
    """One columnar search page: positional `results`, names and types in `metaData.columns`."""
    declared = [column(name, kind) for name, kind in columns]
    meta: Dict[str, Any] = {
        "morePagesAvailable": first_result - 1 + len(rows) < results_available,
        "resultsAvailable": results_available,
        "resultsReturned": len(rows),
    }
    if rows:  # Brightpearl omits the bounds of an empty page
        meta.update(firstResult=first_result, lastResult=first_result + len(rows) - 1)
    meta["columns"] = declared
    meta["sorting"] = [{"filterable": declared[0], "direction": "ASC"}] if declared else []
    return {"response": {"results": [list(row) for row in rows], "metaData": meta}, "reference": {}}


def id_set_body(records: Iterable[Mapping[str, Any]]) -> Dict[str, Any]:
    return {"response": [dict(record) for record in records]}


# ------------------------------------------------------------------------------------------------ answers computed per request
class DynamicResponse(HttpResponse):
    """An HttpResponse whose body is computed per request: `answer(request, context)` returns the body as bytes and may
    set `context.status_code` and `context.headers` (requests_mock's callback contract)."""

    def __init__(self, answer: Callable[[Any, Any], bytes]) -> None:
        super().__init__(b"", 200, {})
        self._answer = answer

    @property
    def body(self) -> Any:  # a callable where HttpResponse has bytes; HttpMocker hands it to requests_mock as is
        return self._answer


def _query(request: Any) -> Dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(request.url).query, keep_blank_values=True).items()}


def _json_answer(context: Any, body: Any, status: int = 200, headers: Optional[Mapping[str, str]] = None) -> bytes:
    context.status_code = status
    context.headers.update({"Content-Type": "application/json;charset=UTF-8", **ORDINARY_HEADERS, **(headers or {})})
    return orjson.dumps(body)


def parse_id_set(text: str) -> List[int]:
    """`1-3,5` -> [1, 2, 3, 5]; an open range `7-` is taken as up to any id."""
    ids: List[int] = []
    for part in filter(None, text.split(",")):
        start, dash, end = part.partition("-")
        if not dash:
            ids.append(int(start))
        else:
            ids.extend(range(int(start), int(end) + 1 if end else 10**9))
    return ids


def _in_id_set(value: Any, text: str) -> bool:
    if value is None:
        return False
    for part in filter(None, text.split(",")):
        start, dash, end = part.partition("-")
        if (not dash and value == int(start)) or (dash and int(start) <= value and (not end or value <= int(end))):
            return True
    return False


def _moment(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _in_period(value: Any, text: str) -> bool:
    """PERIOD filters are `from/to`, `from/` or `/to`, inclusive at both ends; a null cell never matches."""
    if value is None:
        return False
    start, _, end = text.partition("/")
    moment = _moment(value)
    return (not start or moment >= _moment(start)) and (not end or moment <= _moment(end))


class SearchTable:
    """One `*-search` endpoint over `rows` (dicts keyed by column name), answering as Brightpearl does: filters by
    column type (IDSET in ID-set syntax, PERIOD as from/to, others exact), `sort` (`col.ASC|DESC`, default the first
    column ascending), `columns`, `pageSize` (at most 500) and the 1-based `firstResult`.

    `on_answer(table, count)` runs after each answer (count from 1): a test changes the table there, as a live
    account changes while a search is paged. `asked` keeps every request's query."""

    def __init__(self, path: str, columns: Sequence[Tuple[str, str]], rows: Iterable[Mapping[str, Any]]) -> None:
        self.path = path
        self.columns = list(columns)
        self.types = dict(self.columns)
        self.rows: List[Dict[str, Any]] = [dict(row) for row in rows]
        self.asked: List[Dict[str, str]] = []
        self.on_answer: Optional[Callable[[SearchTable, int], None]] = None
        # supplier-payment-search's bug: it reports this many results (and no more pages) whatever it holds.
        self.misreported_total: Optional[int] = None

    @property
    def url(self) -> str:
        return f"{API}/{self.path}"

    def register(self, mocker: HttpMocker) -> SearchTable:
        mocker.get(HttpRequest(self.url, query_params=ANY_QUERY_PARAMS), DynamicResponse(self.answer))
        return self

    def delete(self, key: Any) -> None:
        id_column = self.columns[0][0]
        self.rows = [row for row in self.rows if row.get(id_column) != key]

    def answer(self, request: Any, context: Any) -> bytes:
        query = _query(request)
        self.asked.append(query)
        matching = [row for row in self.rows if self._matches(row, query)]
        for name, descending in reversed(self._sort(query.get("sort"))):
            # nulls first ascending, as a database sorts them; stable sorts compose into a multi-column sort
            matching.sort(key=lambda row, n=name: (row.get(n) is not None, row.get(n) or 0), reverse=descending)
        names = query["columns"].split(",") if query.get("columns") else [name for name, _ in self.columns]
        first = max(int(query.get("firstResult") or 1), 1)
        size = min(int(query.get("pageSize") or MAX_PAGE_SIZE), MAX_PAGE_SIZE)
        page = matching[first - 1 : first - 1 + size]
        total = len(matching) if self.misreported_total is None else self.misreported_total
        body = search_body(
            [(name, self.types[name]) for name in names], [[row.get(n) for n in names] for row in page], first, total
        )
        if self.on_answer is not None:
            self.on_answer(self, len(self.asked))
        return _json_answer(context, body)

    def _matches(self, row: Mapping[str, Any], query: Mapping[str, str]) -> bool:
        for name, value in query.items():
            kind = self.types.get(name)
            if kind is None:
                continue  # paging, sort, columns and filters this fake does not model
            cell = row.get(name)
            if kind == "IDSET" and not _in_id_set(cell, value):
                return False
            if kind == "PERIOD" and not _in_period(cell, value):
                return False
            if kind not in ("IDSET", "PERIOD") and str(cell) != value:
                return False
        return True

    def _sort(self, text: Optional[str]) -> List[Tuple[str, bool]]:
        if not text:
            return [(self.columns[0][0], False)]
        keys = []
        for part in text.split(","):
            name, _, direction = part.replace("|", ".").partition(".")
            keys.append((name, direction.upper() == "DESC"))
        return keys


class IdSetEndpoint:
    """Detail GETs by id set (`{resource}/{id set}`) over `records` keyed by id. Answers only the ids that exist, in an
    order of its own (Brightpearl's is not the request's); when none exists, 404 CMNC-404 (or `200 []`, as the order
    resource answers, with `empty="list"`).

    Faults, each spent the first time it applies: `left_out_once` (ids missing from an answer although they exist),
    `not_found_once` (id sets answered 404 although their ids exist). `asked` keeps every id set requested."""

    def __init__(self, resource_path: str, records: Iterable[Mapping[str, Any]], key: str = "id", empty: str = "404") -> None:
        self.resource_path = resource_path
        self.key = key
        self.records: Dict[int, Dict[str, Any]] = {int(record[key]): dict(record) for record in records}
        self.empty = empty
        self.left_out_once: Set[int] = set()
        self.not_found_once: Set[str] = set()
        self.asked: List[List[int]] = []
        self.queries: List[Dict[str, str]] = []

    def url(self, id_set: str) -> str:
        return f"{API}/{self.resource_path}/{id_set}"

    def register(self, mocker: HttpMocker, searched_ids: Sequence[int], also: Iterable[Iterable[int]] = ()) -> IdSetEndpoint:
        """Serve the id sets the connector asks for: its batches of the ids in search order (the product's own
        batching, so these follow it), each id on its own (asked for again), and the sets in `also`."""
        id_sets = [compress(batch) for batch in batches(list(searched_ids), MAX_IDS_PER_GET)]
        for batch in batches(list(searched_ids), MAX_IDS_PER_GET):  # a whole set answered 404 twice is asked in halves
            middle = len(batch) // 2
            id_sets += [compress(sorted(batch)[:middle]), compress(sorted(batch)[middle:])]
        id_sets += [str(record_id) for record_id in searched_ids]
        id_sets += [compress(ids) for ids in also]
        for id_set in dict.fromkeys(id_sets):
            mocker.get(HttpRequest(self.url(id_set), query_params=ANY_QUERY_PARAMS), DynamicResponse(self.answer))
        return self

    def answer(self, request: Any, context: Any) -> bytes:
        id_set = unquote(urlsplit(request.url).path.rsplit("/", 1)[-1])
        ids = parse_id_set(id_set)
        self.asked.append(ids)
        self.queries.append(_query(request))
        if id_set in self.not_found_once:
            self.not_found_once.discard(id_set)
            return _json_answer(context, {"errors": [{"code": "CMNC-404", "message": "No Order Found"}]}, 404)
        found = []
        for record_id in ids:
            if record_id in self.left_out_once:
                self.left_out_once.discard(record_id)
            elif record_id in self.records:
                found.append(copy.deepcopy(self.records[record_id]))
        found.reverse()
        if not found and self.empty == "404":
            return _json_answer(
                context, {"errors": [{"code": "CMNC-404", "message": f"No resources found in ID set {id_set}"}]}, 404
            )
        return _json_answer(context, id_set_body(found))


def token_refresh_request(refresh_token: str = REFRESH_TOKEN, settings: Optional[Mapping[str, Any]] = None) -> HttpRequest:
    """The refresh grant as the connector posts it (form-encoded; HttpMocker compares bodies byte for byte)."""
    settings = settings or config()
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": settings["client_id"],
        "client_secret": settings["client_secret"],
    }
    return HttpRequest(TOKEN_URL, body=urlencode(form))


def read_streams(
    streams: Mapping[str, SyncMode],
    settings: Optional[Mapping[str, Any]] = None,
    state: Optional[List[Any]] = None,
    expected_outcome: Optional[ExpectedOutcome] = None,
) -> EntrypointOutput:
    """A real `read` of SourceBrightpearl (the CDK's entrypoint, in process), built as the console entry point builds
    it: with the config, catalog and state it reads with."""
    from source_brightpearl.source import SourceBrightpearl

    settings = dict(settings or config())
    configured = catalog(streams)
    source = SourceBrightpearl(catalog=configured, config=copy.deepcopy(settings), state=state)
    return read(source, settings, configured, state, expected_outcome=expected_outcome)


# ------------------------------------------------------------------------------------------------ records and results
PAYMENT_COLUMNS = [
    ("paymentId", "IDSET"),
    ("transactionRef", "STRING"),
    ("paymentMethodCode", "STRING"),
    ("paymentType", "STRING"),
    ("orderId", "IDSET"),
    ("currencyId", "IDSET"),
    ("currencyCode", "STRING"),
    ("amountPaid", "STRING"),
    ("paymentDate", "PERIOD"),
    ("createdOn", "PERIOD"),
    ("journalId", "IDSET"),
]
ORDER_SEARCH_COLUMNS = [("orderId", "IDSET"), ("orderTypeId", "IDSET"), ("createdOn", "PERIOD"), ("updatedOn", "PERIOD")]


def payment_rows(count: int, created_on: str = "2024-03-01T10:00:00.000-06:00") -> List[Dict[str, Any]]:
    return [
        {
            "paymentId": payment_id,
            "transactionRef": f"TX{payment_id}",
            "paymentMethodCode": "CARD",
            "paymentType": "RECEIPT",
            "orderId": 10_000 + payment_id,
            "currencyId": 1,
            "currencyCode": "USD",
            "amountPaid": f"{payment_id}.50",
            "paymentDate": created_on,
            "createdOn": created_on,
            "journalId": 50_000 + payment_id,
        }
        for payment_id in range(1, count + 1)
    ]


def order_record(
    order_id: int, created_on: str = "2024-03-01T10:00:00.000-06:00", updated_on: Optional[str] = None
) -> Dict[str, Any]:
    """An order as the detail GET returns it (money as strings, rows keyed by row id, updatedOn absent until updated)."""
    record: Dict[str, Any] = {
        "id": order_id,
        "orderTypeCode": "SO",
        "reference": f"#{order_id}",
        "createdOn": created_on,
        "totalValue": {"net": "9.09", "taxAmount": "0.91", "total": "10.00"},
        "orderRows": {str(order_id * 10): {"productId": 1007, "quantity": {"magnitude": "1.0000"}}},
    }
    if updated_on is not None:
        record["updatedOn"] = updated_on
    return record


def order_search_rows(orders: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    return [
        {"orderId": order["id"], "orderTypeId": 1, "createdOn": order["createdOn"], "updatedOn": order.get("updatedOn")}
        for order in orders
    ]


def emitted(output: EntrypointOutput, stream: str) -> List[Dict[str, Any]]:
    return [message.record.data for message in output.records if message.record.stream == stream]


def error_messages(output: EntrypointOutput) -> List[str]:
    return [message.trace.error.message for message in output.errors]


def log_messages(output: EntrypointOutput) -> List[str]:
    return [message.log.message for message in output.logs]
