"""Smaller components: backoff, authenticator, custom-field typing."""

import logging
from types import SimpleNamespace

import pytest
import requests

from source_brightpearl.components.authenticator import BrightpearlOAuthAuthenticator
from source_brightpearl.components.backoff import BrightpearlBackoffStrategy
from source_brightpearl.discover import custom_field_properties, type_custom_fields


def _response(status, headers=None):
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    return response


@pytest.fixture
def backoff():
    return BrightpearlBackoffStrategy(config={}, parameters={})


def _throttled(period_ms=None):
    """Brightpearl's throttling answer: 503, no requests left in the window, the wait in ms (when given)."""
    headers = {"brightpearl-requests-remaining": "0"}
    if period_ms is not None:
        headers["brightpearl-next-throttle-period"] = period_ms
    return _response(503, headers)


def test_throttle_wait_is_read_in_milliseconds(backoff):
    assert backoff.backoff_time(_throttled("2500"), 1) == 2.5
    assert backoff.backoff_time(_throttled("10"), 1) == 0.25


def test_429_honours_retry_after_and_a_throttled_503_without_a_period_waits_a_window(backoff):
    assert backoff.backoff_time(_response(429, {"Retry-After": "7"}), 1) == 7.0
    assert backoff.backoff_time(_throttled(), 1) == 60.0


@pytest.mark.parametrize("period_ms", ["86400000", "1e30", "inf"])
def test_a_throttle_wait_never_exceeds_one_window_and_the_cap_is_logged(backoff, caplog, period_ms):
    with caplog.at_level(logging.INFO, logger="airbyte"):
        wait = backoff.backoff_time(_throttled(period_ms), 1)
    if period_ms == "inf":  # not a number of milliseconds: the window's length is assumed
        assert wait == 60.0
        return
    assert wait == 65.0
    assert "waiting 65 s instead" in caplog.text


def test_a_503_that_is_not_throttling_backs_off_like_any_failure(backoff):
    # Maintenance or an outage: requests are left in the window and the body is not the throttling message.
    outage = _response(503, {"brightpearl-requests-remaining": "120", "brightpearl-next-throttle-period": "50000"})
    assert backoff.backoff_time(outage, 2) == 2.0


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

    monkeypatch.setattr("source_brightpearl.components.authenticator.Credentials", FakeCredentials)
    authenticator = BrightpearlOAuthAuthenticator(config={"access_token": "AT"}, parameters={})
    assert authenticator.get_auth_header() == {"Authorization": "Bearer AT"}
    authenticator.refresh_and_set_access_token()
    assert calls == ["AT"]


def test_custom_field_types():
    properties = custom_field_properties(
        [
            {"code": "A", "name": "Text", "customFieldType": "TEXT"},
            {"code": "B", "customFieldType": "YES_NO"},
            {"code": "C", "customFieldType": "SELECT", "options": {"1": {"id": 1, "value": "North"}}},
            {"code": "D", "customFieldType": "DATE"},
            {"code": "E", "customFieldType": "INTEGER"},
            {"code": "F", "customFieldType": "SOMETHING_NEW"},
        ]
    )
    assert properties["A"]["type"] == ["null", "string"]
    assert properties["B"]["type"] == ["null", "boolean"]
    assert properties["C"]["properties"]["id"]["type"] == ["null", "integer"] and "North" in properties["C"]["description"]
    assert properties["D"]["type"] == ["null", "string"] and "format" not in properties["D"]
    assert properties["E"]["type"] == ["null", "integer"]
    assert "type" not in properties["F"]  # unknown kinds stay untyped rather than wrong


def test_same_code_with_two_types_is_left_untyped():
    properties = custom_field_properties(
        [
            {"code": "X", "customFieldType": "TEXT"},
            {"code": "X", "customFieldType": "INTEGER"},
        ]
    )
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

    from source_brightpearl.components.retrievers import ListRetriever

    class FailingRequester:
        def send_request(self, **kwargs):
            raise AirbyteTracedException(
                message="Exhausted available request attempts.", failure_type=FailureType.transient_error
            )

    retriever = ListRetriever(
        config={}, parameters={"resource_path": "warehouse-service/warehouse"}, name="warehouses", requester=FailingRequester()
    )
    with pytest.raises(AirbyteTracedException) as raised:
        list(retriever.read_records({}, None))
    assert "Stream 'warehouses'" in raised.value.message and "warehouse-service/warehouse" in raised.value.message
    assert raised.value.failure_type == FailureType.transient_error


def _source():
    """A source with a ready access token (no token exchange), for building its declared components."""
    from source_brightpearl.source import SourceBrightpearl

    return SourceBrightpearl(config={"data_center": "euw1", "account": "acme", "client_id": "acme_app", "access_token": "t"})


def _declared_error_handler():
    return _source().declared_requester("orders").error_handler


def _answer(request, status, body=b"", headers=None):
    response = _response(status, headers)
    response._content = body
    response.request = request
    return response


