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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, MutableMapping, Optional, TextIO
from urllib.parse import urlsplit

from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.endpoints import is_loopback_host
from source_brightpearl.authorize.consent import ConsentError, ForgedCallback, code_from_callback, consent_url, new_state
from source_brightpearl.components.oauth import REAUTHORISE_HINT, Credentials
from source_brightpearl.config import config_problems

_CLOSE_PAGE = b"<html><body><p>Brightpearl authorisation received. You can close this window.</p></body></html>"
_IGNORED_PAGE = (
    b"<html><body><p>This callback does not belong to the authorisation in progress; it was ignored.</p></body></html>"
)
# A connection to the listener that sends nothing is dropped after this long, so it cannot hold the listener up.
IDLE_CONNECTION_SECONDS = 5.0
EXAMPLE_CALLBACK = "http://localhost:8765/callback"


class UsageError(Exception):
    """A problem with the command's input the user fixes before running it again (exit status 2)."""


def write_config_atomically(path: Path, config: MutableMapping[str, Any]) -> None:
    """Replace the config file in one step (never a half-written file), keeping the old one as `.bak`.

    Both files are written to a temporary file and renamed into place: a rename replaces whatever is at the target
    (a symbolic link included) instead of writing through it to wherever it points."""
    if path.exists():
        _replace_with_bytes(path.with_name(path.name + ".bak"), path.read_bytes())
    _replace_with_bytes(path, (json.dumps(config, indent=2) + "\n").encode("utf-8"))


def _replace_with_bytes(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)  # it holds secrets: the owner's only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def wait_for_callback(callback_url: str, expected_state: str, timeout: float, out: TextIO) -> str:
    """Serve the callback URL's loopback host and port until a callback with the expected state arrives or `timeout`
    seconds pass; return its code. Callbacks with another state (forged, or from an older attempt) are ignored."""
    parts = urlsplit(callback_url)
    outcome: Dict[str, Any] = {}
    done = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        timeout = IDLE_CONNECTION_SECONDS  # per connection: an idle client is dropped, never waited on

        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            if done.is_set() or urlsplit(self.path).path != (parts.path or "/"):
                self._answer(404, b"")
                return
            try:
                outcome["code"] = code_from_callback(f"{parts.scheme}://{parts.netloc}{self.path}", expected_state)
            except ForgedCallback:
                self._answer(400, _IGNORED_PAGE)
                print(
                    "Ignored a callback whose state does not match this authorisation (forged, or from an earlier "
                    "attempt); still waiting.",
                    file=out,
                    flush=True,
                )
                return
            except ConsentError as error:
                outcome["error"] = error
            self._answer(200, _CLOSE_PAGE)
            done.set()

        def _answer(self, status: int, page: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:  # the request line carries the code: never print it
            pass

    try:
        server = ThreadingHTTPServer((parts.hostname or "127.0.0.1", parts.port or 80), Handler)
    except OSError as error:
        raise ConsentError(
            f"Cannot listen on {parts.netloc} for the callback ({error.strerror or error}). Free that port, or set "
            "`oauth_callback_url` to another registered redirect URI (a non-local one lets you paste the callback URL)."
        ) from None
    server.daemon_threads = True  # a connection still open at the end does not keep the command alive
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    serving.start()
    try:
        done.wait(timeout)  # the whole wait is bounded here, whatever the connections do
    finally:
        server.shutdown()
        server.server_close()
    if "error" in outcome:
        raise outcome["error"]
    if "code" not in outcome:
        raise ConsentError(
            f"No callback arrived within {timeout:g} s. Approve the app in your browser sooner, or raise --timeout."
        )
    return outcome["code"]


def _read_config(path: Path) -> Dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Cannot read the config file {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"The config file {path} is not UTF-8 text.") from None
    try:
        config = json.loads(text)
    except RecursionError:
        raise UsageError(f"The config file {path} is nested too deeply to be a config.") from None
    except ValueError as error:
        raise UsageError(f"The config file {path} is not valid JSON ({error}).") from None
    if not isinstance(config, dict):
        raise UsageError(f"The config file {path} must hold a JSON object, not {type(config).__name__}.")
    return config


def _callback_url(config: Dict[str, Any], path: Path) -> str:
    callback = config.get("oauth_callback_url")
    if not callback or not isinstance(callback, str):
        raise UsageError(
            f"Set `oauth_callback_url` in {path} to the redirect URI registered for your app in Brightpearl: a local one "
            f"such as {EXAMPLE_CALLBACK} is received here; any other one is pasted from the browser."
        )
    try:
        parts = urlsplit(callback)
        port = parts.port
    except ValueError:
        raise UsageError(f"`oauth_callback_url` ({callback}) has an invalid port: use a number from 1 to 65535.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"`oauth_callback_url` ({callback}) must be an absolute http(s) URL such as {EXAMPLE_CALLBACK}.")
    if port == 0:
        raise UsageError(f"`oauth_callback_url` ({callback}) has port 0: use the port registered for your app.")
    return callback


def authorize(config_path: Path, stdin: TextIO, stdout: TextIO, timeout: float = 300.0, stderr: TextIO = sys.stderr) -> int:
    try:
        config = _read_config(config_path)
        problems = [p for p in config_problems(config) if not p.startswith("No credentials")]
        if problems:
            raise UsageError("Fix the configuration first: " + " ".join(problems))
        callback = _callback_url(config, config_path)
    except UsageError as error:
        print(error, file=stderr)
        return 2
    state = new_state(int(config.get("state_length") or 32))
    print("Open this URL in a browser signed in to Brightpearl and approve the app:", file=stdout)
    print(consent_url(config, state), file=stdout, flush=True)
    try:
        if is_loopback_host(urlsplit(callback).hostname or ""):
            print(f"Waiting for Brightpearl to redirect to {callback} ...", file=stdout, flush=True)
            code = wait_for_callback(callback, state, timeout, stdout)
        else:
            print("Paste the URL your browser was redirected to (or just the code):", file=stdout, flush=True)
            code = code_from_callback(stdin.readline(), state)
    except ConsentError as error:
        print(f"Authorisation refused: {error}", file=stderr)
        return 1

    config["authorization_code"] = code
    config["grant_type"] = "authorization_code"
    try:
        Credentials(config, persist=lambda updated: write_config_atomically(config_path, updated)).access_token()
    except AirbyteTracedException as error:
        # The usual advice names this very command; here the next step is simply a fresh approval.
        message = (error.message or str(error)).replace(
            REAUTHORISE_HINT, "Approve the app again for a fresh code: a code works once and expires within minutes."
        )
        print(f"Token exchange failed: {message}", file=stderr)
        return 1
    except OSError as error:
        print(f"Could not write the tokens to {config_path}: {error.strerror or error}.", file=stderr)
        return 1
    print(f"Tokens saved to {config_path} (previous version kept as {config_path.name}.bak).", file=stdout)
    return 0


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return seconds


def main(args: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="source-brightpearl authorize", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--config", required=True, type=Path, help="connector config file to complete with tokens")
    parser.add_argument(
        "--timeout", type=_positive_seconds, default=300.0, help="seconds to wait for a localhost callback (default 300)"
    )
    parsed = parser.parse_args(args)
    try:
        return authorize(parsed.config, sys.stdin, sys.stdout, parsed.timeout)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
