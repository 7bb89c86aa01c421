"""A 2xx answer the connector cannot use as it stands, and JSON decoding of response bodies.

Every such answer goes through one path (`BrightpearlRetriever._request`): it is asked for again within the failure
budget, then the sync stops naming the stream. `transient` says what the last failure is: a body cut short or empty,
or a search page that contradicts its own `metaData`, is a passing fault (a proxy or connection cut the body, a
replica answered mid-update); a well-formed body of another shape means Brightpearl's format is not what the
connector knows.
"""

from __future__ import annotations

from typing import Any, Mapping

import orjson


class MalformedResponse(ValueError):
    transient: bool = False

    def __init__(self, problem: str, transient: bool = False) -> None:
        super().__init__(problem)
        self.transient = transient


def decode_json(content: bytes, status: int, headers: Mapping[str, str]) -> Any:
    """The body as JSON; an empty or cut-short body is a transient `MalformedResponse`."""
    if not content or not content.strip():
        raise MalformedResponse(f"the body is empty (HTTP {status})", transient=True)
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        raise MalformedResponse(
            f"the body is not complete JSON (HTTP {status}, {len(content)} bytes, "
            f"Content-Type {headers.get('Content-Type', 'none')})",
            transient=True,
        ) from None
