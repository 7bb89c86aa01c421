"""The API pipeline for `/public-api/{account}/…` (docs/brightpearl-api.md §P3–§P8): edge faults, throttle, bearer check,
origin faults, routing to the search / collection engines, and the headers every API response carries.

Order of the checks, and why:
1. a dropped connection or a Cloudflare HTML 502 happens at the edge, before Brightpearl sees the request
   (no quota spent, no Brightpearl headers);
2. the throttle counts every request that reaches Brightpearl — 401s consume quota (docs/brightpearl-api.md §P4) — so it comes before auth;
3. the bearer check (docs/brightpearl-api.md §P4);
4. a 500 CMNU-003 fault, then the route, with any armed fault (`armed_faults.py`) applied to its request or answer;
5. the test hooks (`Sandbox.add_hook`), after the answer is complete. Any exception in a handler is a 500 CMNU-003 too, logged to stderr,
   never a traceback in the body.
"""

from __future__ import annotations

import dataclasses
import sys
import traceback
import uuid

import orjson

from .auth import authenticate
from .context import Context
from .faults import edge_fault_response, internal_error_response
from .http_types import Request, Response, errors_response, raw_json_response, string_response
from .routes import RouteMatch, match_route

THROTTLED = "You have sent too many requests. Please wait before sending another request"


def handle_api(ctx: Context, request: Request, account: str, segments: list[str]) -> Response:
    options = ctx.options
    matched = match_route(segments)
    endpoint = f"{request.method} {matched.endpoint if matched else '(unmatched)'}"
    ctx.counters.api_request(endpoint)

    fault = ctx.faults.draw(options)
    if fault in ("drop", "html_502", "hang"):
        ctx.counters.fault(fault)
        response = edge_fault_response(fault)
        if not (response.drop or response.hang):
            ctx.counters.response(response.status, len(response.body))
        return response

    decision = ctx.throttle.spend()
    grant = None
    if not decision.allowed:
        response = string_response(503, THROTTLED)
        if options.throttle_period_ms:
            decision = dataclasses.replace(decision, next_period_ms=options.throttle_period_ms)
        response.headers.append(("Expires", "Mon, 20 Dec 1998 01:00:00 GMT"))
    else:
        auth = authenticate(ctx, request, account)
        grant = auth.grant
        if auth.failure is not None:
            response = auth.failure
        elif fault == "500":
            ctx.counters.fault("500")
            response = internal_error_response()
        else:
            request, armed = ctx.armed_faults.rewrite_request(matched, request)
            response = _route(ctx, request, matched, segments, endpoint)
            if armed is None:
                response, armed = ctx.armed_faults.rewrite_response(matched, response)
            if armed is not None:
                ctx.counters.fault(armed)

    response.headers += [
        ("brightpearl-requests-remaining", str(decision.remaining)),
        ("brightpearl-next-throttle-period", str(decision.next_period_ms)),
        ("Ruid", str(uuid.uuid4())),
        ("Cache-Control", "no-cache, must-revalidate"),
        ("Pragma", "no-cache"),
    ]
    if not any(name == "Message-Type" for name, _ in response.headers):
        response.headers.append(("Message-Type", "api-proxy"))
    if grant is not None:
        response.headers.append(("Brightpearl-Installed-Integration-Instance-Id", grant.installation_instance_id))
    if fault == "drip":
        ctx.counters.fault("drip")
        response.drip_interval = options.drip_interval
    ctx.counters.response(response.status, len(response.body))
    _run_hooks(ctx, endpoint, request, response)
    return response


def _run_hooks(ctx: Context, endpoint: str, request: Request, response: Response) -> None:
    """Call the test hooks (`Sandbox.add_hook`) after an API request is answered, before the answer is sent: what
    they change in the world is seen by the next request, never by this one."""
    for hook in list(ctx.hooks):
        try:
            hook(endpoint, request, response)
        except Exception:  # noqa: BLE001  a broken hook is the test's bug; the API keeps answering
            print(f"sandbox: a hook failed after {endpoint}", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)


def _route(ctx: Context, request: Request, matched: RouteMatch | None, segments: list[str], endpoint: str) -> Response:
    if matched is None:
        return not_found("/app/" + "/".join(segments))
    route = matched.route
    if request.method not in route.allowed_methods:
        return errors_response(405, "CMNC-405", f"Method {request.method} is not supported on {matched.endpoint}")
    if route.world_name in ctx.options.forbidden_resources:
        return errors_response(403, "CMNC-403", "You do not have permission to access this resource")
    if request.method == "OPTIONS" and route.world_name in ctx.options.options_unsupported:
        return errors_response(405, "CMNC-405", f"Method OPTIONS is not supported on {matched.endpoint}")
    try:
        return _serve(ctx, request, matched, endpoint)
    # Never a traceback in a body: any bug becomes the API's generic 500, logged to stderr.
    except Exception:  # noqa: BLE001
        print(f"sandbox: error serving {endpoint}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return internal_error_response()


def _serve(ctx: Context, request: Request, matched: RouteMatch, endpoint: str) -> Response:
    route = matched.route
    world = ctx.world
    if route.kind == "search":
        return ctx.search.search(route.world_name, request)
    if route.kind == "static":
        records = world.static_list(route.world_name).records()
        return raw_json_response(200, orjson.dumps({"response": records}), f"get-{route.world_name}")
    if route.kind == "account-configuration":
        return raw_json_response(
            200, orjson.dumps({"response": {"configuration": world.account_configuration()}}), "get-account-configuration"
        )
    if request.method == "OPTIONS":
        result = ctx.collections.options(
            route.world_name, route.resource_segment, matched.ids, cut_short=ctx.options.options_cut_short
        )
    else:
        result = ctx.collections.get(route.world_name, request, matched.ids, matched.order_ids)
        if result.ids_requested is not None:
            ctx.counters.ids_requested(endpoint, result.ids_requested)
    return result.response


def not_found(resource: str) -> Response:
    return errors_response(404, "CMNC-404", f"Cannot find the resource {resource}")
