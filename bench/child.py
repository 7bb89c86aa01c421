"""Run exactly one command and write what it cost: wall seconds, CPU seconds and peak RSS.

    python bench/child.py RESULT.json -- command [args...]

stdin/stdout/stderr are the command's own (inherited). Because this wrapper has a single child,
`getrusage(RUSAGE_CHILDREN)` after it exits describes that child alone (its `ru_maxrss` is the child's peak resident
set, in KiB on Linux, bytes on macOS) — the benchmark's own process, the sandbox and earlier runs don't leak into it.
The exit status is the command's.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    result_path, command = argv[0], argv[2:]
    started = time.perf_counter()
    child = subprocess.Popen(command)
    try:
        returncode = child.wait()
    except KeyboardInterrupt:
        child.terminate()
        returncode = child.wait()
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    maxrss_kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    with open(result_path, "w") as handle:
        json.dump(
            {
                "returncode": returncode,
                "wall_seconds": wall,
                "user_seconds": usage.ru_utime,
                "system_seconds": usage.ru_stime,
                "max_rss_kib": maxrss_kib,
            },
            handle,
        )
    return returncode if returncode >= 0 else 128 - returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
