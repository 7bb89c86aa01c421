"""Sandbox options: what the CLI flags, `SandboxOptions(...)`, `Sandbox.set_options(**kw)` and
`POST /__sandbox/options` configure."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

TOKEN_FAULTS = frozenset({"", "500", "html", "hang"})

# Options that may change while the server runs; the rest shape the world or the listening socket.
RUNTIME_OPTIONS = frozenset(
    {
        "token_lifetime",
        "code_lifetime",
        "rotate_refresh_tokens",
        "throttle_cap",
        "throttle_window",
        "fault_500",
        "fault_html_502",
        "fault_drop",
        "fault_hang",
        "fault_drip",
        "drip_interval",
        "throttle_period_ms",
        "token_fault",
        "latency_ms",
        "forbidden_resources",
        "options_unsupported",
        "options_cut_short",
    }
)


@dataclass(frozen=True)
class SandboxOptions:
    seed: int = 1
    # A world `Scale`, or a scale name ("tiny", "small", "20k", …), or None for the world's own default.
    scale: Any = "small"
    # The account's display offset: every date-time the world serves carries it (docs/brightpearl-api.md §P9).
    tz_offset: str = "-06:00"
    # 0 = pick a free port.
    port: int = 0
    account: str = "sandbox"
    data_center: str = "sbx1"
    # Access-token lifetime in seconds, reported as `expires_in` (the real API grants 604800; docs/brightpearl-api.md §P2.3).
    token_lifetime: int = 3600
    # Authorization codes are short-lived (docs/brightpearl-api.md §P2.1); seconds, fractions allowed for tests.
    code_lifetime: float = 600.0
    # True: a refresh token is single-use and each refresh returns a new one; False: the same one forever (docs/brightpearl-api.md §P2.4).
    rotate_refresh_tokens: bool = True
    # Fixed window of `throttle_cap` requests per `throttle_window` seconds (docs/brightpearl-api.md §P5).
    throttle_cap: int = 200
    throttle_window: float = 60.0
    # Fault rates in [0, 1] per API request (their sum at most 1): 500 CMNU-003, Cloudflare HTML 502, dropped
    # connection. `latency_ms` is added to every API and OAuth request.
    fault_500: float = 0.0
    fault_html_502: float = 0.0
    fault_drop: float = 0.0
    # Hostile answers (their rates count in the same sum): `hang` accepts the request and never answers (the
    # connection stays open until the sandbox stops); `drip` sends the status and headers at once, then the body one
    # byte every `drip_interval` seconds.
    fault_hang: float = 0.0
    fault_drip: float = 0.0
    drip_interval: float = 1.0
    # Reported as `brightpearl-next-throttle-period` on every throttled 503 instead of the real time to the window's
    # end (0: the real time); e.g. 86400000 claims a day.
    throttle_period_ms: int = 0
    # Every token-endpoint request fails while set: "500" (JSON 500), "html" (an HTML page with status 200, as from a
    # captive portal or a misrouted proxy), "hang" (never answered). "" = none.
    token_fault: str = ""
    latency_ms: float = 0.0
    # Log one line per request (method, path without query, status) to stderr. Never tokens or codes.
    verbose: bool = False
    # World names (route table) this account may not read: their routes answer 403, as for an app whose
    # permissions don't cover the resource or an account without the feature.
    forbidden_resources: tuple = ()
    # World names (route table) whose OPTIONS requests answer 405, as on an account where a resource offers no
    # OPTIONS (GET still works); lets tests exercise a client's fallback.
    options_unsupported: tuple = ()
    # A fault: when > 0, every OPTIONS answer lists at most this many ids (an answer cut short), so tests can check
    # that a client does not take the missing ids for deletions. 0 = complete answers.
    options_cut_short: int = 0

    def __post_init__(self) -> None:
        if self.token_lifetime < 1:
            raise ValueError("token_lifetime must be at least 1 second")
        if self.code_lifetime <= 0:
            raise ValueError("code_lifetime must be positive")
        if self.throttle_cap < 1:
            raise ValueError("throttle_cap must be at least 1")
        if self.throttle_window <= 0:
            raise ValueError("throttle_window must be positive")
        rates = (self.fault_500, self.fault_html_502, self.fault_drop, self.fault_hang, self.fault_drip)
        if any(not 0.0 <= r <= 1.0 for r in rates) or sum(rates) > 1.0 + 1e-9:
            raise ValueError("fault rates must each be in [0, 1] and sum to at most 1")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if self.drip_interval <= 0:
            raise ValueError("drip_interval must be positive")
        if self.throttle_period_ms < 0:
            raise ValueError("throttle_period_ms must not be negative")
        if self.token_fault not in TOKEN_FAULTS:
            raise ValueError(f"token_fault must be one of {sorted(TOKEN_FAULTS)}")
        if self.options_cut_short < 0:
            raise ValueError("options_cut_short must not be negative")

    def with_runtime_changes(self, changes: dict[str, Any]) -> SandboxOptions:
        unknown = set(changes) - RUNTIME_OPTIONS
        if unknown:
            raise ValueError(f"not changeable at runtime: {sorted(unknown)}; allowed: {sorted(RUNTIME_OPTIONS)}")
        return dataclasses.replace(self, **changes)

    def runtime_view(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in sorted(RUNTIME_OPTIONS)}
