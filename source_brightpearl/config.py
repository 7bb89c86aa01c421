"""Actionable validation of a user's config, before anything is sent to Brightpearl, and the one place the config
is prepared for the CDK.

The CDK validates the config against spec.json too, but its messages do not always name the field ("'abc' is not
of type 'integer'") and can quote a secret's value. This runs first and names the field and the fix.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional

from source_brightpearl.api.datetimes import EARLIEST_YEAR, format_utc, parse_datetime
from source_brightpearl.api.endpoints import api_domain_problem, base_url_problem
from source_brightpearl.resources import load_spec, secret_keys

logger = logging.getLogger("airbyte")

_JSON_TYPES = {"string": str, "integer": int, "boolean": bool}
# Config values sent as HTTP header values (manifest.yaml `definitions.requester.request_headers`, and the bearer
# token in `Authorization`): HTTP carries header values as Latin-1, and a line break would end the header.
HEADER_KEYS = ("client_id", "developer_ref", "access_token")
# Written by the platform or by the connector itself: whatever it holds, a value that is not a date-time only means
# "refresh the access token now" (a platform may store Brightpearl's `expires_in` there as a number).
TOKEN_EXPIRY_KEY = "token_expiry_date"
_SHOWN_VALUE_LENGTH = 60


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _shown(value: Any) -> str:
    """A value as quoted in a message: short (a config value can be a huge object), line breaks made visible."""
    if isinstance(value, (dict, list)):
        return _type_name(value)
    text = repr(value)[1:-1] if isinstance(value, str) else repr(value)
    text = text if len(text) <= _SHOWN_VALUE_LENGTH else text[: _SHOWN_VALUE_LENGTH - 1] + "…"
    return f"`{text}`" if isinstance(value, str) else text


def config_problems(config: Mapping[str, Any]) -> List[str]:
    """Every problem found, each naming the field and what to do. An empty list means the config is usable."""
    if not isinstance(config, Mapping):
        return [f"The configuration must be a JSON object, not {_type_name(config)}."]
    spec = load_spec()["connectionSpecification"]
    properties = spec["properties"]
    secrets = secret_keys()
    problems: List[str] = []

    for key in spec["required"]:
        if config.get(key) is None:
            problems.append(f"`{key}` ({properties[key]['title']}) is missing: {properties[key]['description']}")

    for key, value in config.items():
        field = properties.get(key)
        if field is None or value is None or key == TOKEN_EXPIRY_KEY:
            continue
        label = f"`{key}` ({field['title']})"
        expected = _JSON_TYPES.get(field["type"])
        # bool is an int in Python: reject it for integer fields explicitly.
        if expected and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
            shown = "" if key in secrets else f" ({_shown(value)})"
            problems.append(f"{label} must be {_type_name(expected())}, not {_type_name(value)}{shown}.")
            continue
        if "enum" in field and value not in field["enum"]:
            choices = ", ".join(f"`{choice}`" for choice in field["enum"])
            problems.append(f"{label} is `{value}`; it must be one of {choices}.")
        # The whole value must match: `re.match` with `$` would let a trailing line break through.
        if "pattern" in field and isinstance(value, str) and not re.fullmatch(field["pattern"], value):
            problems.append(f"{label} {_shown(value)} is malformed: {field['description']}")
        if isinstance(value, int) and not isinstance(value, bool):
            if "minimum" in field and value < field["minimum"] or "maximum" in field and value > field["maximum"]:
                problems.append(f"{label} is {value}; it must be between {field['minimum']} and {field['maximum']}.")
        if field.get("format") == "date-time" and isinstance(value, str) and value:
            problem = _date_problem(value)
            if problem:
                problems.append(f"{label} {_shown(value)} {problem}")
        if key in HEADER_KEYS and isinstance(value, str):
            problem = _header_value_problem(value)
            if problem:
                problems.append(f"{label} {problem}" if key in secrets else f"{label} {_shown(value)} {problem}")

    base_url = config.get("base_url")
    if isinstance(base_url, str) and base_url:
        problem = base_url_problem(base_url)
        if problem:
            problems.append(f"`base_url` (Base URL) {problem}.")
    api_domain = config.get("api_domain")
    if isinstance(api_domain, str) and api_domain:
        problem = api_domain_problem(api_domain)
        if problem:
            problems.append(f"`api_domain` (API domain) {problem}. Clear it: the next token response sets it again.")

    has_code = bool(config.get("authorization_code"))
    has_tokens = bool(config.get("refresh_token") or config.get("access_token"))
    if config.get("grant_type", "authorization_code") == "authorization_code" and not (has_code or has_tokens):
        problems.append(
            "No credentials: set `authorization_code` (OAuth authorised code) from the Brightpearl consent callback, "
            "or tokens from an earlier authorisation (`refresh_token`). `source-brightpearl authorize --config CONFIG` walks you through it."
        )
    if config.get("grant_type") == "refresh_token" and not config.get("refresh_token"):
        problems.append(
            "`grant_type` is `refresh_token` but `refresh_token` (Refresh token) is empty: paste the refresh token you hold."
        )
    return problems


def _date_problem(value: str) -> Optional[str]:
    """Why a config date-time is unusable, or None. Every ISO 8601 form is accepted (they are normalised)."""
    try:
        moment = parse_datetime(value)
    except (ValueError, OverflowError):
        return "is not an ISO 8601 date-time such as 2024-01-01T00:00:00Z (a date such as 2024-01-01 is fine too)."
    if moment.year < EARLIEST_YEAR:
        return f"is before the year {EARLIEST_YEAR}; check the year."
    if moment > datetime.now(timezone.utc):
        return "is in the future: there is nothing to read after it yet. Use a date in the past (or leave it empty)."
    return None


def _header_value_problem(value: str) -> Optional[str]:
    if "\r" in value or "\n" in value:
        return "contains a line break; remove it (it is sent as an HTTP header)."
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return "contains characters HTTP headers cannot carry (only Latin-1 is allowed); check for a pasted typographic quote or dash."
    return None


def prepared_config(config: Mapping[str, Any]) -> Dict[str, Any]:
    """The config as the CDK and every component see it (call after `config_problems` found none):
    - `start_date` in the one format the incremental windows parse (UTC, seconds, `Z`);
    - spec.json's default for every missing setting the manifest reads (`requests_per_minute`, `num_workers`), so no default is
      written anywhere else;
    - `token_expiry_date` dropped when it is not a date-time, so the access token is refreshed at once (and the new
      expiry written back).
    """
    prepared = dict(config)
    start_date = prepared.get("start_date")
    if isinstance(start_date, str) and start_date:
        try:
            prepared["start_date"] = format_utc(parse_datetime(start_date))
        except ValueError:
            pass  # reported by config_problems
    properties = load_spec()["connectionSpecification"]["properties"]
    for key in ("requests_per_minute", "num_workers"):
        if prepared.get(key) is None:
            prepared[key] = properties[key]["default"]
    expiry = prepared.get(TOKEN_EXPIRY_KEY)
    if expiry is not None and not _is_date_time(expiry):
        logger.info(f"`{TOKEN_EXPIRY_KEY}` holds {_type_name(expiry)} that is not a date-time: refreshing the access token now.")
        prepared.pop(TOKEN_EXPIRY_KEY)
    return prepared


def _is_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parse_datetime(value)
    except ValueError:
        return False
    return True
