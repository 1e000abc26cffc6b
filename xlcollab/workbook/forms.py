"""Form sheets (项目概况, 参数, xlwings.conf): one field per row."""

from __future__ import annotations

import unicodedata

from xlcollab.model.a1 import col_letter
from xlcollab.schema import (
    FORM_HEADERS,
    FORM_LABEL_COL,
    FORM_NO_HEADER,
    FORM_NOTE_COL,
    FORM_VALUE_COL,
    HEADER_ROW,
    Sheet,
    form_first_row,
)
from xlcollab.schema.lang import tr
from xlcollab.workbook import formats
from xlcollab.workbook.validation import add_validation
from xlcollab.workbook.values import cell_value, is_empty, put

_MIN_WIDTH, _MAX_WIDTH = 10, 60


def display_width(text: str) -> int:
    """Columns a text needs: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _fit(texts, at_least: float = _MIN_WIDTH) -> float:
    widest = max((display_width(t) for t in texts if t), default=0) + 2
    return min(_MAX_WIDTH, max(at_least, widest))


def write_form_sheet(ws, sheet: Sheet, values: dict, lang: str) -> None:
    """Labels, values (``values`` by key, else the schema default) and notes.
    xlwings.conf (FORM_NO_HEADER) follows xlwings' own format: keys in A,
    values in B from row 1, no header, and only keys that have a value (an
    empty entry there would override the user's own xlwings settings)."""
    plain = sheet.key in FORM_NO_HEADER
    if not plain:
        for col, text in zip(
            (FORM_LABEL_COL, FORM_VALUE_COL, FORM_NOTE_COL),
            tr(lang, FORM_HEADERS["zh"], FORM_HEADERS["en"]),
            strict=False,
        ):
            ws.cell(HEADER_ROW, col, text)
        formats.style_header_row(ws, FORM_NOTE_COL)
    row = form_first_row(sheet.key)
    shown = []
    for col in sheet.columns:
        value = values.get(col.key)
        if is_empty(value):
            value = col.default
        if plain and is_empty(value):
            continue
        label = ws.cell(row, FORM_LABEL_COL, col.header(lang))
        cell = put(ws, row, FORM_VALUE_COL, cell_value(col, value, lang))
        if col.number_format:
            cell.number_format = col.number_format
        if not plain:
            if col.required:
                label.font = formats.BOLD
            ws.cell(row, FORM_NOTE_COL, col.note(lang) or None)
            cell.protection = formats.UNLOCKED
            add_validation(ws, col, lang, cell.coordinate)
        shown.append(col)
        row += 1
    widths = {
        FORM_LABEL_COL: _fit([c.header(lang) for c in shown]),
        FORM_VALUE_COL: max([c.width for c in shown] + [_fit([], 20)]),
        FORM_NOTE_COL: _fit([c.note(lang) for c in shown]),
    }
    for index, width in widths.items():
        ws.column_dimensions[col_letter(index)].width = width
    if not plain:
        ws.freeze_panes = ws.cell(form_first_row(sheet.key), 1)
