"""OPTIONS answers from the world's current data (deletion checks rely on it), and can be switched off per resource."""

from __future__ import annotations

import pytest

from sandbox import SandboxOptions
from sandbox.idsets import parse_id_set

from .conftest import Api

RESOURCES = [
    ("order-service/order", "order", "/order/", "id"),
    ("product-service/product", "product", "/product/", "id"),
    ("contact-service/contact", "contact", "/contact/", "contactId"),
]


def listed_ids(api: Api, path: str, prefix: str) -> list[int]:
    response = api.options(path)
    assert response.status_code == 200
    ids: list[int] = []
    for uri in response.json()["response"]["getUris"]:
        assert uri.startswith(prefix)
        chunk = parse_id_set(uri[len(prefix) :]).ids()
        assert len(chunk) <= 200
        ids += chunk
    return ids


@pytest.mark.parametrize("path,resource,prefix,key", RESOURCES, ids=[r[1] for r in RESOURCES])
def test_options_follow_deletions_and_creations(sandbox_factory, path, resource, prefix, key):
    sandbox = sandbox_factory(SandboxOptions(seed=2, scale="tiny"))
    api = Api(sandbox)
    world = sandbox.world
    truth = sorted(record[key] for record in world.truth(resource))
    assert listed_ids(api, path, prefix) == truth

    deleted = truth[len(truth) // 2]
    world.delete(resource, deleted)
    created = world.create(resource)
    expected = sorted((set(truth) - {deleted}) | {created})
    assert listed_ids(api, path, prefix) == expected
    assert deleted not in listed_ids(api, f"{path}/{truth[0]}-{created}", prefix)


def test_options_can_be_unsupported_per_resource(sandbox_factory):
    sandbox = sandbox_factory(SandboxOptions(seed=2, scale="tiny", options_unsupported=("order",)))
    api = Api(sandbox)
    refused = api.options("order-service/order")
    assert refused.status_code == 405 and refused.json()["errors"][0]["code"] == "CMNC-405"
    assert api.get(f"order-service/order/{next(iter(sandbox.world.truth('order')))['id']}").status_code == 200
    assert api.options("product-service/product").status_code == 200
    sandbox.set_options(options_unsupported=())
    assert api.options("order-service/order").status_code == 200


def test_options_cut_short_fault(sandbox_factory):
    sandbox = sandbox_factory(SandboxOptions(seed=2, scale="tiny"))
    api = Api(sandbox)
    complete = listed_ids(api, "order-service/order", "/order/")
    sandbox.set_options(options_cut_short=3)
    assert listed_ids(api, "order-service/order", "/order/") == complete[:3]
    sandbox.set_options(options_cut_short=0)
    assert listed_ids(api, "order-service/order", "/order/") == complete
