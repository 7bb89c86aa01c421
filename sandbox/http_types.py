"""The request/response values passed between the HTTP server and the endpoint handlers, and the body builders
for Brightpearl's three envelopes (docs/brightpearl-api.md §P6): `{"response": …}`, `{"errors": [{code, message}]}`, and the
401/503 string form `{"response": "<message>"}`."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message

import orjson

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"


@dataclass
class Request:
    method: str
    raw_path: str  # path without the query string, still percent-encoded
    segments: list[str]  # raw_path split on "/" (leading empty part dropped), each segment percent-decoded
    query: list[tuple[str, str]]  # form-decoded: a literal "+" has become a space, as on any Java servlet
    headers: Message
    body: bytes
    client_ip: str

    def param(self, name: str) -> str | None:
        """The last value of a query parameter (a repeated parameter: the last one wins)."""
        value = None
        for key, val in self.query:
            if key == name:
                value = val
        return value


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = JSON_CONTENT_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    # Close the socket without writing anything (fault injection: a dropped connection).
    drop: bool = False
    # Write nothing and keep the connection open until the sandbox stops (fault injection: a server that hangs).
    hang: bool = False
    # Seconds between the body's bytes (fault injection: a server that drips its answer); 0 = all at once.
    drip_interval: float = 0.0


def json_response(status: int, payload: object, message_type: str | None = None) -> Response:
    return raw_json_response(status, orjson.dumps(payload), message_type)


def raw_json_response(status: int, body: bytes, message_type: str | None = None) -> Response:
    headers = [("Message-Type", message_type)] if message_type else []
    return Response(status, body, headers=headers)


def errors_response(status: int, code: str, message: str) -> Response:
    return json_response(status, {"errors": [{"code": code, "message": message}]}, message_type="error")


def string_response(status: int, message: str, message_type: str = "api-proxy") -> Response:
    return json_response(status, {"response": message}, message_type=message_type)
