"""Armed faults (one precise wrong answer for the next N matching requests) and request hooks."""

import pytest
import requests

from .conftest import TIMEOUT, Api
from .fake_world import GOODS_OUT_IDS, ORDER_IDS

SEARCH = "order-service/order-search"
ORDERS = "order-service/order/{ids}"


def _ids(response):
    return sorted(order["id"] for order in response.json()["response"])


def test_detail_404_once_then_normal(start_fake):
    sb = start_fake()
    api = Api(sb)
    sb.arm_fault("detail_404", endpoint=ORDERS)
    assert sb.armed_faults() == [{"kind": "detail_404", "count": 1, "endpoint": ORDERS, "skip": 0}]
    first = api.get("order-service/order/1-3")
    assert first.status_code == 404 and first.json()["errors"][0]["code"] == "CMNC-404"
    assert _ids(api.get("order-service/order/1-3")) == [1, 2, 3]
    assert sb.counters()["faults"] == {"detail_404": 1}
    assert sb.armed_faults() == []


def test_searches_and_other_endpoints_do_not_trigger_detail_faults(start_fake):
    sb = start_fake()
    api = Api(sb)
    sb.arm_fault("detail_404")
    assert api.get(SEARCH).status_code == 200
    assert api.get("product-service/brand").status_code == 200  # a GET without an id set
    assert api.get("order-service/order/1").status_code == 404


def test_omit_extra_and_swap_ids(start_fake):
    sb = start_fake()
    api = Api(sb)
    sb.arm_fault("omit_id")
    assert len(_ids(api.get("order-service/order/1-5"))) == 4
    sb.arm_fault("extra_id")
    extra = _ids(api.get("order-service/order/1-5"))
    assert extra[:5] == [1, 2, 3, 4, 5] and len(extra) == 6 and extra[5] > 10**9
    sb.arm_fault("swap_id")
    swapped = _ids(api.get("order-service/order/1-5"))
    assert len(swapped) == 5 and len(set(swapped) - {1, 2, 3, 4, 5}) == 1


def test_map_envelopes_get_ids_omitted_and_added(start_fake):
    sb = start_fake()
    api = Api(sb)
    path = f"warehouse-service/order/*/goods-note/goods-out/{GOODS_OUT_IDS[0]}-{GOODS_OUT_IDS[2]}"
    sb.arm_fault("omit_id")
    assert len(api.get(path).json()["response"]) == 2
    sb.arm_fault("extra_id")
    keys = [int(k) for k in api.get(path).json()["response"]]
    assert len(keys) == 4 and max(keys) > 10**9


def test_truncated_and_empty_bodies(start_fake):
    sb = start_fake()
    api = Api(sb)
    sb.arm_fault("truncated_body", endpoint=SEARCH)
    cut = api.get(SEARCH)
    assert cut.status_code == 200 and cut.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        cut.json()
    sb.arm_fault("empty_body")
    empty = api.get("order-service/order/1")
    assert empty.status_code == 200 and empty.content == b"" and empty.headers["Content-Length"] == "0"
    assert api.get("order-service/order/1").json()["response"][0]["id"] == 1
    assert sb.counters()["faults"] == {"truncated_body": 1, "empty_body": 1}


def test_null_results_and_short_page_keep_their_metadata(start_fake):
    sb = start_fake()
    api = Api(sb)
    sb.arm_fault("null_results")
    page = api.get(SEARCH).json()["response"]
    assert page["results"] is None and page["metaData"]["resultsReturned"] == 500
    sb.arm_fault("short_page", skip=1)
    assert len(api.get(SEARCH).json()["response"]["results"]) == 500  # skipped
    short = api.get(SEARCH).json()["response"]
    assert len(short["results"]) == 499 and short["metaData"]["lastResult"] == 500


def test_ignore_first_result_serves_the_first_page(start_fake):
    sb = start_fake()
    api = Api(sb)
    sb.arm_fault("ignore_first_result", count=2)
    assert api.get(SEARCH).json()["response"]["metaData"]["firstResult"] == 1  # page 1 does not spend it
    stuck = api.get(SEARCH, params={"firstResult": 501}).json()["response"]
    assert stuck["metaData"]["firstResult"] == 1 and stuck["metaData"]["morePagesAvailable"] is True
    assert stuck["results"][0][0] == ORDER_IDS[0]
    assert sb.armed_faults()[0]["count"] == 1


def test_faults_only_touch_successful_answers(start_fake):
    sb = start_fake()
    api = Api(sb)
    sb.arm_fault("truncated_body")
    assert api.get("order-service/order/x").status_code == 400  # a 400 is left alone
    assert sb.armed_faults()[0]["count"] == 1


def test_arming_is_validated_and_can_be_undone(fake):
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake.arm_fault("hang")
    with pytest.raises(ValueError):
        fake.arm_fault("omit_id", count=0)
    fake.arm_fault("omit_id", count=3)
    fake.disarm_faults()
    assert fake.armed_faults() == []


def test_admin_api_arms_faults(fake):
    admin = f"{fake.base_url}/__sandbox"
    armed = requests.post(f"{admin}/arm-fault", json={"kind": "detail_404", "endpoint": ORDERS}, timeout=TIMEOUT)
    assert armed.status_code == 200 and armed.json()["armed"][0]["kind"] == "detail_404"
    assert requests.get(f"{admin}/armed-faults", timeout=TIMEOUT).json()["armed"][0]["endpoint"] == ORDERS
    assert requests.post(f"{admin}/arm-fault", json={"kind": "nope"}, timeout=TIMEOUT).status_code == 400
    assert Api(fake).get("order-service/order/1").status_code == 404
    requests.post(f"{admin}/arm-fault", json={"kind": "omit_id"}, timeout=TIMEOUT)
    assert requests.post(f"{admin}/disarm-faults", timeout=TIMEOUT).json() == {"ok": True}
    assert fake.armed_faults() == []


def test_hooks_run_after_each_answer_and_their_changes_show_on_the_next_request(start_fake):
    sb = start_fake()
    api = Api(sb)
    seen = []

    def hook(endpoint, request, response):
        seen.append((endpoint, response.status))
        if endpoint == f"GET {SEARCH}" and len(seen) == 1:
            sb.world.delete("order", ORDER_IDS[0])

    sb.add_hook(hook)
    first = api.get(SEARCH).json()["response"]
    assert first["results"][0][0] == ORDER_IDS[0]  # the answer was complete before the hook ran
    second = api.get(SEARCH).json()["response"]
    assert second["results"][0][0] == ORDER_IDS[1]
    assert seen == [(f"GET {SEARCH}", 200), (f"GET {SEARCH}", 200)]
    sb.remove_hook(hook)
    api.get(SEARCH)
    assert len(seen) == 2


def test_a_failing_hook_does_not_break_the_api(start_fake, capsys):
    sb = start_fake()

    def broken(endpoint, request, response):
        raise RuntimeError("test bug")

    sb.add_hook(broken)
    assert Api(sb).get("order-service/order/1").status_code == 200
    assert "a hook failed" in capsys.readouterr().err
