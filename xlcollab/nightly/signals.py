"""Stopping a nightly run on SIGTERM/SIGINT, the same way everywhere.

The first signal sets ``stop``: the job in progress finishes (its history
transaction commits, its write-back is atomic), then the loop ends. A second
signal raises KeyboardInterrupt and abandons the run cleanly: the history
transaction rolls back and the workbook is left as it was.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["stop_on_signals"]


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[threading.Event]:
    """Within the block, SIGTERM and SIGINT set ``stop`` (a second one raises
    KeyboardInterrupt); the previous handlers come back afterwards."""

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for s, h in old.items():
            signal.signal(s, h)
