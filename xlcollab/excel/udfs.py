"""Worksheet functions (xlwings UDFs): ``XC_WORKDAY``, ``XC_NETWORKDAYS``,
``XC_DAYS_LATE``, ``XC_ESCALATION``, ``XC_RISK_LEVEL``, ``XC_BUDGET_USED``,
``XC_VALIDATE_ROW``.

Each is a thin wrapper over the same pure functions ``xlcollab check`` uses
(:mod:`xlcollab.core.calendar`, :mod:`xlcollab.core.flags`, :mod:`xlcollab.core.escalation`,
:mod:`xlcollab.check.rules`, the reader's cell parser :mod:`xlcollab.io.parse`), so a
cell and the nightly check never disagree.

Arguments arrive the way Excel hands them over: dates as ``datetime`` (a
date-formatted cell) or as serial numbers (``46085.0``; text such as
``2026/3/5`` is accepted too, exactly as the reader accepts it), empty cells
as ``None``, ranges as lists or lists of lists. Problems come back as a
message string starting ``#XC!`` (``#XC! 日期无效：“start”=“abc”``), never
as a Python traceback.

Working days follow :class:`xlcollab.core.calendar.WorkCalendar`: the State
Council's holidays and make-up workdays (调休上班) from ``chinesecalendar``.
The calendar functions take an optional last argument ``holidays``: the
节假日 table's 日期 and 类型 columns (``tblHolidays[[日期]:[类型]]``), which
add the company's own days off and extra workdays exactly as ``check`` does.

Register them in Excel with ``UDF Modules = xlcollab.excel.udfs`` on the
``xlwings.conf`` sheet (the master workbook has it) and *Import Functions* on
the xlwings ribbon tab. See README.md, "Excel functions".

On Linux the xlwings decorators are identities (:mod:`xlcollab.excel.xlwings_shim`),
so these are plain Python functions there, which is how the tests call them.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from decimal import Decimal

import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.escalation import escalations
from xlcollab.excel import xlwings_shim
from xlcollab.io.parse import (
    BAD,
    Context,
    display,
    parse_value,
)
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.findings import Finding
from xlcollab.schema import (
    DATE_VALUE,
    ESCALATION,
    FIRST_DATA_ROW,
    HOLIDAY_TYPE,
    RISK_LEVEL,
    SETTINGS,
    STATUS,
    TASKS,
)
from xlcollab.schema.lang import tr

__all__ = [
    "XC_WORKDAY",
    "XC_NETWORKDAYS",
    "XC_DAYS_LATE",
    "XC_ESCALATION",
    "XC_RISK_LEVEL",
    "XC_BUDGET_USED",
    "XC_VALIDATE_ROW",
    "UDF_NAMES",
    "XcError",
    "validate_task_row",
    "ROW_RULES",
]

CATEGORY = "xlcollab"
ERROR_PREFIX = "#XC! "

# the rules that look at one task row only (the others need other rows or sheets)
ROW_RULES = (
    "tasks.finish_before_start",
    "tasks.actual_finish_before_start",
    "tasks.actual_in_future",
    "tasks.done_without_finish",
    "tasks.done_not_complete",
    "tasks.not_started_with_progress",
    "tasks.blocked_without_reason",
    "tasks.in_progress_without_start",
    "wbs.malformed",
)


class XcError(ValueError):
    """A problem with a UDF's arguments; its text goes into the cell."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.zh, self.en = zh, en

    def text(self, lang: str) -> str:
        return tr(lang, self.zh, self.en)


def _excel(fn: Callable) -> Callable:
    """Turn any exception into an ``#XC!`` message in the cell. The wrapper
    keeps the signature (``functools.wraps``), which xlwings reads."""
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        lang = "zh"
        try:
            bound = sig.bind_partial(*args, **kwargs)
            lang = _lang(bound.arguments.get("lang"))
        except (TypeError, XcError):
            pass
        try:
            return fn(*args, **kwargs)
        except XcError as exc:
            return ERROR_PREFIX + exc.text(lang)
        except Exception as exc:  # noqa: BLE001 - a cell shows a sentence, not a traceback
            head = tr(lang, "计算失败", "calculation failed")
            return tr(
                lang,
                f"{ERROR_PREFIX}{head}：{type(exc).__name__}: {exc}",
                f"{ERROR_PREFIX}{head}: {type(exc).__name__}: {exc}",
            )

    return wrapper


