"""`Sandbox`: the Python API — build the world, serve it on 127.0.0.1, and control it in-process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from . import connector_config
from .admin import mutate
from .context import Context
from .options import SandboxOptions
from .server import SandboxHTTPServer
from .world import Scale, World


def build_world(options: SandboxOptions) -> World:
    """The real data half (`world/`), scaled and seeded by the options."""
    scale = Scale.named(options.scale) if isinstance(options.scale, str) else options.scale
    return World(seed=options.seed, scale=scale, tz_offset=options.tz_offset)


class Sandbox:
    """A running sandbox. Serving starts in the constructor; use it as a context manager or call `stop()`.

    `world`: pass a ready world (tests of the protocol use a small fake one); default: `build_world(options)`.
    """

    def __init__(self, options: SandboxOptions | None = None, *, world: Any = None) -> None:
        options = options or SandboxOptions()
        self.world = world if world is not None else build_world(options)
        self._server = SandboxHTTPServer(options.port, lambda base_url: Context.build(options, self.world, base_url))
        self._ctx = self._server.ctx
        # A short poll interval makes stop() quick (shutdown waits for the serving loop's next poll).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="brightpearl-sandbox", daemon=True
        )
        self._thread.start()
        self._stopped = False

    # -- addresses -----------------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return self._ctx.base_url

    @property
    def options(self) -> SandboxOptions:
        return self._ctx.options

    # -- credentials ---------------------------------------------------------------------------------------------

    def config(self) -> dict:
        """A ready-to-use connector config with a freshly issued authorization code (a new one on every call)."""
        return connector_config.config_with_code(self._ctx)

    def config_with_tokens(self) -> dict:
        """A connector config carrying access_token, refresh_token and token_expiry_date, and no code."""
        return connector_config.config_with_tokens(self._ctx)

    def issue_code(self, redirect_uri: str | None = None, client_id: str | None = None) -> str:
        return connector_config.issue_code(self._ctx, redirect_uri, client_id)

    def issue_tokens(self, client_id: str | None = None) -> dict:
        return connector_config.issue_tokens(self._ctx, client_id)

    def register_redirect_uri(self, uri: str, client_id: str | None = None) -> None:
        """Register another redirect URI for an app (default: the confidential one), e.g. a local callback."""
        if client_id:
            self._ctx.apps.register_redirect_uri(uri, client_id)
        else:
            self._ctx.apps.register_redirect_uri(uri)

    def revoke_tokens(self) -> None:
        self._ctx.tokens.revoke_all()

    def expire_access_tokens(self) -> None:
        """Every access token issued so far expires now; refresh tokens keep working (the in-process twin of
        `POST /__sandbox/expire-tokens`)."""
        self._ctx.tokens.expire_access_tokens()

    def exhaust_quota(self, windows: int) -> None:
        """Other integrations use up the account's quota for the current throttle window and the next
        `windows - 1`: every API request in them is answered 503 (the in-process twin of
        `POST /__sandbox/exhaust-quota`)."""
        self._ctx.throttle.exhaust(windows)

    # -- behaviour and observation -------------------------------------------------------------------------------

    def set_options(self, **changes: Any) -> SandboxOptions:
        """Change runtime options (throttle, faults, latency, token/code lifetime, refresh rotation)."""
        return self._ctx.update_options(changes)

    def counters(self) -> dict:
        return self._ctx.counters.snapshot()

    def reset_counters(self) -> None:
        self._ctx.counters.reset()

    def arm_fault(self, kind: str, count: int = 1, endpoint: str | None = None, skip: int = 0) -> None:
        """Answer the next `count` matching API requests wrongly in one way (`armed_faults.py` lists the kinds);
        `endpoint` is a route template, `skip` lets that many matching requests through first. The in-process twin
        of `POST /__sandbox/arm-fault`."""
        self._ctx.armed_faults.arm(kind, count, endpoint, skip)

    def disarm_faults(self) -> None:
        self._ctx.armed_faults.disarm()

    def armed_faults(self) -> list[dict]:
        """The faults still armed, with the count each has left."""
        return self._ctx.armed_faults.pending()

    def add_hook(self, hook: Callable[[str, Any, Any], None]) -> None:
        """Call `hook(endpoint, request, response)` after every API request is answered and before the answer is
        sent (`endpoint` as in the counters: `GET order-service/order-search`). A test mutates the world here to
        change records while a connector pages, at exact points. Hooks run on the server's threads."""
        self._ctx.hooks.append(hook)

    def remove_hook(self, hook: Callable[[str, Any, Any], None]) -> None:
        self._ctx.hooks.remove(hook)

    def mutate(self, op: str, resource: str, id: int | None = None, **fields: Any) -> dict:
        """The in-process twin of `POST /__sandbox/mutate` (or call `world.update/create/delete` directly)."""
        return mutate(self.world, {"op": op, "resource": resource, "id": id, "fields": fields})

    # -- lifecycle -----------------------------------------------------------------------------------------------

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
