"""`source-brightpearl authorize --config FILE` end to end against the sandbox, as a user without a platform runs it:
the consent URL it prints is opened (the sandbox approves at once and redirects to the callback URL with a code and
the state), the callback reaches the command (on localhost, or pasted), and the config file ends up with tokens."""

from __future__ import annotations

import json
import os
import queue
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from integration_tests.connector_cli import connector_command, leaked_secrets
from sandbox import SandboxOptions


def allow_redirect_uri(sandbox, uri: str) -> None:
    """Register one more redirect URI for the sandbox's confidential app, as a developer does in Brightpearl's app
    settings."""
    sandbox.register_redirect_uri(uri)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AuthorizeCommand:
    """The command running in the background; its output (stdout and stderr) is read line by line as it comes."""

    def __init__(self, config_path: Path, timeout: float = 30) -> None:
        self.process = subprocess.Popen(
            connector_command() + ["authorize", "--config", str(config_path), "--timeout", str(timeout)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for_line(self, predicate: Callable[[str], bool], timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError("authorize printed no such line in time:\n" + "\n".join(self.output)) from None
            if line is None:
                raise AssertionError("authorize ended without printing such a line:\n" + "\n".join(self.output))
            self.output.append(line)
            if predicate(line):
                return line

    def finish(self, pasted: str | None = None, timeout: float = 30) -> int:
        """Give it the pasted callback URL (if any), wait for it to end, and collect the rest of its output."""
        assert self.process.stdin is not None
        if pasted is not None:
            self.process.stdin.write(pasted + "\n")
        self.process.stdin.close()
        returncode = self.process.wait(timeout=timeout)
        while (line := self._lines.get(timeout=5)) is not None:
            self.output.append(line)
        return returncode

    @property
    def text(self) -> str:
        return "\n".join(self.output)


@pytest.fixture
def start_authorize():
    started: list[AuthorizeCommand] = []

    def start(config_path: Path, timeout: float = 30) -> AuthorizeCommand:
        command = AuthorizeCommand(config_path, timeout)
        started.append(command)
        return command

    yield start
    for command in started:
        if command.process.poll() is None:
            command.process.kill()
            command.process.wait()


def config_file(sandbox, tmp_path: Path, callback_url: str) -> Path:
    """What a user writes before authorising: the required keys and the app's callback URL, no code, no tokens."""
    allow_redirect_uri(sandbox, callback_url)
    config = sandbox.config()
    del config["authorization_code"]
    config["oauth_callback_url"] = callback_url
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config, indent=2))
    return path


def approve(command: AuthorizeCommand, sandbox, config: dict) -> str:
    """Open the consent URL the command printed (Brightpearl's consent page); return where it redirects."""
    consent = command.wait_for_line(lambda line: line.startswith(f"{sandbox.base_url}/authorize/"))
    query = parse_qs(urlsplit(consent).query)
    assert urlsplit(consent).path == f"/authorize/{config['account']}"
    assert query["response_type"] == ["code"] and query["client_id"] == [config["client_id"]]
    assert query["redirect_uri"] == [config["oauth_callback_url"]]
    assert len(query["state"][0]) == config["state_length"]
    redirect = requests.get(consent, allow_redirects=False, timeout=10)
    assert redirect.status_code == 302, redirect.text
    callback = redirect.headers["Location"]
    assert callback.startswith(config["oauth_callback_url"] + "?")
    assert parse_qs(urlsplit(callback).query)["state"] == query["state"]
    return callback


def assert_tokens_saved(path: Path, before: str) -> dict:
    saved = json.loads(path.read_text())
    assert saved["access_token"] and saved["refresh_token"] and saved["token_expiry_date"]
    assert "authorization_code" not in saved
    assert path.with_name(path.name + ".bak").read_text() == before, "the previous config must be kept as .bak"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "a file holding tokens must be readable by its owner only"
    return saved


def test_callback_on_localhost_is_received_and_tokens_are_saved(sandbox, tmp_path, start_authorize, connector):
    path = config_file(sandbox, tmp_path, f"http://127.0.0.1:{free_port()}/callback")
    before = path.read_text()
    config = json.loads(before)
    command = start_authorize(path)

    callback = approve(command, sandbox, config)
    command.wait_for_line(lambda line: line.startswith("Waiting for Brightpearl to redirect"))
    # The browser follows the redirect to the command's own listener (which may take a moment to bind).
    deadline = time.monotonic() + 10
    while True:
        try:
            page = requests.get(callback, timeout=10)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    assert page.status_code == 200 and "You can close this window" in page.text

    assert command.finish() == 0, command.text
    assert "Tokens saved" in command.text
    saved = assert_tokens_saved(path, before)
    assert sandbox.counters()["token_grants"]["authorization_code"] == {"success": 1}

    check = connector("check", config=saved)
    assert check.connection_status == {"status": "SUCCEEDED"}, check.stdout[-2000:]
    assert check.emitted_configs == [], "fresh tokens need no refresh"
    code = parse_qs(urlsplit(callback).query)["code"][0]
    secrets = [code, config["client_secret"], saved["access_token"], saved["refresh_token"]]
    assert not leaked_secrets(command.text + check.output_without_control(), secrets)


def test_pasted_callback_url_is_accepted(sandbox, tmp_path, start_authorize):
    # A callback URL that is not on this machine: the command asks for the URL the browser was sent to.
    path = config_file(sandbox, tmp_path, "https://warehouse.example.com/brightpearl/callback")
    before = path.read_text()
    command = start_authorize(path)

    callback = approve(command, sandbox, json.loads(before))
    command.wait_for_line(lambda line: line.startswith("Paste the URL"))
    assert command.finish(pasted=callback) == 0, command.text
    saved = assert_tokens_saved(path, before)
    assert sandbox.counters()["token_grants"]["authorization_code"] == {"success": 1}
    secrets = [parse_qs(urlsplit(callback).query)["code"][0], saved["access_token"], saved["refresh_token"]]
    assert not leaked_secrets(command.text, secrets)


def test_callback_with_a_wrong_state_is_refused_and_the_config_is_untouched(sandbox, tmp_path, start_authorize):
    path = config_file(sandbox, tmp_path, "https://warehouse.example.com/brightpearl/callback")
    before = path.read_text()
    command = start_authorize(path)

    callback = urlsplit(approve(command, sandbox, json.loads(before)))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query["state"] = ("B" if query["state"][0] == "A" else "A") + query["state"][1:]  # forged: same length, one change
    command.wait_for_line(lambda line: line.startswith("Paste the URL"))
    assert command.finish(pasted=urlunsplit(callback._replace(query=urlencode(query)))) == 1, command.text

    assert "state does not match" in command.text
    assert path.read_text() == before
    assert not path.with_name(path.name + ".bak").exists()
    assert "authorization_code" not in sandbox.counters()["token_grants"], "a refused callback's code must not be exchanged"


def get_callback(url: str) -> requests.Response:
    """What the browser does with the redirect: GET it (the command's listener may take a moment to bind)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return requests.get(url, timeout=10)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_an_idle_connection_to_the_listener_does_not_defeat_the_timeout(sandbox, tmp_path, start_authorize):
    port = free_port()
    path = config_file(sandbox, tmp_path, f"http://127.0.0.1:{port}/callback")
    before = path.read_text()
    command = start_authorize(path, timeout=3)
    command.wait_for_line(lambda line: line.startswith("Waiting for Brightpearl to redirect"))
    deadline = time.monotonic() + 10
    while True:  # connect, then send nothing at all
        try:
            idle = socket.create_connection(("127.0.0.1", port), timeout=5)
            break
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    with idle:
        assert command.finish(timeout=30) == 1, command.text
    assert "No callback arrived within 3 s" in command.text
    assert path.read_text() == before


def test_a_forged_callback_is_ignored_and_the_real_one_still_completes(sandbox, tmp_path, start_authorize):
    path = config_file(sandbox, tmp_path, f"http://127.0.0.1:{free_port()}/callback")
    before = path.read_text()
    command = start_authorize(path)
    callback = urlsplit(approve(command, sandbox, json.loads(before)))
    command.wait_for_line(lambda line: line.startswith("Waiting for Brightpearl to redirect"))

    forged = {key: values[0] for key, values in parse_qs(callback.query).items()}
    forged["state"] = "X" * len(forged["state"])
    forged["code"] = "attacker-code"
    page = get_callback(urlunsplit(callback._replace(query=urlencode(forged))))
    assert page.status_code == 400
    command.wait_for_line(lambda line: line.startswith("Ignored a callback whose state does not match"))
    # An error from a forged callback is ignored too: it is not Brightpearl's answer to this authorisation.
    assert get_callback(urlunsplit(callback._replace(query="error=access_denied&state=forged"))).status_code == 400

    assert get_callback(urlunsplit(callback)).status_code == 200
    assert command.finish() == 0, command.text
    assert_tokens_saved(path, before)
    assert sandbox.counters()["token_grants"]["authorization_code"] == {"success": 1}


def test_the_backup_is_never_written_through_a_symbolic_link(sandbox, tmp_path, start_authorize):
    path = config_file(sandbox, tmp_path, "https://warehouse.example.com/brightpearl/callback")
    before = path.read_text()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    path.with_name(path.name + ".bak").symlink_to(victim)
    command = start_authorize(path)
    callback = approve(command, sandbox, json.loads(before))
    command.wait_for_line(lambda line: line.startswith("Paste the URL"))
    assert command.finish(pasted=callback) == 0, command.text
    assert victim.read_text() == "keep me"
    backup = path.with_name(path.name + ".bak")
    assert not backup.is_symlink() and backup.read_text() == before


def _run_authorize(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        connector_command() + ["authorize", *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


@pytest.mark.parametrize(
    ("content", "changes", "words"),
    [
        (None, {}, "Cannot read the config file"),
        ("{not json", {}, "is not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, {}, "nested too deeply"),
        ("[1, 2]", {}, "must hold a JSON object"),
        ("", {"oauth_callback_url": None}, "Set `oauth_callback_url` in"),
        ("", {"oauth_callback_url": "http://localhost:99999/callback"}, "has an invalid port"),
        ("", {"oauth_callback_url": "http://localhost:0/callback"}, "has port 0"),
    ],
    ids=["missing", "not-json", "deep", "not-object", "no-callback", "port-out-of-range", "port-0"],
)
def test_input_problems_are_one_line_errors(sandbox_module, tmp_path, content, changes, words):
    path = tmp_path / "config.json"
    if content == "":
        config = {**sandbox_module.config(), "oauth_callback_url": f"{sandbox_module.base_url}/callback", **changes}
        path.write_text(json.dumps({key: value for key, value in config.items() if value is not None}))
    elif content is not None:
        path.write_text(content)
    completed = _run_authorize("--config", str(path))
    output = (completed.stdout + completed.stderr).strip()
    assert completed.returncode == 2, output
    assert words in output and "\n" not in output and "Traceback" not in output
    assert "source-brightpearl authorize" not in output, "never tell users to run the command they are running"


def test_a_bad_timeout_is_a_usage_error():
    completed = _run_authorize("--config", "config.json", "--timeout", "-1")
    assert completed.returncode == 2 and "must be a positive number of seconds" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_failed_exchange_says_what_to_do_next(sandbox_factory, tmp_path, start_authorize):
    sandbox = sandbox_factory(SandboxOptions(scale="tiny", code_lifetime=0.2))
    path = config_file(sandbox, tmp_path, "https://warehouse.example.com/brightpearl/callback")
    command = start_authorize(path)
    callback = approve(command, sandbox, json.loads(path.read_text()))
    command.wait_for_line(lambda line: line.startswith("Paste the URL"))
    time.sleep(0.5)  # the code expires before it is pasted
    assert command.finish(pasted=callback) == 1, command.text
    assert "Token exchange failed" in command.text and "Approve the app again" in command.text
    assert "source-brightpearl authorize" not in command.text