def _udf(**options) -> Callable:
    """``@xw.func`` (category xlcollab) over ``_excel``."""

    def deco(fn: Callable) -> Callable:
        return xlwings_shim.func(category=CATEGORY, **options)(_excel(fn))

    return deco


# ------------------------------------------------------------ arguments ---
def _lang(value) -> str:
    if is_missing(value):
        return "zh"
    text = str(value).strip().casefold()
    if text in ("zh", "cn", "中文", "chinese"):
        return "zh"
    if text in ("en", "english", "英文"):
        return "en"
    raise XcError(
        f"语言应为 zh 或 en：“{display(value)}”", f"language must be zh or en: '{display(value)}'"
    )


def _date(v, name: str, *, required: bool = True) -> dt.date | None:
    """A date from an Excel argument: datetime, date, serial number or text
    (the reader's date parser); None for an empty cell unless required."""
    if is_missing(v):
        if required:
            raise XcError(f"缺少日期：{name}", f"missing date: {name}")
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, int) and not isinstance(v, bool):
        v = float(v)
    r = parse_value(v, DATE_VALUE, Context())
    if r is BAD or r is None:
        raise XcError(f"日期无效：{name}=“{display(v)}”", f"invalid date: {name}='{display(v)}'")
    return r


def _int(v, name: str, default: int | None = None) -> int:
    if is_missing(v):
        if default is None:
            raise XcError(f"缺少数值：{name}", f"missing number: {name}")
        return default
    if isinstance(v, bool):
        raise XcError(f"应为整数：{name}=“{display(v)}”", f"not a whole number: {name}")
    try:
        f = float(str(v).strip()) if isinstance(v, str) else float(v)
    except (TypeError, ValueError):
        raise XcError(
            f"应为整数：{name}=“{display(v)}”", f"not a whole number: {name}='{display(v)}'"
        ) from None
    if f != f or not f.is_integer():
        raise XcError(
            f"应为整数：{name}=“{display(v)}”", f"not a whole number: {name}='{display(v)}'"
        )
    return int(f)


def _flat(values) -> list:
    """A range as one flat list, row by row (None -> [], a scalar -> [it])."""
    if values is None:
        return []
    if isinstance(values, (list, tuple)):
        out: list = []
        for v in values:
            out.extend(_flat(v) if isinstance(v, (list, tuple)) else [v])
        return out
    return [values]


def _rows(values) -> list[list]:
    """A range as a list of rows (a flat list is one column)."""
    if values is None:
        return []
    if isinstance(values, (list, tuple)):
        if values and all(isinstance(v, (list, tuple)) for v in values):
            return [list(v) for v in values]
        return [[v] for v in values]
    return [[values]]


def _status(v) -> str | None:
    if is_missing(v):
        return None
    key = STATUS.parse(display(v))
    if key is None:
        raise XcError(
            f"状态无效：“{display(v)}”（应为{'、'.join(STATUS.labels('zh'))}）",
            f"invalid status: '{display(v)}' (one of {', '.join(STATUS.labels('en'))})",
        )
    return key


@functools.lru_cache(maxsize=32)
def _calendar_for(rows: tuple[tuple[dt.date, str], ...]) -> WorkCalendar:
    overrides = None
    if rows:
        overrides = pd.DataFrame({"date": [r[0] for r in rows], "type": [r[1] for r in rows]})
    return WorkCalendar.from_holidays(overrides)


def _calendar(holidays) -> WorkCalendar:
    """The working-day calendar, with the 节假日 rows given (date, type) as
    overrides. A single column of dates means days off."""
    rows = []
    for r in _rows(holidays):
        if not r or is_missing(r[0]):
            continue
        day = _date(r[0], "holidays")
        kind = "off"
        if len(r) > 1 and not is_missing(r[1]):
            kind = HOLIDAY_TYPE.parse(display(r[1]))
            if kind is None:
                raise XcError(
                    f"节假日类型无效：“{display(r[1])}”（应为放假或调休上班）",
                    f"invalid holiday type: '{display(r[1])}' (Holiday or Make-up workday)",
                )
        rows.append((day, kind))
    return _calendar_for(tuple(rows))


def today() -> dt.date:
    """A UDF called without ``as_of`` means today (pass ``xc_today``): the one place the
    worksheet functions read the clock."""
    return dt.date.today()


def _setting_default(key: str) -> int:
    return int(SETTINGS.col(key).default)


