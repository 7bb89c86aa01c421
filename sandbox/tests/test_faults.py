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


def test_hang_accepts_and_never_answers(start_fake):
    sb = start_fake(fault_hang=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        Api(sb).session.get(Api(sb).url("order-service/order/1"), timeout=(5, 0.5))
    assert sb.counters()["faults"] == {"hang": 1}
    sb.set_options(fault_hang=0.0)
    assert Api(sb).get("order-service/order/1").status_code == 200


def test_drip_sends_the_headers_then_the_body_byte_by_byte(start_fake):
    sb = start_fake()
    api = Api(sb)
    whole = api.get("order-service/order/1").content
    sb.set_options(fault_drip=1.0, drip_interval=0.02)
    response = api.session.get(api.url("order-service/order/1"), stream=True, timeout=10)
    assert response.status_code == 200 and int(response.headers["Content-Length"]) == len(whole)
    pieces = list(iter(lambda: response.raw.read1(1 << 16), b""))  # one read each: what has arrived so far
    assert b"".join(pieces) == whole
    assert len(pieces) > 1, "a dripped body arrives in several reads"
    assert sb.counters()["faults"]["drip"] == 1


def test_throttle_period_header_can_be_made_to_lie(start_fake):
    sb = start_fake(throttle_period_ms=86_400_000)
    sb.exhaust_quota(1)
    response = Api(sb).get("order-service/order/1")
    assert response.status_code == 503
    assert response.headers["brightpearl-next-throttle-period"] == "86400000"


@pytest.mark.parametrize(("kind", "status", "content_type"), [("500", 500, "application/json"), ("html", 200, "text/html")])
def test_token_endpoint_faults(start_fake, kind, status, content_type):
    sb = start_fake(token_fault=kind)
    form = {"grant_type": "refresh_token", "client_id": "sandbox_connector", "refresh_token": "anything"}
    response = requests.post(f"{sb.base_url}/sandbox/oauth/token", data=form, timeout=TIMEOUT)
    assert response.status_code == status and response.headers["Content-Type"].startswith(content_type)
    assert sb.counters()["faults"] == {f"token_{kind}": 1}
    assert "refresh_token" not in sb.counters()["token_grants"], "a failing token endpoint grants nothing"


def test_token_endpoint_hang(start_fake):
    sb = start_fake(token_fault="hang")
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(f"{sb.base_url}/sandbox/oauth/token", data={"grant_type": "refresh_token"}, timeout=(5, 0.5))


def test_hostile_options_are_validated(fake):
    for bad in (
        {"token_fault": "sometimes"},
        {"drip_interval": 0},
        {"throttle_period_ms": -1},
        {"fault_hang": 0.6, "fault_drip": 0.6},
    ):
        with pytest.raises(ValueError):
            fake.set_options(**bad)
