"""The connector config a sandbox hands out (CONTRIBUTING.md §7.1): every required key, the sandbox's own origin as
`base_url`, its registered `/callback` as `oauth_callback_url`, and either a fresh authorization code or tokens."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from .apps import DEVELOPER_REF
from .context import Context
from .oauth import complete_token_body

DAY_SECONDS = 86_400
# An account starts with its orders, products and contacts; goods notes, payments, journals and movements follow
# from orders. Reading only these tables keeps the config instant at 200k orders (the derived tables take the
# world ~40 s to build); tests check the result against every table at small scale.
START_DATE_TABLES = ("order-search", "product-search", "contact-search")
# For a world without dated search rows.
_FALLBACK_START_DATE = "2000-01-01T00:00:00Z"


def base_config(ctx: Context) -> dict:
    app = ctx.apps.confidential
    options = ctx.options
    return {
        "data_center": options.data_center,
        "account": options.account,
        "state_length": 32,
        "scope": "",
        "client_id": app.ref,
        "client_secret": app.secret,
        "response_token_key": "access_token",
        "grant_type": "authorization_code",
        "response_type_key": "code",
        "oauth_callback_url": next(iter(app.redirect_uris)),
        "client_type": app.client_type,
        "developer_ref": DEVELOPER_REF,
        "base_url": ctx.base_url,
        "start_date": start_date(ctx),
    }


def config_with_code(ctx: Context) -> dict:
    config = base_config(ctx)
    config["authorization_code"] = issue_code(ctx)
    return config


def config_with_tokens(ctx: Context) -> dict:
    tokens = issue_tokens(ctx)
    config = base_config(ctx)
    config.update(
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        token_expiry_date=datetime.fromtimestamp(time.time() + tokens["expires_in"], timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return config


def issue_code(ctx: Context, redirect_uri: str | None = None, client_id: str | None = None) -> str:
    """A code as if the consent screen had just redirected (valid for `code_lifetime` seconds)."""
    app = ctx.apps.get(client_id) if client_id else ctx.apps.confidential
    if app is None:
        raise ValueError(f"unknown client_id {client_id!r}")
    uri = redirect_uri or next(iter(app.redirect_uris))
    return ctx.tokens.issue_code(app, ctx.options.account, uri, ctx.options.code_lifetime)


def issue_tokens(ctx: Context, client_id: str | None = None) -> dict:
    """A full token response (as the code grant returns it), without the consent and code steps."""
    app = ctx.apps.get(client_id) if client_id else ctx.apps.confidential
    if app is None:
        raise ValueError(f"unknown client_id {client_id!r}")
    return complete_token_body(ctx, ctx.tokens.issue_tokens(app, ctx.options.account, ctx.options.token_lifetime))


def start_date(ctx: Context) -> str:
    """The UTC midnight at least a day before the earliest date-time the primary searches serve: before all data,
    yet not so early that a connector slicing by time walks years of empty windows. Computed once per sandbox."""
    if ctx.start_date is None:
        earliest = ctx.search.earliest_instant(list(START_DATE_TABLES))
        if earliest is None:
            ctx.start_date = _FALLBACK_START_DATE
        else:
            day = (int(earliest) // DAY_SECONDS - 1) * DAY_SECONDS
            ctx.start_date = datetime.fromtimestamp(day, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ctx.start_date
