"""The credentials component: code exchange, refresh, rotation, persistence, errors (requests_mock at the token URL)."""

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest
import requests
import requests_mock as requests_mock_module
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.components.oauth import Credentials, TokenRejected

TOKEN_URL = "https://euw1.brightpearlconnect.com/myaccount/oauth/token"


def config(**overrides):
    base = {
        "data_center": "euw1",
        "account": "myaccount",
        "client_id": "myaccount_app",
        "client_secret": "the-secret",
        "grant_type": "authorization_code",
        "response_token_key": "access_token",
        "oauth_callback_url": "https://example.com/callback",
        "authorization_code": "CODE+1/=",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def token_body(access="AT+1/x=", refresh="RT+1/x=", expires_in=604800, **extra):
    return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": expires_in, **extra}


def control_messages(capsys):
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if '"CONTROL"' in line]


def form(request):
    return {k: v[0] for k, v in parse_qs(request.text).items()}


@pytest.fixture
def mock():
    with requests_mock_module.Mocker() as m:
        yield m


def test_code_exchange_stores_tokens_forgets_code_and_emits_config(mock, capsys):
    mock.post(TOKEN_URL, json=token_body(api_domain="ws-eu1.brightpearl.com", installation_instance_id="13"))
    cfg = config()
    assert Credentials(cfg).access_token() == "AT+1/x="

    sent = form(mock.request_history[0])
    assert sent == {
        "grant_type": "authorization_code",
        "code": "CODE+1/=",
        "client_id": "myaccount_app",
        "client_secret": "the-secret",
        "redirect_uri": "https://example.com/callback",
    }
    assert "authorization_code" not in cfg
    assert cfg["refresh_token"] == "RT+1/x="
    assert cfg["api_domain"] == "ws-eu1.brightpearl.com"
    expiry = datetime.fromisoformat(cfg["token_expiry_date"])
    assert timedelta(days=6, hours=23) < expiry - datetime.now(timezone.utc) <= timedelta(days=7)
    [message] = control_messages(capsys)
    persisted = message["control"]["connectorConfig"]["config"]
    assert persisted["access_token"] == "AT+1/x=" and persisted["refresh_token"] == "RT+1/x="
    assert "authorization_code" not in persisted


def test_public_client_sends_no_secret(mock, capsys):
    mock.post(TOKEN_URL, json=token_body())
    Credentials(config(client_type="public")).access_token()
    assert "client_secret" not in form(mock.request_history[0])


def test_response_token_key_picks_the_token(mock, capsys):
    mock.post(TOKEN_URL, json={"token": "OTHER", "refresh_token": "R", "expires_in": 3600})
    assert Credentials(config(response_token_key="token")).access_token() == "OTHER"


def test_base_url_overrides_the_token_host(mock, capsys):
    mock.post("http://127.0.0.1:9999/myaccount/oauth/token", json=token_body())
    Credentials(config(base_url="http://127.0.0.1:9999/")).access_token()
    assert mock.call_count == 1


def test_valid_access_token_is_used_without_a_call(mock):
    later = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    cfg = config(authorization_code=None, access_token="AT", refresh_token="RT", token_expiry_date=later)
    assert Credentials(cfg).access_token() == "AT"
    assert mock.call_count == 0


@pytest.mark.parametrize("expiry", [None, "not a date", "2020-01-01T00:00:00Z", "minutes"])
def test_expired_or_unknown_expiry_refreshes_and_rotation_is_persisted(mock, capsys, expiry):
    if expiry == "minutes":  # inside the refresh margin
        expiry = (datetime.now(timezone.utc) + timedelta(minutes=2)).isoformat()
    mock.post(TOKEN_URL, json=token_body(access="AT2", refresh="RT2", expires_in=537227))
    cfg = config(authorization_code=None, access_token="AT1", refresh_token="RT1", token_expiry_date=expiry)
    assert Credentials(cfg).access_token() == "AT2"
    sent = form(mock.request_history[0])
    assert sent == {
        "grant_type": "refresh_token",
        "refresh_token": "RT1",
        "client_id": "myaccount_app",
        "client_secret": "the-secret",
    }
    assert cfg["refresh_token"] == "RT2"
    [message] = control_messages(capsys)
    assert message["control"]["connectorConfig"]["config"]["refresh_token"] == "RT2"


