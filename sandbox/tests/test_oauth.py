"""OAuth endpoints (docs/brightpearl-api.md §P2)."""

import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests

from sandbox.apps import CONFIDENTIAL_APP_REF, PUBLIC_APP_REF

from .conftest import TIMEOUT, Api

EXPIRED_OR_MISSING = {"error_description": "The auth token has either expired or does not exist", "error": "invalid_grant"}
REDIRECT_MISMATCH = {"error_description": "Redirect uri does not match that used to request auth token", "error": "invalid_grant"}
TOKEN_PATHS = ["/oauth/token", "/sandbox/oauth/token", "/token/sandbox"]


def authorize(sb, **params):
    query = {
        "response_type": "code",
        "client_id": CONFIDENTIAL_APP_REF,
        "redirect_uri": f"{sb.base_url}/callback",
        "state": "s+t/a=te",
        **params,
    }
    return requests.get(
        f"{sb.base_url}/authorize/sandbox",
        params={k: v for k, v in query.items() if v is not None},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def post_token(sb, form, path="/oauth/token"):
    if path == "/oauth/token":
        form = {"account_code": "sandbox", **form}
    return requests.post(sb.base_url + path, data=form, timeout=TIMEOUT)  # requests URL-encodes the form


def code_form(sb, code, **overrides):
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": CONFIDENTIAL_APP_REF,
        "client_secret": sb.config()["client_secret"],
        "redirect_uri": f"{sb.base_url}/callback",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def test_authorize_redirects_with_code_and_state(fake):
    response = authorize(fake)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{fake.base_url}/callback"
    query = parse_qs(location.query)
    assert query["state"] == ["s+t/a=te"]
    code = query["code"][0]
    assert post_token(fake, code_form(fake, code)).status_code == 200


def test_authorize_rejects_other_response_types(fake):
    response = authorize(fake, response_type="token")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query == {"error": ["unsupported_response_type"], "state": ["s+t/a=te"]}


@pytest.mark.parametrize(
    "params", [{"client_id": "nobody"}, {"redirect_uri": "http://127.0.0.1:1/elsewhere"}, {"redirect_uri": None}]
)
def test_authorize_refuses_unknown_client_or_redirect_without_redirecting(fake, params):
    response = authorize(fake, **params)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "error" in response.json()


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_code_grant_on_every_token_path(fake, path):
    response = post_token(fake, code_form(fake, fake.issue_code()), path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    body = response.json()
    assert list(body) == ["access_token", "refresh_token", "installation_instance_id", "api_domain", "token_type", "expires_in"]
    assert isinstance(body["installation_instance_id"], str)
    assert body["api_domain"] == f"127.0.0.1:{fake.port}"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    for token in (body["access_token"], body["refresh_token"]):
        assert "+" in token and "/" in token and token.endswith("=")
    assert Api(fake, body["access_token"]).get("order-service/order/1").status_code == 200


def test_code_is_single_use(fake):
    form = code_form(fake, fake.issue_code())
    assert post_token(fake, form).status_code == 200
    second = post_token(fake, form)
    assert (second.status_code, second.json()) == (400, EXPIRED_OR_MISSING)


def test_code_expires(start_fake):
    sb = start_fake(code_lifetime=0.2)
    code = sb.issue_code()
    time.sleep(0.3)
    response = post_token(sb, code_form(sb, code))
    assert (response.status_code, response.json()) == (400, EXPIRED_OR_MISSING)


def test_unknown_code_and_unencoded_code(fake):
    code = fake.issue_code()
    # A code sent without URL-encoding: its "+" arrives as a space (the docs' "intermittent failures").
    raw = (
        f"account_code=sandbox&grant_type=authorization_code&client_id={CONFIDENTIAL_APP_REF}"
        f"&client_secret={quote(fake.config()['client_secret'])}&redirect_uri={quote(fake.base_url + '/callback')}"
        f"&code={code}"
    )
    response = requests.post(
        fake.base_url + "/oauth/token", data=raw, timeout=TIMEOUT, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (response.status_code, response.json()) == (400, EXPIRED_OR_MISSING)
    assert post_token(fake, code_form(fake, code)).status_code == 200  # the failed attempt did not use it up


def test_redirect_uri_must_match(fake):
    code = fake.issue_code()
    response = post_token(fake, code_form(fake, code, redirect_uri="http://127.0.0.1:1/other"))
    assert (response.status_code, response.json()) == (400, REDIRECT_MISMATCH)
    response = post_token(fake, code_form(fake, code, redirect_uri=None))
    assert (response.status_code, response.json()) == (400, REDIRECT_MISMATCH)


@pytest.mark.parametrize(
    "overrides", [{"client_secret": "wrong"}, {"client_secret": None}, {"client_id": "nobody"}, {"client_id": None}]
)
def test_invalid_client(fake, overrides):
    response = post_token(fake, code_form(fake, fake.issue_code(), **overrides))
    assert (response.status_code, response.json()) == (400, {"error": "invalid_client"})


def test_public_client_sends_no_secret(fake):
    code = fake.issue_code(client_id=PUBLIC_APP_REF)
    with_secret = post_token(fake, code_form(fake, code, client_id=PUBLIC_APP_REF, client_secret="anything"))
    assert (with_secret.status_code, with_secret.json()) == (400, {"error": "invalid_client"})
    response = post_token(fake, code_form(fake, code, client_id=PUBLIC_APP_REF, client_secret=None))
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert Api(fake, token, app_ref=PUBLIC_APP_REF).get("order-service/order/1").status_code == 200
    # The token belongs to the public app: sending another app's reference is refused.
    assert Api(fake, token, app_ref=CONFIDENTIAL_APP_REF).get("order-service/order/1").status_code == 401


def test_unknown_account_and_missing_account(fake):
    form = code_form(fake, fake.issue_code())
    response = requests.post(fake.base_url + "/elsewhere/oauth/token", data=form, timeout=TIMEOUT)
    assert (response.status_code, response.json()) == (400, EXPIRED_OR_MISSING)
    response = requests.post(fake.base_url + "/oauth/token", data=form, timeout=TIMEOUT)  # no account_code
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_unsupported_grant_type(fake):
    response = post_token(fake, {"grant_type": "client_credentials", "client_id": CONFIDENTIAL_APP_REF})
    assert (response.status_code, response.json()) == (400, {"error": "unsupported_grant_type"})


def refresh_form(sb, refresh_token, secret=True):
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": CONFIDENTIAL_APP_REF}
    if secret:
        form["client_secret"] = sb.config()["client_secret"]
    return form


def test_rotating_refresh_tokens_are_single_use(fake):
    first = fake.issue_tokens()
    response = post_token(fake, refresh_form(fake, first["refresh_token"]))
    assert response.status_code == 200
    body = response.json()
    assert "installation_instance_id" not in body  # as recorded for the refresh grant
    assert body["refresh_token"] != first["refresh_token"]
    assert body["expires_in"] == 3600
    again = post_token(fake, refresh_form(fake, first["refresh_token"]))
    assert (again.status_code, again.json()) == (400, EXPIRED_OR_MISSING)
    # The new refresh token works, without client_secret too (ruby-brightpearl sends none).
    assert post_token(fake, refresh_form(fake, body["refresh_token"], secret=False)).status_code == 200
    assert Api(fake, body["access_token"]).get("order-service/order/1").status_code == 200


def test_refresh_with_wrong_secret_is_invalid_client(fake):
    form = {**refresh_form(fake, fake.issue_tokens()["refresh_token"]), "client_secret": "wrong"}
    response = post_token(fake, form)
    assert (response.status_code, response.json()) == (400, {"error": "invalid_client"})


def test_static_refresh_tokens(start_fake):
    sb = start_fake(rotate_refresh_tokens=False, token_lifetime=1234)
    refresh = sb.issue_tokens()["refresh_token"]
    for _ in range(2):
        body = post_token(sb, refresh_form(sb, refresh), "/token/sandbox").json()
        assert body["refresh_token"] == refresh
        assert body["expires_in"] == 1234


def test_token_grants_are_counted(fake):
    post_token(fake, code_form(fake, fake.issue_code()))
    post_token(fake, code_form(fake, "nonsense"))
    post_token(fake, refresh_form(fake, fake.issue_tokens()["refresh_token"]))
    assert fake.counters()["token_grants"] == {
        "authorization_code": {"success": 1, "invalid_grant": 1},
        "refresh_token": {"success": 1},
    }
