"""The apps ("integrations") registered with the sandbox: one confidential OAuth app (the connector's default)
and one public app, both with the sandbox's own `/callback` as their registered redirect URI (docs/brightpearl-api.md §P2)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

CONFIDENTIAL_APP_REF = "sandbox_connector"
PUBLIC_APP_REF = "sandbox_public"
DEVELOPER_REF = "sandbox_developer"


@dataclass(frozen=True)
class App:
    ref: str  # the OAuth client_id and the `brightpearl-app-ref` header value
    client_type: str  # "confidential" | "public"
    secret: str | None  # confidential apps only
    redirect_uris: frozenset[str]
    installation_instance_id: str  # a string in token responses, as recorded (docs/brightpearl-api.md §P2.3)


class AppRegistry:
    def __init__(self, base_url: str) -> None:
        callback = frozenset({f"{base_url}/callback"})
        self._apps = {
            CONFIDENTIAL_APP_REF: App(CONFIDENTIAL_APP_REF, "confidential", secrets.token_urlsafe(24), callback, "13"),
            PUBLIC_APP_REF: App(PUBLIC_APP_REF, "public", None, callback, "14"),
        }

    def get(self, ref: str | None) -> App | None:
        return self._apps.get(ref) if ref else None

    def register_redirect_uri(self, uri: str, ref: str = CONFIDENTIAL_APP_REF) -> None:
        """Allow one more redirect URI for an app, as a developer does in Brightpearl's app settings."""
        app = self._apps[ref]
        self._apps[ref] = replace(app, redirect_uris=app.redirect_uris | {uri})

    @property
    def confidential(self) -> App:
        return self._apps[CONFIDENTIAL_APP_REF]
