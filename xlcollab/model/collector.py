"""The cyclic garbage collector paused while a block builds many objects.

Reading a big sheet, checking a project or writing the finance workbook
makes a great many short-lived objects (cells, findings, records) and no
cycles worth collecting on the way: meanwhile, full collections would only
walk them all over and over. :func:`collector_paused` turns the collector
off for the block and back on as it was; the next collection after finds
any cycle the block left.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off while the block runs, then back as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
