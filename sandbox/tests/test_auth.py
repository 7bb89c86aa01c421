"""Bearer checks and their 401 bodies (docs/brightpearl-api.md §P4)."""

import time

import requests

from .conftest import TIMEOUT, Api

NOT_AUTHENTICATED = {"response": "Not authenticated. You must provide a valid authentication token."}


def assert_401(response, body):
    assert response.status_code == 401
    assert response.json() == body
    assert response.headers["Message-Type"] == "api-proxy"
    assert "WWW-Authenticate" not in response.headers
    assert "brightpearl-requests-remaining" in response.headers


def test_missing_token(fake):
    response = requests.get(
        Api(fake).url("order-service/order/1"), timeout=TIMEOUT, headers={"brightpearl-app-ref": "sandbox_connector"}
    )
    assert_401(response, NOT_AUTHENTICATED)


def test_missing_or_unknown_app_ref(fake):
    api = Api(fake)
    del api.session.headers["brightpearl-app-ref"]
    assert_401(api.get("order-service/order/1"), NOT_AUTHENTICATED)
    api.session.headers["brightpearl-app-ref"] = "someone_else"
    assert_401(api.get("order-service/order/1"), NOT_AUTHENTICATED)


def test_expired_token(start_fake):
    sb = start_fake(token_lifetime=1)
    api = Api(sb)
    assert api.get("order-service/order/1").status_code == 200
    time.sleep(1.05)
    assert_401(api.get("order-service/order/1"), {"response": "Authorization token expired"})


def test_revoked_and_unknown_tokens_are_named_by_prefix_only(fake):
    token = fake.issue_tokens()["access_token"]
    api = Api(fake, token)
    assert api.get("order-service/order/1").status_code == 200
    fake.revoke_tokens()
    response = api.get("order-service/order/1")
    assert response.status_code == 401
    message = response.json()["response"]
    assert message.startswith("Invalid instance token: ")
    assert token[:8] in message and token not in message
    assert_401(Api(fake, "INVALID_STUFF").get("order-service/order/1"), {"response": "Invalid instance token: INVALI…"})


def test_token_for_another_account_path(fake):
    api = Api(fake)
    response = api.session.get(f"{fake.base_url}/public-api/otheraccount/order-service/order/1", timeout=TIMEOUT)
    assert response.status_code == 401
    assert response.json()["response"].startswith("Invalid instance token: ")


def test_401s_consume_quota(fake):
    api = Api(fake, "INVALID_STUFF")
    remaining = [int(api.get("order-service/order/1").headers["brightpearl-requests-remaining"]) for _ in range(4)]
    assert remaining == [199, 198, 197, 196]
    assert fake.counters()["unauthorized"] == 4
