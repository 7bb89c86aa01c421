"""Brightpearl OAuth 2: the authorised-code exchange, refreshes, and persistence of every new token set.

Facts this follows (https://api-docs.brightpearl.com/utilities/oauth-token/post.html): the token endpoint takes a form-encoded POST and
answers JSON with snake_case keys (`access_token`, `refresh_token`, `expires_in` seconds, `api_domain`,
`installation_instance_id`); errors are HTTP 400 with `{"error": "invalid_grant" | "invalid_client", ...}`; codes
are short-lived and single-use; whether refresh tokens rotate is unknown, so every refresh token received is
persisted at once, before the new access token is used.

Whose problem a failure is: only `invalid_grant` and `invalid_client` say the credentials are wrong (a config error:
re-authorise). A 5xx, a 429, a timeout, a dropped connection, an HTML page or a 200 without a token is an outage
(transient: retry later), an unknown host is a wrong `data_center`, and any other refusal is reported as a bug.
Every request is bounded like the API's (api/transport.py), with a shorter read timeout: the token endpoint does
no work worth waiting for.

Tokens live in the flat config keys `access_token`, `refresh_token`, `token_expiry_date` and `api_domain`. The
config dict is the one the CDK hands to every component, so a token written here is seen by all streams. Each new
token set is emitted as a CONNECTOR_CONFIG control message (the platform stores it) before it is used.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, MutableMapping, Optional
from urllib.parse import quote, quote_plus, urlsplit

import requests
from airbyte_cdk.config_observation import emit_configuration_as_airbyte_control_message
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.datetimes import parse_datetime
from source_brightpearl.api.endpoints import api_domain_problem, token_url
from source_brightpearl.api.transport import http_limits, read_body_within_limits
from source_brightpearl.resources import secret_keys

logger = logging.getLogger("airbyte")

# Refresh this long before the recorded expiry so a request in flight never carries a token that expires on the
# way. Capped at a tenth of the token's lifetime so short-lived tokens are not refreshed on every
# call. Brightpearl's tokens last 7 days, so in production this is always the full five minutes.
MAX_REFRESH_MARGIN = timedelta(minutes=5)
# Attempts at one token request, with waits of 1, 2 and 4 s between them (or a shorter `Retry-After`).
TOKEN_REQUEST_ATTEMPTS = 4
MAX_TOKEN_RETRY_WAIT = 30.0
# The token endpoint answers at once or not at all: a silent connection is given up on sooner than an API call.
TOKEN_READ_TIMEOUT = 30.0
CREDENTIAL_ERRORS = ("invalid_grant", "invalid_client")
REAUTHORISE_HINT = (
    "Re-authorise the connector: open the Brightpearl consent page again (the Airbyte 'Authenticate' button, or "
    "`source-brightpearl authorize --config CONFIG`), then save the new authorised code or tokens in the configuration."
)


class TokenRejected(AirbyteTracedException):
    """Brightpearl refused a code or refresh token: only the user can fix this, by re-authorising."""


def register_secret(value: Optional[str]) -> None:
    """Mask a token in everything the CDK logs, in the forms it can appear in (raw and URL-encoded).

    Brightpearl tokens are base64 and contain `+`, `/` and `=`, so the URL-encoded form differs from the raw one
    (the CDK masks exact strings only)."""
    if not value:
        return
    for form in {value, quote(value, safe=""), quote_plus(value)}:
        add_to_secrets(form)


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: Optional[str]
    expires_at: datetime
    lifetime: timedelta
    api_domain: Optional[str]


def _parse_expiry(value: Any) -> Optional[datetime]:
    """The recorded expiry, or None (refresh now) for anything that is not a date-time: a platform may store
    `expires_in` there as a number."""
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except (ValueError, OverflowError):
        return None


class TokenEndpoint:
    """Talks to Brightpearl's token endpoint. Knows the grants and their parameters, nothing about storage."""

    def __init__(self, config: MutableMapping[str, Any], session: Optional[requests.Session] = None) -> None:
        self._config = config
        self._session = session or requests.Session()

    @property
    def is_public_client(self) -> bool:
        return (self._config.get("client_type") or "confidential") == "public"

    def exchange_code(self, code: str) -> TokenSet:
        form = {"grant_type": "authorization_code", "code": code, "client_id": self._config["client_id"]}
        if self._config.get("oauth_callback_url"):
            form["redirect_uri"] = self._config["oauth_callback_url"]
        return self._request(form, what="authorised code")

    def refresh(self, refresh_token: str) -> TokenSet:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": self._config["client_id"]}
        return self._request(form, what="refresh token")

    def _request(self, form: Dict[str, str], what: str) -> TokenSet:
        if not self.is_public_client:
            # The secret is "only required if the integration has confidential OAuth enabled" (Brightpearl's docs).
            form["client_secret"] = self._config.get("client_secret") or ""
        url = token_url(self._config)
        response = self._post_with_retries(url, form, what)
        body = self._json_or_none(response)
        status = response.status_code
        error = body.get("error") if isinstance(body, dict) else None
        if status >= 400 and error in CREDENTIAL_ERRORS:
            raise self._rejection(status, body, what)
        if status >= 500 or status == 429:
            raise self._outage(f"answered HTTP {status}", what, f"token endpoint HTTP {status}")
        if status == 404:
            raise AirbyteTracedException(
                message=f"There is no Brightpearl token endpoint at {_origin_and_path(url)} (HTTP 404). Check `account` "
                f"('{self._config.get('account')}') and `data_center` ('{self._config.get('data_center')}'), and `base_url` if you set it.",
                internal_message="token endpoint HTTP 404",
                failure_type=FailureType.config_error,
            )
        if status >= 400 and isinstance(body, dict):
            detail = f"{error}: {body.get('error_description')}" if body.get("error_description") else str(error)
            raise AirbyteTracedException(
                message=f"Brightpearl's token endpoint refused the request for the {what} (HTTP {status}, {detail}). "
                "This is not a credentials problem the connector knows of; please report it.",
                internal_message=f"token endpoint HTTP {status}: {error}",
                failure_type=FailureType.system_error,
            )
        if not isinstance(body, dict):
            kind = "an HTML page" if "html" in response.headers.get("Content-Type", "") else "no JSON body"
            raise self._outage(
                f"answered HTTP {status} with {kind}",
                what,
                f"non-JSON token response, status {status}, content-type {response.headers.get('Content-Type')}",
            )
        return self._token_set(body, what)

    def _outage(self, answered: str, what: str, internal: str) -> AirbyteTracedException:
        return AirbyteTracedException(
            message=f"Brightpearl's token endpoint {answered} while exchanging the {what}, after {TOKEN_REQUEST_ATTEMPTS} attempts. "
            "This is an outage on Brightpearl's side (or a proxy in between), not a problem with your credentials: retry later.",
            internal_message=internal,
            failure_type=FailureType.transient_error,
        )

    def _post_with_retries(self, url: str, form: Dict[str, str], what: str) -> requests.Response:
        # 5xx, 429, non-JSON pages and network failures are transient; anything else is the endpoint's answer. The
        # form carries secrets, so neither it nor the exception text (which can quote the request) is ever logged.
        timeouts = (http_limits().connect, min(http_limits().read, TOKEN_READ_TIMEOUT))
        for attempt in range(1, TOKEN_REQUEST_ATTEMPTS + 1):
            try:
                response = self._session.post(
                    url,
                    data=form,
                    headers={"Accept": "application/json"},
                    timeout=timeouts,
                    hooks={"response": read_body_within_limits},
                )
            except requests.RequestException as error:
                if attempt == TOKEN_REQUEST_ATTEMPTS or _is_unknown_host(error):
                    raise self._unreachable(url, what, error) from None
                logger.info(f"Brightpearl's token endpoint could not be reached ({_failure_name(error)}); retrying.")
                self._sleep(attempt)
                continue
            status = response.status_code
            retry = status >= 500 or status == 429 or (status < 400 and self._json_or_none(response) is None)
            if retry and attempt < TOKEN_REQUEST_ATTEMPTS:
                logger.info(f"Brightpearl's token endpoint answered HTTP {response.status_code}{_kind(response)}; retrying.")
                self._sleep(attempt, response)
                continue
            return response
        raise AssertionError("unreachable")

    def _unreachable(self, url: str, what: str, error: requests.RequestException) -> AirbyteTracedException:
        where = _origin_and_path(url)
        if _is_unknown_host(error):
            return AirbyteTracedException(
                message=f"The token endpoint's host ({urlsplit(url).hostname}) does not exist. Check `data_center` "
                f"('{self._config.get('data_center')}'): it is the first label of your Brightpearl app URL, e.g. euw1 or use1. "
                "If you set `base_url`, check it too.",
                internal_message=f"token request failed: {type(error).__name__} (unknown host)",
                failure_type=FailureType.config_error,
            )
        return AirbyteTracedException(
            message=f"Could not reach Brightpearl's token endpoint ({where}) to use the {what}: {_failure_name(error)}, "
            f"{TOKEN_REQUEST_ATTEMPTS} attempts. Brightpearl or the network between may be down: retry later.",
            internal_message=f"token request failed: {type(error).__name__}",
            failure_type=FailureType.transient_error,
        )

    @staticmethod
    def _sleep(attempt: int, response: Optional[requests.Response] = None) -> None:
        delay = float(2 ** (attempt - 1))
        if response is not None and response.headers.get("Retry-After", "").isdigit():
            delay = float(response.headers["Retry-After"])
        time.sleep(min(delay, MAX_TOKEN_RETRY_WAIT))

    @staticmethod
    def _json_or_none(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _rejection(self, status: int, body: Any, what: str) -> AirbyteTracedException:
        error = body.get("error") if isinstance(body, dict) else None
        description = body.get("error_description") if isinstance(body, dict) else None
        detail = f"{error}: {description}" if error and description else (error or f"HTTP {status}")
        if error == "invalid_client":
            advice = (
                "Check `client_id` (your app reference), `client_secret` and `client_type` "
                "(a public app sends no secret). Then re-authorise if the problem persists."
            )
        else:
            advice = "Check that `account` and `data_center` name your Brightpearl account. " + REAUTHORISE_HINT
        return TokenRejected(
            message=f"Brightpearl rejected the {what} for account '{self._config.get('account')}' ({detail}). {advice}",
            internal_message=f"token endpoint HTTP {status}: {error}",
            failure_type=FailureType.config_error,
        )

    def _token_set(self, body: Dict[str, Any], what: str) -> TokenSet:
        token_key = self._config.get("response_token_key") or "access_token"
        access_token = body.get(token_key)
        if not access_token:
            raise AirbyteTracedException(
                message=f"Brightpearl's token response for the {what} has no `{token_key}`. Check `response_token_key` "
                "(normally `access_token`).",
                internal_message=f"token response keys: {sorted(body)}",
                failure_type=FailureType.config_error,
            )
        try:
            lifetime = timedelta(seconds=int(body["expires_in"]))
        except (KeyError, TypeError, ValueError):
            # No usable expiry: assume an hour and let a 401 trigger the next refresh if that is wrong.
            lifetime = timedelta(hours=1)
        return TokenSet(
            access_token=str(access_token),
            refresh_token=body.get("refresh_token") or None,
            expires_at=datetime.now(timezone.utc) + lifetime,
            lifetime=lifetime,
            api_domain=_acceptable_api_domain(body.get("api_domain")),
        )


def _acceptable_api_domain(value: Any) -> Optional[str]:
    """The token response's `api_domain` if the connector may send tokens there; otherwise None (with a warning):
    the requests then go to the data-center host, where a wrong account answers with a clear error."""
    if not value:
        return None
    problem = api_domain_problem(value) if isinstance(value, str) else "is not a host name"
    if problem:
        logger.warning(f"Ignoring the API domain in Brightpearl's token response: it {problem}.")
        return None
    return value.strip()


def _origin_and_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _failure_name(error: requests.RequestException) -> str:
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return f"no connection within {http_limits().connect:g} s"
    if isinstance(error, requests.exceptions.Timeout):
        return "no answer in time"
    return type(error).__name__


def _kind(response: requests.Response) -> str:
    content_type = response.headers.get("Content-Type", "")
    return " with an HTML page" if "html" in content_type else ("" if "json" in content_type else " without JSON")


def _is_unknown_host(error: BaseException) -> bool:
    """A DNS lookup that found no such host (a wrong `data_center`), as opposed to a host that did not answer."""
    seen = 0
    current: Optional[BaseException] = error
    while current is not None and seen < 10:
        if type(current).__name__ in ("NameResolutionError", "gaierror"):
            return True
        reason = getattr(current, "reason", None)
        arg = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = reason if isinstance(reason, BaseException) else (arg or current.__context__)
        seen += 1
    return False


class Credentials:
    """The connector's live OAuth credentials, stored in the config dict shared by every component.

    All instances that share a config serialise token changes through one lock, so concurrent streams never spend
    a single-use refresh token twice.
    """

    _lock = threading.RLock()
    # When to refresh each access token we obtained ourselves (we know its lifetime). Tokens read from the config
    # use the full margin.
    _refresh_at: Dict[str, datetime] = {}

    def __init__(
        self,
        config: MutableMapping[str, Any],
        endpoint: Optional[TokenEndpoint] = None,
        persist: Callable[[MutableMapping[str, Any]], None] = emit_configuration_as_airbyte_control_message,
    ) -> None:
        self._config = config
        self._endpoint = endpoint or TokenEndpoint(config)
        # How a new token set reaches durable storage: a CONNECTOR_CONFIG control message for the platform (the
        # connector), or the config file (`source-brightpearl authorize`).
        self._persist = persist
        for key in secret_keys():
            value = config.get(key)
            register_secret(value if isinstance(value, str) else None)

    # -- reading ------------------------------------------------------------------------------------------------
    def access_token(self) -> str:
        """A usable access token, obtaining or refreshing one first when needed."""
        token = self._config.get("access_token")
        if token and not self._is_due(token) and not self._has_code():
            return token
        with self._lock:
            token = self._config.get("access_token")
            if self._has_code():
                return self._exchange_code()
            if token and not self._is_due(token):
                return token
            return self._refresh()

    def force_refresh(self, rejected_token: Optional[str] = None) -> str:
        """Refresh after the API rejected a token (401). Skipped if another thread already replaced that token."""
        with self._lock:
            current = self._config.get("access_token")
            if rejected_token and current and current != rejected_token:
                return current
            return self._refresh()

    def _has_code(self) -> bool:
        # `grant_type` says how the first tokens are obtained: only the authorization_code grant exchanges a code.
        grant_type = self._config.get("grant_type") or "authorization_code"
        return grant_type == "authorization_code" and bool(self._config.get("authorization_code"))

    def _is_due(self, token: str) -> bool:
        expiry = _parse_expiry(self._config.get("token_expiry_date"))
        if expiry is None:
            return True
        refresh_at = self._refresh_at.get(token, expiry - MAX_REFRESH_MARGIN)
        return datetime.now(timezone.utc) >= refresh_at

    # -- obtaining ----------------------------------------------------------------------------------------------
    def _exchange_code(self) -> str:
        code = self._config["authorization_code"]
        has_refresh_token = bool(self._config.get("refresh_token"))
        try:
            tokens = self._endpoint.exchange_code(code)
        except TokenRejected:
            if not has_refresh_token:
                raise
            # An old code left beside working tokens (e.g. a platform that kept it): the saved refresh token is the
            # newer credential, so carry on with it rather than fail the sync.
            logger.warning(
                "The authorised code in the configuration was already used or has expired; continuing with the saved refresh token."
            )
            self._config.pop("authorization_code", None)
            return self._refresh()
        logger.info("Exchanged the authorised code for Brightpearl tokens.")
        self._store(tokens, forget_code=True)
        return tokens.access_token

    def _refresh(self) -> str:
        refresh_token = self._config.get("refresh_token")
        if not refresh_token:
            raise TokenRejected(
                message="The configuration has no usable access token and no refresh token (nor an authorised code) to obtain one. "
                + REAUTHORISE_HINT,
                internal_message="no refresh_token in config",
                failure_type=FailureType.config_error,
            )
        tokens = self._endpoint.refresh(refresh_token)
        logger.info("Refreshed the Brightpearl access token.")
        self._store(tokens, forget_code=False)
        return tokens.access_token

    def _store(self, tokens: TokenSet, forget_code: bool) -> None:
        """Write the new token set into the shared config and have the platform persist it, before any use."""
        register_secret(tokens.access_token)
        register_secret(tokens.refresh_token)
        self._config["access_token"] = tokens.access_token
        if tokens.refresh_token:
            self._config["refresh_token"] = tokens.refresh_token
        self._config["token_expiry_date"] = tokens.expires_at.isoformat()
        if tokens.api_domain:
            self._config["api_domain"] = tokens.api_domain
        if forget_code:
            # A code is single-use: keeping it would make the next run try (and fail) to exchange it again.
            self._config.pop("authorization_code", None)
        margin = min(MAX_REFRESH_MARGIN, tokens.lifetime / 10)
        self._refresh_at[tokens.access_token] = tokens.expires_at - margin
        self._persist(self._config)