# -------------------------------------------------------------- the UDFs ---
@_udf()
@xlwings_shim.arg("holidays", ndim=2, doc="节假日表的日期和类型两列（可省略）")
def XC_WORKDAY(start, days, holidays=None):  # Excel's naming
    """The working day `days` working days after `start` (before it when negative), on the
    Chinese calendar with 调休. Like WORKDAY.

    Excel: ``=XC_WORKDAY(start, days, [holidays])`` -> a date (format the
    cell as a date). ``days`` = 0 gives ``start`` itself (even on a day
    off); Excel's WORKDAY(start, 0) does the same.

    Example: ``=XC_WORKDAY(DATE(2025,9,30), 1)`` -> 2025-10-09 (1-8 October
    is the National Day holiday; 11 October, a Saturday, is a make-up
    workday).
    """
    start_day = _date(start, "start")
    n = _int(days, "days")
    result = _calendar(holidays).add_workdays(start_day, n)
    return dt.datetime(result.year, result.month, result.day)


@_udf()
@xlwings_shim.arg("holidays", ndim=2, doc="节假日表的日期和类型两列（可省略）")
def XC_NETWORKDAYS(start, end, holidays=None):
    """Working days from `start` to `end`, both counted (like NETWORKDAYS), on the Chinese
    calendar: weekdays that are not holidays, plus make-up weekend workdays (调休).

    Excel: ``=XC_NETWORKDAYS(start, end, [holidays])`` -> a whole number.

    Inclusive at both ends, and negative when ``end`` is before ``start``,
    exactly as Excel's ``NETWORKDAYS(start, end, holidays)``; the difference
    is the calendar: NETWORKDAYS never counts a Saturday or Sunday, this
    counts 调休 make-up Saturdays/Sundays and knows the official holidays
    without a holiday list. (The workbook's own formulas get the same
    result with ``NETWORKDAYS(a, b, xc_holidays) + COUNTIFS(xc_makeup, ...)``.)

    The flags count differently: *days late* is the working days d with
    planned finish < d <= today, i.e. ``XC_NETWORKDAYS(planned+1, today)``.

    Example: ``=XC_NETWORKDAYS(DATE(2025,9,29), DATE(2025,10,12))`` -> 5
    (29 and 30 September, 9 and 10 October, and Saturday 11 October, a
    make-up workday; 1-8 October is the National Day holiday).
    """
    a = _date(start, "start")
    b = _date(end, "end")
    cal = _calendar(holidays)
    if b >= a:
        return cal.workdays_between(a - dt.timedelta(days=1), b)
    return -cal.workdays_between(b - dt.timedelta(days=1), a)


@_udf()
@xlwings_shim.arg("holidays", ndim=2, doc="节假日表的日期和类型两列（可省略）")
def XC_DAYS_LATE(
    planned_finish,
    status,
    actual_finish=None,
    as_of=None,
    holidays=None,
):
    """Working days a task is late: the 延误工作日 column, computed the way check computes it.

    Excel: ``=XC_DAYS_LATE(planned_finish, status, [actual_finish], [as_of], [holidays])``
    -> a whole number, or empty when the planned finish or the status is empty.

    A done task (已完成) counts the working days from the planned to the
    actual finish (0 without an actual finish or when early); any other
    task from the planned finish to ``as_of`` (0 when not yet due).
    ``as_of`` defaults to today; pass ``xc_today`` (the workbook's status
    date) to agree with the sheet.

    Example: ``=XC_DAYS_LATE(DATE(2026,3,6), "进行中", , DATE(2026,3,10))`` -> 2.
    """
    pf = _date(planned_finish, "planned_finish", required=False)
    st = _status(status)
    if pf is None or st is None:
        return ""
    af = _date(actual_finish, "actual_finish", required=False)
    day = _date(as_of, "as_of", required=False) or today()
    tasks = pd.DataFrame(
        {"planned_finish": [pf], "actual_finish": [af], "status": [st]}, index=[FIRST_DATA_ROW]
    )
    tasks["planned_finish"] = pd.to_datetime(tasks["planned_finish"])
    tasks["actual_finish"] = pd.to_datetime(tasks["actual_finish"])
    late = flags.task_flags(tasks, day, _calendar(holidays), 0)["days_late"].iloc[0]
    return "" if late is pd.NA else int(late)


