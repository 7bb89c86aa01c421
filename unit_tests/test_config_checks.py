"""Bad config gets a message naming the field and the fix, and never quotes a secret."""

import pytest

from source_brightpearl.config import config_problems

VALID = {
    "data_center": "euw1",
    "account": "mycompany",
    "state_length": 32,
    "scope": "",
    "client_id": "mycompany_sync",
    "client_secret": "s3cr3t-value",
    "response_token_key": "access_token",
    "grant_type": "authorization_code",
    "authorization_code": "code-123",
}


def problems_with(**changes):
    config = {**VALID, **changes}
    for key, value in changes.items():
        if value is None:
            config.pop(key)
    return config_problems(config)


def test_valid_config_has_no_problem():
    assert config_problems(VALID) == []


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"data_center": None}, "`data_center` (Data center) is missing"),
        ({"account": None}, "`account` (Account) is missing"),
        ({"state_length": "32"}, "`state_length` (State length) must be an integer"),
        ({"state_length": True}, "`state_length` (State length) must be an integer"),
        ({"state_length": 2}, "`state_length` (State length) is 2; it must be between"),
        ({"data_center": "eu w1"}, "`data_center` (Data center) `eu w1` is malformed"),
        ({"data_center": "https://euw1.brightpearlconnect.com"}, "`data_center` (Data center)"),
        (
            {"client_type": "secret-ish"},
            "`client_type` (Client type) is `secret-ish`; it must be one of `confidential`, `public`",
        ),
        ({"grant_type": "password"}, "`grant_type` (Grant type) is `password`"),
        ({"base_url": "http://api.example.com"}, "uses plain http to 'api.example.com'"),
        ({"base_url": "ftp://127.0.0.1"}, "`base_url` (Base URL) must be an absolute http(s) URL"),
        ({"base_url": "https://proxy.example.com/public-api"}, "must be an origin only"),
        ({"start_date": "last tuesday"}, "`start_date` (Start date) `last tuesday` is not an ISO 8601 date-time"),
        ({"authorization_code": None}, "No credentials"),
        ({"grant_type": "refresh_token", "authorization_code": None}, "`refresh_token` (Refresh token) is empty"),
    ],
)
def test_problem_names_the_field(changes, expected):
    problems = problems_with(**changes)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:8099", "http://localhost:1", "http://[::1]:80", "https://proxy.example.com"]
)
def test_loopback_http_and_https_are_accepted(base_url):
    assert problems_with(base_url=base_url) == []


def test_secret_values_are_never_quoted():
    problems = problems_with(client_secret=12345, authorization_code=["x"])
    text = " ".join(problems)
    assert "`client_secret` (Secret) must be a string" in text
    assert "12345" not in text


def test_tokens_instead_of_code_are_accepted():
    assert problems_with(authorization_code=None, refresh_token="rt") == []


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"account": "mycompany\n"}, "`account` (Account) `mycompany\\n` is malformed"),
        ({"data_center": "euw1\n"}, "`data_center` (Data center) `euw1\\n` is malformed"),
        ({"client_id": "my\u2019app"}, "`client_id` (Client ID) `my\u2019app` contains characters HTTP headers cannot carry"),
        ({"developer_ref": "dev\r\nX-Injected: 1"}, "`developer_ref` (Developer reference)"),
        ({"start_date": "2999-01-01T00:00:00Z"}, "`start_date` (Start date) `2999-01-01T00:00:00Z` is in the future"),
        ({"start_date": "0999-06-01"}, "is before the year 1000"),
        ({"base_url": "https://proxy.example.com?"}, "without a path, query (`?`) or fragment (`#`)"),
        ({"base_url": "https://proxy.example.com/#"}, "without a path, query (`?`) or fragment (`#`)"),
        ({"base_url": "https://proxy.example.com/?x=1"}, "without a path, query (`?`) or fragment (`#`)"),
        ({"base_url": "http://127.0.0.1:99999"}, "is not a valid URL"),
        (
            {"api_domain": "evil.example.com"},
            "`api_domain` (API domain) names 'evil.example.com', which is not a Brightpearl API host",
        ),
        ({"api_domain": "https://euw1.brightpearlconnect.com"}, "`api_domain` (API domain) must be a host name"),
        ({"api_domain": "user@euw1.brightpearlconnect.com"}, "`api_domain` (API domain) must be a host name"),
        ({"api_domain": "euw1.brightpearlconnect.com.evil.example"}, "not a Brightpearl API host"),
    ],
)
def test_boundary_problems_name_the_field(changes, expected):
    problems = problems_with(**changes)
    assert any(expected in problem for problem in problems), problems


