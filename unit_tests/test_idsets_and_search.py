import json

import pytest
import requests

from source_brightpearl.api.idsets import batches, compress
from source_brightpearl.api.responses import MalformedResponse
from source_brightpearl.api.search import MalformedSearchResponse, parse_search_page


@pytest.mark.parametrize(
    "ids,expected",
    [
        ([], ""),
        ([7], "7"),
        ([1, 2, 3], "1-3"),
        ([3, 1, 2, 2], "1-3"),
        ([1, 2, 3, 5, 7, 8], "1-3,5,7-8"),
        ([10, 12, 14], "10,12,14"),
        (list(range(1, 201)), "1-200"),
    ],
)
def test_compress(ids, expected):
    assert compress(ids) == expected


def test_batches_never_exceed_the_limit():
    chunks = list(batches(list(range(1, 451)), 200))
    assert [len(c) for c in chunks] == [200, 200, 50]
    assert [compress(c) for c in chunks] == ["1-200", "201-400", "401-450"]


def _response(body, status=200, content_type="application/json;charset=UTF-8"):
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.headers["Content-Type"] = content_type
    return response


def _page(rows, columns=("orderId", "updatedOn"), **meta):
    return {"response": {"results": rows, "metaData": {"columns": [{"name": c} for c in columns], **meta}}, "reference": {}}


def test_rows_are_zipped_with_the_declared_columns():
    page = parse_search_page(_response(_page([[1, None], [2, "2024-01-01T00:00:00.000Z"]], columns=("orderId", "updatedOn"))))
    assert list(page.records()) == [{"orderId": 1, "updatedOn": None}, {"orderId": 2, "updatedOn": "2024-01-01T00:00:00.000Z"}]
    assert page.column_values("orderId") == [1, 2]


@pytest.mark.parametrize(
    "body,problem",
    [
        (b"<html>502 Bad Gateway</html>", "not complete JSON"),
        ({"response": {"results": []}}, "metaData.columns"),
        ({"errors": [{"code": "X"}]}, "metaData.columns"),
        (_page("oops"), "not a list"),
    ],
)
def test_malformed_pages_are_rejected(body, problem):
    with pytest.raises(MalformedResponse, match=problem):
        parse_search_page(_response(body))


def test_rows_not_matching_columns_are_rejected():
    with pytest.raises(MalformedSearchResponse, match="1 cells but metaData declares 2 columns"):
        parse_search_page(_response(_page([[1]])))


def test_paging_follows_more_pages_available():
    page = parse_search_page(_response(_page([[1, None]] * 500, morePagesAvailable=True, firstResult=1, lastResult=500)))
    assert page.more_pages(500)
    last = parse_search_page(
        _response(_page([[1, None]] * 3, morePagesAvailable=False, firstResult=501, lastResult=503)), first_result=501
    )
    assert not last.more_pages(500)


def test_paging_without_more_pages_key_uses_counts():
    page = parse_search_page(_response(_page([[1, None]] * 2, firstResult=1, lastResult=2, resultsAvailable=5)), page_size=2)
    assert page.more_pages(2)


def test_empty_page_ends_the_search():
    page = parse_search_page(_response(_page([], morePagesAvailable=False, resultsAvailable=0)))
    assert not page.more_pages(500)


def test_untrusted_counts_page_until_a_short_page():
    full = parse_search_page(
        _response(_page([[1, None]] * 500, morePagesAvailable=False, resultsAvailable=500, firstResult=1, lastResult=500)),
        trust_more_pages=False,
    )
    assert full.more_pages(500, trust_more_pages=False)
    short = parse_search_page(
        _response(_page([[1, None]] * 20, morePagesAvailable=True, resultsAvailable=500, firstResult=501, lastResult=520)),
        first_result=501,
        trust_more_pages=False,
    )
    assert not short.more_pages(500, trust_more_pages=False)


@pytest.mark.parametrize(
    "body,first_result,problem",
    [
        (_page(None, resultsAvailable=1200, resultsReturned=500, morePagesAvailable=True), 1, "results is null"),
        (_page([[i, None] for i in range(499)], firstResult=1, lastResult=500, morePagesAvailable=True), 1, "rows 1 to 500"),
        (_page([[i, None] for i in range(499)], resultsReturned=500), 1, "resultsReturned is 500"),
        (_page([[i, None] for i in range(499)], morePagesAvailable=True), 1, "short page"),
    ],
)
def test_pages_contradicting_their_metadata_are_transient(body, first_result, problem):
    with pytest.raises(MalformedSearchResponse, match=problem) as raised:
        parse_search_page(_response(body), first_result=first_result)
    assert raised.value.transient


def test_an_answer_for_another_first_result_is_not_transient():
    body = _page([[i, None] for i in range(500)], firstResult=1, lastResult=500, morePagesAvailable=True)
    with pytest.raises(MalformedSearchResponse, match="ignores firstResult") as raised:
        parse_search_page(_response(body), first_result=501)
    assert not raised.value.transient


def test_null_results_with_no_rows_announced_is_an_empty_page():
    page = parse_search_page(_response(_page(None, resultsAvailable=0, resultsReturned=0, morePagesAvailable=False)))
    assert page.rows == [] and not page.more_pages(500)


@pytest.mark.parametrize("body", [b"", b"  ", b'{"response": {"results": [[1, nu'])
def test_empty_or_cut_short_bodies_are_transient(body):
    with pytest.raises(MalformedResponse) as raised:
        parse_search_page(_response(body))
    assert raised.value.transient


def test_declared_sort():
    body = _page([], sorting=[{"filterable": {"name": "orderId"}, "direction": "ASC"}])
    assert parse_search_page(_response(body)).declared_sort() == ("orderId", "ASC")
    assert parse_search_page(_response(_page([]))).declared_sort() is None
