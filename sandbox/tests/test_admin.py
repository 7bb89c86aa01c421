"""The admin API (`/__sandbox/`) and the counters."""

import requests

from .conftest import TIMEOUT, Api
from .test_oauth import code_form, post_token


def admin(sb, method, action, **kwargs):
    return requests.request(method, f"{sb.base_url}/__sandbox/{action}", timeout=TIMEOUT, **kwargs)


def test_counters_track_what_was_asked(api, fake):
    api.get("order-service/order/1-5")
    api.get("order-service/order/7,9")
    api.get("order-service/order-search", {"pageSize": 10})
    api.options("order-service/order/1-100")
    Api(fake, "bogus").get("order-service/order/1")
    counters = admin(fake, "GET", "counters").json()
    assert counters == fake.counters()
    assert counters["api_requests"] == 5
    assert counters["requests_by_endpoint"] == {
        "GET order-service/order/{ids}": 3,
        "GET order-service/order-search": 1,
        "OPTIONS order-service/order/{ids}": 1,
    }
    assert counters["ids_per_get"] == {"GET order-service/order/{ids}": [5, 2]}
    assert counters["responses_by_status"] == {"200": 4, "401": 1}
    assert counters["unauthorized"] == 1 and counters["throttled"] == 0
    assert counters["bytes_served"] > 1000
    admin(fake, "POST", "reset-counters")
    assert fake.counters()["api_requests"] == 0


def test_admin_calls_are_not_counted_or_throttled(fake):
    response = admin(fake, "GET", "counters")
    assert "brightpearl-requests-remaining" not in response.headers
    assert fake.counters()["api_requests"] == 0


def test_revoke_tokens(api, fake):
    assert api.get("order-service/order/1").status_code == 200
    assert admin(fake, "POST", "revoke-tokens").json() == {"ok": True}
    assert api.get("order-service/order/1").status_code == 401


def test_options_endpoint(api, fake):
    assert admin(fake, "GET", "options").json()["throttle_cap"] == 200
    changed = admin(fake, "POST", "options", json={"throttle_cap": 7, "throttle_window": 2}).json()
    assert (changed["throttle_cap"], changed["throttle_window"]) == (7, 2)
    assert api.get("order-service/order/1").headers["brightpearl-requests-remaining"] == "6"
    response = admin(fake, "POST", "options", json={"port": 1})
    assert response.status_code == 400 and "not changeable" in response.json()["error"]
    assert admin(fake, "POST", "options", data=b"not json").status_code == 400


def test_mutate(api, fake):
    assert admin(
        fake, "POST", "mutate", json={"op": "update", "resource": "order", "id": 5, "fields": {"reference": "#X"}}
    ).json() == {"ok": True}
    assert api.get("order-service/order/5").json()["response"][0]["reference"] == "#X"
    created = admin(fake, "POST", "mutate", json={"op": "create", "resource": "order", "fields": {}}).json()
    assert api.get(f"order-service/order/{created['id']}").json()["response"][0]["id"] == created["id"]
    admin(fake, "POST", "mutate", json={"op": "delete", "resource": "order", "id": 5})
    assert api.get("order-service/order/5").json() == {"response": []}
    bad = admin(fake, "POST", "mutate", json={"op": "explode", "resource": "order"})
    assert bad.status_code == 400


def test_code_tokens_and_config(fake):
    code = admin(fake, "GET", "code", params={"redirect_uri": f"{fake.base_url}/callback"}).json()["code"]
    assert post_token(fake, code_form(fake, code)).status_code == 200
    tokens = admin(fake, "POST", "tokens").json()
    assert Api(fake, tokens["access_token"]).get("order-service/order/1").status_code == 200
    config = admin(fake, "GET", "config").json()
    assert config["authorization_code"] and "access_token" not in config
    config = admin(fake, "GET", "config", params={"with_tokens": "true"}).json()
    assert "authorization_code" not in config and config["access_token"] and config["token_expiry_date"]


def test_unknown_admin_endpoint(fake):
    assert admin(fake, "GET", "nothing").status_code == 404
    assert admin(fake, "GET", "revoke-tokens").status_code == 405


def test_python_api(fake):
    config = fake.config()
    assert config["authorization_code"] != fake.config()["authorization_code"]  # a new code on each call
    assert set(config) >= {
        "data_center",
        "account",
        "state_length",
        "scope",
        "client_id",
        "client_secret",
        "response_token_key",
        "grant_type",
        "response_type_key",
        "oauth_callback_url",
        "client_type",
        "authorization_code",
        "developer_ref",
        "base_url",
        "start_date",
    }
    assert config["base_url"] == fake.base_url == f"http://127.0.0.1:{fake.port}"
    with_tokens = fake.config_with_tokens()
    assert Api(fake, with_tokens["access_token"]).get("order-service/order/1").status_code == 200
    assert fake.mutate("update", "order", 1, reference="#Y") == {"ok": True}
    assert fake.world.orders[1]["reference"] == "#Y"


def test_expire_tokens_keeps_refresh_tokens(api, fake):
    from .test_oauth import refresh_form

    tokens = fake.issue_tokens()
    assert Api(fake, tokens["access_token"]).get("order-service/order/1").status_code == 200
    assert admin(fake, "POST", "expire-tokens").json() == {"ok": True}
    expired = Api(fake, tokens["access_token"]).get("order-service/order/1")
    assert (expired.status_code, expired.json()) == (401, {"response": "Authorization token expired"})
    assert api.get("order-service/order/1").status_code == 401  # every token issued before, not just one
    refreshed = post_token(fake, refresh_form(fake, tokens["refresh_token"]))
    assert refreshed.status_code == 200
    assert Api(fake, refreshed.json()["access_token"]).get("order-service/order/1").status_code == 200