def test_a_line_break_in_a_header_is_refused_without_showing_a_secret():
    problems = problems_with(access_token="tok\r\nen-secret-value", authorization_code=None)
    text = " ".join(problems)
    assert "`access_token` (Access token) contains a line break" in text
    assert "secret-value" not in text


@pytest.mark.parametrize("base_url", ["http://user:hunter2@127.0.0.1:8099", "https://:hunter2@proxy.example.com"])
def test_credentials_in_base_url_are_refused_and_never_repeated(base_url):
    problems = problems_with(base_url=base_url)
    text = " ".join(problems)
    assert "must not contain a user name or password" in text
    assert "hunter2" not in text


@pytest.mark.parametrize(
    "start_date",
    ["2024-06-01", "2024-06-01T00:00:00+02:00", "2024-06-01T00:00:00.000-06:00", "20240601T000000Z", "2024-06-01 10:00"],
)
def test_every_iso_8601_start_date_is_accepted(start_date):
    assert problems_with(start_date=start_date) == []


@pytest.mark.parametrize(
    "api_domain", ["euw1.brightpearlconnect.com", "ws-use.brightpearl.com", "127.0.0.1:8099", "localhost:1", "[::1]:80"]
)
def test_brightpearl_and_loopback_api_domains_are_accepted(api_domain):
    assert problems_with(api_domain=api_domain) == []


@pytest.mark.parametrize("expiry", [1700000000, 604800, "soon", ["x"], "2030-01-01T00:00:00+00:00"])
def test_any_token_expiry_is_accepted_and_a_non_date_means_refresh_now(expiry):
    from source_brightpearl.config import prepared_config

    assert problems_with(token_expiry_date=expiry) == []
    prepared = prepared_config({**VALID, "token_expiry_date": expiry})
    assert ("token_expiry_date" in prepared) is (expiry == "2030-01-01T00:00:00+00:00")


def test_prepared_config_normalises_dates_and_fills_spec_defaults():
    from source_brightpearl.config import prepared_config
    from source_brightpearl.resources import load_spec

    prepared = prepared_config({**VALID, "start_date": "2024-06-01T00:00:00.000-06:00"})
    assert prepared["start_date"] == "2024-06-01T06:00:00Z"
    default = load_spec()["connectionSpecification"]["properties"]["requests_per_minute"]["default"]
    assert prepared["requests_per_minute"] == default
    assert prepared_config({**VALID, "requests_per_minute": 7})["requests_per_minute"] == 7


def test_a_config_that_is_not_an_object_is_one_problem():
    assert config_problems(["not", "an", "object"]) == ["The configuration must be a JSON object, not a list."]


def test_a_huge_value_is_not_repeated_in_full():
    problems = problems_with(account="x" * 10_000 + " y")
    assert all(len(problem) < 1000 for problem in problems), problems


def test_a_lookback_of_zero_is_refused_with_the_reason_in_the_spec():
    import json
    from pathlib import Path

    [problem] = problems_with(lookback_minutes=0)
    assert "`lookback_minutes`" in problem and "between 1 and 1440" in problem
    assert problems_with(lookback_minutes=1) == []
    spec = json.loads((Path(__file__).parents[1] / "spec.json").read_text())
    assert "only once it is saved" in spec["connectionSpecification"]["properties"]["lookback_minutes"]["description"]
