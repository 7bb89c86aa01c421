"""Generic search (docs/brightpearl-api.md §P7) over the fake order-search table."""

from datetime import datetime, timedelta, timezone

import pytest

from .fake_world import NAMES, ORDER_IDS, created_on, updated_on

SEARCH = "order-service/order-search"
COLUMN_KEYS = ["name", "sortable", "filterable", "reportDataType", "referenceData", "isFreeTextSearchable", "required"]


def ids_of(response):
    assert response.status_code == 200, response.text
    return [row[0] for row in response.json()["response"]["results"]]


def updated_between(low, high):
    return [i for i in ORDER_IDS if updated_on(i) is not None and low <= updated_on(i) <= high]


def test_paging_with_one_based_first_result(api):
    seen, first = [], 1
    while True:
        body = api.get(SEARCH, {"pageSize": 400, "firstResult": first}).json()
        meta = body["response"]["metaData"]
        assert meta["firstResult"] == first
        assert meta["lastResult"] == first + meta["resultsReturned"] - 1
        assert meta["resultsAvailable"] == len(ORDER_IDS)
        seen += [row[0] for row in body["response"]["results"]]
        if not meta["morePagesAvailable"]:
            break
        first = meta["lastResult"] + 1
    assert seen == ORDER_IDS
    assert meta["resultsReturned"] == len(ORDER_IDS) - 800


def test_response_shape(api):
    body = api.get(SEARCH, {"pageSize": 2}).json()
    assert list(body) == ["response", "reference"]
    meta = body["response"]["metaData"]
    assert list(meta) == [
        "morePagesAvailable",
        "resultsAvailable",
        "resultsReturned",
        "firstResult",
        "lastResult",
        "columns",
        "sorting",
    ]
    assert all(list(column) == COLUMN_KEYS for column in meta["columns"])
    assert meta["sorting"] == [{"filterable": meta["columns"][0], "direction": "ASC"}]
    assert body["response"]["results"][0] == [
        1,
        1,
        101,
        2,
        "2024-01-01T01:00:00.000-06:00",
        "2024-01-01T01:30:00.000-06:00",
        "#0001",
        "Bob Jones",
        False,
        None,
    ]
    # reference narrowed to what the page's cells point at
    assert body["reference"] == {
        "orderTypeNames": {"1": "SALES_ORDER", "2": "PURCHASE_ORDER"},
        "orderStatusNames": {"2": "New", "3": "Invoiced"},
    }


def test_default_and_maximum_page_size(api):
    assert api.get(SEARCH).json()["response"]["metaData"]["resultsReturned"] == 500
    assert api.get(SEARCH, {"pageSize": 1000}).json()["response"]["metaData"]["resultsReturned"] == 500


