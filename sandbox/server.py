"""The HTTP server: stdlib `ThreadingHTTPServer`, HTTP/1.1 keep-alive (every response sets Content-Length), bound
to 127.0.0.1 only. It parses requests into `Request`, dispatches on the first path segments, and writes the
`Response`; the endpoint modules know nothing about sockets."""

from __future__ import annotations

import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from . import oauth
from .admin import handle_admin
from .api import handle_api, not_found
from .context import Context
from .faults import internal_error_response, token_fault_response
from .http_types import Request, Response, errors_response

LOOPBACK = "127.0.0.1"
IDLE_KEEP_ALIVE_SECONDS = 120
# A hanging answer is held at most this long (or until the sandbox stops).
HANG_SECONDS = 3600.0


def dispatch(ctx: Context, request: Request) -> Response:
    """Top-level paths: the API, the OAuth endpoints, the admin API, the registered redirect target."""
    segments = request.segments
    head = segments[0] if segments else ""
    if head == "__sandbox" and len(segments) == 2:
        return handle_admin(ctx, request, segments[1])
    if head == "public-api" and len(segments) >= 3:
        # Each request is served on its own thread and sleeps its latency there, so requests in flight at once
        # overlap as they do on a real server (counted as `in_flight` / `max_in_flight`).
        ctx.counters.started()
        try:
            _latency(ctx)
            return handle_api(ctx, request, segments[1], segments[2:])
        finally:
            ctx.counters.finished()
    _latency(ctx)
    if head == "authorize" and len(segments) == 2:
        if request.method != "GET":
            return errors_response(405, "CMNC-405", f"Method {request.method} is not supported on /authorize")
        return oauth.handle_authorize(ctx, request, segments[1])
    token_path = (
        segments == ["oauth", "token"]
        or (len(segments) == 3 and segments[1:] == ["oauth", "token"])
        or (head == "token" and len(segments) == 2)
    )
    if token_path and ctx.options.token_fault:
        ctx.counters.fault(f"token_{ctx.options.token_fault}")
        return token_fault_response(ctx.options.token_fault)
    if segments == ["oauth", "token"]:
        return oauth.handle_token(ctx, request, None)
    if len(segments) == 3 and segments[1:] == ["oauth", "token"]:
        return oauth.handle_token(ctx, request, segments[0])
    if head == "token" and len(segments) == 2:
        return oauth.handle_token(ctx, request, segments[1])
    if segments == ["callback"]:
        return oauth.handle_callback(request)
    return not_found("/app" + request.raw_path)


def _latency(ctx: Context) -> None:
    if ctx.options.latency_ms:
        time.sleep(ctx.options.latency_ms / 1000.0)


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The listen backlog (socketserver's default is 5): a client opening more connections at once than the backlog
    # holds sees the extra ones wait for the kernel's SYN retry, a second later, which serialised concurrent clients.
    request_queue_size = 128

    def __init__(self, port: int, make_context: Callable[[str], Context]) -> None:
        """Bind 127.0.0.1:port (0 = a free port), then build the context, which needs the real base URL."""
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        # Set when the sandbox stops: hanging and dripping answers give up at once.
        self.stopping = threading.Event()
        super().__init__((LOOPBACK, port), _Handler)
        self.ctx = make_context(f"http://{LOOPBACK}:{self.server_address[1]}")

    def handle_error(self, request, client_address):
        # A client that hangs up mid-response (a killed connector, a dropped-connection fault) is normal here.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close idle keep-alive connections on stop, so clients see the server go away at once."""
        self.stopping.set()
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "brightpearl-sandbox"
    sys_version = ""
    timeout = IDLE_KEEP_ALIVE_SECONDS
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle + delayed ACK stall keep-alive
    # responses by ~40 ms.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _handle(self) -> None:
        ctx = self.server.ctx
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            self._write(errors_response(411, "CMNC-411", "Chunked request bodies are not supported"))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._write(errors_response(400, "CMNC-400", "Invalid Content-Length"))
            return
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        raw_path = split.path or "/"
        request = Request(
            method=self.command,
            raw_path=raw_path,
            segments=[unquote(part) for part in raw_path.split("/")[1:]],
            query=parse_qsl(split.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
            client_ip=self.client_address[0],
        )
        try:
            response = dispatch(ctx, request)
        # Never a traceback in a body: any bug becomes the API's generic 500, logged to stderr.
        except Exception:  # noqa: BLE001
            print(f"sandbox: error serving {self.command} {raw_path}", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            response = internal_error_response()
        if response.drop:
            self.close_connection = True
            self._log(0, raw_path)
            return
        if response.hang:
            self.server.stopping.wait(HANG_SECONDS)
            self.close_connection = True
            self._log(0, raw_path)
            return
        self._write(response, raw_path)

    def _write(self, response: Response, path: str | None = None) -> None:
        self.send_response_only(response.status)
        self.send_header("Date", self.date_time_string())
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            if response.drip_interval:
                self._drip(response.body, response.drip_interval)
            else:
                self.wfile.write(response.body)
        self._log(response.status, path or urlsplit(self.path).path)

    def _drip(self, body: bytes, interval: float) -> None:
        """The body one byte at a time, `interval` seconds apart; stops when the sandbox stops."""
        self.wfile.flush()
        for index in range(len(body)):
            if self.server.stopping.wait(interval if index else 0):
                self.close_connection = True
                return
            self.wfile.write(body[index : index + 1])
            self.wfile.flush()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests (bad request line, unsupported method, huge headers) get an errors envelope too."""
        self.close_connection = True
        text = message or self.responses.get(code, ("Error",))[0]
        response = Response(code, errors_response(code, f"CMNC-{code}", text).body)
        if not hasattr(self, "command") or self.command is None:
            self.command = ""
        self._write(response, "-")

    def _log(self, status: int, path: str) -> None:
        # Method, path without its query string (which can hold codes), status: never tokens or codes.
        if self.server.ctx.options.verbose:
            print(f"sandbox: {self.command} {path} {status or 'dropped'}", file=sys.stderr, flush=True)

    def log_message(self, format: str, *args) -> None:  # the base class's signature
        """Silence the default access log (it prints request lines with query strings); see `_log`."""
