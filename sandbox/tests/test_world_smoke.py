"""Every route of the table against the real world (small scale): the protocol half and the data half agree."""

import time
from datetime import datetime

import pytest

from sandbox import SandboxOptions
from sandbox.idsets import compress, parse_id_set
from sandbox.routes import ROUTES
from sandbox.search import SearchEngine

from .conftest import Api


@pytest.fixture(scope="module")
def real(request):
    from sandbox import Sandbox

    sandbox = Sandbox(SandboxOptions(seed=1, scale="small", throttle_cap=100_000))
    request.addfinalizer(sandbox.stop)
    return sandbox


@pytest.fixture(scope="module")
def real_api(real):
    return Api(real)


def assert_no_nulls(value, where):
    if isinstance(value, dict):
        for key, item in value.items():
            assert item is not None, f"{where}: null value for key {key!r}"
            assert_no_nulls(item, where)
    elif isinstance(value, list):
        for item in value:
            assert_no_nulls(item, where)


def collection_path(route, ids):
    path = route.template.replace("[/{ids}]", "/{ids}").replace("{orderIds}", "*")
    return path.replace("{ids}", compress(ids))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.template)
def test_route(real, real_api, route):
    world = real.world
    if route.kind == "search":
        response = real_api.get(route.template, {"pageSize": 5})
        assert response.status_code == 200, response.text
        body = response.json()
        meta = body["response"]["metaData"]
        assert meta["resultsReturned"] == len(body["response"]["results"]) <= 5
        assert all(len(row) == len(meta["columns"]) for row in body["response"]["results"])
        assert isinstance(body["reference"], dict)
        return
    if route.kind == "static":
        response = real_api.get(route.template)
        assert response.status_code == 200 and isinstance(response.json()["response"], list)
        return
    if route.kind == "account-configuration":
        response = real_api.get(route.template)
        assert response.status_code == 200 and isinstance(response.json()["response"], dict)
        return

    collection = world.collection(route.world_name)
    existing = collection.ids()
    assert existing, f"{route.world_name} has no records"
    wanted = existing[:3]
    response = real_api.get(collection_path(route, wanted) if "{ids}" in route.template else route.template)
    assert response.status_code == 200, response.text
    body = response.json()
    assert_no_nulls(body["response"], route.template)
    if collection.envelope == "map":
        assert {int(k) for k in body["response"]} == set(wanted)
    elif collection.envelope == "journals":
        assert len(body["response"]["journals"]) == len(wanted)
    else:
        assert len(body["response"]) == (len(wanted) if "{ids}" in route.template else len(existing))
    if collection.envelope == "contact":
        assert body["pagination"]["resultsReturned"] == len(wanted)
    bare = route.template.replace("[/{ids}]", "").replace("/{ids}", "")
    if collection.allow_all and "{" not in bare and collection.envelope == "list":
        everything = real_api.get(bare)
        assert everything.status_code == 200
        assert len(everything.json()["response"]) == len(existing)
    if route.options:
        uris = real_api.options(bare).json()["response"]["getUris"]
        assert [i for uri in uris for i in parse_id_set(uri.rpartition("/")[2]).ids()] == existing


def test_order_get_of_200_is_fast(real, real_api):
    ids = real.world.collection("order").ids()[:200]
    path = f"order-service/order/{compress(ids)}"
    real_api.get(path)  # first read serializes the records
    started = time.perf_counter()
    for _ in range(5):
        response = real_api.get(path)
    per_request = (time.perf_counter() - started) / 5
    assert len(response.json()["response"]) == 200
    assert per_request < 0.05, f"{per_request * 1000:.1f} ms per 200-order GET"


def test_config_start_date_precedes_all_search_data(real):
    start = datetime.fromisoformat(real.config()["start_date"].replace("Z", "+00:00")).timestamp()
    search_tables = [route.world_name for route in ROUTES if route.kind == "search"]
    earliest = SearchEngine(real.world, real.options.tz_offset).earliest_instant(search_tables)
    assert earliest - 2 * 86_400 <= start < earliest


def test_plugin_fixtures(sandbox, sandbox_factory):
    assert sandbox.config()["base_url"] == sandbox.base_url
    other = sandbox_factory(scale="tiny", throttle_cap=3)
    assert other.port != sandbox.port and other.options.throttle_cap == 3
    response = Api(other).get("order-service/order-search")
    assert response.status_code == 200 and response.headers["brightpearl-requests-remaining"] == "2"
