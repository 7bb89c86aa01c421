"""No record lost silently while searching and fetching (issues 13 and 17), rule by rule, on the real retrievers with
a fake requester that answers like Brightpearl — and wrongly where a test says so."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional

import orjson
import pytest
import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.datetimes import parse_datetime
from source_brightpearl.components.retrievers import SearchRetriever, SearchThenGetRetriever
from source_brightpearl.components.retrievers import base as retriever_base

SEARCH = "order-service/order-search"
DETAIL = "order-service/order"


def _response(path: str, status: int, body: Any, params: Optional[dict] = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else orjson.dumps(body)
    response.headers["Content-Type"] = "application/json;charset=UTF-8"
    response.request = requests.Request(
        "GET", f"https://euw1.brightpearlconnect.com/public-api/acme/{path}", params=params
    ).prepare()
    return response


def _parse_id_set(text: str) -> List[int]:
    ids: List[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        ids.extend(range(int(low), int(high or low) + 1))
    return ids


class FakeBrightpearl:
    """Orders by id; search sorted by orderId (one column: orderId; or with `updatedOn`), detail GETs by id set.

    `faults` is a list of callables `fault(kind, path, params, response) -> response`, consumed in order: each is
    offered every answer and returns it (untouched: offer the next answer) or a replacement (the fault is spent)."""

    def __init__(self, ids, missing_status=200):
        self.orders: Dict[int, dict] = {i: {"id": i, "updatedOn": "2024-01-01T00:00:00.000Z"} for i in ids}
        self.missing_status = missing_status
        self.log: List[tuple] = []
        self.faults: List[Callable] = []
        self.before_search: Optional[Callable[[int], None]] = None  # called with the search number, from 0
        self._lock = threading.Lock()

    @property
    def error_handler(self):
        return None

    def send_request(self, stream_slice: StreamSlice, request_params: dict):
        path = stream_slice.partition["resource_path"]
        id_set = stream_slice.partition.get("id_set")
        with self._lock:
            if path == SEARCH:
                if self.before_search:
                    self.before_search(sum(1 for kind, *_ in self.log if kind == "search"))
                self.log.append(("search", dict(request_params)))
                response = self._search(request_params)
                kind = "search"
            else:
                self.log.append(("get", id_set))
                response = self._get(id_set)
                kind = "get"
            for fault in list(self.faults):
                replaced = fault(kind, path, request_params, response)
                if replaced is not response:
                    self.faults.remove(fault)
                    return replaced
            return response

    def _search(self, params: dict) -> requests.Response:
        rows = sorted(self.orders)
        first = int(params.get("firstResult", 1))
        size = int(params["pageSize"])
        page = rows[first - 1 : first - 1 + size]
        meta = {
            "morePagesAvailable": first - 1 + len(page) < len(rows),
            "resultsAvailable": len(rows),
            "resultsReturned": len(page),
            "columns": [{"name": "orderId"}],
            "sorting": [{"filterable": {"name": "orderId"}, "direction": "ASC"}],
        }
        if page:
            meta.update(firstResult=first, lastResult=first + len(page) - 1)
        return _response(SEARCH, 200, {"response": {"results": [[i] for i in page], "metaData": meta}}, params)

    def _get(self, id_set: str) -> requests.Response:
        found = [self.orders[i] for i in _parse_id_set(id_set) if i in self.orders]
        if not found and self.missing_status == 404:
            return _response(f"{DETAIL}/{id_set}", 404, {"errors": [{"code": "CMNC-404", "message": "No orders"}]})
        return _response(f"{DETAIL}/{id_set}", 200, {"response": list(reversed(found))})

    def count(self, kind: str) -> int:
        return sum(1 for entry in self.log if entry[0] == kind)


def once(kind: str, change: Callable[[requests.Response], requests.Response], skip: int = 0):
    """A fault for the first (after `skip`) answer of `kind` ("search" or "get")."""
    seen = [0]

    def fault(answer_kind, path, params, response):
        if answer_kind != kind:
            return response
        seen[0] += 1
        return response if seen[0] <= skip else change(response)

    return fault


def with_body(response: requests.Response, body: Any) -> requests.Response:
    replaced = _response("x", response.status_code, body)
    replaced.request = response.request
    return replaced


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    waits: List[float] = []
    monkeypatch.setattr(retriever_base, "time", SimpleNamespace(sleep=waits.append))
    return waits


def orders_retriever(api: FakeBrightpearl, **parameters) -> SearchThenGetRetriever:
    return SearchThenGetRetriever(
        config={},
        parameters={
            "search_path": SEARCH,
            "resource_path": DETAIL,
            "id_column": "orderId",
            "cursor_sources": ["updatedOn"],
            **parameters,
        },
        name="orders",
        search_requester=api,
        detail_requester=api,
    )


def read(retriever, stream_slice=None) -> List[dict]:
    """The records read; progress estimates, which the CDK would emit as messages in their place, are left out."""
    return [item for item in retriever.read_records({}, stream_slice) if isinstance(item, dict)]


def test_a_still_account_is_read_at_the_floor_cost():
    api = FakeBrightpearl(range(1, 1201))
    records = read(orders_retriever(api))
    assert sorted(r["id"] for r in records) == list(range(1, 1201))
    assert api.count("search") == 3  # ceil(1199 / 499): one row of overlap per page
    assert api.count("get") == 6


def test_a_404_on_one_id_set_is_asked_again_not_taken_as_deletions(caplog):
    api = FakeBrightpearl(range(1, 401))
    api.faults.append(once("get", _404))
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        records = read(orders_retriever(api))
    assert sorted(r["id"] for r in records) == list(range(1, 401))
    assert api.count("get") == 3
    assert "deleted" not in caplog.text


def _404(response):
    replaced = _response("x", 404, {"errors": [{"code": "CMNC-404", "message": "No orders"}]})
    replaced.request = response.request
    return replaced


def _without_first(response):
    body = orjson.loads(response.content)
    return with_body(response, {"response": body["response"][1:]})


def test_an_id_left_out_is_asked_again():
    api = FakeBrightpearl(range(1, 201))
    api.faults.append(once("get", _without_first))
    records = read(orders_retriever(api))
    assert sorted(r["id"] for r in records) == list(range(1, 201))
    assert api.log[-1][0] == "get" and len(_parse_id_set(api.log[-1][1])) == 1  # only the missing id


@pytest.mark.parametrize("missing_status", [200, 404])
def test_ids_deleted_after_the_search_are_counted_and_logged(caplog, missing_status):
    api = FakeBrightpearl(range(1, 301), missing_status=missing_status)
    retriever = orders_retriever(api)
    original_get = api._get

    def get_after_deletions(id_set):  # deleted after the search found them
        for i in (5, 6, 250):
            api.orders.pop(i, None)
        return original_get(id_set)

    api._get = get_after_deletions
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        records = read(retriever)
    assert sorted(r["id"] for r in records) == [i for i in range(1, 301) if i not in (5, 6, 250)]
    assert "2 id(s) found by the search were not returned" in caplog.text and "5, 6" in caplog.text
    assert "(3 so far in this sync)" in caplog.text


def test_a_whole_id_set_answering_404_twice_is_split_before_it_counts_as_deleted():
    api = FakeBrightpearl(range(1, 11), missing_status=404)
    api.faults.extend([once("get", _404), once("get", _404)])
    records = read(orders_retriever(api))
    assert sorted(r["id"] for r in records) == list(range(1, 11))
    assert [entry[1] for entry in api.log if entry[0] == "get"] == ["1-10", "1-10", "1-5", "6-10"]


def test_objects_for_ids_not_asked_for_are_never_emitted(caplog):
    api = FakeBrightpearl(range(1, 11))

    def extra(response):
        body = orjson.loads(response.content)
        return with_body(response, {"response": body["response"] + [{"id": 999, "updatedOn": "2024-01-01T00:00:00Z"}]})

    def swapped(response):
        body = orjson.loads(response.content)
        body["response"][0] = {**body["response"][0], "id": 777}
        return with_body(response, body)

    api.faults.extend([once("get", extra), once("get", swapped)])
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        ids = sorted(r["id"] for r in read(orders_retriever(api, batch_size=5)))
    assert ids == list(range(1, 11))
    assert "ids not asked for (999)" in caplog.text and "ids not asked for (777)" in caplog.text


@pytest.mark.parametrize("body", [b"", b'{"response": [{"id": 1, "upd'])
def test_a_body_cut_short_or_empty_is_asked_for_again(no_waiting, caplog, body):
    api = FakeBrightpearl(range(1, 201))
    api.faults.append(once("get", lambda r: with_body(r, body)))
    api.faults.append(once("search", lambda r: with_body(r, body)))
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        records = read(orders_retriever(api))
    assert len(records) == 200
    assert no_waiting == [1.0, 1.0]
    assert "asking again in 1.0 s (retry 1 of 6)" in caplog.text


def test_a_body_that_stays_cut_short_stops_the_sync_after_the_failure_budget(no_waiting):
    api = FakeBrightpearl(range(1, 11))
    api.faults.extend(once("get", lambda r: with_body(r, b'{"resp')) for _ in range(20))
    with pytest.raises(AirbyteTracedException) as raised:
        read(orders_retriever(api))
    assert raised.value.failure_type == FailureType.transient_error
    assert "Stream 'orders'" in raised.value.message and "7 times" in raised.value.message
    assert no_waiting == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]


@pytest.mark.parametrize(
    "change",
    [
        lambda body: {**body, "response": {**body["response"], "results": None}},
        lambda body: {**body, "response": {**body["response"], "results": body["response"]["results"][:-1]}},
    ],
    ids=["results-null", "one-row-short"],
)
def test_a_page_contradicting_its_metadata_is_asked_for_again(change):
    api = FakeBrightpearl(range(1, 1201))
    api.faults.append(once("search", lambda r: with_body(r, change(orjson.loads(r.content))), skip=1))
    records = read(orders_retriever(api))
    assert sorted(r["id"] for r in records) == list(range(1, 1201))
    assert api.count("search") == 4


def test_a_page_that_stays_short_stops_the_sync_naming_the_stream():
    api = FakeBrightpearl(range(1, 1201))

    def short(kind, path, params, response):
        if kind != "search":
            return response
        body = orjson.loads(response.content)
        body["response"]["results"] = body["response"]["results"][:-1]
        return with_body(response, body)

    api.faults.extend([short] * 10)
    with pytest.raises(AirbyteTracedException) as raised:
        read(orders_retriever(api))
    assert "Stream 'orders'" in raised.value.message and "resultsReturned" in raised.value.message


def test_a_search_ignoring_first_result_stops_with_a_clear_error():
    api = FakeBrightpearl(range(1, 1201))
    api._search_page1 = api._search

    def stuck(params):
        return api._search_page1({k: v for k, v in params.items() if k != "firstResult"})

    api._search = stuck
    retriever = orders_retriever(api)
    with pytest.raises(AirbyteTracedException) as raised:
        read(retriever)
    assert "ignores firstResult" in raised.value.message and "Stream 'orders'" in raised.value.message
    # Two pages prove it; pages fetched ahead meanwhile (components/retrievers/pipeline.py) are the only others.
    assert 2 <= api.count("search") <= 2 + retriever.prefetch_depth


def test_a_search_pretending_to_page_while_it_repeats_stops():
    api = FakeBrightpearl(range(1, 1201))
    page1 = api._search

    def repeating(params):
        first = int(params.get("firstResult", 1))
        response = page1({k: v for k, v in params.items() if k != "firstResult"})
        body = orjson.loads(response.content)
        body["response"]["metaData"].update(firstResult=first, lastResult=first + 499, morePagesAvailable=True)
        return with_body(response, body)

    api._search = repeating
    with pytest.raises(AirbyteTracedException) as raised:
        read(orders_retriever(api))
    assert "brought no new rows" in raised.value.message or "run past" in raised.value.message
    assert api.count("search") <= 4


def test_records_updated_out_of_the_window_while_paging_are_not_skipped():
    # Before every search page after the first, 3 of the rows already read leave (updated out of the window): every
    # later row shifts up by 3, which paging by `lastResult + 1` would turn into 3 skipped orders per page.
    api = FakeBrightpearl(range(1, 2001))
    left: List[int] = []

    def leave(number):
        if number:
            for order_id in sorted(api.orders)[:3]:
                left.append(order_id)
                del api.orders[order_id]

    api.before_search = leave
    ids = {r["id"] for r in read(orders_retriever(api))}
    assert set(api.orders) <= ids


def test_the_window_end_is_never_after_the_search_and_caps_sync_cursor():
    api = FakeBrightpearl(range(1, 4))
    now = datetime.now(timezone.utc)
    end_time = now.replace(microsecond=0)  # the CDK's last window ends at the sync's start, in whole seconds
    api.orders[2]["updatedOn"] = (now + timedelta(seconds=30)).isoformat()  # changed after the search
    window = StreamSlice(
        partition={}, cursor_slice={"start_time": "2024-01-01T00:00:00Z", "end_time": end_time.strftime("%Y-%m-%dT%H:%M:%SZ")}
    )
    records = read(orders_retriever(api, window_filters=["updatedOn"]), window)
    searched_end = parse_datetime(api.log[0][1]["updatedOn"].split("/")[1])
    assert searched_end <= datetime.now(timezone.utc)  # not the padded next second
    assert max(parse_datetime(r["syncCursor"]) for r in records) == searched_end


def test_a_window_starting_after_now_is_not_searched():
    api = FakeBrightpearl(range(1, 4))
    future = (datetime.now(timezone.utc) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    window = StreamSlice(partition={}, cursor_slice={"start_time": future, "end_time": future})
    assert read(orders_retriever(api, window_filters=["updatedOn"]), window) == []
    assert api.log == []


def test_fetch_is_thread_safe():
    api = FakeBrightpearl(range(1, 2001))
    for i in range(1, 2001, 97):
        del api.orders[i]
    retriever = orders_retriever(api)
    results: Dict[int, List[int]] = {}

    def work(start):
        results[start] = sorted(r["id"] for r in retriever._fetch(list(range(start, start + 200))))

    threads = [threading.Thread(target=work, args=(start,)) for start in range(1, 2001, 200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(i for ids in results.values() for i in ids) == sorted(api.orders)
    assert retriever._vanished == 21


def test_a_search_sorted_by_another_column_asks_for_it_and_pages_by_it():
    # goods-in-search style: the id read (batchId) is not the sort column (purchaseOrderId).
    rows = sorted((order, order * 10 + note) for order in range(1, 300) for note in range(1, 4))

    class GoodsIn(FakeBrightpearl):
        def _search(self, params):
            columns = params["columns"].split(",")
            first = int(params.get("firstResult", 1))
            page = rows[first - 1 : first - 1 + int(params["pageSize"])]
            cells = {"purchaseOrderId": 0, "batchId": 1}
            meta = {
                "morePagesAvailable": first - 1 + len(page) < len(rows),
                "resultsAvailable": len(rows),
                "resultsReturned": len(page),
                "columns": [{"name": c} for c in columns],
                "sorting": [{"filterable": {"name": "purchaseOrderId"}, "direction": "ASC"}],
            }
            results = [[row[cells[c]] for c in columns] for row in page]
            return _response(SEARCH, 200, {"response": {"results": results, "metaData": meta}}, params)

    api = GoodsIn([batch for _, batch in rows])
    retriever = orders_retriever(api, id_column="batchId")  # no sort_column: the page says purchaseOrderId
    ids = sorted(r["id"] for r in read(retriever))
    assert ids == sorted(batch for _, batch in rows)
    searches = [params for kind, params in api.log if kind == "search"]
    assert searches[0]["columns"] == "batchId" and searches[1]["columns"] == "batchId,purchaseOrderId"


def test_a_search_sorted_descending_is_refused():
    api = FakeBrightpearl(range(1, 5))

    def descending(response):
        body = orjson.loads(response.content)
        body["response"]["metaData"]["sorting"][0]["direction"] = "DESC"
        return with_body(response, body)

    api.faults.append(once("search", descending))
    with pytest.raises(AirbyteTracedException) as raised:
        read(orders_retriever(api))
    assert "orderId DESC" in raised.value.message


def test_search_rows_read_twice_in_the_overlap_are_emitted_once():
    api = FakeBrightpearl(range(1, 1001))
    retriever = SearchRetriever(
        config={}, parameters={"resource_path": SEARCH, "id_column": "orderId"}, name="payments", search_requester=api
    )
    assert sorted(r["orderId"] for r in read(retriever)) == list(range(1, 1001))
    assert api.count("search") == 3
