"""Stdout in whole lines, also when the process is told to stop.

Every Airbyte message is one line of JSON on stdout. A platform cancels a sync with SIGTERM; with Python's default
handling the process dies wherever it is, and a record of ~1 MB is written in many pieces, so the last line the
platform reads can be cut off (the reader then fails on invalid JSON). `WholeLines` replaces the CDK's print buffer:
text is buffered and written to file descriptor 1 only in complete lines, under a lock; on SIGTERM the complete lines
already buffered are written, a partial one is dropped, and the process exits with status 143 (128 + SIGTERM) as
soon as no line is being written.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any, List, Optional

# Like the CDK's print buffer: gather messages for up to 0.1 s (or 1 MiB) per write to the pipe.
FLUSH_INTERVAL_SECONDS = 0.1
FLUSH_BYTES = 1 << 20
EXIT_ON_SIGTERM = 128 + signal.SIGTERM


class WholeLines:
    """A text stream (for sys.stdout, sys.stderr and the log handlers) writing only whole lines to `fd`."""

    def __init__(self, fd: int = 1) -> None:
        self._fd = fd
        self._lock = threading.Lock()
        self._pending: List[str] = []
        self._pending_size = 0
        self._last_flush = time.monotonic()
        self._terminating = False
        self._previous: Any = None

    # -- the text-stream interface --------------------------------------------------------------------------------
    def write(self, text: str) -> int:
        with self._lock:
            if self._terminating:
                self._write_whole_lines()  # what is complete goes out, then the process exits; `text` is dropped
            self._pending.append(text)
            self._pending_size += len(text)
            if self._pending_size >= FLUSH_BYTES or time.monotonic() - self._last_flush >= FLUSH_INTERVAL_SECONDS:
                self._write_whole_lines()
        return len(text)

    def flush(self) -> None:
        with self._lock:
            self._write_whole_lines()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._fd

    @property
    def encoding(self) -> str:
        return "utf-8"

    # -- lifetime -------------------------------------------------------------------------------------------------
    def __enter__(self) -> WholeLines:
        self._saved_streams = (sys.stdout, sys.stderr)
        sys.stdout = sys.stderr = self
        self._previous = signal.signal(signal.SIGTERM, self._on_sigterm)
        return self

    def __exit__(self, *exc_info: object) -> None:
        signal.signal(signal.SIGTERM, self._previous)
        sys.stdout, sys.stderr = self._saved_streams
        with self._lock:
            self._write_whole_lines(final=True)

    def take_over_log_handlers(self, stream: Any) -> None:
        """Log handlers writing to `stream` (the CDK's print buffer) write here instead, so log lines and messages
        never interleave mid-line."""
        for logger in (logging.getLogger(), logging.getLogger("airbyte"), *_all_loggers()):
            for handler in getattr(logger, "handlers", []):
                if isinstance(handler, logging.StreamHandler) and handler.stream is stream:
                    handler.setStream(self)

    # -- internals ------------------------------------------------------------------------------------------------
    def _write_whole_lines(self, final: bool = False) -> None:
        """Write every complete line pending (all of it when `final`), then exit if SIGTERM came. The caller holds
        the lock."""
        self._last_flush = time.monotonic()
        text = "".join(self._pending)
        cut = len(text) if final else text.rfind("\n") + 1
        self._pending = [text[cut:]] if cut < len(text) else []
        self._pending_size = len(text) - cut
        data = text[:cut].encode("utf-8", "replace")
        while data:
            written = os.write(self._fd, data)  # resumed by Python after a signal handler that does not raise
            data = data[written:]
        if self._terminating:
            os._exit(EXIT_ON_SIGTERM)

    def _on_sigterm(self, signum: int, frame: Optional[FrameType]) -> None:
        # Runs in the main thread between two of its bytecodes, possibly in the middle of writing a line, so it must
        # neither write nor wait for the lock itself: a helper thread waits until no line is being written, writes
        # the lines already complete, and exits. A writer finishing its line first exits the same way.
        self._terminating = True
        threading.Thread(target=self._exit_after_complete_lines, name="sigterm", daemon=True).start()

    def _exit_after_complete_lines(self) -> None:
        with self._lock:
            self._write_whole_lines()


def _all_loggers() -> List[logging.Logger]:
    return [logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