@pytest.mark.parametrize(
    "params", [{"pageSize": "abc"}, {"firstResult": 0}, {"pageSize": 0}, {"sort": "nope.ASC"}, {"sort": "internalNote.ASC"}]
)
def test_bad_paging_or_sort_is_400(api, params):
    response = api.get(SEARCH, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "CMNC-400"


def test_empty_result_shape(api):
    body = api.get(SEARCH, {"orderId": "10"}).json()
    meta = body["response"]["metaData"]
    assert body["response"]["results"] == []
    assert (meta["resultsAvailable"], meta["resultsReturned"], meta["morePagesAvailable"]) == (0, 0, False)
    assert "firstResult" not in meta and "lastResult" not in meta
    past_the_end = api.get(SEARCH, {"firstResult": 5000}).json()["response"]["metaData"]
    assert past_the_end["resultsReturned"] == 0 and "firstResult" not in past_the_end


UTC = timezone.utc
LOW = datetime(2024, 1, 10, 7, 30, tzinfo=UTC)  # = 2024-01-10T01:30-06:00, the updatedOn of order 217
HIGH = datetime(2024, 1, 12, 0, 0, tzinfo=UTC)


def test_period_from_to_inclusive(api):
    ids = ids_of(api.get(SEARCH, {"updatedOn": "2024-01-10T07:30:00Z/2024-01-12T00:00:00.000Z"}))
    assert ids == updated_between(LOW, HIGH)
    assert ids[0] == 217 and updated_on(217) == LOW  # the lower bound is inclusive


def test_period_open_ends(api):
    assert (
        ids_of(api.get(SEARCH, {"updatedOn": "2024-01-10T07:30:00Z/", "pageSize": 500}))
        == updated_between(LOW, datetime.max.replace(tzinfo=UTC))[:500]
    )
    assert ids_of(api.get(SEARCH, {"updatedOn": "/2024-01-12T00:00:00Z"})) == updated_between(
        datetime.min.replace(tzinfo=UTC), HIGH
    )
    never_updated = [i for i in ORDER_IDS if updated_on(i) is None]
    assert not set(ids_of(api.get(SEARCH, {"updatedOn": "/2030-01-01T00:00:00Z"}))) & set(never_updated)


def test_period_raw_or_encoded_slash_and_offsets(api):
    expected = updated_between(LOW, HIGH)
    # %2B-encoded offset; the same instants as above
    encoded = "updatedOn=2024-01-10T13:30:00.000%2B06:00%2F2024-01-11T18:00:00-06:00"
    assert ids_of(api.session.get(api.url(SEARCH) + "?" + encoded, timeout=10)) == expected
    raw = "updatedOn=2024-01-10T13:30:00%2B0600/2024-01-11T18:00:00-06:00"
    assert ids_of(api.session.get(api.url(SEARCH) + "?" + raw, timeout=10)) == expected
    # no offset: the account's zone (-06:00)
    assert ids_of(api.get(SEARCH, {"updatedOn": "2024-01-10T01:30:00/2024-01-11T18:00:00"})) == expected


def test_unencoded_plus_fails_like_the_real_api(api):
    response = api.session.get(api.url(SEARCH) + "?updatedOn=2024-01-10T12:30:00+06:00/", timeout=10)
    assert response.status_code == 500
    message = "The filter updatedOn=2024-01-10T12:30:00 06:00/ cannot be parsed as: PERIOD"
    assert response.json() == {"errors": [{"code": "CMNC-018", "message": message}]}


@pytest.mark.parametrize(
    ("name", "value", "type_name"),
    [
        ("orderStatusId", "BAD PARAM", "INTEGER"),
        ("orderId", "5-1", "IDSET"),
        ("historicalOrder", "yes", "BOOLEAN"),
        ("createdOn", "2024-01-01", "PERIOD"),
        ("createdOn", "yesterday/", "PERIOD"),
    ],
)
def test_unparseable_filter_is_500_cmnc_018(api, name, value, type_name):
    response = api.get(SEARCH, {name: value})
    assert response.status_code == 500
    assert response.json() == {
        "errors": [{"code": "CMNC-018", "message": f"The filter {name}={value} cannot be parsed as: {type_name}"}]
    }


def test_idset_integer_boolean_string_search_string_filters(api):
    assert ids_of(api.get(SEARCH, {"orderId": "1-5,20,21.1299"})) == [1, 2, 3, 4, 5, 21, 1299]
    assert ids_of(api.get(SEARCH, {"contactId": "103"})) == [i for i in ORDER_IDS if 100 + i % 7 == 103]
    assert ids_of(api.get(SEARCH, {"historicalOrder": "TRUE"})) == [i for i in ORDER_IDS if i % 5 == 0]
    assert ids_of(api.get(SEARCH, {"customerRef": "#0001"})) == [1]
    assert ids_of(api.get(SEARCH, {"customerRef": "#000"})) == []  # STRING is exact
    smiths = [i for i in ORDER_IDS if NAMES[i % 4] == "Alice Smith"]
    assert ids_of(api.get(SEARCH, {"customerName": "SMITH"})) == smiths[:500]
    combined = ids_of(api.get(SEARCH, {"contactId": "103", "historicalOrder": "false", "orderId": "1-300"}))
    assert combined == [i for i in ORDER_IDS if 100 + i % 7 == 103 and i % 5 and i <= 300]


def test_unknown_and_unfilterable_filters_are_ignored(api):
    assert (
        ids_of(api.get(SEARCH, {"noSuchFilter": "x", "internalNote": "y", "countOnly": "true", "orderId": ""})) == ORDER_IDS[:500]
    )


def test_columns_subset_in_requested_order(api):
    body = api.get(SEARCH, {"columns": "customerRef,orderId,nope", "pageSize": 3}).json()
    assert [c["name"] for c in body["response"]["metaData"]["columns"]] == ["customerRef", "orderId"]
    assert body["response"]["results"] == [["#0001", 1], ["#0002", 2], ["#0003", 3]]
    assert body["reference"] == {}  # no served column references anything


@pytest.mark.parametrize("sort", ["orderId.DESC", "orderId|DESC"])
def test_sort_descending(api, sort):
    body = api.get(SEARCH, {"sort": sort, "pageSize": 3}).json()
    assert [row[0] for row in body["response"]["results"]] == ORDER_IDS[::-1][:3]
    assert body["response"]["metaData"]["sorting"][0]["direction"] == "DESC"


def test_sort_by_period_with_nulls_and_ties(api):
    ids = ids_of(api.get(SEARCH, {"sort": "updatedOn.DESC", "columns": "orderId,updatedOn", "firstResult": 1000}))
    # nulls last when descending, ties (all nulls) in id order
    assert ids[-1] == max(i for i in ORDER_IDS if updated_on(i) is None)
    multi = api.get(SEARCH, {"sort": "orderStatusId.ASC,orderId.DESC", "pageSize": 3}).json()["response"]
    assert [row[0] for row in multi["results"]] == [i for i in ORDER_IDS[::-1] if 1 + i % 4 == 1][:3]
    assert [s["direction"] for s in multi["metaData"]["sorting"]] == ["ASC", "DESC"]


def test_cached_results_follow_mutations(api, fake):
    window = {"updatedOn": "2030-01-01T00:00:00Z/"}
    assert ids_of(api.get(SEARCH, window)) == []
    fake.world.update("order", 42, reference="#changed")
    assert ids_of(api.get(SEARCH, window)) == []  # updatedOn moved to now, not 2030
    assert ids_of(api.get(SEARCH, {"customerRef": "#changed"})) == [42]


def test_misreported_results_available(api):
    meta = api.get("accounting-service/supplier-payment-search").json()["response"]["metaData"]
    assert (meta["resultsAvailable"], meta["resultsReturned"], meta["morePagesAvailable"]) == (500, 7, False)


def test_created_on_matches_fixture(api):
    # guards the fake data the tests above compute with
    assert created_on(1) == datetime(2024, 1, 1, 1, tzinfo=timezone(timedelta(hours=-6)))
