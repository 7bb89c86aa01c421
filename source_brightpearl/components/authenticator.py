"""The manifest's authenticator: `Authorization: Bearer <token>` from the shared, self-renewing credentials.

Declared once in manifest.yaml (`definitions.authenticator`) and used by every requester. It implements
`refresh_and_set_access_token`, which the CDK's HttpClient calls for the `REFRESH_TOKEN_THEN_RETRY` action we map
to HTTP 401 (Brightpearl's 401 carries no WWW-Authenticate header, so nothing else would trigger a refresh).

It is also where every API request gets its body bound (api/transport.py): `requests` lets an authenticator add
response hooks to the request it signs, and this authenticator signs every request the connector sends through the
CDK, so no response body is read without the time and size limits.

No `from __future__ import annotations` here: the CDK reads this dataclass's field types with `typing.get_type_hints`,
which on Python 3.10 rejects an `InitVar` written as a string.
"""

import threading
from dataclasses import InitVar, dataclass
from typing import Any, Mapping

import requests
from airbyte_cdk.sources.declarative.auth.declarative_authenticator import DeclarativeAuthenticator
from airbyte_cdk.sources.types import Config

from source_brightpearl.api.transport import read_body_within_limits
from source_brightpearl.components.oauth import Credentials


@dataclass
class BrightpearlOAuthAuthenticator(DeclarativeAuthenticator):
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._credentials = Credentials(self.config)  # type: ignore[arg-type]  # the CDK's config is a mutable dict
        # The token each thread last put on a request. Several workers can get a 401 for the same token at once;
        # each must tell the credentials which token was rejected, so only the first refreshes and a single-use
        # refresh token is spent once (the current token, read later, may already be the new one).
        self._sent = threading.local()

    def __call__(self, request: requests.PreparedRequest) -> Any:
        super().__call__(request)
        self._sent.token = str(request.headers.get(self.auth_header, "")).removeprefix("Bearer ") or None
        # The CDK signs a request again before each retry: register the hook once.
        if read_body_within_limits not in request.hooks["response"]:
            request.register_hook("response", read_body_within_limits)
        return request

    @property
    def auth_header(self) -> str:
        return "Authorization"

    @property
    def token(self) -> str:
        return f"Bearer {self._credentials.access_token()}"

    def refresh_and_set_access_token(self) -> None:
        rejected = getattr(self._sent, "token", None) or self.config.get("access_token")
        self._credentials.force_refresh(rejected_token=rejected)
