"""Everything a request handler needs, built once per sandbox and shared by the server threads."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

from .apps import AppRegistry
from .armed_faults import ArmedFaults
from .collections_get import CollectionEngine
from .counters import Counters
from .faults import Faults
from .options import SandboxOptions
from .search import SearchEngine
from .throttle import Throttle
from .tokens import TokenStore


@dataclass
class Context:
    options: SandboxOptions  # replaced as a whole by `update_options`; handlers read it once per request
    world: Any
    base_url: str
    apps: AppRegistry
    tokens: TokenStore
    counters: Counters
    throttle: Throttle
    faults: Faults
    search: SearchEngine
    collections: CollectionEngine
    start_date: str | None = None  # the config's start_date, computed on first use (connector_config)
    armed_faults: ArmedFaults = field(default_factory=ArmedFaults)
    # Called after each API request is answered: (endpoint, request, response). Python API only (`Sandbox.add_hook`).
    hooks: list = field(default_factory=list)
    _options_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, options: SandboxOptions, world: Any, base_url: str) -> Context:
        rng = random.Random(options.seed)
        return cls(
            options=options,
            world=world,
            base_url=base_url,
            apps=AppRegistry(base_url),
            tokens=TokenStore(),
            counters=Counters(),
            throttle=Throttle(options.throttle_cap, options.throttle_window, random.Random(rng.random())),
            faults=Faults(random.Random(rng.random())),
            search=SearchEngine(world, options.tz_offset),
            collections=CollectionEngine(world),
        )

    @property
    def account(self) -> str:
        return self.options.account

    @property
    def api_domain(self) -> str:
        """What the token response reports as `api_domain` (docs/brightpearl-api.md §P1: authoritative for the API host)."""
        return self.base_url.split("://", 1)[1]

    def update_options(self, changes: dict[str, Any]) -> SandboxOptions:
        with self._options_lock:
            new = self.options.with_runtime_changes(changes)
            if (new.throttle_cap, new.throttle_window) != (self.options.throttle_cap, self.options.throttle_window):
                self.throttle.configure(new.throttle_cap, new.throttle_window)
            self.options = new
            return new
