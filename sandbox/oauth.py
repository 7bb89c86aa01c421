"""The OAuth endpoints (docs/brightpearl-api.md §P2): consent (`GET /authorize/{account}`, auto-approved), the token endpoint on
all three paths seen in docs and recordings, and the registered redirect target `/callback`.

Choices where the protocol notes are silent (see README "Protocol choices"):
- an unknown account on the token endpoint is `invalid_grant` "…expired or does not exist" (codes and tokens are
  stored per account, so the lookup simply fails);
- a public client that sends a non-empty `client_secret` is `invalid_client` (it has none to send);
- `client_secret` is optional on the refresh grant (ruby-brightpearl sends none and got 200, docs/brightpearl-api.md §P2.2), but a wrong one
  is `invalid_client`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from .context import Context
from .http_types import Request, Response, errors_response, json_response
from .tokens import OAuthError


def handle_authorize(ctx: Context, request: Request, account: str) -> Response:
    """Auto-approve the consent and redirect to `redirect_uri?code=…&state=…` (docs/brightpearl-api.md §P2.1). Problems with the client or
    the redirect URI are answered here (400) rather than redirected, so a code never goes to an unregistered URI."""
    options = ctx.options
    app = ctx.apps.get(request.param("client_id"))
    redirect_uri = request.param("redirect_uri")
    if app is None:
        ctx.counters.authorize("invalid_client")
        return _oauth_error(OAuthError("invalid_client"))
    if not redirect_uri or redirect_uri not in app.redirect_uris:
        ctx.counters.authorize("invalid_redirect_uri")
        return _oauth_error(OAuthError("invalid_request", "redirect_uri is not registered for this client"))
    if account != options.account:
        ctx.counters.authorize("unknown_account")
        return _oauth_error(OAuthError("invalid_request", "Unknown account"))
    state = request.param("state")
    if request.param("response_type") != "code":
        ctx.counters.authorize("unsupported_response_type")
        return _redirect(redirect_uri, {"error": "unsupported_response_type"}, state)
    code = ctx.tokens.issue_code(app, account, redirect_uri, options.code_lifetime)
    ctx.counters.authorize("approved")
    return _redirect(redirect_uri, {"code": code}, state)


def handle_token(ctx: Context, request: Request, path_account: str | None) -> Response:
    """`POST /oauth/token` (account in `account_code`), `POST /{account}/oauth/token`, `POST /token/{account}`."""
    if request.method != "POST":
        return errors_response(405, "CMNC-405", f"Method {request.method} is not supported on this resource")
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    grant_type = form.get("grant_type") or "(missing)"
    try:
        body = _grant(ctx, form, grant_type, path_account or form.get("account_code"))
    except OAuthError as error:
        ctx.counters.token_grant(grant_type, error.error)
        return _oauth_error(error)
    ctx.counters.token_grant(grant_type, "success")
    response = json_response(200, complete_token_body(ctx, body))
    response.headers.append(("Cache-Control", "no-store"))
    return response


def complete_token_body(ctx: Context, tokens: dict) -> dict:
    """Add the keys every successful grant carries (docs/brightpearl-api.md §P2.3); `expires_in` is the access-token lifetime option."""
    return {**tokens, "api_domain": ctx.api_domain, "token_type": "Bearer", "expires_in": int(ctx.options.token_lifetime)}


def _grant(ctx: Context, form: dict[str, str], grant_type: str, account: str | None) -> dict:
    options = ctx.options
    if grant_type not in ("authorization_code", "refresh_token"):
        raise OAuthError("unsupported_grant_type")
    if not account:
        raise OAuthError("invalid_request", "account_code is required")
    app = ctx.apps.get(form.get("client_id"))
    if app is None:
        raise OAuthError("invalid_client")
    secret = form.get("client_secret") or None
    if app.client_type == "public":
        if secret is not None:
            raise OAuthError("invalid_client")
    elif secret != app.secret and (grant_type == "authorization_code" or secret is not None):
        raise OAuthError("invalid_client")
    if account != options.account:
        raise OAuthError("invalid_grant", "The auth token has either expired or does not exist")
    if grant_type == "authorization_code":
        code = form.get("code")
        if not code:
            raise OAuthError("invalid_request", "code is required")
        return ctx.tokens.redeem_code(code, app, account, form.get("redirect_uri"), options.token_lifetime)
    refresh_token = form.get("refresh_token")
    if not refresh_token:
        raise OAuthError("invalid_request", "refresh_token is required")
    return ctx.tokens.refresh(refresh_token, app, account, options.token_lifetime, options.rotate_refresh_tokens)


def handle_callback(request: Request) -> Response:
    """The registered redirect URI lands on the sandbox itself, so a browser-driven consent shows the code."""
    return json_response(200, {key: value for key, value in request.query if key in ("code", "state", "error")})


def _redirect(redirect_uri: str, params: dict[str, str], state: str | None) -> Response:
    if state is not None:
        params["state"] = state
    separator = "&" if "?" in redirect_uri else "?"
    return Response(302, b"", content_type=None, headers=[("Location", redirect_uri + separator + urlencode(params))])


def _oauth_error(error: OAuthError) -> Response:
    return json_response(400, error.body())
