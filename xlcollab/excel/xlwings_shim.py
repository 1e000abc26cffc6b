"""The one place that decides whether xlwings is usable here.

On Windows (and macOS) with Excel, ``xlwings.func`` / ``xlwings.arg`` register
user-defined functions; on Linux xlwings (0.37) imports fine and its decorators
are identities. If xlwings cannot be imported at all (a stripped install, an
``XLWINGS_ON_SERVER`` environment that wants the paid server runtime), the
decorators below stand in for it, so :mod:`xlcollab.excel.udfs` imports
anywhere and its functions stay plain, testable Python functions.

Only :mod:`xlcollab.excel.udfs` and :mod:`xlcollab.excel.adapter` use xlwings,
through this module. xlwings PRO, Server and Reader are never used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["xw", "AVAILABLE", "func", "arg", "ret", "ON_WINDOWS"]

ON_WINDOWS = sys.platform.startswith("win")

try:  # pragma: no branch - depends on the machine
    import xlwings as xw

    func: Callable[..., Any] = xw.func
    arg: Callable[..., Any] = xw.arg
    ret: Callable[..., Any] = xw.ret
    AVAILABLE = True
except Exception:  # noqa: BLE001 - any failure means: no xlwings here
    xw = None  # type: ignore[assignment]
    AVAILABLE = False

    def func(f=None, *args, **kwargs):  # type: ignore[no-redef]
        """Identity stand-in for ``xlwings.func``."""
        if f is None or not callable(f):
            return lambda g: g
        return f

    def arg(*args, **kwargs):  # type: ignore[no-redef]
        """Identity stand-in for ``xlwings.arg``."""
        return lambda g: g

    def ret(*args, **kwargs):  # type: ignore[no-redef]
        """Identity stand-in for ``xlwings.ret``."""
        return lambda g: g
