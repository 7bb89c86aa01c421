"""The component tests' fakes answer like Brightpearl, and their route through the CDK's HttpMocker still works.

The fakes hand HttpMocker a body that is a function of the request (requests_mock calls it); if an upgrade of the
CDK or requests_mock stops passing it through, the first test here says so before any component test misleads.
"""

import requests
from airbyte_cdk.test.mock_http import HttpMocker

from unit_tests import builders

COLUMNS = [("paymentId", "IDSET"), ("amountPaid", "STRING"), ("createdOn", "PERIOD")]


def _rows():
    return [
        {"paymentId": 1, "amountPaid": "1.00", "createdOn": "2024-01-01T10:00:00.000-06:00"},
        {"paymentId": 2, "amountPaid": "2.00", "createdOn": "2024-02-01T10:00:00.000-06:00"},
        {"paymentId": 3, "amountPaid": "3.00", "createdOn": None},
        {"paymentId": 4, "amountPaid": "4.00", "createdOn": "2024-03-01T10:00:00.000-06:00"},
    ]


def _get(url, **params):
    response = requests.get(url, params=params, timeout=5)
    return response.status_code, response.json()


def test_a_computed_answer_reaches_the_client_through_http_mocker():
    with HttpMocker() as mocker:
        table = builders.SearchTable("accounting-service/customer-payment-search", COLUMNS, _rows()).register(mocker)
        status, body = _get(table.url)
    assert status == 200
    assert [row[0] for row in body["response"]["results"]] == [1, 2, 3, 4]
    assert table.asked == [{}]


def test_search_table_pages_filters_sorts_and_restricts_columns_like_brightpearl():
    with HttpMocker() as mocker:
        table = builders.SearchTable("accounting-service/customer-payment-search", COLUMNS, _rows()).register(mocker)
        _, second_page = _get(table.url, pageSize=2, firstResult=3)
        _, windowed = _get(table.url, createdOn="2024-01-15T00:00:00Z/2024-03-01T16:00:00Z")
        _, by_id = _get(table.url, paymentId="2-3", columns="paymentId", sort="paymentId.DESC")
        _, empty = _get(table.url, paymentId="99")

    meta = second_page["response"]["metaData"]
    assert second_page["response"]["results"] == [[3, "3.00", None], [4, "4.00", "2024-03-01T10:00:00.000-06:00"]]
    assert (meta["firstResult"], meta["lastResult"], meta["resultsAvailable"], meta["morePagesAvailable"]) == (3, 4, 4, False)
    assert [row[0] for row in windowed["response"]["results"]] == [2, 4]  # inclusive bounds; a null cell never matches
    assert by_id["response"]["results"] == [[3], [2]]
    assert [column["name"] for column in by_id["response"]["metaData"]["columns"]] == ["paymentId"]
    assert "firstResult" not in empty["response"]["metaData"] and empty["response"]["results"] == []


def test_id_set_endpoint_answers_existing_ids_only_and_spends_each_fault_once():
    records = [builders.order_record(order_id) for order_id in (1, 2, 3, 5)]
    with HttpMocker() as mocker:
        endpoint = builders.IdSetEndpoint("order-service/order", records).register(mocker, [1, 2, 3, 4, 5], also=[[6, 7]])
        endpoint.left_out_once.add(2)
        endpoint.not_found_once.add("1-5")
        refused = _get(endpoint.url("1-5"))
        first = _get(endpoint.url("1-5"))
        second = _get(endpoint.url("2"))
        vanished = _get(endpoint.url("6-7"))

    assert refused[0] == 404
    assert first[0] == 200 and sorted(record["id"] for record in first[1]["response"]) == [1, 3, 5]  # 2 left out, 4 gone
    assert [record["id"] for record in first[1]["response"]] != [1, 3, 5]  # not in request order
    assert second == (200, {"response": [builders.order_record(2)]})
    assert vanished[0] == 404 and vanished[1]["errors"][0]["code"] == "CMNC-404"
    assert endpoint.asked == [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [2], [6, 7]]


def test_id_sets_parse_like_brightpearls():
    assert builders.parse_id_set("1-3,5,7-8") == [1, 2, 3, 5, 7, 8]
