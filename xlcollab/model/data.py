"""ProjectData: one project's workbook as pandas frames and plain values.

This is what the reader produces and what everything between reading and
writing works on: no file paths, no Excel objects.

Frames have one column per schema column key (input and computed), typed:

=============  ===========================================================
schema type    pandas column
=============  ===========================================================
TEXT, REF      object (str or None); REF keeps the text as typed, stripped
DATE           datetime64[ns], NaT when empty
INT            Int64 (nullable)
NUMBER         Float64 (nullable)
PERCENT        Float64, a fraction (0.5 for 50%)
MONEY          object, decimal.Decimal with two places, or None
ENUM           object, the choice *key* (e.g. "blocked"), or None
CHOICE         object, the label as written on the lists sheet, or None
PERSON, DEPT   object (str or None)
BOOL           boolean (nullable)
=============  ===========================================================

The frame index is the Excel row number of each record, so any finding can
name its cell. ``layout`` says where each column was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from xlcollab.model.findings import Finding
from xlcollab.model.tolerated import Tolerated
from xlcollab.schema import DEFAULT_LANG, SHEETS

# every Unicode space (``str.isspace``: U+3000 and no-break spaces included)
# and the zero-width ones; written out, not found by scanning the code points
# at every start (tests/test_blank_chars.py checks the list)
BLANK_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u200b\u200c\u200d\u2060\ufeff"
)


def is_missing(v) -> bool:
    """True for what the workbook shows as an empty cell: None, NA, NaT, NaN
    and text of nothing but spaces (Unicode, U+3000 and zero-width ones).

    The one rule for "empty" everywhere: the reader, the frames, the checks,
    the reports and the UDFs. :func:`present` is its column form."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, str):
        return not v.strip(BLANK_CHARS)
    if isinstance(v, float):
        return v != v  # NaN
    if isinstance(v, (list, dict, tuple)):
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def present(s: pd.Series) -> pd.Series:
    """True where a cell of column ``s`` holds something: ``not is_missing``,
    vectorised (each distinct value is looked at once)."""
    if (
        pd.api.types.is_datetime64_any_dtype(s.dtype)
        or pd.api.types.is_numeric_dtype(s.dtype)
        or pd.api.types.is_bool_dtype(s.dtype)
    ):
        return s.notna().astype(bool)
    values = s.tolist()
    if set(map(type, values)) <= {str, type(None)}:  # text: is_missing inline
        if len(set(values[:1000])) * 4 <= min(len(values), 1000):  # few distinct: each once
            filled = {v: v is not None and bool(v.strip(BLANK_CHARS)) for v in set(values)}
            keep_ = list(map(filled.__getitem__, values))
        else:  # mostly distinct: no hashing
            keep_ = [v is not None and bool(v.strip(BLANK_CHARS)) for v in values]
        return pd.Series(keep_, index=s.index, dtype=bool)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    keep = np.array([not is_missing(u) for u in uniques] + [False], dtype=bool)
    return pd.Series(keep[codes], index=s.index, dtype=bool)


_MASKED = {
    "Int64": (np.int64, pd.arrays.IntegerArray),
    "Float64": (np.float64, pd.arrays.FloatingArray),
    "boolean": (np.bool_, pd.arrays.BooleanArray),
}


def missing_array(n: int, dtype: str):
    """``n`` missing values as an Int64, Float64 or boolean array: what
    ``pd.array([pd.NA] * n, dtype=dtype)`` gives, without looking at n NAs."""
    kind, array = _MASKED[dtype]
    return array(np.zeros(n, dtype=kind), np.ones(n, dtype=bool))


@dataclass
class SheetLayout:
    """Where a sheet and its columns were found in the workbook read."""

    name: str  # the tab's name as found
    columns: dict[str, int] = field(default_factory=dict)  # key -> 1-based column
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as found
    rows: dict[str, int] = field(default_factory=dict)  # form sheets: key -> row
    last_row: int = 0


@dataclass
class ProjectData:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    overview: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)  # extensible lists
    lang: str = DEFAULT_LANG
    layout: dict[str, SheetLayout] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # what reading found
    tolerated: list[Tolerated] = field(default_factory=list)  # cells read by tolerance

    def table(self, key: str) -> pd.DataFrame:
        return self.tables[key]

    def sheet_name(self, key: str) -> str:
        """The name the workbook shows for a sheet (as found, else the
        schema's name in the workbook's language)."""
        lay = self.layout.get(key)
        return lay.name if lay else SHEETS[key].name(self.lang)

    def setting(self, key: str):
        """A setting, falling back to the schema default."""
        value = self.settings.get(key)
        return SHEETS["settings"].col(key).default if value is None else value

    def int_setting(self, key: str) -> int:
        """A whole-number setting; the schema default when it is not one."""
        try:
            return int(self.setting(key))
        except (TypeError, ValueError):
            return int(cast(int, SHEETS["settings"].col(key).default))
