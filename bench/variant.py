"""Run the connector CLI as shipped but for one design choice, to measure what that choice buys.

    python bench/variant.py VARIANT read --config C --catalog K

Variants (each the shipped connector with one thing changed, in this process only; nothing is written anywhere):

- `spread`: the API budget with a second rate, a 30th of the minute's requests in any 2 s (as the connector had
  before concurrent reading): requests spread evenly over the minute instead of as fast as the workers go.
- `cdk_only`: concurrency from the CDK's partitions only (streams, time windows): no request pool inside a stream,
  so each partition sends one request at a time.
- `pipeline_only`: the request pool inside each stream, but the CDK at its lowest safe level (2 threads: one
  partition read at a time).
- `one_at_a_time`: neither: one request in flight, as the connector was before concurrent reading.

Used by `bench/latency.py`; the shipped connector itself is always measured through its real console script.
"""

from __future__ import annotations

import gc
import sys
from typing import Any, Callable, Dict, List

VARIANTS = ("spread", "cdk_only", "pipeline_only", "one_at_a_time")


def _spread(manifest: Dict[str, Any]) -> None:
    for policy in manifest["api_budget"]["policies"]:
        policy["rates"].append(
            {"limit": "{{ (((config.get('requests_per_minute') or 200) / 30) | round(0, 'ceil')) | int }}", "interval": "PT2S"}
        )


def _cdk_level(level: int) -> Callable[[Dict[str, Any]], None]:
    def change(manifest: Dict[str, Any]) -> None:
        manifest["concurrency_level"] = {"type": "ConcurrencyLevel", "default_concurrency": level, "max_concurrency": level}

    return change


def _no_pool() -> None:
    from source_brightpearl.components.retrievers import pipeline

    pipeline.RequestPool.try_submit = lambda self, fn, *args: None  # type: ignore[method-assign]  # always "no slot free": every call made in place


def main(argv: List[str]) -> None:
    if not argv or argv[0] not in VARIANTS:
        raise SystemExit(f"usage: python bench/variant.py {{{','.join(VARIANTS)}}} COMMAND [ARGS...]")
    variant, args = argv[0], argv[1:]
    # As run.py does before the CDK is imported (start-up cost, see docs/performance.md).
    gc.disable()
    from source_brightpearl.fast_import import skip_protocol_attribute_docs

    skip_protocol_attribute_docs()
    import source_brightpearl.source as source_module

    changes: List[Callable[[Dict[str, Any]], None]] = []
    if variant == "spread":
        changes.append(_spread)
    if variant in ("cdk_only", "one_at_a_time"):
        _no_pool()
    if variant == "pipeline_only":
        changes.append(_cdk_level(2))
    if variant == "one_at_a_time":
        changes.append(_cdk_level(1))
    shipped_manifest = source_module.load_manifest

    def load_manifest() -> Dict[str, Any]:
        manifest = shipped_manifest()
        for change in changes:
            change(manifest)
        return manifest

    source_module.load_manifest = load_manifest  # type: ignore[assignment]
    from source_brightpearl.cdk_run import run_command

    run_command(args)


if __name__ == "__main__":
    main(sys.argv[1:])
