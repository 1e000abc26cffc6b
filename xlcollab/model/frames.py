"""Typed frames built from plain records.

``empty_frame`` and ``frame`` make frames with exactly the column types ProjectData promises
(see :mod:`xlcollab.model.data`); the demo, the tests and anyone building
ProjectData by hand use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from xlcollab.model.data import is_missing
from xlcollab.model.dates import to_date
from xlcollab.schema import (
    FIRST_DATA_ROW,
    SHEETS,
    YES_NO,
    ChoiceList,
    Column,
    Kind,
    T,
)

__all__ = ["empty_frame", "frame", "index_rows", "PANDAS_DTYPES"]

_CENT = Decimal("0.01")

# schema type -> pandas dtype
PANDAS_DTYPES: dict[T, str] = {
    T.TEXT: "object",
    T.REF: "object",
    T.DATE: "datetime64[ns]",
    T.INT: "Int64",
    T.NUMBER: "Float64",
    T.PERCENT: "Float64",
    T.MONEY: "object",
    T.ENUM: "object",
    T.CHOICE: "object",
    T.PERSON: "object",
    T.DEPARTMENT: "object",
    T.BOOL: "boolean",
}


def _table_sheet(sheet_key: str):
    sheet = SHEETS[sheet_key]
    if sheet.kind is not Kind.TABLE:
        raise ValueError(f"{sheet_key} is a {sheet.kind} sheet, not a table")
    return sheet


def index_rows(n: int) -> pd.RangeIndex:
    """Excel row numbers of n records written from the first data row."""
    return pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + n)


def empty_frame(sheet_key: str) -> pd.DataFrame:
    """An empty frame for a table sheet: every schema column, typed."""
    sheet = _table_sheet(sheet_key)
    return pd.DataFrame(
        {c.key: pd.Series([], dtype=PANDAS_DTYPES[c.type]) for c in sheet.columns},
        index=index_rows(0),
    )


def _date(v, col: Column):
    try:
        d = to_date(v)
    except TypeError:
        raise ValueError(f"{col.key}: not a date: {v!r}") from None
    return pd.NaT if d is None else pd.Timestamp(d)


def _money(v, col: Column):
    if is_missing(v):
        return None
    if isinstance(v, bool):
        raise ValueError(f"{col.key}: not an amount: {v!r}")
    try:
        d = Decimal(str(v)) if isinstance(v, float) else Decimal(v)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"{col.key}: not an amount: {v!r}") from exc
    return d.quantize(_CENT, ROUND_HALF_UP)


def _bool(v, col: Column):
    if is_missing(v):
        return pd.NA
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, str):
        key = YES_NO.parse(v)
        if key is not None:
            return key == "yes"
    raise ValueError(f"{col.key}: not yes/no: {v!r}")


def _enum(v, col: Column):
    if is_missing(v):
        return None
    choices = _choices(col)
    key = choices.parse(str(v))
    if key is None:
        raise ValueError(f"{col.key}: {v!r} is not one of {choices.keys}")
    return key


def _choice(v, col: Column, lang: str):
    """Extensible lists are stored by label: a key or a label in either
    language becomes the label in ``lang``; anything else (a user's own
    entry) is kept as written."""
    if is_missing(v):
        return None
    choices = _choices(col)
    key = choices.parse(str(v))
    return choices.label(key, lang) if key is not None else str(v).strip()


def _choices(col: Column) -> ChoiceList:
    """The choice list of an enum or choice column (the schema gives every one a list)."""
    if col.choice_list is None:
        raise TypeError(f"{col.key}: the schema gives this column no choice list")
    return col.choice_list


def _text(v, col: Column):
    return None if is_missing(v) else str(v)


def _convert(values: list, col: Column, lang: str) -> pd.Series:
    t = col.type
    if t is T.DATE:
        return pd.Series([_date(v, col) for v in values], dtype="datetime64[ns]")
    if t is T.INT:
        out = []
        for v in values:
            if is_missing(v):
                out.append(pd.NA)
            elif (
                isinstance(v, (int, np.integer))
                and not isinstance(v, bool)
                or isinstance(v, float)
                and v.is_integer()
            ):
                out.append(int(v))
            else:
                raise ValueError(f"{col.key}: not a whole number: {v!r}")
        return pd.Series(pd.array(out, dtype="Int64"))
    if t in (T.NUMBER, T.PERCENT):
        out = []
        for v in values:
            if is_missing(v):
                out.append(pd.NA)
            elif isinstance(v, (int, float, Decimal, np.number)) and not isinstance(v, bool):
                out.append(float(v))
            else:
                raise ValueError(f"{col.key}: not a number: {v!r}")
        return pd.Series(pd.array(out, dtype="Float64"))
    if t is T.MONEY:
        return pd.Series([_money(v, col) for v in values], dtype=object)
    if t is T.BOOL:
        return pd.Series(pd.array([_bool(v, col) for v in values], dtype="boolean"))
    if t is T.ENUM:
        return pd.Series([_enum(v, col) for v in values], dtype=object)
    if t is T.CHOICE:
        return pd.Series([_choice(v, col, lang) for v in values], dtype=object)
    return pd.Series([_text(v, col) for v in values], dtype=object)


def frame(sheet_key: str, records: Iterable[Mapping[str, Any]], lang: str = "zh") -> pd.DataFrame:
    """A typed frame for a table sheet from plain records (dicts keyed by
    column key; missing keys are empty). Dates may be ``date``/``datetime``
    or ISO text; money ``Decimal``/int/str (rounded to fen); ENUM columns
    take a key or a label (stored as the key); CHOICE columns a key or a
    label (stored as the label in ``lang``); BOOL True/False or 是/否.
    The index is the Excel row number (first record on row 2).

    Raises ValueError on an unknown column key or a value of the wrong type.
    """
    sheet = _table_sheet(sheet_key)
    records = list(records)
    known = set(sheet.keys)
    for i, rec in enumerate(records):
        unknown = set(rec) - known
        if unknown:
            raise ValueError(f"{sheet_key} record {i}: unknown column(s) {sorted(unknown)}")
    index = index_rows(len(records))
    data = {}
    for col in sheet.columns:
        s = _convert([rec.get(col.key) for rec in records], col, lang)
        s.index = index
        data[col.key] = s
    return pd.DataFrame(data, index=index)
