"""The consent step of Brightpearl's authorization-code flow (docs/brightpearl.md, "Setup guide").

`https://oauth.brightpearl.com/authorize/{account}?response_type=code&client_id=…&redirect_uri=…&state=…[&scope=…]`
sends the user to Brightpearl's consent page, which redirects to the redirect URI with `code` and the same `state`.
A platform runs this from spec.json's `advanced_auth`; `source-brightpearl authorize` and the demo run it here.
"""

from __future__ import annotations

import secrets
import string
from typing import Any, Mapping
from urllib.parse import parse_qs, urlencode, urlsplit

AUTHORIZE_ORIGIN = "https://oauth.brightpearl.com"
_STATE_ALPHABET = string.ascii_letters + string.digits


class ConsentError(ValueError):
    """The callback cannot be trusted or used (wrong state, an error from Brightpearl, no code)."""


class ForgedCallback(ConsentError):
    """A callback whose `state` is not the one sent: not an answer to this authorisation (forged, or stale)."""


def new_state(length: int) -> str:
    """An unguessable `state` of exactly `length` characters (the config's `state_length`)."""
    if length < 1:
        raise ValueError("state_length must be at least 1")
    return "".join(secrets.choice(_STATE_ALPHABET) for _ in range(length))


def consent_url(config: Mapping[str, Any], state: str) -> str:
    origin = (config.get("base_url") or "").strip().rstrip("/") or AUTHORIZE_ORIGIN
    params = {
        "response_type": config.get("response_type_key") or "code",
        "client_id": config["client_id"],
    }
    if config.get("oauth_callback_url"):
        params["redirect_uri"] = config["oauth_callback_url"]
    params["state"] = state
    if config.get("scope"):
        params["scope"] = config["scope"]
    return f"{origin}/authorize/{config['account']}?{urlencode(params)}"


def code_from_callback(callback: str, expected_state: str) -> str:
    """The code from a callback URL (or query string) after checking its state; a bare code is returned as is."""
    text = callback.strip()
    if "code=" not in text and "error=" not in text and "?" not in text:
        return text  # the user pasted just the code
    query = parse_qs(urlsplit(text).query if "?" in text else text.lstrip("?"))
    # The state first: anything, an error included, from a callback that does not carry it is not Brightpearl's
    # answer to this request.
    state = query.get("state", [""])[0]
    if not secrets.compare_digest(state.encode(), expected_state.encode()):
        raise ForgedCallback("The callback's state does not match the one sent: refusing it (it may be forged). Start again.")
    if "error" in query:
        raise ConsentError(f"Brightpearl refused the authorisation: {query['error'][0]}")
    code = query.get("code", [""])[0]
    if not code:
        raise ConsentError("The callback carries no code.")
    return code
