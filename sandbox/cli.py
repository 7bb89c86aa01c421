"""`python -m sandbox --port PORT [options]`: serve until SIGINT/SIGTERM. The first stdout line
is a ready-to-use connector config (JSON, one line) with a fresh authorization code (sandbox/README.md)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

import orjson

from .options import SandboxOptions
from .sandbox import Sandbox
from .world import Scale


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = SandboxOptions()
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1; 0 picks a free one")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--scale", default=defaults.scale, help="world scale name (tiny, small, 20k, 100k, 200k)")
    parser.add_argument(
        "--orders", type=int, help="a world of N orders, every other count derived in proportion (replaces --scale)"
    )
    parser.add_argument("--products", type=int, help="with --orders: N products instead of the proportional count")
    parser.add_argument("--contacts", type=int, help="with --orders: N contacts instead of the proportional count")
    parser.add_argument("--tz-offset", default=defaults.tz_offset, help="account time-zone offset, e.g. -06:00")
    parser.add_argument("--account", default=defaults.account)
    parser.add_argument("--token-lifetime", type=int, default=defaults.token_lifetime, help="access token, seconds")
    parser.add_argument("--code-lifetime", type=float, default=defaults.code_lifetime, help="auth code, seconds")
    parser.add_argument(
        "--static-refresh-tokens",
        action="store_true",
        help="refresh tokens stay valid and are returned unchanged (default: single-use, rotating)",
    )
    parser.add_argument("--throttle-cap", type=int, default=defaults.throttle_cap, help="requests per window")
    parser.add_argument("--throttle-window", type=float, default=defaults.throttle_window, help="window, seconds")
    parser.add_argument("--fault-500", type=float, default=0.0, help="rate of 500 CMNU-003 answers")
    parser.add_argument("--fault-html-502", type=float, default=0.0, help="rate of Cloudflare HTML 502 answers")
    parser.add_argument("--fault-drop", type=float, default=0.0, help="rate of connections closed unanswered")
    parser.add_argument("--fault-hang", type=float, default=0.0, help="rate of requests accepted and never answered")
    parser.add_argument("--fault-drip", type=float, default=0.0, help="rate of answers whose body is sent byte by byte")
    parser.add_argument("--drip-interval", type=float, default=defaults.drip_interval, help="seconds between dripped bytes")
    parser.add_argument(
        "--throttle-period-ms", type=int, default=0, help="brightpearl-next-throttle-period on every 503 (0: the real wait)"
    )
    parser.add_argument("--token-fault", default="", help="token endpoint fails: 500, html (a 200 HTML page) or hang")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every API and OAuth request")
    parser.add_argument("--verbose", action="store_true", help="log method, path and status of each request")
    return parser.parse_args(argv)


def options_from_args(args: argparse.Namespace) -> SandboxOptions:
    return SandboxOptions(
        seed=args.seed,
        scale=_scale(args.scale, args.orders, args.products, args.contacts),
        tz_offset=args.tz_offset,
        port=args.port,
        account=args.account,
        token_lifetime=args.token_lifetime,
        code_lifetime=args.code_lifetime,
        rotate_refresh_tokens=not args.static_refresh_tokens,
        throttle_cap=args.throttle_cap,
        throttle_window=args.throttle_window,
        fault_500=args.fault_500,
        fault_html_502=args.fault_html_502,
        fault_drop=args.fault_drop,
        fault_hang=args.fault_hang,
        fault_drip=args.fault_drip,
        drip_interval=args.drip_interval,
        throttle_period_ms=args.throttle_period_ms,
        token_fault=args.token_fault,
        latency_ms=args.latency_ms,
        verbose=args.verbose,
    )


def _scale(name: str, orders: int | None, products: int | None = None, contacts: int | None = None) -> str | Scale:
    if orders is None:
        if products is not None or contacts is not None:
            raise SystemExit("--products and --contacts need --orders")
        return name
    return Scale(orders=orders, products=products, contacts=contacts)


def main(argv: list[str] | None = None) -> int:
    options = options_from_args(parse_args(argv))
    stop = threading.Event()
    with Sandbox(options) as sandbox:
        # Installed once serving: a signal during the world's construction keeps its default effect (exit now).
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        sys.stdout.write(orjson.dumps(sandbox.config()).decode() + "\n")
        sys.stdout.flush()
        print(
            f"sandbox: serving {sandbox.base_url} (account {options.account}); admin API at {sandbox.base_url}/__sandbox/",
            file=sys.stderr,
            flush=True,
        )
        stop.wait()
    print("sandbox: stopped", file=sys.stderr, flush=True)
    return 0
