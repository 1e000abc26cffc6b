"""Which cells the reader understood only by tolerance (see
:mod:`xlcollab.model.tolerated`).

:func:`judge` looks at one cell: what was typed and what it was parsed as.
:func:`column_tolerance` does a whole column (each distinct text once);
:func:`match_names` resolves persons and departments typed with a stray
space against the names 组织架构 and 部门 hold.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from xlcollab.io.parse import clean, display
from xlcollab.model.tolerated import Kind, Tolerated
from xlcollab.schema import CHOICE_LISTS, SHEETS, Column, T

__all__ = ["judge", "column_tolerance", "match_names", "unknown_names", "NAME_TYPES"]

_NUMBER_TYPES = frozenset({T.INT, T.NUMBER, T.PERCENT, T.MONEY})
NAME_TYPES = frozenset({T.PERSON, T.DEPARTMENT})
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _full_width(text: str) -> bool:
    """Full-width forms (digits, letters, signs) or the ideographic space."""
    return any("\uff01" <= ch <= "\uff5e" or ch == "\u3000" for ch in text)


def judge(raw: Any, value: Any, col: Column, lang: str) -> tuple[Kind, Any] | None:
    """(kind, the value to write) when the cell ``raw``, parsed as ``value``
    (dates as days since 1970 or ``date``), was understood by tolerance;
    None when it is stored as its column needs (or was not understood)."""
    if raw.__class__ is not str or value is None:
        return None
    t = col.type
    if t is T.DATE:
        if isinstance(value, int):
            value = dt.date.fromordinal(value + _EPOCH_ORDINAL)
        return (Kind.FULL_WIDTH if _full_width(raw) else Kind.TEXT_DATE), value
    if t in _NUMBER_TYPES:
        return (Kind.FULL_WIDTH if _full_width(raw) else Kind.TEXT_NUMBER), value
    if t is T.ENUM:
        label = CHOICE_LISTS[col.choices].label(value, lang)
        return (Kind.CHOICE_ALIAS, label) if raw != label else None
    if t is T.CHOICE:
        return (Kind.CHOICE_ALIAS, value) if raw != value else None
    if t in NAME_TYPES:
        return (Kind.NAME_SPACING, value) if raw != value else None
    return None


def column_tolerance(
    raw: Sequence, values: Sequence, col: Column, lang: str, positions: Iterable[int]
) -> list[tuple[int, Kind, str, Any]]:
    """(position, kind, typed text, value to write) for the cells of one
    column at ``positions`` that were read by tolerance."""
    if col.type not in _NUMBER_TYPES | NAME_TYPES | {T.DATE, T.ENUM, T.CHOICE}:
        return []
    if str not in set(map(type, raw)):  # nothing typed as text: nothing tolerated
        return []
    # the parsed value is a function of the typed one: judge each distinct entry once
    parsed = dict(zip(raw, values, strict=False))
    hits = {}
    for v, p in parsed.items():
        if v.__class__ is str:
            verdict = judge(v, p, col, lang)
            if verdict is not None:
                hits[v] = verdict
    if not hits:
        return []
    out = []
    for i in positions:
        verdict = hits.get(raw[i]) if raw[i].__class__ is str else None
        if verdict is not None:
            out.append((i, verdict[0], raw[i], verdict[1]))
    return out


def _despaced(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def match_names(
    tables: dict[str, pd.DataFrame],
    tolerated: list[Tolerated],
    overview: dict | None = None,
    overview_rows: dict[str, int] | None = None,
) -> list[Tolerated]:
    """Persons and departments written with a space inside ("张 伟") that
    match exactly one name on 组织架构 (departments: on 部门) once spaces
    are ignored: the frame (and ``overview``, whose fields sit at
    ``overview_rows``) get that exact name, and the cell is recorded as
    tolerated. Returns ``tolerated``, updated."""
    known = {
        T.PERSON: _names(tables.get("team"), "name"),
        T.DEPARTMENT: _names(tables.get("departments"), "name"),
    }
    lookup: dict[T, dict[str, str | None]] = {}
    for t, names in known.items():
        table: dict[str, str | None] = {}
        for n in names:
            k = _despaced(n)
            table[k] = None if k in table and table[k] != n else n  # None: ambiguous
        lookup[t] = table
    by_cell = {(x.sheet, x.row, x.column): i for i, x in enumerate(tolerated)}

    def resolve(sheet: str, row: int, col: Column, value) -> str | None:
        if not isinstance(value, str) or value in known[col.type]:
            return None
        exact = lookup[col.type].get(_despaced(value))
        if exact is None or exact == value:
            return None
        at = by_cell.get((sheet, row, col.key))
        raw = tolerated[at].raw if at is not None else value
        item = Tolerated(sheet, row, col.key, Kind.NAME_SPACING, raw, exact)
        if at is None:
            by_cell[(sheet, row, col.key)] = len(tolerated)
            tolerated.append(item)
        else:
            tolerated[at] = item
        return exact

    for key, frame in tables.items():
        sheet = SHEETS.get(key)
        if sheet is None or frame is None or frame.empty:
            continue
        for col in sheet.columns:
            if col.type not in NAME_TYPES or not col.is_input or col.key not in frame:
                continue
            if (key, col.key) == ("departments", "name"):
                continue
            for row, value in _odd_names(frame[col.key], known[col.type]):
                exact = resolve(key, int(row), col, value)
                if exact is not None:
                    frame.at[row, col.key] = exact
    if overview is not None:
        for col in SHEETS["overview"].columns:
            if col.type in NAME_TYPES and col.is_input:
                row = (overview_rows or {}).get(col.key)
                if row is None:
                    continue
                exact = resolve("overview", row, col, overview.get(col.key))
                if exact is not None:
                    overview[col.key] = exact
    return tolerated


def _names(frame: pd.DataFrame | None, key: str) -> set[str]:
    if frame is None or key not in frame:
        return set()
    return {clean(display(v)) for v in frame[key].dropna() if clean(display(v))}


def unknown_names(tables: dict[str, pd.DataFrame]) -> list[tuple[str, int, Column, str]]:
    """(sheet, row, column, value) of every person not on 组织架构 and every
    department not on 部门, after :func:`match_names` (so none of them or
    more than one matched): what tidying cannot decide."""
    known = {
        T.PERSON: _names(tables.get("team"), "name"),
        T.DEPARTMENT: _names(tables.get("departments"), "name"),
    }
    out = []
    for key, frame in tables.items():
        sheet = SHEETS.get(key)
        if sheet is None or frame is None or frame.empty:
            continue
        for col in sheet.columns:
            if col.type not in NAME_TYPES or not col.is_input or col.key not in frame:
                continue
            if (key, col.key) == ("departments", "name") or not known[col.type]:
                continue
            for row, value in _odd_names(frame[col.key], known[col.type]):
                out.append((key, int(row), col, str(value)))
    return out


def _odd_names(s: pd.Series, known: set[str]) -> list[tuple[Any, Any]]:
    """(row, value) of each cell of name column ``s`` that holds a value
    not in ``known`` (``s.notna() & ~s.isin(known)``), one cell at a time:
    a column of a few hundred names is quicker so than through pandas."""
    return [
        (row, v)
        for row, v in zip(s.index.tolist(), s.tolist(), strict=True)
        if (v.__class__ is str or (v is not None and not pd.isna(v))) and v not in known
    ]
