"""The manifest's authenticator: `Authorization: Bearer <token>` from the shared, self-renewing credentials.

Declared once in manifest.yaml (`definitions.authenticator`) and used by every requester. It implements
`refresh_and_set_access_token`, which the CDK's HttpClient calls for the `REFRESH_TOKEN_THEN_RETRY` action we map
to HTTP 401 (Brightpearl's 401 carries no WWW-Authenticate header, so nothing else would trigger a refresh).
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass
from typing import Any, Mapping

from airbyte_cdk.sources.declarative.auth.declarative_authenticator import DeclarativeAuthenticator
from airbyte_cdk.sources.types import Config

from source_brightpearl.components.oauth import Credentials


@dataclass
class BrightpearlOAuthAuthenticator(DeclarativeAuthenticator):
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._credentials = Credentials(self.config)  # type: ignore[arg-type]  # the CDK's config is a mutable dict

    @property
    def auth_header(self) -> str:
        return "Authorization"

    @property
    def token(self) -> str:
        return f"Bearer {self._credentials.access_token()}"

    def refresh_and_set_access_token(self) -> None:
        current = self.config.get("access_token")
        self._credentials.force_refresh(rejected_token=current)
