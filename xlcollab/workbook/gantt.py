"""The Gantt view: the task rows mirrored, a week grid, bars drawn by
conditional formats, a today marker. Nothing in it is typed by hand.

The week grid is as wide as the project: from the week of the start date to
the week of the end date, plus ``GANTT_SPARE_WEEKS`` (``GANTT_WEEKS`` while
either date is missing), so that it prints on one page wide at a legible
size."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl.styles import Alignment

from xlcollab.model.a1 import col_letter
from xlcollab.schema import (
    FIRST_DATA_ROW,
    GANTT,
    GANTT_BARS,
    GANTT_SPARE_WEEKS,
    GANTT_WEEK_FORMAT,
    GANTT_WEEK_HEADER,
    GANTT_WEEK_WIDTH,
    GANTT_WEEKS,
    HEADER_ROW,
)
from xlcollab.workbook import formats, layout
from xlcollab.workbook.formulas import resolve
from xlcollab.workbook.highlights import add_highlights
from xlcollab.workbook.tables import write_column, write_header

_WEEK_HEADER_HEIGHT = 42


def gantt_weeks(start, end) -> int:
    """Week columns for a project from ``start`` to ``end`` (dates or
    empty): the weeks from the Monday of the start week through the end
    date, plus the spare ones; ``GANTT_WEEKS`` when a date is missing or the
    end is before the start."""
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return GANTT_WEEKS
    start, end = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if end < start:
        return GANTT_WEEKS
    monday = start - dt.timedelta(days=start.weekday())
    return (end - monday).days // 7 + 1 + GANTT_SPARE_WEEKS


def _week_header(ws, lang: str, weeks: int) -> None:
    for k in range(weeks):
        col = layout.week_col(k)
        cell = ws.cell(
            HEADER_ROW, col, resolve(GANTT_WEEK_HEADER, GANTT.key, HEADER_ROW, lang, week=k)
        )
        formats.style_header(cell)
        cell.number_format = GANTT_WEEK_FORMAT
        cell.alignment = Alignment(text_rotation=90, horizontal="center", vertical="center")
        ws.column_dimensions[col_letter(col)].width = GANTT_WEEK_WIDTH
    ws.row_dimensions[HEADER_ROW].height = _WEEK_HEADER_HEIGHT


def _bars(ws, last: int, lang: str, weeks: int) -> None:
    """GANTT_BARS in order, the first match wins (priority order and
    stopIfTrue). Rules that do not look at a task row (the today marker)
    also mark the week header."""
    first, final = layout.week_col(0), layout.week_col(weeks - 1)
    grid = f"{col_letter(first)}{FIRST_DATA_ROW}:{col_letter(final)}{last}"
    head = f"{col_letter(first)}{HEADER_ROW}:{col_letter(final)}{HEADER_ROW}"
    for template, style in GANTT_BARS:
        formula = resolve(template, GANTT.key, FIRST_DATA_ROW, lang, cond=True, week=0)
        ws.conditional_formatting.add(grid, formats.rule(formula, style, stop=True))
        if "{c." not in template:
            formula = resolve(template, GANTT.key, HEADER_ROW, lang, cond=True, week=0)
            ws.conditional_formatting.add(head, formats.rule(formula, style, stop=True))


def write_gantt_sheet(ws, task_rows: int, lang: str, weeks: int = GANTT_WEEKS) -> None:
    """One row per task-sheet row (``task_rows`` rows: records + spare),
    ``weeks`` week columns (:func:`gantt_weeks`)."""
    last = layout.last_row(task_rows)
    write_header(ws, GANTT, lang)
    for i in range(1, len(GANTT.columns) + 1):
        write_column(ws, GANTT, i, [], last, lang, grey=False)  # a view: no grey
        first = ws.cell(FIRST_DATA_ROW, i)
        first.border = formats.GRID
        for row in range(FIRST_DATA_ROW + 1, last + 1):
            formats.copy_style(first, ws.cell(row, i))
    _week_header(ws, lang, weeks)
    grid = ws.cell(FIRST_DATA_ROW, layout.week_col(0))
    grid.border = formats.GRID
    for row in range(FIRST_DATA_ROW, last + 1):
        for k in range(weeks):
            formats.copy_style(grid, ws.cell(row, layout.week_col(k)))
    _bars(ws, last, lang, weeks)
    add_highlights(ws, GANTT, last, lang)  # summary rows bold
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, layout.first_week_col())
    ws.sheet_view.zoomScale = 90
    formats.protect(ws)
