"""Where things are: the cell geometry every builder module shares.

The builder writes each sheet's columns in schema order, so a column's
letter follows from its position in the schema. Everything here is derived
from :mod:`xlcollab.schema`; nothing is a literal address.
"""

from __future__ import annotations

from functools import cache

from xlcollab.model import a1
from xlcollab.schema import (
    CHOICE_LISTS,
    FIRST_DATA_ROW,
    FORM_VALUE_COL,
    GANTT,
    HEADER_ROW,
    HOLIDAY_CAPACITY,
    LIST_ITEMS_MAX,
    LISTS,
    SHEETS,
    Column,
    Kind,
    Sheet,
    T,
    form_first_row,
)


def sheet(key: str) -> Sheet:
    try:
        return SHEETS[key]
    except KeyError:
        raise ValueError(f"unknown sheet {key!r}") from None


def column(sheet_key: str, key: str) -> Column:
    try:
        return sheet(sheet_key).col(key)
    except KeyError:
        raise ValueError(f"unknown column {sheet_key}.{key}") from None


@cache
def col_index(sheet_key: str, key: str) -> int:
    """1-based column of ``key`` on a table, view or lists sheet."""
    s = sheet(sheet_key)
    column(sheet_key, key)
    return s.keys.index(key) + 1


@cache
def col_letter(sheet_key: str, key: str) -> str:
    return a1.col_letter(col_index(sheet_key, key))


def form_row(sheet_key: str, key: str) -> int:
    """The row of form field ``key`` on a form sheet."""
    s = sheet(sheet_key)
    if s.kind is not Kind.FORM:
        raise ValueError(f"{sheet_key} is not a form sheet")
    column(sheet_key, key)
    return form_first_row(sheet_key) + s.keys.index(key)


def quote_sheet(name: str) -> str:
    """A sheet name as a formula reference prefix needs it: always quoted."""
    return "'" + name.replace("'", "''") + "'"


def list_last_row(key: str) -> int:
    """Last row of a lists-sheet column: the holiday mirrors reach
    HOLIDAY_CAPACITY rows, extensible lists LIST_ITEMS_MAX, fixed lists their
    own length."""
    col = column(LISTS.key, key)
    if col.computed is not None:
        return FIRST_DATA_ROW + HOLIDAY_CAPACITY - 1
    if col.type is T.CHOICE:
        return FIRST_DATA_ROW + LIST_ITEMS_MAX - 1
    return FIRST_DATA_ROW + len(CHOICE_LISTS[col.choices].items) - 1


def body_rows(sheet_key: str, n_records: int) -> int:
    """How many rows below the header a table gets: its records and its
    spare rows, at least one (Excel tables need a data row)."""
    return max(1, n_records + sheet(sheet_key).spare_rows)


def last_row(n_body: int) -> int:
    return FIRST_DATA_ROW + n_body - 1


def first_week_col() -> int:
    """The Gantt grid's first week column: right after the view columns."""
    return len(GANTT.columns) + 1


def week_col(k: int) -> int:
    return first_week_col() + k


__all__ = [
    "HEADER_ROW",
    "FORM_VALUE_COL",
    "body_rows",
    "col_index",
    "col_letter",
    "column",
    "first_week_col",
    "form_row",
    "last_row",
    "list_last_row",
    "quote_sheet",
    "sheet",
    "week_col",
]
