"""Python values -> what a cell holds, by the column's schema type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from numbers import Integral, Real

import pandas as pd
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from xlcollab.schema import YES_NO, Column, T


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, (str, bytes, list, tuple, dict, set)):
        return isinstance(value, str) and value == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _date(value):
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _text(value)


def _text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _choice(col: Column, value, lang: str):
    cl = col.choice_list
    if cl is None:
        return _text(value)
    key = value if value in cl.keys else cl.parse(str(value))
    return cl.label(key, lang) if key else _text(value)


def _bool(value, lang: str):
    if isinstance(value, str):
        key = YES_NO.parse(value)
        return YES_NO.label(key, lang) if key else _text(value)
    return YES_NO.label("yes" if bool(value) else "no", lang)


def _number(value, kind):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        return int(value) if kind is int and value.is_integer() else value
    return _text(value)


def cell_value(col: Column, value, lang: str):
    """The value to put in a cell of ``col`` for the Python ``value``:
    labels for choices (in ``lang``), 是/否 for booleans, floats for money,
    dates for dates, None for every kind of missing."""
    if is_empty(value):
        return None
    t = col.type
    if t in (T.ENUM, T.CHOICE):
        return _choice(col, value, lang) if t is T.ENUM else _text(value)
    if t is T.BOOL:
        return _bool(value, lang)
    if t is T.DATE:
        return _date(value)
    if t is T.INT:
        return _number(value, int)
    if t in (T.NUMBER, T.PERCENT, T.MONEY):
        return _number(value, float)
    return _text(value)


# Text that a spreadsheet may take for a formula when it is typed, pasted or
# re-entered (formula injection): it is always written as text.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def formula_like(value) -> bool:
    """True for text that starts like a formula (``=``, ``+``, ``-``, ``@``)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def stays_text(value) -> bool:
    """True for text that must be written as text with a quote prefix: it
    starts like a formula (:func:`formula_like`) or reads like an error value
    ("#VALUE!"). What :func:`put` does for openpyxl, for other writers."""
    return formula_like(value) or (isinstance(value, str) and value in ERROR_CODES)


def put(ws, row: int, column: int, value):
    """Write ``value`` as a constant: text starting with '=', '+', '-' or '@',
    and text that reads like an error value ("#VALUE!"), stays text (a string
    cell with a quote prefix, as if typed with a leading apostrophe), never a
    formula or an error. Every export writes user entries with this."""
    cell = ws.cell(row, column)
    cell.value = value
    if stays_text(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
