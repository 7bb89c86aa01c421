"""Smaller components: backoff, authenticator, custom-field typing."""

import logging
from types import SimpleNamespace

import pytest
import requests

from source_brightpearl.authenticator import BrightpearlOAuthAuthenticator
from source_brightpearl.backoff import BrightpearlBackoffStrategy
from source_brightpearl.custom_fields import custom_field_properties, type_custom_fields


def _response(status, headers=None):
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    return response


@pytest.fixture
def backoff():
    return BrightpearlBackoffStrategy(config={}, parameters={})


def test_throttle_wait_is_read_in_milliseconds(backoff):
    assert backoff.backoff_time(_response(503, {"brightpearl-next-throttle-period": "2500"}), 1) == 2.5
    assert backoff.backoff_time(_response(503, {"brightpearl-next-throttle-period": "10"}), 1) == 0.25


def test_429_honours_retry_after_and_a_bare_503_waits_a_window(backoff):
    assert backoff.backoff_time(_response(429, {"Retry-After": "7"}), 1) == 7.0
    assert backoff.backoff_time(_response(503), 1) == 60.0


def test_other_failures_back_off_exponentially_and_ignore_the_throttle_header(backoff):
    # A 401 carries the throttle header too; waiting on it would stall the token refresh.
    assert backoff.backoff_time(_response(401, {"brightpearl-next-throttle-period": "50000"}), 1) == 1.0
    assert backoff.backoff_time(_response(500), 3) == 4.0
    assert backoff.backoff_time(requests.ConnectionError(), 10) == 30.0


def test_authenticator_sends_the_bearer_token_and_refreshes_on_demand(monkeypatch):
    calls = []

    class FakeCredentials:
        def __init__(self, config):
            pass

        def access_token(self):
            return "AT"

        def force_refresh(self, rejected_token=None):
            calls.append(rejected_token)
            return "AT2"

    monkeypatch.setattr("source_brightpearl.authenticator.Credentials", FakeCredentials)
    authenticator = BrightpearlOAuthAuthenticator(config={"access_token": "AT"}, parameters={})
    assert authenticator.get_auth_header() == {"Authorization": "Bearer AT"}
    authenticator.refresh_and_set_access_token()
    assert calls == ["AT"]


def test_custom_field_types():
    properties = custom_field_properties([
        {"code": "A", "name": "Text", "customFieldType": "TEXT"},
        {"code": "B", "customFieldType": "YES_NO"},
        {"code": "C", "customFieldType": "SELECT", "options": {"1": {"id": 1, "value": "North"}}},
        {"code": "D", "customFieldType": "DATE"},
        {"code": "E", "customFieldType": "INTEGER"},
        {"code": "F", "customFieldType": "SOMETHING_NEW"},
    ])
    assert properties["A"]["type"] == ["null", "string"]
    assert properties["B"]["type"] == ["null", "boolean"]
    assert properties["C"]["properties"]["id"]["type"] == ["null", "integer"] and "North" in properties["C"]["description"]
    assert properties["D"]["type"] == ["null", "string"] and "format" not in properties["D"]
    assert properties["E"]["type"] == ["null", "integer"]
    assert "type" not in properties["F"]  # unknown kinds stay untyped rather than wrong


def test_same_code_with_two_types_is_left_untyped():
    properties = custom_field_properties([
        {"code": "X", "customFieldType": "TEXT"},
        {"code": "X", "customFieldType": "INTEGER"},
    ])
    assert "type" not in properties["X"]


def test_metadata_failure_keeps_the_stream_untyped(caplog):
    stream = SimpleNamespace(name="orders", json_schema={"properties": {"customFields": {"type": ["null", "object"]}}})

    def failing(path):
        raise LookupError("404")

    with caplog.at_level(logging.WARNING):
        type_custom_fields([stream], failing, logging.getLogger("test"))
    assert "properties" not in stream.json_schema["properties"]["customFields"]
    assert "could not read the custom-field metadata" in caplog.text


def test_exhausted_retries_name_the_stream_and_endpoint():
    from airbyte_cdk.models import FailureType
    from airbyte_cdk.utils.traced_exception import AirbyteTracedException

    from source_brightpearl.retrievers import ListRetriever

    class FailingRequester:
        def send_request(self, **kwargs):
            raise AirbyteTracedException(message="Exhausted available request attempts.", failure_type=FailureType.transient_error)

    retriever = ListRetriever(config={}, parameters={"resource_path": "warehouse-service/warehouse"}, name="warehouses", requester=FailingRequester())
    with pytest.raises(AirbyteTracedException) as raised:
        list(retriever.read_records({}, None))
    assert "Stream 'warehouses'" in raised.value.message and "warehouse-service/warehouse" in raised.value.message
    assert raised.value.failure_type == FailureType.transient_error
