"""Console entry point `source-brightpearl` (spec | check | discover | read, and `authorize` for standalone setups).

`spec` is answered from spec.json without importing the CDK (the import alone takes about a second); every other
command goes through the CDK's entrypoint (`cdk_run.py`).
"""

from __future__ import annotations

import gc
import sys
from typing import List, Optional

import orjson

COMMANDS = ("spec", "check", "discover", "read", "authorize")
USAGE = """usage: source-brightpearl {spec,check,discover,read,authorize} [options]

The Airbyte source connector for Brightpearl.

commands:
  spec        print the configuration specification
  check       check that a config connects:       --config CONFIG
  discover    list the streams and their schemas:  --config CONFIG
  read        read records:                        --config CONFIG --catalog CATALOG [--state STATE]
  authorize   obtain OAuth tokens without a platform, written into the config file:
                                                   --config CONFIG [--timeout SECONDS]

`source-brightpearl COMMAND --help` lists a command's options.
"""


def spec_message() -> bytes:
    """The SPEC message exactly as the CDK prints it for this connector (protocol field names)."""
    from source_brightpearl.resources import load_spec

    spec = load_spec()
    message = {
        "connectionSpecification": spec["connectionSpecification"],
        "documentationUrl": spec.get("documentationUrl"),
        "supportsNormalization": False,
        "supportsDBT": False,
        "advanced_auth": spec.get("advanced_auth"),
    }
    # The CDK leaves unset fields (documentationUrl while spec.json names none) out of the message; so does this copy.
    return orjson.dumps({"type": "SPEC", "spec": {key: value for key, value in message.items() if value is not None}})


def run(args: Optional[List[str]] = None) -> None:
    args = sys.argv[1:] if args is None else args
    if not args or args[0] in ("-h", "--help", "help"):
        (sys.stdout if args else sys.stderr).write(USAGE)
        sys.exit(0 if args else 2)  # no command is a usage error, like any CLI's
    if args[0] not in COMMANDS:
        sys.stderr.write(f"source-brightpearl: unknown command '{args[0]}'\n\n{USAGE}")
        sys.exit(2)
    if args == ["spec"]:
        sys.stdout.write(spec_message().decode() + "\n")
        sys.stdout.flush()
        return
    if args[:1] == ["authorize"]:
        from source_brightpearl.authorize.cli import main as authorize

        sys.exit(authorize(args[1:]))
    # No garbage collection until the CDK is imported and the source built (cdk_run re-enables it after freezing
    # that heap): the import allocates ~180k objects and hardly any garbage (~2.5k unreachable), yet the collector
    # would run hundreds of times over the growing heap. Measured: 0.09 s less start-up.
    gc.disable()
    from source_brightpearl.fast_import import skip_protocol_attribute_docs

    skip_protocol_attribute_docs()  # before the CDK is imported: ~0.5 s less start-up (see fast_import.py)
    from source_brightpearl.cdk_run import run_command

    run_command(args)


if __name__ == "__main__":
    run()