def test_throttling_does_not_use_up_the_failure_retries():
    from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction

    handler = _declared_error_handler()
    request = requests.Request("GET", "https://euw1.brightpearlconnect.com/public-api/acme/order-service/order/1-200").prepare()
    failure = lambda: handler.interpret_response(
        _answer(request, 500, b'{"errors":[{"code":"CMNU-003"}]}', {"Content-Type": "application/json"})
    )
    throttled = lambda: handler.interpret_response(
        _answer(
            request,
            503,
            b'{"response":"You have sent too many requests. Please wait before sending another request"}',
            {"brightpearl-requests-remaining": "0", "brightpearl-next-throttle-period": "1200"},
        )
    )

    assert [failure().response_action for _ in range(3)] == [ResponseAction.RETRY] * 3
    # Far more throttled windows than the 6 failure retries: still waited out.
    assert {throttled().response_action for _ in range(30)} == {ResponseAction.RATE_LIMITED}
    assert [failure().response_action for _ in range(3)] == [ResponseAction.RETRY] * 3
    last = failure()
    assert last.response_action == ResponseAction.FAIL and "7 attempts" in last.error_message
    # The CDK's own cap, for throttling only, is the manifest's max_retries / max_time.
    assert handler.max_retries >= 60 and handler.max_time >= 3600

    # Another request has its own budget.
    other = requests.Request("GET", "https://euw1.brightpearlconnect.com/public-api/acme/order-service/order/201-400").prepare()
    assert (
        handler.interpret_response(_answer(other, 500, b"{}", {"Content-Type": "application/json"})).response_action
        == ResponseAction.RETRY
    )


def test_outage_503s_and_dropped_connections_count_as_failures():
    from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction

    from source_brightpearl.components.error_handler import is_throttled

    handler = _declared_error_handler()
    request = requests.Request("GET", "https://euw1.brightpearlconnect.com/public-api/acme/product-service/brand").prepare()
    outage = _answer(request, 503, b"<html>Service Unavailable</html>", {"brightpearl-requests-remaining": "150"})
    assert not is_throttled(outage)
    actions = [handler.interpret_response(outage).response_action for _ in range(4)]
    actions += [handler.interpret_response(requests.ConnectionError("reset", request=request)).response_action for _ in range(3)]
    assert actions == [ResponseAction.RETRY] * 6 + [ResponseAction.FAIL]
    assert is_throttled(_answer(request, 429, b"", {"Retry-After": "2"}))


@pytest.mark.parametrize(
    ("raised", "failure_type", "words"),
    [
        ("exhausted", "transient_error", "after retrying"),
        ("timeout", "transient_error", "ReadTimeout"),
        ("rejected", "config_error", "re-authorise"),
        ("unreachable", "config_error", "data_center"),
    ],
)
def test_the_account_check_says_whose_problem_a_failure_is(monkeypatch, raised, failure_type, words):
    from airbyte_cdk.models import FailureType
    from airbyte_cdk.utils.traced_exception import AirbyteTracedException

    from source_brightpearl import check as connection_check

    errors = {
        "exhausted": AirbyteTracedException(
            message="HTTP 503; still failing after 7 attempts", failure_type=FailureType.transient_error
        ),
        "timeout": requests.exceptions.ReadTimeout("slow"),
        "rejected": AirbyteTracedException(message="HTTP 401", failure_type=FailureType.config_error),
        "unreachable": requests.exceptions.ConnectionError("refused"),
    }

    class Requester:
        def send_request(self, **kwargs):
            raise errors[raised]

    source = _source()
    problem = connection_check.check_connection(Requester(), source.live_config, logging.getLogger("test"))
    assert problem.failure_type == FailureType(failure_type)
    assert words in problem.message


def test_the_check_command_gives_up_on_throttling_sooner_than_a_read():
    from source_brightpearl.check import CHECK_REQUESTER, INTERACTIVE_CHECK_REQUESTER

    source = _source()
    read_check = source.declared_requester("check", CHECK_REQUESTER)
    interactive = source.declared_requester("check", INTERACTIVE_CHECK_REQUESTER)
    assert interactive.get_url(stream_slice=None) == read_check.get_url(stream_slice=None)
    assert interactive.error_handler.max_retries == 5 and interactive.error_handler.max_time <= 600
    assert read_check.error_handler.max_retries == 60
    # Someone waits on `check`: two retries of a failure (a silent server costs three read timeouts, not seven).
    assert interactive.error_handler.max_error_retries == 2 and read_check.error_handler.max_error_retries == 6
    assert type(interactive.error_handler) is type(read_check.error_handler)


def test_a_401_that_outlives_refreshes_is_a_credentials_problem():
    from airbyte_cdk.models import FailureType
    from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction

    handler = _declared_error_handler()
    request = requests.Request("GET", "https://euw1.brightpearlconnect.com/public-api/acme/product-service/brand").prepare()
    rejected = _answer(
        request,
        401,
        b'{"response":"Not authenticated. You must provide a valid authentication token."}',
        {"Content-Type": "application/json"},
    )
    resolutions = [handler.interpret_response(rejected) for _ in range(7)]
    assert [r.response_action for r in resolutions[:6]] == [ResponseAction.REFRESH_TOKEN_THEN_RETRY] * 6
    assert resolutions[-1].response_action == ResponseAction.FAIL
    assert resolutions[-1].failure_type == FailureType.config_error and "Re-authorise" in resolutions[-1].error_message
