"""Cached values for the formula cells of a workbook xlcollab builds.

openpyxl writes a formula cell with an empty cached value (``<v></v>``), so
every reader that does not recalculate (pandas, openpyxl ``data_only=True``,
mail and chat previews) shows a blank. The builders record, for each formula
cell they write, the value Python computed (:func:`remember`); after openpyxl
has saved the package, :func:`fill_cached_values` writes those values into
the formula cells' ``<v>`` elements, touching nothing else. The workbook
still asks Excel to recalculate on open (``fullCalcOnLoad``), so Excel shows
its own result; the cached value is what everyone else sees.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from xlcollab.io.ooxml import Package, write_package, xml_text

__all__ = ["remember", "cached_values", "fill_cached_values", "CachedWorkbook"]

_ATTR = "xlcollab_cached_values"  # on the openpyxl Workbook: title -> {ref: value}
_EPOCH = dt.date(1899, 12, 30)


def remember(ws, ref: str, value) -> None:
    """Record ``value`` as the cached value of the formula cell ``ref`` of
    the openpyxl worksheet ``ws`` (None: an empty text result)."""
    store = ws.parent.__dict__.setdefault(_ATTR, {})
    store.setdefault(ws.title, {})[ref] = value


def cached_values(wb) -> dict[str, dict[str, object]]:
    """What :func:`remember` recorded for the workbook ``wb``."""
    return wb.__dict__.get(_ATTR, {})


def _v(value) -> tuple[bytes, bytes]:
    """(type attribute, <v> text) of a cached value."""
    if value is None or value == "":
        return b"str", b""
    if isinstance(value, bool):
        return b"b", b"1" if value else b"0"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return b"n", str((value - _EPOCH).days).encode()
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(str(value)).normalize()
        text = format(d, "f")
        return b"n", (text if text not in ("-0", "") else "0").encode()
    return b"str", xml_text(str(value))


_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f>.*?</f>)<v>[^<]*</v></c>', re.S)


def _patch_sheet(xml: bytes, values: dict[str, object]) -> bytes:
    def one(m: re.Match) -> bytes:
        ref = m.group(1).decode()
        if ref not in values:
            return m.group(0)
        t, v = _v(values[ref])
        attrs = re.sub(rb'\s+t="[^"]*"', b"", m.group(2))
        return b'<c r="%s"%s t="%s">%s<v>%s</v></c>' % (m.group(1), attrs, t, m.group(3), v)

    return _CELL.sub(one, xml)


def fill_cached_values(path: str | Path, values: dict[str, dict[str, object]]) -> None:
    """Write the recorded values into the formula cells of the saved
    package at ``path`` (sheet title -> {A1 ref: value}), in place."""
    if not values:
        return
    path = Path(path)
    pkg = Package(path.read_bytes())
    parts = pkg.sheet_parts()
    replace = {}
    for title, cells in values.items():
        part = parts.get(title)
        if part and cells:
            replace[part] = _patch_sheet(pkg.read(part), cells)
    if replace:
        out = io.BytesIO()
        write_package(pkg, out, replace)
        path.write_bytes(out.getvalue())


class CachedWorkbook(Workbook):
    """An openpyxl Workbook whose ``save`` also writes the recorded cached
    values, so a file saved any way carries them."""

    def save(self, filename) -> None:
        super().save(filename)
        fill_cached_values(filename, cached_values(self))
