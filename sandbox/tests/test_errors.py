"""Unknown paths, wrong methods, internal errors: always an errors envelope, never a traceback; keep-alive."""

import http.client

import requests

from .conftest import TIMEOUT


def test_unknown_api_path(api):
    response = api.get("order-service/nothing/here")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"code": "CMNC-404", "message": "Cannot find the resource /app/order-service/nothing/here"}]
    }


def test_unknown_top_level_path(fake):
    response = requests.get(f"{fake.base_url}/somebrokenuri", timeout=TIMEOUT)
    assert response.status_code == 404
    assert response.json() == {"errors": [{"code": "CMNC-404", "message": "Cannot find the resource /app/somebrokenuri"}]}


def test_wrong_method(api):
    for method, path in (
        ("POST", "order-service/order-search"),
        ("DELETE", "order-service/order/1"),
        ("PUT", "integration-service/account-configuration"),
    ):
        response = api.request(method, path, data=b'{"x": 1}')
        assert response.status_code == 405
        assert response.json()["errors"][0]["code"] == "CMNC-405"
    assert requests.get(f"{api.sandbox.base_url}/oauth/token", timeout=TIMEOUT).status_code == 405


def test_internal_exception_is_500_cmnu_003(api, capfd):
    response = api.get("product-service/product-search")  # the fake world has no such table
    assert response.status_code == 500
    assert response.json() == {"errors": [{"code": "CMNU-003", "message": "Internal Server Error"}]}
    assert "Traceback" not in response.text
    assert "Traceback" in capfd.readouterr().err  # logged to stderr instead


def test_malformed_http_gets_an_envelope(fake):
    connection = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=TIMEOUT)
    connection.putrequest("BREW", "/public-api/sandbox/order-service/order/1")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 501
    assert b'"errors"' in response.read()


def test_keep_alive_serves_many_requests_on_one_connection(api, fake):
    token = api.session.headers["Authorization"]
    connection = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=TIMEOUT)
    for path in ("order-service/order/1", "contact-service/contact/99999", "order-service/order/5-1"):
        connection.request(
            "GET", f"/public-api/sandbox/{path}", headers={"Authorization": token, "brightpearl-app-ref": "sandbox_connector"}
        )
        response = connection.getresponse()
        assert int(response.headers["Content-Length"]) == len(response.read())
    connection.request(
        "POST", "/oauth/token", body="grant_type=nope", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert connection.getresponse().status == 400
    connection.close()
