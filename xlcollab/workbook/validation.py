"""Data validation (dropdowns, dates, numbers) on input cells, by type."""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation

from xlcollab.schema import LISTS, TYPE_SOURCES, Column, T
from xlcollab.schema.lang import tr
from xlcollab.workbook.formulas import resolve

# Excel's limits on validation texts; longer ones make the file unreadable
_TITLE_MAX = 32
_PROMPT_MAX = 255
_ERROR_MAX = 225
_WIDE = 10**12  # bounds for numbers the schema leaves open

_ERRORS = {
    "list": ("请从下拉列表中选择。", "Choose a value from the dropdown list."),
    "choice": (
        "不在下拉列表中：如需新类别，请先在“{lists}”工作表中添加。",
        'Not in the list: add a new item to the "{lists}" sheet first.',
    ),
    "name": (
        "不在名单中：请先登记该人员或部门，或从下拉列表中选择。",
        "Not in the register: add the person or department first, or pick one.",
    ),
    "date": ("请输入日期，如 2026-03-05。", "Enter a date, e.g. 2026-03-05."),
    "int": ("请输入{range}的整数。", "Enter a whole number {range}."),
    "decimal": ("请输入{range}的数值。", "Enter a number {range}."),
    "percent": ("请输入百分比，如 50%。", "Enter a percentage, e.g. 50%."),
}
_TITLE = ("输入有误", "Invalid entry")


def _text(kind: str, lang: str, **kw) -> str:
    zh, en = _ERRORS[kind]
    return tr(lang, zh, en).format(**kw)


def _range_text(lo, hi, lang: str) -> str:
    if lo is not None and hi is not None:
        return tr(lang, f"{lo:g}～{hi:g}之间", f"between {lo:g} and {hi:g}")
    if lo is not None:
        return tr(lang, f"不小于{lo:g}", f"of at least {lo:g}")
    if hi is not None:
        return tr(lang, f"不大于{hi:g}", f"of at most {hi:g}")
    return ""


def _numeric(
    kind: str, col: Column, lang: str, lo=None, hi=None, *, message: str = "decimal"
) -> DataValidation:
    """A whole/decimal validation between the column's bounds (or lo/hi)."""
    lo = col.min if lo is None else lo
    hi = col.max if hi is None else hi
    msg = _text(message, lang, range=_range_text(lo, hi, lang))
    if lo is not None and hi is not None:
        dv = DataValidation(type=kind, operator="between", formula1=f"{lo:g}", formula2=f"{hi:g}")
    elif lo is not None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=f"{lo:g}")
    elif hi is not None:
        dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=f"{hi:g}")
    else:
        dv = DataValidation(
            type=kind, operator="between", formula1=str(-_WIDE), formula2=str(_WIDE)
        )
    dv.error = msg
    return dv


def _list(source: str, kind: str, lang: str, style: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=source, errorStyle=style)
    dv.error = _text(kind, lang, lists=LISTS.name(lang))
    return dv


def validation_for(col: Column, lang: str) -> DataValidation | None:
    """The data validation an input cell of ``col`` gets (None: any value,
    no prompt)."""
    t = col.type
    if t is T.ENUM or t is T.BOOL:
        key = col.choices or "yes_no"
        dv = _list(_list_source(key, lang), "list", lang, "stop")
    elif t is T.CHOICE:
        dv = _list(_list_source(col.choices, lang), "choice", lang, "warning")
    elif t in TYPE_SOURCES:
        dv = _list(TYPE_SOURCES[t], "name", lang, "warning")
    elif t is T.DATE:
        # warning style: a pasted text date passes after a warning and the
        # reader reports what it cannot understand
        dv = DataValidation(
            type="date", operator="greaterThanOrEqual", formula1="1", errorStyle="warning"
        )
        dv.error = _text("date", lang)
    elif t is T.INT:
        dv = _numeric("whole", col, lang, message="int")
    elif t is T.PERCENT:
        dv = _numeric(
            "decimal",
            col,
            lang,
            lo=0 if col.min is None else col.min,
            hi=1 if col.max is None else col.max,
            message="percent",
        )
        dv.errorStyle = "warning"
    elif t in (T.MONEY, T.NUMBER):
        dv = _numeric("decimal", col, lang)
        dv.errorStyle = "warning"
    elif col.note(lang):
        dv = DataValidation()  # no restriction, only the input message
    else:
        return None
    dv.allow_blank = True
    dv.showErrorMessage = dv.type is not None
    dv.errorTitle = tr(lang, _TITLE[0], _TITLE[1])
    if dv.error:
        dv.error = dv.error[:_ERROR_MAX]
    note = col.note(lang)
    if note:
        dv.showInputMessage = True
        dv.promptTitle = col.header(lang)[:_TITLE_MAX]
        dv.prompt = note[:_PROMPT_MAX]
    return dv


def _list_source(list_key: str, lang: str) -> str:
    return resolve("{l." + list_key + "}", LISTS.key, 0, lang)


def add_validation(ws, col: Column, lang: str, sqref: str) -> DataValidation | None:
    dv = validation_for(col, lang)
    if dv is not None:
        dv.add(sqref)
        ws.add_data_validation(dv)
    return dv
