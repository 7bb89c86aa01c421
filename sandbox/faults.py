"""Fault injection on API requests: the failures a connector meets in production (docs/brightpearl-api.md §P1, §P6).

- `drop`: the socket is closed without a response (connection reset / remote disconnected);
- `html_502`: an HTML 502 page from the Cloudflare edge in front of brightpearlconnect.com — no Brightpearl
  headers, not JSON, and the request never reached Brightpearl, so it spends no throttle quota;
- `500`: `{"errors":[{"code":"CMNU-003","message":"Internal Server Error"}]}` from the API itself, after the
  throttle and the bearer check, with the usual headers;
- `hang`: the request is accepted and never answered (a stuck server or proxy);
- `drip`: the normal answer, its body sent one byte every `drip_interval` seconds (a stalled transfer).
"""

from __future__ import annotations

import random
import threading

from .http_types import Response, errors_response
from .options import SandboxOptions

CLOUDFLARE_502 = b"""<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>cloudflare</center>
</body>
</html>
"""


class Faults:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._lock = threading.Lock()

    def draw(self, options: SandboxOptions) -> str | None:
        """One draw per API request: "drop", "html_502", "500", "hang", "drip" or None."""
        rates = (
            ("drop", options.fault_drop),
            ("html_502", options.fault_html_502),
            ("500", options.fault_500),
            ("hang", options.fault_hang),
            ("drip", options.fault_drip),
        )
        if not any(rate for _, rate in rates):
            return None
        with self._lock:
            r = self._rng.random()
        for kind, rate in rates:
            if r < rate:
                return kind
            r -= rate
        return None


def edge_fault_response(kind: str) -> Response:
    if kind == "drop":
        return Response(0, drop=True)
    if kind == "hang":
        return Response(0, hang=True)
    return Response(502, CLOUDFLARE_502, content_type="text/html", headers=[("Server", "cloudflare")])


def internal_error_response() -> Response:
    return errors_response(500, "CMNU-003", "Internal Server Error")


TOKEN_ENDPOINT_PAGE = b"<html><head><title>Sign in</title></head><body><p>Please sign in to continue.</p></body></html>"


def token_fault_response(kind: str) -> Response:
    """What the token endpoint answers under `token_fault`."""
    if kind == "hang":
        return Response(0, hang=True)
    if kind == "html":
        return Response(200, TOKEN_ENDPOINT_PAGE, content_type="text/html; charset=utf-8")
    return internal_error_response()
