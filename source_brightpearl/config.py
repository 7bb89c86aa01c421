"""Actionable validation of a user's config, before anything is sent to Brightpearl.

The CDK validates the config against spec.json too, but its messages do not always name the field ("'abc' is not
of type 'integer'") and can quote a secret's value. This runs first and names the field and the fix.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, List, Mapping

from source_brightpearl.api.endpoints import base_url_problem
from source_brightpearl.resources import load_spec

_SECRET_KEYS = {"client_secret", "authorization_code", "access_token", "refresh_token"}
_JSON_TYPES = {"string": str, "integer": int, "boolean": bool}


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def config_problems(config: Mapping[str, Any]) -> List[str]:
    """Every problem found, each naming the field and what to do. An empty list means the config is usable."""
    spec = load_spec()["connectionSpecification"]
    properties = spec["properties"]
    problems: List[str] = []

    for key in spec["required"]:
        if config.get(key) is None:
            problems.append(f"`{key}` ({properties[key]['title']}) is missing: {properties[key]['description']}")

    for key, value in config.items():
        field = properties.get(key)
        if field is None or value is None:
            continue
        label = f"`{key}` ({field['title']})"
        expected = _JSON_TYPES.get(field["type"])
        # bool is an int in Python: reject it for integer fields explicitly.
        if expected and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
            shown = "" if key in _SECRET_KEYS else f" ({value!r})"
            problems.append(f"{label} must be {_type_name(expected())}, not {_type_name(value)}{shown}.")
            continue
        if "enum" in field and value not in field["enum"]:
            choices = ", ".join(f"`{choice}`" for choice in field["enum"])
            problems.append(f"{label} is `{value}`; it must be one of {choices}.")
        if "pattern" in field and isinstance(value, str) and not re.match(field["pattern"], value):
            problems.append(f"{label} `{value}` is malformed: {field['description']}")
        if isinstance(value, int) and not isinstance(value, bool):
            if "minimum" in field and value < field["minimum"] or "maximum" in field and value > field["maximum"]:
                problems.append(f"{label} is {value}; it must be between {field['minimum']} and {field['maximum']}.")
        if field.get("format") == "date-time" and isinstance(value, str) and value:
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                problems.append(f"{label} `{value}` is not an ISO 8601 date-time such as 2024-01-01T00:00:00Z.")

    base_url = config.get("base_url")
    if isinstance(base_url, str) and base_url:
        problem = base_url_problem(base_url)
        if problem:
            problems.append(f"`base_url` (Base URL) {problem}.")

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
