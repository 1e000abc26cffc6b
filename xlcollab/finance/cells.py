"""Cells and table sheets of the finance workbook, written with xlsxwriter:
constants as the master's builder writes them (:func:`~xlcollab.workbook.values.cell_value`;
text that reads like a formula or an error stays text with a quote prefix),
a styled header row, money columns wide enough for their amounts, and a
table sheet (明细, 异常) with its Excel table, a column at a time."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from itertools import filterfalse

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from xlcollab.finance import styles
from xlcollab.finance.sheetdata import BlockColumn
from xlcollab.finance.styles import Formats
from xlcollab.schema import FIRST_DATA_ROW, HEADER_ROW, WRAP_WIDTH, Sheet, T
from xlcollab.workbook import formats
from xlcollab.workbook.values import cell_value, stays_text

__all__ = [
    "write_value",
    "constants",
    "fit_money",
    "header_row",
    "body_format",
    "column_cells",
    "table_sheet",
]

EPOCH = pd.Timestamp(1899, 12, 30)  # Excel's day 0
# a line of text starting as a formula or an error value may start
TEXT_START = re.compile(r"^[=+\-@#]", re.M)
# column types whose cells are not the text itself (labels, numbers, dates)
NOT_PLAIN_TEXT = frozenset({T.ENUM, T.BOOL, T.DATE, T.INT, T.NUMBER, T.PERCENT, T.MONEY})
DAY = pd.Timedelta(days=1)
SIMPLE = frozenset({float, int, str, type(None)})  # cells that need no conversion


def write_value(ws, row: int, col: int, value, fmt, quoted) -> None:
    """One constant at the 1-based ``row``, ``col``: text as text (with the
    ``quoted`` format when it would read as a formula or an error), dates as
    date serials, numbers as numbers; None as a blank that keeps ``fmt``."""
    if value is None or value != value:  # None or NaN: nothing to show
        if fmt is not None:
            ws.write_blank(row - 1, col - 1, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row - 1, col - 1, value, quoted if stays_text(value) else fmt)
    elif isinstance(value, dt.date):
        ws.write_number(row - 1, col - 1, (pd.Timestamp(value).floor("D") - EPOCH) / DAY, fmt)
    else:
        ws.write_number(row - 1, col - 1, value, fmt)


def constants(values: list) -> list:
    """``values`` as the cells :func:`write_value` writes: numbers, text and
    None (for None and NaN), dates as day serials."""
    if set(map(type, values)) <= SIMPLE:
        return values
    out = []
    for v in values:
        if v.__class__ in SIMPLE:
            out.append(v)
        elif v is None or v != v:
            out.append(None)
        elif isinstance(v, str):
            out.append(str(v))
        elif isinstance(v, dt.date):
            out.append((pd.Timestamp(v).floor("D") - EPOCH) / DAY)
        else:
            out.append(v)
    return out


def fit_money(width: float, amounts, total=None) -> float:
    """A money column's width: ``width``, or wider when an amount (or the
    bold ``total``) would not fit and show as ###."""
    # the longest amount is the largest, the most negative or one not finite
    values = [float(v) for v in amounts]
    finite = list(filter(math.isfinite, values))
    ends = [max(finite), min(finite)] if finite else []
    ends += filterfalse(math.isfinite, values)
    chars = max((len(f"¥{v:,.2f}") for v in ends), default=0)
    bold = len(f"¥{float(total):,.2f}") if total is not None else 0
    return max(width, chars + 1, bold + 2 if bold else 0)


def header_row(ws, F: Formats, headers: list[str], widths: list[float], row: int) -> None:
    """A header row (a trend's department header is a user's text)."""
    fmt, quoted = F(styles.HEADER), F(styles.HEADER, quote_prefix=True)
    for i, (text, width) in enumerate(zip(headers, widths, strict=True)):
        write_value(ws, row, i + 1, text, fmt, quoted)
        styles.set_width(ws, i, width)
    ws.set_row(row - 1, formats.HEADER_HEIGHT)


def body_format(col) -> dict:
    """A table column's body cells: its number format, top-aligned (long
    text wrapped, the tool's own messages too, so that a printed anomaly is
    read whole), unlocked when it is an input (as the master's tables)."""
    props: dict = {"valign": "top"}
    if col.computed is None:
        props["locked"] = False
    if col.number_format:
        props["num_format"] = col.number_format
    if col.type is T.TEXT and col.width >= WRAP_WIDTH:
        props["text_wrap"] = True
    return props


def column_cells(col, values: pd.Series, lang: str) -> list:
    """What the cells of ``col`` hold (:func:`~xlcollab.workbook.values.cell_value`),
    the whole column at once where its type allows: dates as day serials,
    whole numbers, amounts as floats, plain text as it is."""
    if col.type is T.DATE and pd.api.types.is_datetime64_any_dtype(values.dtype):
        days = (values.dt.floor("D") - EPOCH) / DAY
        return [None if d != d else d for d in days.tolist()]
    items = values.tolist()
    kinds = set(map(type, items)) - {type(None)}
    if col.type is T.INT and kinds <= {int}:
        return items
    if (
        col.type is T.MONEY
        and kinds <= {Decimal}
        and all(v.is_finite() for v in items if v is not None)
    ):
        return [None if v is None else float(v) for v in items]
    plain = col.type not in NOT_PLAIN_TEXT and kinds <= {str}
    if plain and not ILLEGAL_CHARACTERS_RE.search("".join([v for v in items if v])):
        return [v or None for v in items]
    return [cell_value(col, v, lang) for v in items]


def table_sheet(
    ws, F: Formats, sheet: Sheet, df: pd.DataFrame, lang: str, empty_key: str, empty_label: str
) -> None:
    n = len(df)
    last = FIRST_DATA_ROW + max(n, 1) - 1
    columns = []
    for col in sheet.columns:
        values = column_cells(col, df[col.key], lang) if col.key in df.columns else []
        if n == 0 and col.key == empty_key:
            values = [empty_label]
        columns.append(values + [None] * (last - FIRST_DATA_ROW + 1 - len(values)))
    widths = [
        fit_money(c.width, [v for v in values if v.__class__ in (int, float)])
        if c.type is T.MONEY
        else c.width
        for c, values in zip(sheet.columns, columns, strict=True)
    ]
    header_row(ws, F, [c.header(lang) for c in sheet.columns], widths, HEADER_ROW)
    block = []
    for col, values in zip(sheet.columns, columns, strict=True):
        props = body_format(col)
        values = constants(values)
        # a column without a text that could stay text skips the test per cell
        classes = set(map(type, values))
        texts = "\n".join(values if classes == {str} else [v for v in values if v.__class__ is str])
        quoted = (
            [i for i, v in enumerate(values) if v.__class__ is str and stays_text(v)]
            if TEXT_START.search(texts)
            else []
        )
        block.append(BlockColumn(values, F(props), F(props, quote_prefix=True), quoted))
    ws.write_columns(FIRST_DATA_ROW - 1, 0, block)
    ws.add_table(
        HEADER_ROW - 1,
        0,
        last - 1,
        len(sheet.columns) - 1,
        {
            "name": sheet.table,
            "style": formats.TABLE_STYLE,
            "columns": [
                {"header": c.header(lang), "header_format": F(styles.HEADER)} for c in sheet.columns
            ],
        },
    )
    ws.freeze_panes(FIRST_DATA_ROW - 1, 0)
    styles.print_setup(ws, HEADER_ROW)
