"""Conditional formats from the schema's HIGHLIGHTS (overdue, blocked ...)."""

from __future__ import annotations

from xlcollab.model.a1 import col_letter
from xlcollab.schema import FIRST_DATA_ROW, HIGHLIGHTS, Sheet
from xlcollab.workbook import formats, layout
from xlcollab.workbook.formulas import resolve


def add_highlights(ws, sheet: Sheet, last: int, lang: str) -> int:
    """Colour rows (or one column) of ``sheet`` from FIRST_DATA_ROW to
    ``last`` where a highlight's formula holds; returns how many rules."""
    n = 0
    for hl in HIGHLIGHTS:
        if hl.sheet != sheet.key:
            continue
        if hl.column:
            letter = layout.col_letter(sheet.key, hl.column)
            ref = f"{letter}{FIRST_DATA_ROW}:{letter}{last}"
        else:
            last_col = col_letter(len(sheet.columns))
            ref = f"{col_letter(1)}{FIRST_DATA_ROW}:{last_col}{last}"
        formula = resolve(hl.formula, sheet.key, FIRST_DATA_ROW, lang, cond=True)
        ws.conditional_formatting.add(ref, formats.rule(formula, hl.style))
        n += 1
    return n
