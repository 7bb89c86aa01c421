"""GET and OPTIONS by ID set (docs/brightpearl-api.md §P8) over the fake collections."""

import pytest

from sandbox.idsets import compress, parse_id_set

from .fake_world import CONTACT_IDS, ORDER_IDS


def record_ids(response, key="id"):
    assert response.status_code == 200, response.text
    return [record[key] for record in response.json()["response"]]


@pytest.mark.parametrize(
    ("id_set", "expected"),
    [
        ("7", [7]),
        ("1-5", [1, 2, 3, 4, 5]),
        ("3,1,2", [1, 2, 3]),
        ("9.1.5", [1, 5, 9]),
        ("1-3,7.11-12,5", [1, 2, 3, 5, 7, 11, 12]),
        ("8-12", [8, 9, 11, 12]),
    ],  # 10 does not exist: skipped
)
def test_id_set_forms_and_missing_ids_skipped(api, id_set, expected):
    assert sorted(record_ids(api.get(f"order-service/order/{id_set}"))) == expected


def test_results_are_not_in_request_order(api):
    ids = record_ids(api.get("order-service/order/1-9"))
    assert sorted(ids) == list(range(1, 10)) and ids != sorted(ids)
    assert record_ids(api.get("order-service/order/1-9")) == ids  # deterministic


def test_more_than_max_ids_is_400(api, fake):
    response = api.get("order-service/order/1-201")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"code": "CMNC-400", "message": "Too many IDs in ID set: 201 requested, at most 200 allowed per request"}]
    }
    assert api.get("order-service/order/1-200").status_code == 200
    assert fake.counters()["ids_per_get"]["GET order-service/order/{ids}"] == [201, 200]


@pytest.mark.parametrize("id_set", ["5-1", "abc", "1,,2", "1-", "*"])
def test_malformed_id_set_is_400(api, id_set):
    response = api.get(f"order-service/order/{id_set}")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "CMNC-400" and error["message"].startswith("Invalid ID set")


def test_nothing_found_per_resource(api):
    assert (api.get("order-service/order/10").status_code, api.get("order-service/order/10").json()) == (200, {"response": []})
    response = api.get("contact-service/contact/99999")
    assert (response.status_code, response.json()) == (404, {"errors": [{"code": "CMNC-404", "message": "No Contact Found"}]})
    response = api.get("product-service/product-price/1")
    assert (response.status_code, response.json()) == (
        404,
        {"errors": [{"code": "CMNC-404", "message": "No Product Prices Found"}]},
    )


def test_id_set_required_where_not_allow_all(api):
    for path in ("order-service/order", "order-service/order/"):
        response = api.get(path)
        assert response.status_code == 400 and response.json()["errors"][0]["code"] == "CMNC-400"


def test_include_optional_custom_fields(api):
    plain = api.get("order-service/order/1").json()["response"][0]
    assert "customFields" not in plain
    full = api.get("order-service/order/1", {"includeOptional": "customFields,nullCustomFields"}).json()
    assert full["response"][0]["customFields"] == {"PCF_NOTE": "n1"}


def get_uris(response):
    assert response.status_code == 200, response.text
    assert response.headers["Message-Type"].startswith("options-")
    return response.json()["response"]["getUris"]


def test_options_all_ids_compressed_in_chunks_of_200(api):
    uris = get_uris(api.options("order-service/order"))
    assert len(uris) == -(-len(ORDER_IDS) // 200)
    seen = []
    for uri in uris:
        prefix, _, id_text = uri.rpartition("/")
        assert prefix == "/order"
        ids = parse_id_set(id_text).ids()
        assert len(ids) <= 200
        assert id_text == compress(ids)  # every run of consecutive ids written as a range
        seen += ids
    assert seen == ORDER_IDS
    assert uris[0].startswith("/order/1-9,11-19,21-29,")


def test_options_with_id_set_drops_missing_ids(api):
    # as recorded: OPTIONS order/1-100,320,321 → only existing ids, compressed
    assert get_uris(api.options("order-service/order/1-100,320,321")) == [
        "/order/" + ",".join(f"{d}1-{d}9" if d else "1-9" for d in range(10)) + ",321"
    ]
    assert get_uris(api.options("contact-service/contact/1-250")) == ["/contact/1-200", "/contact/201-250"]
    assert get_uris(api.options("order-service/order/10")) == []


def test_options_only_where_documented(api):
    assert api.options("product-service/brand").status_code == 405


def test_contact_envelope(api):
    body = api.get("contact-service/contact/5,3,4").json()
    assert [c["contactId"] for c in body["response"]] == [3, 4, 5]
    assert body["pagination"] == {"morePagesAvailable": False, "resultsReturned": 3, "firstResult": 1, "lastResult": 3}
    assert body["sorting"] == [{"field": "contactId", "direction": "ASC"}]


def test_contact_get_without_ids_or_over_200_pages(api):
    body = api.get("contact-service/contact").json()
    assert [c["contactId"] for c in body["response"]] == CONTACT_IDS[:200]
    assert body["pagination"] == {"morePagesAvailable": True, "resultsReturned": 200, "firstResult": 1, "lastResult": 200}
    body = api.get("contact-service/contact/1-1000", {"firstResult": 401}).json()
    assert [c["contactId"] for c in body["response"]] == CONTACT_IDS[400:]
    assert body["pagination"]["morePagesAvailable"] is False
    body = api.get("contact-service/contact/", {"sort": "contactId.DESC", "pageSize": 2}).json()
    assert [c["contactId"] for c in body["response"]] == [450, 449]
    assert body["sorting"] == [{"field": "contactId", "direction": "DESC"}]


def test_map_envelope_and_goods_note_order_filter(api):
    body = api.get("warehouse-service/order/1-3/goods-note/goods-out").json()
    assert body == {
        "response": {
            "1001": {"orderId": 1, "warehouseId": 2},
            "1002": {"orderId": 2, "warehouseId": 2},
            "1003": {"orderId": 3, "warehouseId": 2},
        }
    }
    assert set(api.get("warehouse-service/order/*/goods-note/goods-out/1005,1001").json()["response"]) == {"1001", "1005"}
    assert set(api.get("warehouse-service/order/1-2/goods-note/goods-out/1001-1005").json()["response"]) == {"1001", "1002"}
    assert api.get("warehouse-service/order/900/goods-note/goods-out").json() == {"response": []}


def test_goods_note_star_without_note_ids_is_refused(api):
    response = api.get("warehouse-service/order/*/goods-note/goods-out")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "CMNC-400"


def test_journals_envelope(api):
    body = api.get("accounting-service/journal/1-3").json()
    assert list(body["response"]) == ["journals"]
    assert sorted(j["id"] for j in body["response"]["journals"]) == [1, 2, 3]
    assert api.get("accounting-service/journal/4").status_code == 404


def test_allow_all_collections(api):
    assert [b["id"] for b in api.get("product-service/brand").json()["response"]] == [1, 2, 3]
    assert [b["id"] for b in api.get("product-service/brand/").json()["response"]] == [1, 2, 3]
    assert [b["id"] for b in api.get("product-service/brand/2").json()["response"]] == [2]


def test_static_list_and_account_configuration(api):
    assert api.get("accounting-service/exchange-rate").json() == {"response": [{"currencyId": 1, "rate": "1.0"}]}
    configuration = api.get("integration-service/account-configuration").json()["response"]["configuration"]
    assert configuration["timeZone"] == "America/Chicago"
