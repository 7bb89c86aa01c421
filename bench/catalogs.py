"""Discover once per sandbox and build the configured catalogs the scenarios read with."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from bench.runner import connector_command
from integration_tests.connector_cli import configured_catalog


def discover(config_path: Path, workdir: Path) -> dict[str, Any]:
    completed = subprocess.run(
        connector_command() + ["discover", "--config", str(config_path)],
        cwd=workdir,
        capture_output=True,
        timeout=600,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(b'{"type":"CATALOG"'):
            return orjson.loads(line)["catalog"]
    raise RuntimeError(
        f"discover printed no catalog (exit {completed.returncode}): {completed.stderr[-2000:].decode(errors='replace')}"
        f"{completed.stdout[-2000:].decode(errors='replace')}"
    )


def supports_incremental(catalog: dict[str, Any], stream: str) -> bool:
    for entry in catalog.get("streams", []):
        if entry["name"] == stream:
            return "incremental" in entry.get("supported_sync_modes", [])
    return False


def configured(catalog: dict[str, Any], streams: Iterable[str] | None = None, sync_mode: str = "full_refresh") -> dict[str, Any]:
    """A configured catalog for `streams` (all when None); incremental where asked and supported."""
    return configured_catalog(catalog, streams, sync_mode)
