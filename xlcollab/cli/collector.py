"""Imports with the cyclic garbage collector off.

Importing pandas or python-docx makes hundreds of thousands of
objects that live as long as the process; while they are made, the
collector would walk them again and again (a tenth of ``check``'s start-up)
and find nothing to free. :func:`loading` keeps it off while a block
imports, then freezes what is there out of its sight (``gc.freeze``: the
first collection after would otherwise walk everything the block made) and
turns it back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from xlcollab.model.collector import collector_paused


@contextmanager
def loading() -> Iterator[None]:
    """The collector off while the block runs (it imports, nothing more);
    the objects made so far frozen, and the collector back on as it was."""
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()
