"""Error values (#N/A, #VALUE!, #REF! ...) straight from the sheet XML.

Calamine returns ``''`` for a cell holding an error value, which would make
``#N/A`` in a date cell look like an empty cell. So the reader also looks at
the package itself: it maps each sheet name to its part (``xl/workbook.xml``
and its relationships) and scans that part's bytes for cells with
``t="e"``. A part without the bytes ``t="e"`` is passed over at C speed.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

from xlcollab.io.ooxml import sheet_parts, unescape
from xlcollab.model.a1 import col_index

__all__ = ["PackageScan", "ErrorStream", "zip_sheet_parts", "error_cells"]

# <c ... t="e" ...>...</c> or <c ... t="e"/>; namespace prefixes tolerated
_ERROR_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*?\bt="e"[^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>)', re.S
)
_REF = re.compile(rb'\br="\$?([A-Z]{1,3})\$?([0-9]+)"')
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v(?:\s[^>]*)?>([^<]*)<")


def zip_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML ({} for a package
    without a readable workbook part)."""
    try:
        return sheet_parts(zf.read, set(zf.namelist()))
    except (KeyError, ValueError):
        return {}


def error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) (1-based) -> error text of every error cell in a
    sheet's XML. Only the few places holding ``t="e"`` are looked at."""
    found = {}
    pos = xml.find(b't="e"')
    while pos != -1:
        start = xml.rfind(b"<", 0, pos)
        m = _ERROR_CELL.match(xml, start)
        if m is not None:
            ref = _REF.search(m.group(1))
            if ref is not None:
                value = _VALUE.search(m.group(2) or b"")
                text = unescape(value.group(1).decode("utf-8", "replace")) if value else ""
                found[(int(ref.group(2)), col_index(ref.group(1).decode()))] = text or "#VALUE!"
        pos = xml.find(b't="e"', pos + 5)
    return found


class ErrorStream:
    """:func:`error_cells` over a sheet's XML fed in chunks: each chunk is
    searched up to the last cell that may continue in the next one."""

    def __init__(self):
        self.found: dict[tuple[int, int], str] = {}
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        if b't="e"' not in chunk and b't="e"' not in self._carry + chunk[:8]:
            cut = _last_cell_start(chunk)
            if cut >= 16:  # no error value anywhere: only the last cell is carried on
                self._carry = chunk[cut:]
                return
        buf = self._carry + chunk
        cut = _last_cell_start(buf)
        if cut == -1:  # no cell starts here; a tag may begin in the last bytes
            cut = max(0, len(buf) - 16)
        head, self._carry = buf[:cut], buf[cut:]
        if b't="e"' in head:
            self.found.update(error_cells(head))

    def close(self) -> dict[tuple[int, int], str]:
        if self._carry:
            self.found.update(error_cells(self._carry))
            self._carry = b""
        return self.found


def _last_cell_start(buf: bytes) -> int:
    """Where the last ``<c `` (or ``<x:c ``) element of ``buf`` starts."""
    a = buf.rfind(b"<c ")
    b = buf.rfind(b":c ", max(a, 0))  # only a prefixed one after it matters
    if b > a:
        b = buf.rfind(b"<", 0, b)
        return b
    return a


class PackageScan:
    """Error values of the sheets of one .xlsx/.xlsm package: given, as
    :func:`xlcollab.io.bounds.inspect` found them while checking the
    package (``errors``), or looked up in ``source`` when asked. Anything
    that is not such a package (an .xls, an .ods) simply has none."""

    def __init__(
        self,
        source: str | IO[bytes] | None = None,
        errors: dict[str, dict[tuple[int, int], str]] | None = None,
    ):
        self._zip: zipfile.ZipFile | None = None
        self._parts: dict[str, str] = {}
        self._given = errors
        if errors is not None or source is None:
            return
        try:
            self._zip = zipfile.ZipFile(source)
            self._parts = zip_sheet_parts(self._zip)
        except (zipfile.BadZipFile, OSError, ValueError):
            self._zip = None

    def errors(self, sheet_name: str) -> dict[tuple[int, int], str]:
        if self._given is not None:
            return self._given.get(sheet_name, {})
        part = self._parts.get(sheet_name)
        if self._zip is None or part is None:
            return {}
        stream = ErrorStream()
        try:
            with self._zip.open(part) as fh:
                while chunk := fh.read(1 << 20):
                    stream.feed(chunk)
        except (KeyError, zipfile.BadZipFile, OSError, ValueError):
            return {}
        return stream.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
