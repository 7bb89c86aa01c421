"""Fault injection on API requests: the failures a connector meets in production (PROTOCOL.md §1, §6).

- `drop`: the socket is closed without a response (connection reset / remote disconnected);
- `html_502`: an HTML 502 page from the Cloudflare edge in front of brightpearlconnect.com — no Brightpearl
  headers, not JSON, and the request never reached Brightpearl, so it spends no throttle quota;
- `500`: `{"errors":[{"code":"CMNU-003","message":"Internal Server Error"}]}` from the API itself, after the
  throttle and the bearer check, with the usual headers.
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
        """One draw per API request: "drop", "html_502", "500" or None."""
        if not (options.fault_drop or options.fault_html_502 or options.fault_500):
            return None
        with self._lock:
            r = self._rng.random()
        for kind, rate in (("drop", options.fault_drop), ("html_502", options.fault_html_502), ("500", options.fault_500)):
            if r < rate:
                return kind
            r -= rate
        return None


def edge_fault_response(kind: str) -> Response:
    if kind == "drop":
        return Response(0, drop=True)
    return Response(502, CLOUDFLARE_502, content_type="text/html", headers=[("Server", "cloudflare")])


def internal_error_response() -> Response:
    return errors_response(500, "CMNU-003", "Internal Server Error")