@_udf()
@xlwings_shim.arg("holidays", ndim=2, doc="节假日表的日期和类型两列（可省略）")
def XC_ESCALATION(
    status,
    blocked_since=None,
    as_of=None,
    pm_days=None,
    lead_days=None,
    lang=None,
    holidays=None,
):
    """Escalation level of a blocked task (部门内解决 / 项目经理协调 / 总负责人决策) from the
    working days it has been blocked.

    Excel: ``=XC_ESCALATION(status, blocked_since, [as_of], [pm_days],
    [lead_days], [lang], [holidays])``
    -> the level's label (Chinese; ``lang`` "en" for English), or empty for
    a task that is not blocked.

    Blocked for up to ``pm_days`` working days (default 2, the 参数 sheet's
    setting): 部门内解决; up to ``lead_days`` (default 5): 项目经理协调;
    beyond: 总负责人决策. The days counted are d with blocked_since < d <=
    as_of; an empty ``blocked_since`` means blocked from today. (Overdue
    tasks are escalated by ``xlcollab check`` too, from their days late.)

    Example: ``=XC_ESCALATION("阻塞", DATE(2026,3,2), DATE(2026,3,6))`` -> 项目经理协调.
    """
    lg = _lang(lang)
    st = _status(status)
    if st != "blocked":
        return ""
    day = _date(as_of, "as_of", required=False) or today()
    since = _date(blocked_since, "blocked_since", required=False)
    pm = _int(pm_days, "pm_days", _setting_default("escalation_pm_days"))
    lead = _int(lead_days, "lead_days", _setting_default("escalation_lead_days"))
    tasks = pd.DataFrame(
        {"status": [st], "blocked_since": pd.to_datetime([since])}, index=[FIRST_DATA_ROW]
    )
    level = escalations(tasks, day, _calendar(holidays), pm, lead)["escalation"].iloc[0]
    return "" if level is None else ESCALATION.label(level, lg)


@_udf()
def XC_RISK_LEVEL(probability, impact, medium=None, high=None, lang=None):
    """Risk level (高 / 中 / 低) from probability x impact (each 1-5) and the thresholds.

    Excel: ``=XC_RISK_LEVEL(probability, impact, [medium], [high], [lang])``
    -> 高 from a score of ``high`` (default 15), 中 from ``medium`` (default
    8), else 低; empty when either input is empty. ``lang`` "en" gives
    High / Medium / Low.

    Example: ``=XC_RISK_LEVEL(4, 4)`` -> 高; ``=XC_RISK_LEVEL(2, 4)`` -> 中.
    """
    lg = _lang(lang)
    if is_missing(probability) or is_missing(impact):
        return ""
    p = _int(probability, "probability")
    i = _int(impact, "impact")
    for name, v in (("probability", p), ("impact", i)):
        if not 1 <= v <= 5:
            raise XcError(f"{name} 应为 1–5 的整数：{v}", f"{name} must be a whole number 1-5: {v}")
    m = _int(medium, "medium", _setting_default("risk_medium"))
    h = _int(high, "high", _setting_default("risk_high"))
    level = flags.risk_level(p * i, m, h)
    return RISK_LEVEL.label(level, lg)


@_udf()
@xlwings_shim.arg("expense_departments", ndim=1)
@xlwings_shim.arg("expense_categories", ndim=1)
@xlwings_shim.arg("expense_amounts", ndim=1)
def XC_BUDGET_USED(
    department,
    category,
    expense_departments,
    expense_categories,
    expense_amounts,
):
    """Spent so far on one budget line: the sum of the expense amounts with its department and
    category (like the 已使用 column's SUMIFS).

    Excel: ``=XC_BUDGET_USED(department, category,
    tblExpenses[部门], tblExpenses[费用类别], tblExpenses[金额])``
    -> a number (empty when ``department`` is empty). Text is compared
    ignoring case; empty or non-numeric amounts are skipped; an empty
    ``category`` matches nothing. The three ranges must be the same size.

    Example: ``=XC_BUDGET_USED("信息技术部", "软件", D2:D200, E2:E200, F2:F200)``.
    """
    depts = _flat(expense_departments)
    cats = _flat(expense_categories)
    amounts = _flat(expense_amounts)
    if not len(depts) == len(cats) == len(amounts):
        raise XcError(
            f"三个费用区域大小不同（{len(depts)}、{len(cats)}、{len(amounts)} 行）",
            f"the three expense ranges differ in size ({len(depts)}, {len(cats)}, "
            f"{len(amounts)} cells)",
        )
    budget = pd.DataFrame(
        {
            "department": [None if is_missing(department) else display(department)],
            "category": [None if is_missing(category) else display(category)],
            "amount": [Decimal("0")],
        }
    )
    expenses = pd.DataFrame(
        {
            "department": [None if is_missing(d) else display(d) for d in depts],
            "category": [None if is_missing(c) else display(c) for c in cats],
            "amount": [
                a if isinstance(a, (int, float)) and not isinstance(a, bool) else None
                for a in amounts
            ],
        },
        dtype=object,
    )
    used = flags.budget_used(budget, expenses)["used"].iloc[0]
    return "" if used is None else float(used)


