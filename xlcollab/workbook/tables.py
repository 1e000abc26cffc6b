"""Table sheets: header, records, spare rows, formulas, an Excel table."""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo

from xlcollab.io.cached import remember
from xlcollab.model.a1 import col_letter
from xlcollab.schema import (
    FIRST_DATA_ROW,
    FREEZE_THROUGH,
    HEADER_ROW,
    WRAP_WIDTH,
    Computed,
    Sheet,
    T,
)
from xlcollab.workbook import formats, layout
from xlcollab.workbook.formulas import bare, resolve
from xlcollab.workbook.highlights import add_highlights
from xlcollab.workbook.validation import add_validation
from xlcollab.workbook.values import cell_value, put


def write_header(ws, sheet: Sheet, lang: str) -> None:
    for i, col in enumerate(sheet.columns, start=1):
        ws.cell(HEADER_ROW, i, col.header(lang))
        ws.column_dimensions[col_letter(i)].width = col.width
    formats.style_header_row(ws, len(sheet.columns))


def write_column(
    ws,
    sheet: Sheet,
    index: int,
    values: list,
    last: int,
    lang: str,
    *,
    grey: bool = True,
    cached: list | None = None,
) -> None:
    """Fill column ``index`` (1-based) of a table or view sheet from
    FIRST_DATA_ROW to ``last``: formulas for computed Excel columns, the
    given values otherwise; locked and grey when computed, unlocked when an
    input. ``cached``: the computed column's values per record (rows past
    them show an empty text), kept as the formula cells' cached values."""
    col = sheet.columns[index - 1]
    fmt = col.number_format
    first = None
    for i, row in enumerate(range(FIRST_DATA_ROW, last + 1)):
        if col.computed is Computed.EXCEL:
            cell = ws.cell(row, index, resolve(col.formula, sheet.key, row, lang))
            if cached is not None:
                remember(ws, cell.coordinate, cached[i] if i < len(cached) else None)
        else:
            value = values[i] if i < len(values) else None
            cell = put(ws, row, index, cell_value(col, value, lang))
        if first is None:
            first = cell
            if col.computed is None:
                cell.protection = formats.UNLOCKED
            elif grey:
                formats.style_computed(cell)
            if fmt:
                cell.number_format = fmt
            if col.type is T.TEXT and col.width >= WRAP_WIDTH and col.computed is None:
                cell.alignment = formats.WRAP_TOP
            elif cell.alignment.vertical is None:  # a row of wrapped text reads from the top
                cell.alignment = Alignment(horizontal=cell.alignment.horizontal, vertical="top")
        else:
            formats.copy_style(first, cell)


def _frame_values(df: pd.DataFrame | None, key: str) -> list:
    if df is None or key not in df.columns:
        return []
    return df[key].tolist()


def _excel_table(sheet: Sheet, last: int, lang: str) -> Table:
    ref = f"{col_letter(1)}{HEADER_ROW}:{col_letter(len(sheet.columns))}{last}"
    columns = []
    for i, col in enumerate(sheet.columns, start=1):
        tc = TableColumn(id=i, name=col.header(lang))
        if col.computed is Computed.EXCEL:
            # new rows typed below the table pick the formula up in Excel
            formula = bare(resolve(col.formula, sheet.key, FIRST_DATA_ROW, lang))
            tc.calculatedColumnFormula = TableFormula(attr_text=formula)
        columns.append(tc)
    return Table(
        displayName=sheet.table,
        name=sheet.table,
        ref=ref,
        autoFilter=AutoFilter(ref=ref),
        tableColumns=columns,
        tableStyleInfo=TableStyleInfo(name=formats.TABLE_STYLE, showRowStripes=True),
    )


def freeze(ws, sheet: Sheet) -> None:
    through = FREEZE_THROUGH.get(sheet.key)
    first_free = layout.col_index(sheet.key, through) + 1 if through else 1
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, first_free)


LINE_PT = 15  # one line of the default 11 pt font


def _text_lines(value, width_chars: float) -> int:
    """Lines a wrapped cell of ``width_chars`` character widths needs
    (a CJK character counts two)."""
    import unicodedata

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return 1
    n = 0
    for part in str(value).split("\n"):
        w = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in part)
        n += max(1, -(-w // max(int(width_chars * 0.9) - 1, 1)))
    return n


def fit_row_heights(ws, sheet: Sheet, df: pd.DataFrame | None) -> None:
    """Rows whose long text wraps get the height it needs, as Excel's
    autofit would (LibreOffice and print previews do not autofit on load)."""
    if df is None or not len(df):
        return
    wrapped = [
        c
        for c in sheet.columns
        if c.type is T.TEXT and c.width >= WRAP_WIDTH and c.computed is None and c.key in df
    ]
    if not wrapped:
        return
    for i, rec in enumerate(df[[c.key for c in wrapped]].itertuples(index=False)):
        lines = max(_text_lines(v, c.width) for v, c in zip(rec, wrapped, strict=True))
        if lines > 1:
            ws.row_dimensions[FIRST_DATA_ROW + i].height = lines * LINE_PT


def write_table_sheet(
    ws, sheet: Sheet, df: pd.DataFrame | None, lang: str, cached: pd.DataFrame | None = None
) -> int:
    """Write a table sheet; returns its last row. ``cached``: the computed
    columns' values per record (:func:`xlcollab.workbook.cached.computed_values`)."""
    n_records = 0 if df is None else len(df)
    last = layout.last_row(layout.body_rows(sheet.key, n_records))
    write_header(ws, sheet, lang)
    for i, col in enumerate(sheet.columns, start=1):
        write_column(
            ws,
            sheet,
            i,
            _frame_values(df, col.key),
            last,
            lang,
            cached=_frame_values(cached, col.key) if cached is not None else None,
        )
        if col.is_input:
            letter = col_letter(i)
            add_validation(ws, col, lang, f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
    ws.add_table(_excel_table(sheet, last, lang))
    fit_row_heights(ws, sheet, df)
    add_highlights(ws, sheet, last, lang)
    freeze(ws, sheet)
    if any(c.computed for c in sheet.columns):
        formats.protect(ws)
    return last
