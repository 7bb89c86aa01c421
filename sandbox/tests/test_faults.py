"""Fault injection and latency."""

import time

import pytest
import requests

from .conftest import TIMEOUT, Api


def test_500_fault(start_fake):
    sb = start_fake(fault_500=1.0)
    response = Api(sb).get("order-service/order/1")
    assert response.status_code == 500
    assert response.json() == {"errors": [{"code": "CMNU-003", "message": "Internal Server Error"}]}
    assert "brightpearl-requests-remaining" in response.headers
    assert sb.counters()["faults"] == {"500": 1}


def test_html_502_from_the_edge(start_fake):
    sb = start_fake(fault_html_502=1.0)
    api = Api(sb)
    response = api.get("order-service/order/1")
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert "cloudflare" in response.text and "Traceback" not in response.text
    assert "brightpearl-requests-remaining" not in response.headers
    sb.set_options(fault_html_502=0.0)
    # the 502 never reached Brightpearl: no quota spent
    assert api.get("order-service/order/1").headers["brightpearl-requests-remaining"] == "199"


def test_dropped_connection(start_fake):
    sb = start_fake(fault_drop=1.0)
    with pytest.raises(requests.ConnectionError):
        Api(sb).get("order-service/order/1")
    assert sb.counters()["faults"] == {"drop": 1}
    # only the API is subject to faults, not the OAuth endpoints
    form = {
        "account_code": "sandbox",
        "grant_type": "refresh_token",
        "client_id": "sandbox_connector",
        "refresh_token": sb.issue_tokens()["refresh_token"],
    }
    assert requests.post(f"{sb.base_url}/oauth/token", data=form, timeout=TIMEOUT).status_code == 200


def test_latency(start_fake):
    sb = start_fake()
    api = Api(sb)
    api.get("order-service/order/1")
    sb.set_options(latency_ms=150)
    started = time.monotonic()
    assert api.get("order-service/order/1").status_code == 200
    assert time.monotonic() - started >= 0.15


def test_options_are_validated(fake):
    with pytest.raises(ValueError):
        fake.set_options(fault_500=0.7, fault_drop=0.7)
    with pytest.raises(ValueError):
        fake.set_options(seed=3)
