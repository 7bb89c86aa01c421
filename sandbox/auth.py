"""Bearer checks on API calls (docs/brightpearl-api.md §P3, §P4). Every call needs `Authorization: Bearer <token>` with a valid,
unexpired, unrevoked token issued for this account, plus `brightpearl-app-ref` naming the app the token was issued
to. Failures are 401 with `Message-Type: api-proxy` and a plain string in `response`; no `WWW-Authenticate`.

Choices where the notes are silent: a missing, unknown or wrong `brightpearl-app-ref` gets the "Not authenticated"
body; a token used against another account path gets "Invalid instance token" (instance tokens belong to one
installation on one account).
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import Context
from .http_types import Request, Response, string_response
from .tokens import AccessGrant

NOT_AUTHENTICATED = "Not authenticated. You must provide a valid authentication token."
EXPIRED = "Authorization token expired"


@dataclass(frozen=True)
class AuthResult:
    grant: AccessGrant | None
    failure: Response | None


def authenticate(ctx: Context, request: Request, account: str) -> AuthResult:
    token = _bearer_token(request.headers.get("Authorization"))
    if token is None:
        return _fail(NOT_AUTHENTICATED)
    grant = ctx.tokens.access_grant(token)
    if grant is None or grant.account != account:
        return _fail(f"Invalid instance token: {token_prefix(token)}")
    if ctx.tokens.is_expired(grant):
        return _fail(EXPIRED)
    if request.headers.get("brightpearl-app-ref") != grant.app_ref:
        return _fail(NOT_AUTHENTICATED)
    return AuthResult(grant, None)


def token_prefix(token: str) -> str:
    """Enough of a token to recognise it in a log, never the whole of it."""
    return token[: min(8, len(token) // 2)] + "…"


def _bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def _fail(message: str) -> AuthResult:
    response = string_response(401, message)
    # A fixed anti-cache value, as recorded on 401/503 (docs/brightpearl-api.md §P9).
    response.headers.append(("Expires", "Mon, 20 Dec 1998 01:00:00 GMT"))
    return AuthResult(None, response)
