"""The admin API under `/__sandbox/` (no auth, loopback only, never counted or throttled): what tests and the
demo use to read counters, change behaviour, move data and mint codes when they drive a sandbox started by the
CLI. The Python API of `Sandbox` does the same in-process.

    GET  /__sandbox/counters                      counters snapshot (same dict as Sandbox.counters())
    POST /__sandbox/reset-counters
    POST /__sandbox/revoke-tokens                 every access and refresh token stops working
    POST /__sandbox/expire-tokens                 every access token expires now (refresh tokens keep working)
    POST /__sandbox/exhaust-quota                 {"windows": N}: other integrations use up the quota of the
                                                   current throttle window and the next N-1 (all 503)
    GET  /__sandbox/options                       the runtime options
    POST /__sandbox/options                       JSON object of runtime options to change → the new runtime options
    POST /__sandbox/mutate                        {"op": "update|create|delete", "resource": "order",
                                                   "id": …, "fields": {…}}
    POST /__sandbox/arm-fault                     {"kind": "detail_404", "count": 1, "endpoint": "order-service/
                                                   order/{ids}", "skip": 0}: see armed_faults.py
    GET  /__sandbox/armed-faults                  the faults still armed
    POST /__sandbox/disarm-faults
    GET  /__sandbox/code[?redirect_uri=…&client_id=…]   {"code": …} (a fresh authorization code)
    POST /__sandbox/tokens[?client_id=…]          a token response, as if a code had been exchanged
    GET  /__sandbox/config[?with_tokens=true]     a connector config with a fresh code (or with tokens)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import orjson

from .connector_config import config_with_code, config_with_tokens, issue_code, issue_tokens
from .context import Context
from .http_types import Request, Response, json_response


def handle_admin(ctx: Context, request: Request, action: str) -> Response:
    if not ipaddress.ip_address(request.client_ip).is_loopback:
        return json_response(403, {"error": "the admin API is only served to loopback clients"})
    endpoint = _ENDPOINTS.get((request.method, action))
    if endpoint is None:
        known = any(name == action for _, name in _ENDPOINTS)
        return json_response(405 if known else 404, {"error": f"no admin endpoint {request.method} {action}"})
    try:
        return json_response(200, endpoint(ctx, request))
    except (ValueError, TypeError, KeyError, LookupError) as error:
        return json_response(400, {"error": f"{type(error).__name__}: {error}"})


def _json_body(request: Request) -> dict:
    body = orjson.loads(request.body or b"{}")
    if not isinstance(body, dict):
        raise TypeError("expected a JSON object")
    return body


def _reset_counters(ctx: Context, request: Request) -> dict:
    ctx.counters.reset()
    return {"ok": True}


def _revoke_tokens(ctx: Context, request: Request) -> dict:
    ctx.tokens.revoke_all()
    return {"ok": True}


def _expire_tokens(ctx: Context, request: Request) -> dict:
    ctx.tokens.expire_access_tokens()
    return {"ok": True}


def _exhaust_quota(ctx: Context, request: Request) -> dict:
    windows = _json_body(request).get("windows", 1)
    if not isinstance(windows, int) or isinstance(windows, bool):
        raise TypeError("windows must be an integer")
    ctx.throttle.exhaust(windows)
    return {"ok": True}


def _set_options(ctx: Context, request: Request) -> dict:
    return ctx.update_options(_json_body(request)).runtime_view()


def _arm_fault(ctx: Context, request: Request) -> dict:
    body = _json_body(request)
    kind = body.get("kind")
    if not isinstance(kind, str):
        raise TypeError("arm-fault needs a string 'kind'")
    ctx.armed_faults.arm(kind, body.get("count", 1), body.get("endpoint"), body.get("skip", 0))
    return {"ok": True, "armed": ctx.armed_faults.pending()}


def _disarm_faults(ctx: Context, request: Request) -> dict:
    ctx.armed_faults.disarm()
    return {"ok": True}


def _mutate(ctx: Context, request: Request) -> dict:
    return mutate(ctx.world, _json_body(request))


def mutate(world: object, command: dict) -> dict:
    """Apply one mutation command to the world (the JSON shape of `POST /__sandbox/mutate`)."""
    op, resource = command.get("op"), command.get("resource")
    fields = command.get("fields") or {}
    if not isinstance(resource, str) or not isinstance(fields, dict):
        raise TypeError("mutate needs a string 'resource' and an object 'fields'")
    if op == "update":
        world.update(resource, int(command["id"]), **fields)
        return {"ok": True}
    if op == "create":
        return {"id": world.create(resource, never_updated=bool(command.get("never_updated", False)), **fields)}
    if op == "delete":
        world.delete(resource, int(command["id"]))
        return {"ok": True}
    raise ValueError(f"unknown op {op!r}; expected update, create or delete")


_ENDPOINTS: dict[tuple[str, str], Callable[[Context, Request], object]] = {
    ("GET", "counters"): lambda ctx, request: ctx.counters.snapshot(),
    ("POST", "reset-counters"): _reset_counters,
    ("POST", "revoke-tokens"): _revoke_tokens,
    ("POST", "expire-tokens"): _expire_tokens,
    ("POST", "exhaust-quota"): _exhaust_quota,
    ("GET", "options"): lambda ctx, request: ctx.options.runtime_view(),
    ("POST", "options"): _set_options,
    ("POST", "mutate"): _mutate,
    ("POST", "arm-fault"): _arm_fault,
    ("GET", "armed-faults"): lambda ctx, request: {"armed": ctx.armed_faults.pending()},
    ("POST", "disarm-faults"): _disarm_faults,
    ("GET", "code"): lambda ctx, request: {"code": issue_code(ctx, request.param("redirect_uri"), request.param("client_id"))},
    ("POST", "tokens"): lambda ctx, request: issue_tokens(ctx, request.param("client_id")),
    ("GET", "config"): lambda ctx, request: (
        config_with_tokens(ctx) if request.param("with_tokens") == "true" else config_with_code(ctx)
    ),
}