def test_refresh_keeps_old_refresh_token_when_none_returned(mock, capsys):
    mock.post(TOKEN_URL, json={"access_token": "AT2", "expires_in": 100})
    cfg = config(authorization_code=None, refresh_token="RT1")
    Credentials(cfg).access_token()
    assert cfg["refresh_token"] == "RT1"


def test_short_lived_tokens_are_not_refreshed_on_every_call(mock, capsys):
    mock.post(TOKEN_URL, json=token_body(expires_in=60))
    credentials = Credentials(config())
    credentials.access_token()
    for _ in range(5):
        credentials.access_token()
    assert mock.call_count == 1


def test_force_refresh_skips_when_another_thread_already_replaced_the_token(mock, capsys):
    mock.post(TOKEN_URL, json=token_body(access="NEW"))
    later = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    cfg = config(authorization_code=None, access_token="CURRENT", refresh_token="RT", token_expiry_date=later)
    assert Credentials(cfg).force_refresh(rejected_token="OLD") == "CURRENT"
    assert mock.call_count == 0
    assert Credentials(cfg).force_refresh(rejected_token="CURRENT") == "NEW"


@pytest.mark.parametrize(
    "body,expected",
    [
        ({"error_description": "The auth token has either expired or does not exist", "error": "invalid_grant"}, "Re-authorise"),
        (
            {"error_description": "Redirect uri does not match that used to request auth token", "error": "invalid_grant"},
            "Redirect uri does not match",
        ),
        ({"error": "invalid_client"}, "Check `client_id`"),
    ],
)
def test_rejections_are_config_errors_that_say_what_to_do(mock, body, expected):
    mock.post(TOKEN_URL, status_code=400, json=body)
    with pytest.raises(TokenRejected) as raised:
        Credentials(config()).access_token()
    assert raised.value.failure_type == FailureType.config_error
    assert expected in raised.value.message
    assert "CODE+1/=" not in raised.value.message and "the-secret" not in raised.value.message


def test_stale_code_beside_a_refresh_token_falls_back_to_the_refresh_token(mock, capsys):
    mock.post(
        TOKEN_URL,
        [
            {
                "status_code": 400,
                "json": {"error": "invalid_grant", "error_description": "The auth token has either expired or does not exist"},
            },
            {"json": token_body(access="AT3", refresh="RT3")},
        ],
    )
    cfg = config(refresh_token="RT2")
    assert Credentials(cfg).access_token() == "AT3"
    assert "authorization_code" not in cfg


def test_grant_type_refresh_token_ignores_a_code(mock, capsys):
    mock.post(TOKEN_URL, json=token_body())
    Credentials(config(grant_type="refresh_token", refresh_token="RT0")).access_token()
    assert form(mock.request_history[0])["grant_type"] == "refresh_token"


def test_no_credentials_at_all_is_a_config_error(mock):
    with pytest.raises(TokenRejected, match="no usable access token"):
        Credentials(config(authorization_code=None)).access_token()


def test_transient_token_endpoint_failures_are_retried(mock, capsys, monkeypatch):
    monkeypatch.setattr("source_brightpearl.components.oauth.time.sleep", lambda s: None)
    mock.post(TOKEN_URL, [{"status_code": 502, "text": "<html>bad gateway</html>"}, {"json": token_body()}])
    assert Credentials(config()).access_token() == "AT+1/x="
    assert mock.call_count == 2


