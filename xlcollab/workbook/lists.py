"""The hidden lists sheet: dropdown items and the holiday mirrors."""

from __future__ import annotations

from xlcollab.schema import CHOICE_LISTS, FIRST_DATA_ROW, LISTS, Computed, T
from xlcollab.workbook import formats, layout
from xlcollab.workbook.tables import write_column, write_header
from xlcollab.workbook.values import is_empty, put


def list_items(key: str, lists: dict, lang: str) -> list[str]:
    """The items a lists-sheet column shows: fixed lists their labels in
    ``lang``; extensible lists the project's own items, else the defaults."""
    cl = CHOICE_LISTS[key]
    if cl.extensible and lists.get(key):
        return [str(v).strip() for v in lists[key] if not is_empty(v) and str(v).strip()]
    return cl.labels(lang)


def write_lists_sheet(ws, lists: dict, lang: str) -> None:
    write_header(ws, LISTS, lang)
    for i, col in enumerate(LISTS.columns, start=1):
        if col.computed is Computed.EXCEL:
            write_column(ws, LISTS, i, [], layout.list_last_row(col.key), lang)
            continue
        items = list_items(col.key, lists, lang)
        for row, text in enumerate(items, start=FIRST_DATA_ROW):
            put(ws, row, i, text)
        if col.type is T.CHOICE:  # users extend these lists
            last = max(layout.list_last_row(col.key), FIRST_DATA_ROW + len(items) - 1)
            for row in range(FIRST_DATA_ROW, last + 1):
                ws.cell(row, i).protection = formats.UNLOCKED
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    ws.sheet_state = "hidden"
    formats.protect(ws)
