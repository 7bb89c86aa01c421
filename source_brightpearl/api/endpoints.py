"""Where Brightpearl lives for a given config: the token endpoint and the API origin.

The token endpoint is on `https://{data_center}.brightpearlconnect.com`; the API is at `https://{api_domain}` with
`api_domain` from the token response (authoritative: Brightpearl moves accounts between hosts), falling back to the
data-center host; `base_url` overrides both (proxies, the local sandbox). docs/brightpearl.md ("Troubleshooting") gives the
sources.

Both overrides decide where the tokens are sent, so both are checked before anything is: `base_url` must be a bare
origin (no credentials, path, query or fragment) and https unless it is a loopback address; `api_domain` — which a
token response can set — must be one of Brightpearl's API host families, or a loopback host.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Mapping, Optional
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost"}
# The two API host families Brightpearl uses: `{dc}.brightpearlconnect.com` (current) and `ws-{dc}.brightpearl.com`
# (legacy, still returned as `api_domain` for some accounts).
API_HOST_SUFFIXES = (".brightpearlconnect.com", ".brightpearl.com")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def is_loopback_host(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _base_url(config: Mapping[str, Any]) -> str:
    return (config.get("base_url") or "").strip().rstrip("/")


def token_origin(config: Mapping[str, Any]) -> str:
    return _base_url(config) or f"https://{config['data_center']}.brightpearlconnect.com"


def api_origin(config: Mapping[str, Any]) -> str:
    """The origin every API request goes to (the manifest's requester `url` computes the same)."""
    base = _base_url(config)
    if base:
        return base
    domain = (config.get("api_domain") or "").strip()
    if domain:
        return f"https://{domain}"
    return f"https://{config['data_center']}.brightpearlconnect.com"


def token_url(config: Mapping[str, Any]) -> str:
    # The documented path form with the account in the path, so no `account_code` field is needed.
    return f"{token_origin(config)}/{config['account']}/oauth/token"


def api_prefix(config: Mapping[str, Any]) -> str:
    """The URI prefix every resource path is relative to: `{origin}/public-api/{account}`."""
    return f"{api_origin(config)}/public-api/{config['account']}"


def base_url_problem(value: str) -> Optional[str]:
    """Why a `base_url` is unacceptable, or None. Plain http would send tokens in clear text, so it is only allowed
    to loopback hosts (a local proxy or the sandbox). The messages never repeat the URL: it may hold a password."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return "is not a valid URL (check the host and the port)"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an absolute http(s) URL such as https://proxy.example.com"
    if "@" in parts.netloc:
        # requests would send the user and password as Basic auth to every host this URL names, and they would show
        # in error messages. A proxy that needs credentials is configured outside the connector.
        return "must not contain a user name or password (`user:password@`); remove them"
    if "?" in text or "#" in text or parts.path not in ("", "/"):
        # A trailing `?` or `#` leaves urlsplit's query and fragment empty, yet every URL built on it would be cut
        # there: the path after it would never reach the server.
        return "must be an origin only (scheme, host and optional port), without a path, query (`?`) or fragment (`#`)"
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return f"uses plain http to '{parts.hostname}', which would send your tokens unencrypted; use https (http is only allowed for 127.0.0.1, localhost or ::1)"
    if port == 0:
        return "has port 0, which is not a port a server can listen on"
    return None


def api_domain_problem(value: str) -> Optional[str]:
    """Why an `api_domain` (a host name with an optional port, as Brightpearl's token response gives it) is not one
    the connector may send tokens to, or None."""
    text = value.strip()
    if not text or any(mark in text for mark in ("/", "@", "?", "#", "\\")) or any(c.isspace() for c in text):
        return "must be a host name such as euw1.brightpearlconnect.com (no scheme, path, credentials, query or fragment)"
    try:
        parts = urlsplit(f"https://{text}")
        host, _port = parts.hostname or "", parts.port
    except ValueError:
        return "must be a host name with an optional port, such as euw1.brightpearlconnect.com"
    if is_loopback_host(host):
        return None  # the sandbox or a local proxy, as base_url allows
    labels = host.split(".")
    if not host.endswith(API_HOST_SUFFIXES) or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        families = " or ".join(f"*{suffix}" for suffix in API_HOST_SUFFIXES)
        return f"names '{host}', which is not a Brightpearl API host ({families}); the connector will not send your tokens there"
    return None
