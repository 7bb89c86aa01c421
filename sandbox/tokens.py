"""Authorization codes, access tokens and refresh tokens (docs/brightpearl-api.md §P2, §P4). In memory, thread-safe.

Tokens look like Brightpearl's: base64 of 32 random bytes, so they contain `+`, `/` and `=` — a client that does
not URL-encode them (the docs warn about exactly this) fails here as it would intermittently in production. Every
token and code is drawn until it contains all three characters, so the failure is not intermittent here.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass, replace

from .apps import App

EXPIRED_OR_MISSING = "The auth token has either expired or does not exist"
REDIRECT_MISMATCH = "Redirect uri does not match that used to request auth token"


class OAuthError(Exception):
    """An OAuth error answered as HTTP 400 `{"error_description": …, "error": …}` (docs/brightpearl-api.md §P2.5)."""

    def __init__(self, error: str, description: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.description = description

    def body(self) -> dict:
        # Key order as recorded: error_description first.
        if self.description:
            return {"error_description": self.description, "error": self.error}
        return {"error": self.error}


@dataclass(frozen=True)
class _Code:
    app_ref: str
    account: str
    redirect_uri: str
    expires_at: float


@dataclass(frozen=True)
class AccessGrant:
    app_ref: str
    account: str
    installation_instance_id: str
    expires_at: float


@dataclass(frozen=True)
class _Refresh:
    app_ref: str
    account: str
    installation_instance_id: str


def new_token() -> str:
    while True:
        token = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        if "+" in token and "/" in token:  # "=" is always there: 32 bytes pad to 44 characters
            return token


class TokenStore:
    def __init__(self, clock=time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, AccessGrant] = {}
        self._refresh: dict[str, _Refresh] = {}

    def issue_code(self, app: App, account: str, redirect_uri: str, lifetime: float) -> str:
        code = new_token()
        with self._lock:
            self._codes[code] = _Code(app.ref, account, redirect_uri, self._clock() + lifetime)
        return code

    def redeem_code(self, code: str, app: App, account: str, redirect_uri: str | None, lifetime: int) -> dict:
        """authorization_code grant: single use, expires, bound to the app, account and redirect URI."""
        with self._lock:
            entry = self._codes.get(code)
            if entry is None or entry.app_ref != app.ref or entry.account != account:
                raise OAuthError("invalid_grant", EXPIRED_OR_MISSING)
            if entry.expires_at <= self._clock():
                del self._codes[code]
                raise OAuthError("invalid_grant", EXPIRED_OR_MISSING)
            if redirect_uri != entry.redirect_uri:
                raise OAuthError("invalid_grant", REDIRECT_MISMATCH)
            del self._codes[code]
            return self._issue_locked(app, account, lifetime, refresh_token=None, with_instance_id=True)

    def issue_tokens(self, app: App, account: str, lifetime: int) -> dict:
        """Tokens as if a code had just been redeemed (test helper: skips the consent step)."""
        with self._lock:
            return self._issue_locked(app, account, lifetime, refresh_token=None, with_instance_id=True)

    def refresh(self, refresh_token: str, app: App, account: str, lifetime: int, rotate: bool) -> dict:
        """refresh_token grant. Rotating mode: the used refresh token dies and a new one is returned. Static mode:
        the same refresh token is returned and stays valid. Either way a new access token with a full lifetime."""
        with self._lock:
            entry = self._refresh.get(refresh_token)
            if entry is None or entry.app_ref != app.ref or entry.account != account:
                raise OAuthError("invalid_grant", EXPIRED_OR_MISSING)
            if rotate:
                del self._refresh[refresh_token]
                keep = None
            else:
                keep = refresh_token
            # The recorded refresh response has no installation_instance_id (docs/brightpearl-api.md §P2.3).
            return self._issue_locked(app, account, lifetime, refresh_token=keep, with_instance_id=False)

    def _issue_locked(self, app: App, account: str, lifetime: int, refresh_token: str | None, with_instance_id: bool) -> dict:
        access = new_token()
        self._access[access] = AccessGrant(app.ref, account, app.installation_instance_id, self._clock() + lifetime)
        if refresh_token is None:
            refresh_token = new_token()
            self._refresh[refresh_token] = _Refresh(app.ref, account, app.installation_instance_id)
        body = {"access_token": access, "refresh_token": refresh_token}
        if with_instance_id:
            body["installation_instance_id"] = app.installation_instance_id
        return body

    def access_grant(self, token: str) -> AccessGrant | None:
        with self._lock:
            return self._access.get(token)

    def is_expired(self, grant: AccessGrant) -> bool:
        return grant.expires_at <= self._clock()

    def expire_access_tokens(self) -> None:
        """Every access token issued so far expires now (refresh tokens keep working): requests in flight and the
        next ones get 401 "Authorization token expired", as when a token outlives its `expires_in`."""
        with self._lock:
            now = self._clock()
            self._access = {token: replace(grant, expires_at=min(grant.expires_at, now)) for token, grant in self._access.items()}

    def revoke_all(self) -> None:
        """Forget every access and refresh token (codes stay valid): a later call gets 401 "Invalid instance token"
        and a refresh gets invalid_grant, as after an app is uninstalled and reinstalled."""
        with self._lock:
            self._access.clear()
            self._refresh.clear()
