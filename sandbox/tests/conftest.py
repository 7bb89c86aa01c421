"""Fixtures for the protocol tests: a sandbox over the small fake world, and an authorized API client."""

from __future__ import annotations

import pytest
import requests

from sandbox import Sandbox, SandboxOptions
from sandbox.apps import CONFIDENTIAL_APP_REF

from .fake_world import FakeWorld

TIMEOUT = 10


class Api:
    """A keep-alive session with the two headers every call needs (docs/brightpearl-api.md §P3)."""

    def __init__(self, sandbox: Sandbox, access_token: str | None = None, app_ref: str = CONFIDENTIAL_APP_REF):
        self.sandbox = sandbox
        self.session = requests.Session()
        token = access_token or sandbox.issue_tokens()["access_token"]
        self.session.headers.update({"Authorization": f"Bearer {token}", "brightpearl-app-ref": app_ref})

    def url(self, path: str) -> str:
        return f"{self.sandbox.base_url}/public-api/{self.sandbox.options.account}/{path}"

    def get(self, path: str, params=None, **kwargs) -> requests.Response:
        return self.session.get(self.url(path), params=params, timeout=TIMEOUT, **kwargs)

    def options(self, path: str, **kwargs) -> requests.Response:
        return self.session.options(self.url(path), timeout=TIMEOUT, **kwargs)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.url(path), timeout=TIMEOUT, **kwargs)


@pytest.fixture
def start_fake(sandbox_factory):
    """Start a sandbox over a fresh fake world: `start_fake(throttle_cap=5, …)`."""

    def start(**overrides) -> Sandbox:
        return sandbox_factory(SandboxOptions(), world=FakeWorld(), **overrides)

    return start


@pytest.fixture
def fake(start_fake) -> Sandbox:
    return start_fake()


@pytest.fixture
def api(fake) -> Api:
    return Api(fake)
