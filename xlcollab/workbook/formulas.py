"""Resolve the schema's formula templates into Excel formulas.

Grammar (see the :mod:`xlcollab.schema` docstring):

``{c.KEY}``        same-row cell of the same sheet: ``H5`` (``$H5`` in a
                   conditional format, so the rule can span a whole row)
``{o.SHEET.KEY}``  same-row cell of another sheet: ``'任务清单'!A5``
``{r.SHEET.KEY}``  the whole column, absolute: ``'费用台账'!$D:$D``
``{f.SHEET.KEY}``  a form field's value cell, absolute: ``'项目概况'!$B$13``
``{v.LIST.ITEM}``  the quoted label of a choice in the language: ``"已完成"``
``{m.KEY}``        the quoted marker a flag shows for an input it cannot use: ``"日期?"``
``{l.KEY}``        a lists-sheet column's range: ``'列表'!$P$2:$P$401``
``{d.SHEET.KEY}``  a table column for dropdowns, rows 2..LIST_RANGE_ROWS
``{w}``            the Gantt week header cell, row-absolute: ``H$1``
``{k}``            the week index (0 for the first week)

Anything else in braces is an error (ValueError naming it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xlcollab.model.a1 import col_letter
from xlcollab.schema import (
    CHOICE_LISTS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    LIST_RANGE_ROWS,
    LISTS,
    MARKERS,
    marker,
)
from xlcollab.workbook import layout

_TOKEN = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Where:
    """The place a formula is written to."""

    sheet: str  # sheet key
    row: int
    lang: str = "zh"
    cond: bool = False  # conditional format: {c.KEY} is column-absolute
    week: int | None = None  # Gantt week index, for {w} and {k}


def _name(sheet_key: str, lang: str) -> str:
    return layout.quote_sheet(layout.sheet(sheet_key).name(lang))


def _label(list_key: str, item: str, lang: str) -> str:
    try:
        text = CHOICE_LISTS[list_key].label(item, lang)
    except KeyError:
        raise ValueError(f"unknown choice {list_key}.{item}") from None
    return '"' + text.replace('"', '""') + '"'


def _one(token: str, at: Where) -> str:
    parts = token.split(".")
    kind, args = parts[0], parts[1:]
    dollar = "$" if at.cond else ""
    try:
        if kind == "c" and len(args) == 1:
            return f"{dollar}{layout.col_letter(at.sheet, args[0])}{at.row}"
        if kind == "o" and len(args) == 2:
            return (
                f"{_name(args[0], at.lang)}!{dollar}{layout.col_letter(args[0], args[1])}{at.row}"
            )
        if kind == "r" and len(args) == 2:
            letter = layout.col_letter(args[0], args[1])
            return f"{_name(args[0], at.lang)}!${letter}:${letter}"
        if kind == "f" and len(args) == 2:
            row = layout.form_row(args[0], args[1])
            letter = col_letter(layout.FORM_VALUE_COL)
            return f"{_name(args[0], at.lang)}!${letter}${row}"
        if kind == "v" and len(args) == 2:
            return _label(args[0], args[1], at.lang)
        if kind == "m" and len(args) == 1:
            if args[0] not in MARKERS:
                raise ValueError(f"unknown marker {args[0]}")
            return '"' + marker(args[0], at.lang) + '"'
        if kind == "l" and len(args) == 1:
            letter = layout.col_letter(LISTS.key, args[0])
            return (
                f"{_name(LISTS.key, at.lang)}!${letter}${FIRST_DATA_ROW}:"
                f"${letter}${layout.list_last_row(args[0])}"
            )
        if kind == "d" and len(args) == 2:
            letter = layout.col_letter(args[0], args[1])
            return (
                f"{_name(args[0], at.lang)}!${letter}${FIRST_DATA_ROW}:${letter}${LIST_RANGE_ROWS}"
            )
        if kind == "w" and not args:
            if at.week is None:
                raise ValueError("{w} outside the Gantt week grid")
            return f"{col_letter(layout.week_col(at.week))}${HEADER_ROW}"
        if kind == "k" and not args:
            if at.week is None:
                raise ValueError("{k} outside the Gantt week grid")
            return str(at.week)
    except ValueError as exc:
        raise ValueError(f"placeholder {{{token}}}: {exc}") from None
    raise ValueError(f"unknown placeholder {{{token}}}")


def resolve(
    template: str,
    sheet: str,
    row: int,
    lang: str = "zh",
    *,
    cond: bool = False,
    week: int | None = None,
) -> str:
    """The Excel formula ``template`` stands for at ``row`` of ``sheet``."""
    at = Where(sheet, row, lang, cond, week)
    return _TOKEN.sub(lambda m: _one(m.group(1), at), template)


def bare(formula: str) -> str:
    """A formula without its leading '=' (defined names, table columns,
    conditional formats store it that way)."""
    return formula[1:] if formula.startswith("=") else formula