@pytest.mark.parametrize(
    "answer,words",
    [
        ({"status_code": 500, "json": {"errors": [{"code": "CMNU-003"}]}}, "answered HTTP 500"),
        ({"status_code": 503, "text": "<html>down</html>", "headers": {"Content-Type": "text/html"}}, "answered HTTP 503"),
        ({"status_code": 200, "text": "<html>sign in</html>", "headers": {"Content-Type": "text/html"}}, "with an HTML page"),
        ({"status_code": 200, "text": "not json"}, "with no JSON body"),
        ({"exc": requests.exceptions.ReadTimeout("slow")}, "no answer in time"),
        ({"exc": requests.exceptions.ConnectionError("refused")}, "Could not reach"),
    ],
    ids=["500", "503-html", "html-200", "text-200", "timeout", "refused"],
)
def test_token_endpoint_outages_are_transient_and_never_ask_to_re_authorise(mock, monkeypatch, answer, words):
    monkeypatch.setattr("source_brightpearl.components.oauth.time.sleep", lambda s: None)
    mock.post(TOKEN_URL, **answer)
    with pytest.raises(AirbyteTracedException) as raised:
        Credentials(config(authorization_code=None, refresh_token="RT1")).access_token()
    assert raised.value.failure_type == FailureType.transient_error
    assert words in raised.value.message
    assert "re-authorise" not in raised.value.message.lower() and "rejected" not in raised.value.message
    assert mock.call_count == 4, "an outage is retried before it is reported"


def test_an_unknown_token_host_is_a_data_center_problem(mock, monkeypatch):
    import socket

    from urllib3.exceptions import NameResolutionError

    monkeypatch.setattr("source_brightpearl.components.oauth.time.sleep", lambda s: None)
    cause = NameResolutionError("euw9.brightpearlconnect.com", None, socket.gaierror(-2, "Name or service not known"))
    mock.post(TOKEN_URL, exc=requests.exceptions.ConnectionError(cause))
    with pytest.raises(AirbyteTracedException) as raised:
        Credentials(config()).access_token()
    assert raised.value.failure_type == FailureType.config_error and "`data_center`" in raised.value.message
    assert mock.call_count == 1, "a host that does not exist will not exist on the next attempt either"


@pytest.mark.parametrize(
    "status,body,failure_type,words",
    [
        (404, {"errors": [{"code": "CMNC-404"}]}, FailureType.config_error, "no Brightpearl token endpoint"),
        (400, {"error": "unsupported_grant_type"}, FailureType.system_error, "please report it"),
    ],
)
def test_other_refusals_say_whose_problem_they_are(mock, status, body, failure_type, words):
    mock.post(TOKEN_URL, status_code=status, json=body)
    with pytest.raises(AirbyteTracedException) as raised:
        Credentials(config()).access_token()
    assert raised.value.failure_type == failure_type and words in raised.value.message


@pytest.mark.parametrize("domain", ["evil.example.com", "user:pw@euw1.brightpearlconnect.com", "euw1.brightpearlconnect.com/x"])
def test_an_api_domain_that_is_not_brightpearls_is_never_used(mock, capsys, domain):
    mock.post(TOKEN_URL, json=token_body(api_domain=domain))
    cfg = config()
    assert Credentials(cfg).access_token() == "AT+1/x="
    assert "api_domain" not in cfg
    assert "pw" not in capsys.readouterr().err


@pytest.mark.parametrize("expiry", [1767225600, 604800.0, "in a week"])
def test_a_numeric_or_unparseable_expiry_means_refresh_now(mock, capsys, expiry):
    mock.post(TOKEN_URL, json=token_body(access="AT2"))
    cfg = config(authorization_code=None, access_token="AT1", refresh_token="RT1", token_expiry_date=expiry)
    assert Credentials(cfg).access_token() == "AT2"
    assert datetime.fromisoformat(cfg["token_expiry_date"]) > datetime.now(timezone.utc)


def test_unreachable_token_endpoint_names_the_host(mock, monkeypatch):
    monkeypatch.setattr("source_brightpearl.components.oauth.time.sleep", lambda s: None)
    mock.post(TOKEN_URL, exc=requests.exceptions.ConnectionError("dns failure for the-secret"))
    with pytest.raises(AirbyteTracedException) as raised:
        Credentials(config()).access_token()
    assert "euw1.brightpearlconnect.com" in raised.value.message
    assert "the-secret" not in raised.value.message


def test_new_tokens_are_masked_in_logs(mock, capsys):
    mock.post(TOKEN_URL, json=token_body(access="ZZ+secret/token=", refresh="YY+refresh/token="))
    Credentials(config()).access_token()
    line = "sent ZZ+secret/token= and YY%2Brefresh%2Ftoken%3D"
    assert "secret" not in filter_secrets(line) and "refresh" not in filter_secrets(line)