@_udf()
@xlwings_shim.arg("headers", ndim=1)
@xlwings_shim.arg("values", ndim=1)
def XC_VALIDATE_ROW(headers, values, as_of=None, lang=None):
    """The problems of one task row (任务清单) as text: wrong types, missing required cells, and
    the row's own date and status rules; empty when the row is fine.

    Excel: ``=XC_VALIDATE_ROW(tblTasks[#Headers], tblTasks[@], [as_of], [lang])``
    (or ``$A$1:$P$1, A5:P5``) -> text such as
    ``错误：“计划完成”早于“计划开始”…；错误：阻塞的任务没有填写阻塞原因``.

    Headers are matched by name in Chinese or English, as the reader does.
    Rules that need other rows or sheets (people, WBS parents, approvals)
    are left to ``xlcollab check``.

    Example: ``=XC_VALIDATE_ROW($A$1:$P$1, A7:P7, xc_today)``.
    """
    lg = _lang(lang)
    day = _date(as_of, "as_of", required=False) or today()
    found = validate_task_row(_flat(headers), _flat(values), day, lg)
    sep = tr(lg, "；", "; ")
    colon = tr(lg, "：", ": ")
    text = sep.join(f"{f.severity_label(lg)}{colon}{f.message}" for f in found)
    return text[:32767]


UDF_NAMES = (
    "XC_WORKDAY",
    "XC_NETWORKDAYS",
    "XC_DAYS_LATE",
    "XC_ESCALATION",
    "XC_RISK_LEVEL",
    "XC_BUDGET_USED",
    "XC_VALIDATE_ROW",
)


# ------------------------------------------------------- one task row ---
def validate_task_row(
    headers: list,
    values: list,
    as_of: dt.date,
    lang: str = "zh",
    row: int = FIRST_DATA_ROW,
    cal: WorkCalendar | None = None,
) -> list[Finding]:
    """The findings of one task row given its headers and values (the
    reader's cell parsing and messages, then :data:`ROW_RULES`). An empty
    row has none."""
    from xlcollab.check.rules import RULES, RuleContext
    from xlcollab.io.read import parse_rows

    values = list(values) + [None] * max(0, len(headers) - len(values))
    found: dict[str, tuple[int, str]] = {}  # input column -> (position, header)
    for j, h in enumerate(headers):
        if is_missing(h):
            continue
        header = display(h)
        col = TASKS.column_by_header(header)
        if col is not None and col.key not in found and col.is_input:
            found[col.key] = (j, header)
    # the cells as the reader gets them from python-calamine: '' when empty
    cells = [
        "" if is_missing(v) else v.to_pydatetime() if isinstance(v, pd.Timestamp) else v
        for v in values
    ]
    frame, out = parse_rows(
        TASKS, TASKS.name(lang), found, [cells], row, Context(lang=lang), lang=lang, wb_lang=lang
    )
    if frame.empty:
        return []
    headers_of = {key: text for key, (_j, text) in found.items()}
    data = ProjectData(tables={"tasks": frame}, lang=lang)
    data.layout["tasks"] = _layout(headers_of, headers)
    rctx = RuleContext(data=data, as_of=as_of, cal=cal or _calendar(None), lang=lang)
    for rule_id in ROW_RULES:
        r = RULES.get(rule_id)
        if r is None:
            continue
        rctx.rule = r
        rctx.severity = r.severity
        out.extend(r.func(rctx))
    return out


def _layout(headers_of: dict[str, str], headers: list):
    from xlcollab.model import SheetLayout

    lay = SheetLayout(name=TASKS.name("zh"))
    for j, h in enumerate(headers, start=1):
        if is_missing(h):
            continue
        col = TASKS.column_by_header(display(h))
        if col is not None and col.key not in lay.columns:
            lay.columns[col.key] = j
            lay.headers[col.key] = display(h)
    return lay
