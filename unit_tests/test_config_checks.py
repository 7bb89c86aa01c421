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


def test_a_lookback_of_zero_is_refused_with_the_reason_in_the_spec():
    import json
    from pathlib import Path

    [problem] = problems_with(lookback_minutes=0)
    assert "`lookback_minutes`" in problem and "between 1 and 1440" in problem
    assert problems_with(lookback_minutes=1) == []
    spec = json.loads((Path(__file__).parents[1] / "spec.json").read_text())
    assert "only once it is saved" in spec["connectionSpecification"]["properties"]["lookback_minutes"]["description"]
