"""Console entry point `source-brightpearl` (spec | check | discover | read, and `authorize` for standalone setups).

`spec` is answered from spec.json without importing the CDK (the import alone takes about a second); every other
command goes through the CDK's entrypoint (`cdk_run.py`).
"""

from __future__ import annotations

import sys
from typing import List, Optional

import orjson


def spec_message() -> bytes:
    """The SPEC message exactly as the CDK prints it for this connector (protocol field names)."""
    from source_brightpearl.resources import load_spec

    spec = load_spec()
    return orjson.dumps(
        {
            "type": "SPEC",
            "spec": {
                "connectionSpecification": spec["connectionSpecification"],
                "documentationUrl": spec.get("documentationUrl"),
                "supportsNormalization": False,
                "supportsDBT": False,
                "advanced_auth": spec.get("advanced_auth"),
            },
        }
    )


def run(args: Optional[List[str]] = None) -> None:
    args = sys.argv[1:] if args is None else args
    if args == ["spec"]:
        sys.stdout.write(spec_message().decode() + "\n")
        sys.stdout.flush()
        return
    if args[:1] == ["authorize"]:
        from source_brightpearl.authorize import main as authorize

        sys.exit(authorize(args[1:]))
    from source_brightpearl.cdk_run import run_command

    run_command(args)


if __name__ == "__main__":
    run()
