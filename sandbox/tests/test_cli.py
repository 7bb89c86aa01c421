"""`python -m sandbox`: the config line, a working sandbox, a clean SIGTERM."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import requests

from .conftest import TIMEOUT

REPO = Path(__file__).resolve().parents[2]


def test_cli_prints_config_then_stops_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--scale", "tiny", "--verbose", "--throttle-cap", "50"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        config = orjson.loads(process.stdout.readline())
        port = int(config["base_url"].rsplit(":", 1)[1])
        assert port > 0
        assert config["oauth_callback_url"] == f"http://127.0.0.1:{port}/callback"
        assert config["data_center"] == "sbx1" and config["account"] == "sandbox"
        assert (
            config["state_length"],
            config["scope"],
            config["response_token_key"],
            config["grant_type"],
            config["response_type_key"],
            config["client_type"],
        ) == (32, "", "access_token", "authorization_code", "code", "confidential")

        form = {
            "account_code": config["account"],
            "grant_type": config["grant_type"],
            "code": config["authorization_code"],
            "client_id": config["client_id"],
            "client_secret": config["client_secret"],
            "redirect_uri": config["oauth_callback_url"],
        }
        response = requests.post(f"{config['base_url']}/oauth/token", data=form, timeout=TIMEOUT)
        assert response.status_code == 200
        tokens = response.json()
        api = requests.get(
            f"{config['base_url']}/public-api/sandbox/order-service/order-search",
            headers={"Authorization": f"Bearer {tokens['access_token']}", "brightpearl-app-ref": config["client_id"]},
            timeout=TIMEOUT,
        )
        assert api.status_code == 200
        assert api.headers["brightpearl-requests-remaining"] == "49"

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        stderr = process.stderr.read()
        assert "GET /public-api/sandbox/order-service/order-search 200" in stderr
        for secret in (config["authorization_code"], tokens["access_token"], tokens["refresh_token"], config["client_secret"]):
            assert secret not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_scale_flags_set_the_counts():
    from sandbox.cli import options_from_args, parse_args
    from sandbox.world import Scale

    options = options_from_args(parse_args(["--port", "0", "--orders", "300", "--products", "30", "--contacts", "20"]))
    assert options.scale == Scale(orders=300, products=30, contacts=20)
    assert options_from_args(parse_args(["--port", "0", "--orders", "300"])).scale == Scale(orders=300)
    try:
        options_from_args(parse_args(["--port", "0", "--products", "30"]))
    except SystemExit as stop:
        assert "--orders" in str(stop)
    else:
        raise AssertionError("--products without --orders must be refused")
