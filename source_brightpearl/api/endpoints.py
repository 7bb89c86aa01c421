"""Where Brightpearl lives for a given config: the token endpoint and the API origin.

PROTOCOL.md §1/§2 and DESIGN.md §4: the token endpoint is on `https://{data_center}.brightpearlconnect.com`; the API
is at `https://{api_domain}` with `api_domain` from the token response (authoritative: Brightpearl moves accounts
between hosts), falling back to the data-center host; `base_url` overrides both (proxies, the local sandbox).
"""

from __future__ import annotations

import ipaddress
from typing import Any, Mapping
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost"}


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
    base = _base_url(config)
    if base:
        return base
    domain = (config.get("api_domain") or "").strip().rstrip("/")
    if domain:
        return domain if "://" in domain else f"https://{domain}"
    return f"https://{config['data_center']}.brightpearlconnect.com"


def token_url(config: Mapping[str, Any]) -> str:
    # The documented path form with the account in the path (PROTOCOL.md §2.2), so no `account_code` field is needed.
    return f"{token_origin(config)}/{config['account']}/oauth/token"


def api_prefix(config: Mapping[str, Any]) -> str:
    """The URI prefix every resource path is relative to: `{origin}/public-api/{account}`."""
    return f"{api_origin(config)}/public-api/{config['account']}"


def base_url_problem(value: str) -> str | None:
    """Why a `base_url` is unacceptable, or None. Plain http would send tokens in clear text, so it is only allowed
    to loopback hosts (a local proxy or the sandbox)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an absolute http(s) URL such as https://proxy.example.com"
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return f"uses plain http to '{parts.hostname}', which would send your tokens unencrypted; use https (http is only allowed for 127.0.0.1, localhost or ::1)"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "must be an origin only (scheme, host and optional port), without a path or query"
    return None
