"""`source-brightpearl authorize --config CONFIG`: obtain tokens for a standalone (non-platform) setup.

Prints the consent URL. If the callback URL is on this machine (localhost / 127.0.0.1) it listens there for the
redirect; otherwise it asks for the URL the browser was sent to (or just the code). It checks the state, exchanges
the code, and writes the tokens into the config file atomically, keeping the previous file as CONFIG.bak.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Dict, MutableMapping, Optional, TextIO
from urllib.parse import urlsplit

from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.endpoints import is_loopback_host
from source_brightpearl.authorize.consent import ConsentError, code_from_callback, consent_url, new_state
from source_brightpearl.components.oauth import Credentials
from source_brightpearl.config import config_problems

_CLOSE_PAGE = b"<html><body><p>Brightpearl authorisation received. You can close this window.</p></body></html>"


def write_config_atomically(path: Path, config: MutableMapping[str, Any]) -> None:
    """Replace the config file in one step (never a half-written file), keeping the old one as `.bak`."""
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        backup.write_bytes(path.read_bytes())
        os.chmod(backup, 0o600)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(config, file, indent=2)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def wait_for_callback(callback_url: str, timeout: float) -> str:
    """Serve one redirect on the callback URL's loopback host and port; return the full callback URL received."""
    parts = urlsplit(callback_url)
    received: Dict[str, str] = {}
    done = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            if urlsplit(self.path).path != (parts.path or "/"):
                self.send_response(404)
                self.end_headers()
                return
            received["url"] = f"{parts.scheme}://{parts.netloc}{self.path}"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(_CLOSE_PAGE)))
            self.end_headers()
            self.wfile.write(_CLOSE_PAGE)
            done.set()

        def log_message(self, *args: Any) -> None:  # the request line carries the code: never print it
            pass

    try:
        server = HTTPServer((parts.hostname or "127.0.0.1", parts.port or 80), Handler)
    except OSError as error:
        raise ConsentError(
            f"Cannot listen on {parts.netloc} for the callback ({error.strerror}). Free that port, or set "
            "`oauth_callback_url` to another registered redirect URI (a non-local one lets you paste the callback URL)."
        ) from None
    server.timeout = 0.5
    try:
        while not done.is_set() and timeout > 0:
            server.handle_request()
            timeout -= server.timeout
    finally:
        server.server_close()
    if "url" not in received:
        raise ConsentError("No callback arrived in time. Run the command again and approve the app in your browser.")
    return received["url"]


def authorize(config_path: Path, stdin: TextIO, stdout: TextIO, timeout: float = 300.0) -> int:
    config = json.loads(config_path.read_text(encoding="utf-8"))
    problems = [p for p in config_problems(config) if not p.startswith("No credentials")]
    if problems:
        print("Fix the configuration first: " + " ".join(problems), file=stdout)
        return 2
    state = new_state(int(config.get("state_length") or 32))
    print("Open this URL in a browser signed in to Brightpearl and approve the app:", file=stdout)
    print(consent_url(config, state), file=stdout, flush=True)
    callback = config.get("oauth_callback_url") or ""
    try:
        if callback and is_loopback_host(urlsplit(callback).hostname or ""):
            print(f"Waiting for Brightpearl to redirect to {callback} ...", file=stdout, flush=True)
            code = code_from_callback(wait_for_callback(callback, timeout), state)
        else:
            print("Paste the URL your browser was redirected to (or just the code):", file=stdout, flush=True)
            code = code_from_callback(stdin.readline(), state)
    except ConsentError as error:
        print(f"Authorisation refused: {error}", file=stdout)
        return 1

    config["authorization_code"] = code
    config["grant_type"] = "authorization_code"
    try:
        Credentials(config, persist=lambda updated: write_config_atomically(config_path, updated)).access_token()
    except AirbyteTracedException as error:
        print(f"Token exchange failed: {error.message}", file=stdout)
        return 1
    print(f"Tokens saved to {config_path} (previous version kept as {config_path.name}.bak).", file=stdout)
    return 0


def main(args: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="source-brightpearl authorize", description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, type=Path, help="connector config file to complete with tokens")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for a localhost callback")
    parsed = parser.parse_args(args)
    return authorize(parsed.config, sys.stdin, sys.stdout, parsed.timeout)
