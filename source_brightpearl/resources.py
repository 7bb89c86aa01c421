"""Where the connector's declarative resources live.

The repo root holds the single source of truth (`manifest.yaml`, `spec.json`, `schemas/`). A built wheel carries
copies inside this package (pyproject.toml `force-include`), while an editable install imports the package from the
repo, where the files sit one level up. Looking in the package first and then beside it serves both without a
build step or symlinks.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable

import yaml

from source_brightpearl.api.transport import http_limits

_PACKAGE_DIR = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for base in (_PACKAGE_DIR, _PACKAGE_DIR.parent):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(
        f"source-brightpearl is installed without its '{name}'. Reinstall the package (pip install airbyte-source-brightpearl)."
    )


def manifest_path() -> Path:
    return _find("manifest.yaml")


def spec_path() -> Path:
    return _find("spec.json")


def schemas_dir() -> Path:
    return _find("schemas")


@lru_cache(maxsize=1)
def load_spec() -> Dict[str, Any]:
    """spec.json as written in the repo (protocol camelCase: connectionSpecification, advanced_auth)."""
    return json.loads(spec_path().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def secret_keys() -> frozenset:
    """The config keys spec.json marks `airbyte_secret`: their values are never printed, and every one the connector
    holds is masked in what the CDK logs."""
    properties = load_spec()["connectionSpecification"]["properties"]
    return frozenset(key for key, field in properties.items() if field.get("airbyte_secret"))


@lru_cache(maxsize=1)
def load_schemas() -> Dict[str, Dict[str, Any]]:
    """Every stream schema by stream name (file stem)."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(schemas_dir().glob("*.json"))}


def load_manifest() -> Dict[str, Any]:
    """manifest.yaml with its `spec` section filled from spec.json and each stream's name in its `$parameters`.

    The manifest never repeats the spec by hand: spec.json stays the only definition, while every runner (including
    in-process ones that need a manifest `spec:`) sees a complete manifest. A fresh dict is returned on each call
    because the CDK mutates the manifest while resolving it.
    """
    # libyaml's loader when PyYAML has it: the pure-Python one takes a noticeable part of every command's start-up.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    manifest = yaml.load(manifest_path().read_text(encoding="utf-8"), Loader=loader)
    spec = load_spec()
    manifest["spec"] = {
        "type": "Spec",
        "connection_specification": spec["connectionSpecification"],
        "advanced_auth": spec.get("advanced_auth"),
    }
    if spec.get("documentationUrl"):  # optional: spec.json names none until the docs have a public address
        manifest["spec"]["documentation_url"] = spec["documentationUrl"]
    for stream in manifest.get("streams", []):
        # Components below a stream (schema loader, requesters' error messages) learn its name through
        # $parameters; the manifest states each name once, on the stream.
        stream.setdefault("$parameters", {}).setdefault("name", stream["name"])
    # Every requester derives from `definitions.requester`; its timeouts are defined (and explained) with the other
    # HTTP bounds in api/transport.py.
    connect, read = http_limits().timeouts
    manifest["definitions"]["requester"].update(connect_timeout_in_seconds=connect, read_timeout_in_seconds=read)
    return manifest


def only_streams(manifest: Dict[str, Any], streams: Iterable[str]) -> Dict[str, Any]:
    """Keep only the given streams (a read's configured catalog); no names keeps every stream.

    The CDK validates, resolves and builds every stream of the manifest before a read, whatever the catalog asks
    for; with one stream of 38 selected that was about 0.1 s of start-up. Names the manifest does not have are left
    to the CDK to report, as without this pruning.
    """
    names = set(streams)
    kept = [stream for stream in manifest.get("streams", []) if stream["name"] in names]
    if kept:  # a catalog of unknown names only: leave the manifest whole (the CDK reports those streams INCOMPLETE)
        manifest["streams"] = kept
    return manifest


def without_time_windows(manifest: Dict[str, Any], streams: Iterable[str]) -> Dict[str, Any]:
    """Drop `incremental_sync` from the given streams (those the catalog reads in full refresh).

    A full-refresh read needs no time windows: one search over everything costs ceil(N/500) pages instead of a
    search per window and filter. Discover (no catalog) still declares incremental support.
    """
    names = set(streams)
    for stream in manifest.get("streams", []):
        if stream["name"] in names:
            stream.pop("incremental_sync", None)
    return manifest
