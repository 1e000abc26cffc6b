"""Columns and the native formula templates they carry (see the package
docstring for the placeholders)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from xlcollab.schema.choices import CHOICE_LISTS, ChoiceList
from xlcollab.schema.lang import DEFAULT_LANG, tr
from xlcollab.schema.types import NUMBER_FORMATS, T


# ---------------------------------------------------------------- columns ---
class Computed(StrEnum):
    EXCEL = "excel"  # a native formula in the workbook; Python recomputes it
    PYTHON = "python"  # written by xlcollab (check --write, nightly)


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    type: T = T.TEXT
    required: bool = False
    choices: str | None = None  # ChoiceList key for ENUM / CHOICE
    width: float = 12
    formula: str | None = None  # template, see the module docstring
    computed: Computed | None = None
    filled_by: str = "liaison"  # a ROLE key, or "xlcollab"
    min: float | None = None
    max: float | None = None
    default: Any = None  # form fields: the value a new workbook starts with
    note_zh: str = ""
    note_en: str = ""
    multiple: bool = False  # REF: a comma separated list of codes
    as_text: bool = False  # a code made of digits (invoice no.): the cell is text ("@")

    def header(self, lang: str = DEFAULT_LANG) -> str:
        return tr(lang, self.zh, self.en)

    def note(self, lang: str = DEFAULT_LANG) -> str:
        return tr(lang, self.note_zh, self.note_en)

    @property
    def choice_list(self) -> ChoiceList | None:
        return CHOICE_LISTS[self.choices] if self.choices else None

    @property
    def is_input(self) -> bool:
        return self.computed is None

    @property
    def number_format(self) -> str | None:
        return "@" if self.as_text else NUMBER_FORMATS.get(self.type)


def C(key, zh, en, type=T.TEXT, **kw) -> Column:  # a declaration helper
    if type in (T.ENUM, T.CHOICE) and "choices" not in kw:
        kw["choices"] = key
    return Column(key, zh, en, type, **kw)


def workdays_expr(a: str, b: str) -> str:
    """Excel expression for the working days d with a < d <= b on the Chinese
    calendar (0 when b <= a): weekdays that are not holidays, plus make-up
    weekend workdays. The same definition as ``calendar.workdays_between``."""
    return (
        f"IF({b}>{a},NETWORKDAYS({a}+1,{b},xc_holidays)"
        f'+COUNTIFS(xc_makeup,">"&{a},xc_makeup,"<="&{b}),0)'
    )


_DONE = "{v.status.done}"
_YES = "{v.yes_no.yes}"

# What a flag formula shows instead of a result when an input it needs is
# text (a date or a number typed as text, a status the list does not hold):
# never a silent 0 or #VALUE!. ``{m.KEY}`` in a template is the quoted marker
# in the workbook's language; every marker ends in "?" (MARKER_SIGN), which the
# conditional formats look for.
MARKERS = {
    "date": ("日期?", "date?"),
    "number": ("数字?", "number?"),
    "status": ("状态?", "status?"),
}
MARKER_SIGN = "?"


def marker(key: str, lang: str = DEFAULT_LANG) -> str:
    zh, en = MARKERS[key]
    return tr(lang, zh, en)


# the guards: text in a date cell, a status not on the list
# an empty text ("") is what a summary row's roll-up shows when it has no date
_TEXT_FINISH = (
    'OR(AND({c.planned_finish}<>"",ISTEXT({c.planned_finish})),'
    'AND({c.actual_finish}<>"",ISTEXT({c.actual_finish})))'
)
_ODD_STATUS = "ISNA(MATCH({c.status},{l.status},0))"


def _guarded_task_flag(body: str) -> str:
    """A task flag formula: empty without a planned finish or a status, a
    marker when either is not understood, else ``body``."""
    return (
        '=IF(OR({c.planned_finish}="",{c.status}=""),"",'
        f"IF({_TEXT_FINISH},{{m.date}},IF({_ODD_STATUS},{{m.status}},{body})))"
    )


F_DAYS_LATE = _guarded_task_flag(
    f"IF({{c.status}}={_DONE},"
    'IF({c.actual_finish}<>"",'
    + workdays_expr("{c.planned_finish}", "{c.actual_finish}")
    + ",0),"
    + workdays_expr("{c.planned_finish}", "xc_today")
    + ")"
)
F_OVERDUE = _guarded_task_flag(
    f'IF(AND({{c.status}}<>{_DONE},xc_today>{{c.planned_finish}}),{_YES},"")'
)
F_DUE_SOON = _guarded_task_flag(
    f"IF(AND({{c.status}}<>{_DONE},{{c.planned_finish}}>=xc_today),"
    "IF(" + workdays_expr("xc_today", "{c.planned_finish}") + f'<=xc_due_soon,{_YES},""),"")'
)
F_RISK_SCORE = (
    '=IF(OR({c.probability}="",{c.impact}=""),"",'
    "IF(OR(ISTEXT({c.probability}),ISTEXT({c.impact})),{m.number},"
    "{c.probability}*{c.impact}))"
)
F_RISK_LEVEL = (
    '=IF({c.score}="","",IF(ISTEXT({c.score}),{c.score},'
    "IF({c.score}>=xc_risk_high,{v.risk_level.high},"
    "IF({c.score}>=xc_risk_medium,{v.risk_level.medium},{v.risk_level.low}))))"
)
F_REVIEW_OVERDUE = (
    '=IF(OR({c.risk_id}="",{c.status}={v.risk_status.closed},'
    'AND({c.last_review}="",{c.identified}="")),"",'
    "IF(OR(ISTEXT({c.last_review}),ISTEXT({c.identified})),{m.date},"
    'IF(xc_today-IF({c.last_review}<>"",{c.last_review},{c.identified})'
    f'>xc_review_days,{_YES},"")))'
)
# A summary row (a WBS row other rows extend: "3.1" when "3.1.2" exists)
# takes these columns from the rows under it (its descendants; a
# descendant that is itself a summary row shows its own roll-up, so the
# results equal those over the tasks alone, progress aside: see README,
# "Figures"). Written into the summary rows only; the workbook builder puts
# them there, xlcollab.core.figures.rollup computes the same in Python.
_UNDER = '{r.tasks.wbs},{c.wbs}&".*"'
_N_UNDER = "COUNTIFS(" + _UNDER + ")"


def _n_under(key: str, criterion: str) -> str:
    return "COUNTIFS(" + _UNDER + ",{r.tasks." + key + "}," + criterion + ")"


_POSITIVE = '">0"'
_S_DONE = _n_under("status", "{v.status.done}")
_S_NOT_STARTED = _n_under("status", "{v.status.not_started}")
_S_BLOCKED = _n_under("status", "{v.status.blocked}")


def _rollup_date(key: str, fn: str) -> str:
    return (
        "=IF(" + _n_under(key, _POSITIVE) + '=0,"",'
        "_xlfn." + fn + "({r.tasks." + key + "}," + _UNDER + "))"
    )


F_IS_SUMMARY = 'AND({c.wbs}<>"",' + _N_UNDER + ">0)"
SUMMARY_FORMULAS: dict[str, str] = {
    "planned_start": _rollup_date("planned_start", "MINIFS"),
    "planned_finish": _rollup_date("planned_finish", "MAXIFS"),
    "actual_start": _rollup_date("actual_start", "MINIFS"),
    "actual_finish": (
        "=IF(OR("
        + _S_DONE
        + "<"
        + _N_UNDER
        + ","
        + _n_under("actual_finish", _POSITIVE)
        + '=0),"",'
        "_xlfn.MAXIFS({r.tasks.actual_finish}," + _UNDER + "))"
    ),
    "progress": "=SUMIFS({r.tasks.progress}," + _UNDER + ")/" + _N_UNDER,
    "status": (
        "=IF(" + _S_DONE + "=" + _N_UNDER + ",{v.status.done},"
        "IF(" + _S_NOT_STARTED + "=" + _N_UNDER + ",{v.status.not_started},"
        "IF(" + _S_DONE + "+" + _S_BLOCKED + "=" + _N_UNDER + ",{v.status.blocked},"
        "{v.status.in_progress})))"
    ),
}

F_BUDGET_USED = (
    '=IF({c.department}="","",'
    # an amount typed as text is non-empty but not a number: SUMIFS would skip it
    "IF(COUNTIFS({r.expenses.department},{c.department},{r.expenses.category},{c.category},"
    '{r.expenses.amount},"<>")>COUNTIFS({r.expenses.department},{c.department},'
    '{r.expenses.category},{c.category},{r.expenses.amount},">-9E+307"),{m.number},'
    "SUMIFS({r.expenses.amount},"
    "{r.expenses.department},{c.department},{r.expenses.category},{c.category})))"
)
F_BUDGET_REMAINING = (
    '=IF({c.department}="","",IF(OR(ISTEXT({c.amount}),ISTEXT({c.used})),{m.number},'
    "N({c.amount})-N({c.used})))"
)
F_BUDGET_USED_PCT = (
    '=IF(OR({c.department}="",N({c.amount})=0),IF(ISTEXT({c.amount}),{m.number},""),'
    "IF(ISTEXT({c.used}),{m.number},N({c.used})/{c.amount}))"
)
