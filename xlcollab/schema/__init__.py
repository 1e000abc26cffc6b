"""The master workbook, declared once.

Every sheet name, header, dropdown list, native formula, defined name and
layout fact of the master workbook lives in this module and nowhere else.
The builder, the reader, the checks, the reports and the docs all read it.

Each column has a Python key (an identifier used by the code) with its
Chinese and English headers as aliases, pandera style. Headers are matched by
name, never by position, so a department that inserts a column breaks
nothing.

Formula templates
-----------------
Native formulas are written with placeholders that the builder resolves for a
given sheet, row and language (see ``xlcollab.workbook.formulas``):

``{c.KEY}``          the cell of column KEY in the same row of the same sheet
``{o.SHEET.KEY}``    the cell of column KEY of sheet SHEET in the same row
``{r.SHEET.KEY}``    the whole column KEY of sheet SHEET (absolute)
``{f.SHEET.KEY}``    the value cell of form field KEY of form sheet SHEET
``{v.LIST.ITEM}``    the label of choice ITEM of list LIST, quoted
``{wd:A|B}``         not a placeholder of its own: see :func:`workdays_expr`

Defined names (``xc_today`` ...) are plain Excel names declared in
:data:`DEFINED_NAMES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# ---------------------------------------------------------------- layout ----
HEADER_ROW = 1  # tables: header in row 1, data from row 2
FIRST_DATA_ROW = 2
FORM_LABEL_COL = 1  # form sheets: label in column A
FORM_VALUE_COL = 2  # value in column B
FORM_NOTE_COL = 3  # explanation in column C
FORM_FIRST_ROW = 2  # row 1 holds the form's own header
MAX_ROWS = 1_048_576  # Excel's sheet limit
GANTT_WEEKS = 26  # week columns on the Gantt grid while the project dates are not set
GANTT_SPARE_WEEKS = 1  # week columns after the project's last week
WRAP_WIDTH = 20  # text columns at least this wide wrap (descriptions, plans)
HOLIDAY_CAPACITY = 400  # rows of 节假日 the hidden lists sheet mirrors
LIST_RANGE_ROWS = 1000  # how far department/person dropdowns reach


class T(StrEnum):
    """Column types."""

    TEXT = "text"
    DATE = "date"
    INT = "int"
    NUMBER = "number"
    PERCENT = "percent"
    MONEY = "money"
    ENUM = "enum"  # a fixed choice list; stored by key
    CHOICE = "choice"  # an extensible list (lists sheet); stored by label
    PERSON = "person"  # a name from 组织架构
    DEPARTMENT = "department"  # a name from 部门
    REF = "ref"  # one or more task WBS codes
    BOOL = "bool"  # 是/否


NUMBER_FORMATS = {
    T.DATE: "yyyy-mm-dd",
    T.INT: "0",
    T.NUMBER: "#,##0.##",
    T.PERCENT: "0%",
    T.MONEY: '"¥"#,##0.00',
}


# ---------------------------------------------------------------- choices ---
@dataclass(frozen=True)
class Choice:
    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()  # what people also type for it (read, then tidied)

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class ChoiceList:
    """A dropdown list. Fixed lists are stored by key; extensible ones
    (``extensible=True``) are edited by users on the lists sheet and stored by
    their label."""

    key: str
    zh: str
    en: str
    items: tuple[Choice, ...]
    extensible: bool = False

    def __getitem__(self, key: str) -> Choice:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"{self.key}.{key}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items)

    def labels(self, lang: str = DEFAULT_LANG) -> list[str]:
        return [i.label(lang) for i in self.items]

    def label(self, key: str, lang: str = DEFAULT_LANG) -> str:
        return self[key].label(lang)

    def parse(self, text: str) -> str | None:
        """The key of a choice given its Chinese or English label or its key
        (case and surrounding space ignored); None when it is not one."""
        t = text.strip().casefold()
        for item in self.items:
            names = (item.zh, item.en, item.key, *item.aliases)
            if t in (n.casefold() for n in names):
                return item.key
        return None


def _cl(key, zh, en, items, extensible=False) -> ChoiceList:
    return ChoiceList(
        key,
        zh,
        en,
        tuple(Choice(i[0], i[1], i[2], tuple(i[3]) if len(i) > 3 else ()) for i in items),
        extensible,
    )


STATUS = _cl(
    "status",
    "任务状态",
    "Task status",
    [
        ("not_started", "未开始", "Not started", ("未启动", "待开始", "没开始", "To do", "Todo")),
        ("in_progress", "进行中", "In progress", ("进行", "处理中", "在办", "Ongoing", "WIP")),
        ("done", "已完成", "Done", ("完成", "已完", "完毕", "Completed", "Finished")),
        ("blocked", "阻塞", "Blocked", ("受阻", "阻塞中", "被阻塞")),
    ],
)
PHASE = _cl(
    "phase",
    "阶段",
    "Phase",
    [
        ("kickoff", "启动", "Kick-off"),
        ("planning", "计划", "Planning"),
        ("execution", "执行", "Execution"),
        ("monitoring", "监控", "Monitoring"),
        ("closing", "收尾", "Closing"),
    ],
)
ROLE = _cl(
    "role",
    "角色",
    "Role",
    [
        ("sponsor", "项目发起人", "Sponsor"),
        ("project_lead", "项目总负责人", "Project lead"),
        ("pm", "项目经理", "Project manager"),
        ("liaison", "部门对接人", "Department liaison"),
        ("quality", "质量监督员", "Quality supervisor"),
        ("finance", "财务协调员", "Finance coordinator"),
        ("it_support", "IT支持专员", "IT support"),
        ("member", "成员", "Member"),
        ("adviser", "顾问", "Adviser"),
    ],
)
ESCALATION = _cl(
    "escalation",
    "升级层级",
    "Escalation level",
    [
        ("department", "部门内解决", "Within department"),
        ("pm", "项目经理协调", "PM coordinates"),
        ("lead", "总负责人决策", "Project lead decides"),
    ],
)
RISK_LEVEL = _cl(
    "risk_level",
    "风险等级",
    "Risk level",
    [
        ("low", "低", "Low"),
        ("medium", "中", "Medium"),
        ("high", "高", "High"),
    ],
)
RISK_STATUS = _cl(
    "risk_status",
    "风险状态",
    "Risk status",
    [
        ("open", "已识别", "Identified"),
        ("monitoring", "监控中", "Monitoring"),
        ("occurred", "已发生", "Occurred"),
        ("closed", "已关闭", "Closed"),
    ],
)
RISK_CATEGORY = _cl(
    "risk_category",
    "风险类别",
    "Risk category",
    [
        ("staff_change", "人员变动", "Staff change"),
        ("integration_delay", "系统对接延迟", "System integration delay"),
        ("requirement_change", "需求变更", "Requirement change"),
        ("resource_shortage", "资源不足", "Resource shortage"),
        ("budget_overrun", "预算超支", "Budget overrun"),
        ("quality", "质量问题", "Quality"),
        ("external", "外部依赖", "External dependency"),
        ("other", "其他", "Other"),
    ],
    extensible=True,
)
EXPENSE_CATEGORY = _cl(
    "expense_category",
    "费用类别",
    "Expense category",
    [
        ("labour", "人工", "Labour"),
        ("travel", "差旅", "Travel"),
        ("equipment", "设备", "Equipment"),
        ("software", "软件", "Software"),
        ("outsourcing", "外包服务", "Outsourcing"),
        ("training", "培训", "Training"),
        ("meeting", "会议", "Meetings"),
        ("other", "其他", "Other"),
    ],
    extensible=True,
)
RESOURCE_TYPE = _cl(
    "resource_type",
    "资源类型",
    "Resource type",
    [
        ("staff", "人力", "Staff"),
        ("equipment", "设备", "Equipment"),
        ("system", "系统", "System"),
        ("funds", "资金", "Funds"),
        ("venue", "场地", "Venue"),
        ("other", "其他", "Other"),
    ],
    extensible=True,
)
MEETING_TYPE = _cl(
    "meeting_type",
    "会议类型",
    "Meeting type",
    [
        ("weekly", "周例会", "Weekly meeting"),
        ("standup", "每日站会", "Daily stand-up"),
        ("briefing", "月度高层简报", "Monthly executive briefing"),
        ("urgent", "紧急协调", "Urgent coordination"),
    ],
)
REVIEW_RESULT = _cl(
    "review_result",
    "评审结论",
    "Review result",
    [
        ("pass", "通过", "Passed"),
        ("conditional", "有条件通过", "Passed with conditions"),
        ("fail", "不通过", "Failed"),
    ],
)
YES_NO = _cl(
    "yes_no",
    "是否",
    "Yes/No",
    [
        ("yes", "是", "Yes"),
        ("no", "否", "No"),
    ],
)
HOLIDAY_TYPE = _cl(
    "holiday_type",
    "日期类型",
    "Day type",
    [
        ("off", "放假", "Holiday"),
        ("work", "调休上班", "Make-up workday"),
    ],
)
SEVERITY = _cl(
    "severity",
    "严重程度",
    "Severity",
    [
        ("error", "错误", "Error"),
        ("warning", "警告", "Warning"),
        ("info", "提示", "Info"),
    ],
)
LANGUAGE = _cl(
    "language",
    "语言",
    "Language",
    [
        ("zh", "中文", "Chinese"),
        ("en", "英文", "English"),
    ],
)

CHOICE_LISTS: dict[str, ChoiceList] = {
    cl.key: cl
    for cl in (
        STATUS,
        PHASE,
        ROLE,
        ESCALATION,
        RISK_LEVEL,
        RISK_STATUS,
        RISK_CATEGORY,
        EXPENSE_CATEGORY,
        RESOURCE_TYPE,
        MEETING_TYPE,
        REVIEW_RESULT,
        YES_NO,
        HOLIDAY_TYPE,
        SEVERITY,
        LANGUAGE,
    )
}


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
        return self.zh if lang == "zh" else self.en

    def note(self, lang: str = DEFAULT_LANG) -> str:
        return self.note_zh if lang == "zh" else self.note_en

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
    return zh if lang == "zh" else en


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


# ----------------------------------------------------------------- sheets ---
class Kind(StrEnum):
    TABLE = "table"  # header row + one record per row (an Excel table)
    FORM = "form"  # label / value / note rows
    VIEW = "view"  # built from formulas only (the Gantt)
    LISTS = "lists"  # the hidden sheet feeding dropdowns


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    en: str
    kind: Kind
    columns: tuple[Column, ...]
    table: str | None = None  # Excel table name (ASCII, stable)
    record_key: str | None = None  # column that identifies a row
    hidden: bool = False
    spare_rows: int = 0  # empty rows with formulas/validations ready to fill
    tab_color: str | None = None
    note_zh: str = ""
    note_en: str = ""

    def name(self, lang: str = DEFAULT_LANG) -> str:
        return self.zh if lang == "zh" else self.en

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en)

    def col(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.key}.{key}")

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def input_columns(self) -> list[Column]:
        return [c for c in self.columns if c.is_input]

    def column_by_header(self, header: str) -> Column | None:
        """The column a header names, in either language (space and case
        ignored)."""
        h = norm_header(header)
        for c in self.columns:
            if h in (norm_header(c.zh), norm_header(c.en), c.key.casefold()):
                return c
        return None


def norm_header(text: str) -> str:
    """A sheet name or header as compared: NFKC, no whitespace, case-folded."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


OVERVIEW = Sheet(
    "overview",
    "项目概况",
    "Overview",
    Kind.FORM,
    (
        C("name", "项目名称", "Project name", required=True, filled_by="pm", width=40),
        C("goal", "项目目标", "Goal", required=True, filled_by="pm"),
        C("scope_in", "项目范围（包含）", "Scope (in)", filled_by="pm"),
        C("scope_out", "项目范围（不包含）", "Scope (out)", filled_by="pm"),
        C("start_date", "开始日期", "Start date", T.DATE, required=True, filled_by="pm"),
        C("end_date", "结束日期", "End date", T.DATE, required=True, filled_by="pm"),
        C("sponsor", "项目发起人", "Sponsor", T.PERSON, filled_by="pm"),
        C("project_lead", "项目总负责人", "Project lead", T.PERSON, required=True, filled_by="pm"),
        C("pm", "项目经理", "Project manager", T.PERSON, required=True, filled_by="pm"),
        C("success_criteria", "成功标准", "Success criteria", filled_by="pm"),
        C("current_phase", "当前阶段", "Current phase", T.ENUM, choices="phase", filled_by="pm"),
        C(
            "status_date",
            "状态日期",
            "Status date",
            T.DATE,
            filled_by="pm",
            note_zh="公式以此日期为“今天”；留空则使用 TODAY()",
            note_en="Formulas take this date as today; empty means TODAY()",
        ),
        C(
            "success_results",
            "成功标准达成情况",
            "Success criteria results",
            filled_by="pm",
            note_zh="与成功标准逐条对应，用“；”分隔（收尾时填写，写入《项目总结报告》）",
            note_en="One per success criterion, in order, separated by ';' (filled at closing)",
        ),
    ),
    tab_color="1F4E79",
    note_zh="项目基本信息（《项目章程》的来源）",
    note_en="The project's basic facts (the source of the charter)",
)

SETTINGS = Sheet(
    "settings",
    "参数",
    "Settings",
    Kind.FORM,
    (
        C(
            "escalation_pm_days",
            "升级至项目经理（阻塞工作日>）",
            "Escalate to PM after (working days)",
            T.INT,
            required=True,
            default=2,
            min=0,
            filled_by="pm",
            note_zh="阻塞不超过此工作日数：部门内解决",
            note_en="Blocked up to this many working days: within department",
        ),
        C(
            "escalation_lead_days",
            "升级至总负责人（阻塞工作日>）",
            "Escalate to lead after (working days)",
            T.INT,
            required=True,
            default=5,
            min=0,
            filled_by="pm",
            note_zh="超过此工作日数：总负责人决策",
            note_en="Beyond this many working days: the project lead decides",
        ),
        C(
            "due_soon_days",
            "即将到期窗口（工作日）",
            "Due-soon window (working days)",
            T.INT,
            required=True,
            default=3,
            min=0,
            filled_by="pm",
        ),
        C(
            "risk_medium",
            "中风险分值下限",
            "Medium risk from score",
            T.INT,
            required=True,
            default=8,
            min=1,
            max=25,
            filled_by="pm",
        ),
        C(
            "risk_high",
            "高风险分值下限",
            "High risk from score",
            T.INT,
            required=True,
            default=15,
            min=1,
            max=25,
            filled_by="pm",
        ),
        C(
            "risk_review_days",
            "风险复核周期（天）",
            "Risk review cadence (days)",
            T.INT,
            required=True,
            default=14,
            min=1,
            filled_by="pm",
            note_zh="风险登记册每两周更新一次",
            note_en="The risk register is reviewed every two weeks",
        ),
        C(
            "planning_weeks",
            "计划阶段周数",
            "Planning weeks",
            T.INT,
            default=2,
            min=0,
            filled_by="pm",
            note_zh="此后所有任务须经总负责人审批",
            note_en="After this every task needs the lead's approval",
        ),
        C(
            "report_lang",
            "报告语言",
            "Report language",
            T.ENUM,
            choices="language",
            default="zh",
            filled_by="pm",
        ),
        C(
            "templates_dir",
            "报告模板目录",
            "Report templates folder",
            filled_by="pm",
            note_zh="留空使用内置模板",
            note_en="Empty: the built-in templates",
        ),
        C("backup_keep", "保留备份份数", "Backups kept", T.INT, default=10, min=1, filled_by="pm"),
        C(
            "max_sheet_rows",
            "单表行数上限",
            "Rows per sheet at most",
            T.INT,
            default=200_000,
            min=1_000,
            max=MAX_ROWS,
            filled_by="it_support",
            note_zh="超过此行数的工作簿拒绝读取；硬上限另见 README（读取限制）",
            note_en="A workbook with more rows in a sheet is refused; see README (reading limits)",
        ),
        C(
            "max_unpacked_mb",
            "解压后大小上限（MB）",
            "Unpacked size at most (MB)",
            T.INT,
            default=256,
            min=16,
            max=512,
            filled_by="it_support",
            note_zh="工作簿解压后的总大小；超过即拒绝读取",
            note_en="The workbook's total unpacked size; a bigger one is refused",
        ),
        C(
            "rules_off",
            "停用的检查规则",
            "Rules switched off",
            default="",
            width=40,
            filled_by="pm",
            note_zh="规则编号，多个用逗号分隔，如 finance.outside_period；可用 finance.* 停用一组",
            note_en="Rule IDs, comma separated, e.g. finance.outside_period; finance.* for a group",
        ),
        C(
            "rules_severity",
            "检查规则严重程度",
            "Rule severities",
            default="",
            width=40,
            filled_by="pm",
            note_zh="规则=严重程度，逗号分隔，"
            "如 finance.outside_period=提示, risks.review_overdue=错误",
            note_en="rule=severity, comma separated, e.g. finance.outside_period=Info, "
            "risks.review_overdue=Error",
        ),
        C(
            "history_path",
            "历史数据库路径",
            "History database",
            default="",
            width=40,
            filled_by="it_support",
            note_zh="夜间检查的历史数据库；留空为工作簿旁的 .xlcollab/history.sqlite",
            note_en="The nightly check's history;"
            " empty: .xlcollab/history.sqlite beside the workbook",
        ),
        C(
            "weekly_report_time",
            "周报生成时间（周一）",
            "Weekly report time (Monday)",
            default="08:00",
            width=10,
            filled_by="pm",
            note_zh="周一例会（10:00）前生成周报，如 08:00；留空不生成",
            note_en="Before the Monday 10:00 meeting, e.g. 08:00; empty: no weekly report",
        ),
        C(
            "meeting_time",
            "周例会时间",
            "Weekly meeting time",
            default="10:00-11:00",
            width=12,
            filled_by="pm",
            note_zh="每周第一个工作日的例会时间（北京时间），如 10:00-11:00；用于导出日历",
            note_en="The meeting on each week's first working day (Beijing time), e.g. "
            "10:00-11:00; used by the calendar export",
        ),
        C(
            "finance_report_auto",
            "每月首个工作日生成资金报告",
            "Fund report on the month's first workday",
            T.BOOL,
            default=True,
            width=10,
            filled_by="finance",
        ),
        C(
            "risk_reminder_weeks",
            "风险复核提醒间隔（周）",
            "Risk review reminder every (weeks)",
            T.INT,
            default=2,
            min=0,
            filled_by="pm",
            note_zh="0 为不提醒",
            note_en="0: no reminder",
        ),
        C(
            "notify_email_to",
            "通知邮件收件人",
            "Notification e-mail to",
            default="",
            width=40,
            filled_by="pm",
            note_zh="逗号分隔；邮件服务器与密码只从环境变量读取",
            note_en="Comma separated; the mail server and password come from environment variables",
        ),
        C(
            "webhook_format",
            "群机器人格式",
            "Webhook format",
            default="",
            width=12,
            filled_by="pm",
            note_zh="dingtalk、wecom 或 feishu；地址只从环境变量 XLCOLLAB_WEBHOOK_URL 读取",
            note_en="dingtalk, wecom or feishu; the URL comes from XLCOLLAB_WEBHOOK_URL only",
        ),
    ),
    tab_color="7F7F7F",
    note_zh="阈值与选项，公式和检查共同使用",
    note_en="Thresholds and options used by formulas and checks",
)

TEAM = Sheet(
    "team",
    "组织架构",
    "Team",
    Kind.TABLE,
    (
        C("name", "姓名", "Name", required=True, width=12, filled_by="pm"),
        C(
            "department",
            "部门",
            "Department",
            T.DEPARTMENT,
            required=True,
            width=14,
            filled_by="pm",
        ),
        C("role", "角色", "Role", T.ENUM, required=True, width=14, filled_by="pm"),
        C("duty", "职责", "Duty", width=36, filled_by="pm"),
        C("phone", "电话", "Phone", width=14),
        C("email", "邮箱", "E-mail", width=24),
    ),
    table="tblTeam",
    record_key="name",
    spare_rows=20,
    tab_color="2E75B6",
)

DEPARTMENTS = Sheet(
    "departments",
    "部门",
    "Departments",
    Kind.TABLE,
    (
        C("name", "部门名称", "Department", required=True, width=16, filled_by="pm"),
        C("director", "部门总监", "Director", T.PERSON, width=12, filled_by="pm"),
        C("liaison", "对接人", "Liaison", T.PERSON, required=True, width=12, filled_by="pm"),
        C(
            "kpi_weight",
            "协同考核权重",
            "Cross-dept KPI weight",
            T.PERCENT,
            default=0.10,
            min=0,
            max=1,
            width=14,
            filled_by="pm",
            note_zh="跨部门项目参与情况占年度绩效的权重，不低于10%",
            note_en="Weight of cross-department work in the annual KPI, at least 10%",
        ),
        C("notes", "备注", "Notes", width=24),
    ),
    table="tblDepartments",
    record_key="name",
    spare_rows=10,
    tab_color="2E75B6",
)

RESOURCES = Sheet(
    "resources",
    "资源承诺",
    "Resources",
    Kind.TABLE,
    (
        C("department", "部门", "Department", T.DEPARTMENT, required=True, width=14),
        C("resource_type", "资源类型", "Resource type", T.CHOICE, required=True, width=10),
        C("description", "资源说明", "Description", width=30),
        C("quantity", "数量", "Quantity", T.NUMBER, required=True, min=0, width=8),
        C("unit", "单位", "Unit", width=8),
        C("period_start", "起始日期", "From", T.DATE, width=12),
        C("period_end", "截止日期", "To", T.DATE, width=12),
        C("committed_by", "承诺人", "Committed by", T.PERSON, required=True, width=12),
        C("approved", "已确认", "Approved", T.BOOL, width=8, filled_by="pm"),
    ),
    table="tblResources",
    spare_rows=20,
    tab_color="2E75B6",
    note_zh="各部门提交的资源承诺表",
    note_en="Each department's resource commitment form",
)

TASKS = Sheet(
    "tasks",
    "任务清单",
    "Tasks",
    Kind.TABLE,
    (
        C(
            "wbs",
            "WBS编码",
            "WBS code",
            required=True,
            width=9,
            filled_by="pm",
            note_zh="如 3.2.1；上级编码须存在",
            note_en="e.g. 3.2.1; the parent code must exist",
        ),
        C("name", "任务名称", "Task", required=True, width=30, filled_by="pm"),
        C("phase", "阶段", "Phase", T.ENUM, required=True, width=7, filled_by="pm"),
        C(
            "department",
            "负责部门",
            "Department",
            T.DEPARTMENT,
            required=True,
            width=12,
            filled_by="pm",
        ),
        C("owner", "责任人", "Owner", T.PERSON, required=True, width=9),
        C("deliverable", "交付物", "Deliverable", width=22),
        C("planned_start", "计划开始", "Planned start", T.DATE, required=True, width=11),
        C("planned_finish", "计划完成", "Planned finish", T.DATE, required=True, width=11),
        C("actual_start", "实际开始", "Actual start", T.DATE, width=11),
        C("actual_finish", "实际完成", "Actual finish", T.DATE, width=11),
        C("progress", "完成比例", "% complete", T.PERCENT, min=0, max=1, width=9),
        C("status", "状态", "Status", T.ENUM, required=True, width=8),
        C(
            "predecessors",
            "前置任务",
            "Predecessors",
            T.REF,
            multiple=True,
            width=10,
            filled_by="pm",
            note_zh="前置任务的WBS编码，多个用逗号分隔",
            note_en="WBS codes, comma separated",
        ),
        C("blocked_reason", "阻塞原因", "Blocked reason", width=24),
        C(
            "approved",
            "总负责人审批",
            "Approved by lead",
            T.BOOL,
            width=9,
            filled_by="project_lead",
        ),
        C("notes", "备注", "Notes", width=20),
        C(
            "days_late",
            "延误工作日",
            "Working days late",
            T.INT,
            formula=F_DAYS_LATE,
            computed=Computed.EXCEL,
            width=9,
            filled_by="xlcollab",
        ),
        C(
            "overdue",
            "是否逾期",
            "Overdue",
            T.BOOL,
            formula=F_OVERDUE,
            computed=Computed.EXCEL,
            width=8,
            filled_by="xlcollab",
        ),
        C(
            "due_soon",
            "即将到期",
            "Due soon",
            T.BOOL,
            formula=F_DUE_SOON,
            computed=Computed.EXCEL,
            width=8,
            filled_by="xlcollab",
        ),
        C(
            "blocked_since",
            "阻塞开始日期",
            "Blocked since",
            T.DATE,
            computed=Computed.PYTHON,
            width=11,
            filled_by="xlcollab",
        ),
        C(
            "escalation",
            "升级层级",
            "Escalation level",
            T.ENUM,
            computed=Computed.PYTHON,
            width=12,
            filled_by="xlcollab",
        ),
    ),
    table="tblTasks",
    record_key="wbs",
    spare_rows=40,
    tab_color="C00000",
    note_zh="跨部门任务协作清单 / WBS",
    note_en="Cross-department task checklist / WBS",
)

MILESTONES = Sheet(
    "milestones",
    "里程碑",
    "Milestones",
    Kind.TABLE,
    (
        C("name", "里程碑", "Milestone", required=True, width=22, filled_by="pm"),
        C("phase", "阶段", "Phase", T.ENUM, width=7, filled_by="pm"),
        C(
            "planned_date",
            "计划日期",
            "Planned date",
            T.DATE,
            required=True,
            width=11,
            filled_by="pm",
        ),
        C("actual_date", "实际日期", "Actual date", T.DATE, width=11, filled_by="pm"),
        C("tasks", "关联任务", "Tasks", T.REF, multiple=True, width=14, filled_by="pm"),
        C("reviewer", "评审人", "Reviewer", T.PERSON, width=10, filled_by="quality"),
        C("review_date", "评审日期", "Review date", T.DATE, width=11, filled_by="quality"),
        C("review_result", "评审结论", "Review result", T.ENUM, width=10, filled_by="quality"),
        C("opinion", "质量评估意见", "Quality opinion", width=36, filled_by="quality"),
    ),
    table="tblMilestones",
    record_key="name",
    spare_rows=10,
    tab_color="7030A0",
)

RISKS = Sheet(
    "risks",
    "风险登记册",
    "Risks",
    Kind.TABLE,
    (
        C("risk_id", "风险编号", "Risk ID", required=True, width=8, filled_by="pm"),
        C("description", "风险描述", "Description", required=True, width=30, filled_by="pm"),
        C(
            "category",
            "风险类别",
            "Category",
            T.CHOICE,
            choices="risk_category",
            required=True,
            width=12,
            filled_by="pm",
        ),
        C(
            "probability",
            "可能性(1-5)",
            "Probability (1-5)",
            T.INT,
            required=True,
            min=1,
            max=5,
            width=9,
            filled_by="pm",
        ),
        C(
            "impact",
            "影响(1-5)",
            "Impact (1-5)",
            T.INT,
            required=True,
            min=1,
            max=5,
            width=8,
            filled_by="pm",
        ),
        C(
            "score",
            "风险值",
            "Score",
            T.INT,
            formula=F_RISK_SCORE,
            computed=Computed.EXCEL,
            width=7,
            filled_by="xlcollab",
        ),
        C(
            "level",
            "风险等级",
            "Level",
            T.ENUM,
            choices="risk_level",
            formula=F_RISK_LEVEL,
            computed=Computed.EXCEL,
            width=8,
            filled_by="xlcollab",
        ),
        C("owner", "责任人", "Owner", T.PERSON, width=10, filled_by="pm"),
        C("contingency", "应急预案", "Contingency plan", width=30, filled_by="pm"),
        C(
            "status",
            "状态",
            "Status",
            T.ENUM,
            choices="risk_status",
            required=True,
            width=8,
            filled_by="pm",
        ),
        C("identified", "识别日期", "Identified", T.DATE, required=True, width=11, filled_by="pm"),
        C("last_review", "最近复核", "Last review", T.DATE, width=11, filled_by="pm"),
        C(
            "review_overdue",
            "复核逾期",
            "Review overdue",
            T.BOOL,
            formula=F_REVIEW_OVERDUE,
            computed=Computed.EXCEL,
            width=8,
            filled_by="xlcollab",
        ),
    ),
    table="tblRisks",
    record_key="risk_id",
    spare_rows=20,
    tab_color="ED7D31",
    note_zh="项目风险登记册，每两周更新",
    note_en="Risk register, reviewed every two weeks",
)

ESCALATIONS = Sheet(
    "escalations",
    "问题升级",
    "Escalations",
    Kind.TABLE,
    (
        C("issue", "问题", "Issue", required=True, width=30, filled_by="pm"),
        C("task", "关联任务", "Task", T.REF, width=9, filled_by="pm"),
        C(
            "level",
            "升级层级",
            "Level",
            T.ENUM,
            choices="escalation",
            required=True,
            width=12,
            filled_by="pm",
        ),
        C("raised_by", "提出人", "Raised by", T.PERSON, width=10),
        C("raised_on", "提出日期", "Raised on", T.DATE, required=True, width=11),
        C("goes_to", "处理人", "Goes to", T.PERSON, width=10, filled_by="pm"),
        C("decision", "处理决定", "Decision", width=30, filled_by="pm"),
        C("closed_on", "关闭日期", "Closed on", T.DATE, width=11, filled_by="pm"),
    ),
    table="tblEscalations",
    spare_rows=20,
    tab_color="ED7D31",
    note_zh="部门内解决 → 项目经理协调 → 总负责人决策",
    note_en="Within department → PM coordinates → project lead decides",
)

BUDGET = Sheet(
    "budget",
    "预算",
    "Budget",
    Kind.TABLE,
    (
        C(
            "department",
            "部门",
            "Department",
            T.DEPARTMENT,
            required=True,
            width=14,
            filled_by="finance",
        ),
        C(
            "category",
            "费用类别",
            "Category",
            T.CHOICE,
            choices="expense_category",
            required=True,
            width=10,
            filled_by="finance",
        ),
        C(
            "amount",
            "预算金额",
            "Budget",
            T.MONEY,
            required=True,
            min=0,
            width=14,
            filled_by="finance",
        ),
        C("notes", "备注", "Notes", width=20, filled_by="finance"),
        C(
            "used",
            "已使用",
            "Spent",
            T.MONEY,
            formula=F_BUDGET_USED,
            computed=Computed.EXCEL,
            width=14,
            filled_by="xlcollab",
        ),
        C(
            "remaining",
            "剩余",
            "Remaining",
            T.MONEY,
            formula=F_BUDGET_REMAINING,
            computed=Computed.EXCEL,
            width=14,
            filled_by="xlcollab",
        ),
        C(
            "used_pct",
            "使用率",
            "% used",
            T.PERCENT,
            formula=F_BUDGET_USED_PCT,
            computed=Computed.EXCEL,
            width=8,
            filled_by="xlcollab",
        ),
    ),
    table="tblBudget",
    spare_rows=20,
    tab_color="548235",
)

EXPENSES = Sheet(
    "expenses",
    "费用台账",
    "Expenses",
    Kind.TABLE,
    (
        C("date", "日期", "Date", T.DATE, required=True, width=11, filled_by="finance"),
        C(
            "department",
            "部门",
            "Department",
            T.DEPARTMENT,
            required=True,
            width=14,
            filled_by="finance",
        ),
        C(
            "category",
            "费用类别",
            "Category",
            T.CHOICE,
            choices="expense_category",
            required=True,
            width=10,
            filled_by="finance",
        ),
        C("amount", "金额", "Amount", T.MONEY, required=True, width=13, filled_by="finance"),
        C("description", "摘要", "Description", width=28, filled_by="finance"),
        C(
            "invoice_no",
            "发票号",
            "Invoice no.",
            width=22,
            filled_by="finance",
            as_text=True,
            note_zh="文本格式：20位全电发票号码完整保存",
            note_en="Text: a 20-digit invoice number is kept whole",
        ),
        C("approver", "审批人", "Approver", T.PERSON, width=10, filled_by="finance"),
        C("task", "关联任务", "Task", T.REF, width=9, filled_by="finance"),
    ),
    table="tblExpenses",
    spare_rows=50,
    tab_color="548235",
)

MEETINGS = Sheet(
    "meetings",
    "会议纪要",
    "Meetings",
    Kind.TABLE,
    (
        C("date", "日期", "Date", T.DATE, required=True, width=11, filled_by="pm"),
        C(
            "type",
            "会议类型",
            "Type",
            T.ENUM,
            choices="meeting_type",
            required=True,
            width=12,
            filled_by="pm",
        ),
        C("attendees", "参会人", "Attendees", width=24, filled_by="pm"),
        C("decisions", "会议决定", "Decisions", width=30, filled_by="pm"),
        C("action_item", "待办事项", "Action item", width=26, filled_by="pm"),
        C("action_owner", "待办责任人", "Action owner", T.PERSON, width=10, filled_by="pm"),
        C("action_due", "待办期限", "Action due", T.DATE, width=11, filled_by="pm"),
        C("action_done", "待办完成", "Action done", T.BOOL, width=8),
    ),
    table="tblMeetings",
    spare_rows=20,
    tab_color="BF8F00",
)

DELIVERABLES = Sheet(
    "deliverables",
    "交付物",
    "Deliverables",
    Kind.TABLE,
    (
        C("name", "交付物", "Deliverable", required=True, width=26, filled_by="pm"),
        C("task", "关联任务", "Task", T.REF, required=True, width=9, filled_by="pm"),
        C(
            "department",
            "部门",
            "Department",
            T.DEPARTMENT,
            required=True,
            width=14,
            filled_by="pm",
        ),
        C("accepted", "已验收", "Accepted", T.BOOL, width=8, filled_by="quality"),
        C("accepted_on", "验收日期", "Accepted on", T.DATE, width=11, filled_by="quality"),
        C("signed_by", "签收人", "Signed by", T.PERSON, width=10, filled_by="quality"),
        C("notes", "备注", "Notes", width=24),
    ),
    table="tblDeliverables",
    record_key="name",
    spare_rows=20,
    tab_color="7030A0",
)

HOLIDAYS = Sheet(
    "holidays",
    "节假日",
    "Holidays",
    Kind.TABLE,
    (
        C("date", "日期", "Date", T.DATE, required=True, width=11, filled_by="pm"),
        C(
            "type",
            "类型",
            "Type",
            T.ENUM,
            choices="holiday_type",
            required=True,
            width=10,
            filled_by="pm",
        ),
        C("name", "名称", "Name", width=16, filled_by="pm"),
        C("source", "来源", "Source", width=12, filled_by="pm"),
    ),
    table="tblHolidays",
    record_key="date",
    spare_rows=20,
    tab_color="7F7F7F",
    note_zh="国家法定节假日与调休（自动预填），可补充公司停工日等",
    note_en="Public holidays and make-up workdays (prefilled); add company shutdowns",
)

GANTT = Sheet(
    "gantt",
    "甘特图",
    "Gantt",
    Kind.VIEW,
    (
        C(
            "wbs",
            "WBS编码",
            "WBS code",
            formula='=IF({o.tasks.wbs}="","",{o.tasks.wbs})',
            width=8,
            computed=Computed.EXCEL,
            filled_by="xlcollab",
        ),
        C(
            "name",
            "任务名称",
            "Task",
            formula='=IF({o.tasks.name}="","",{o.tasks.name})',
            width=26,
            computed=Computed.EXCEL,
            filled_by="xlcollab",
        ),
        C(
            "department",
            "负责部门",
            "Department",
            formula='=IF({o.tasks.department}="","",{o.tasks.department})',
            width=11,
            computed=Computed.EXCEL,
            filled_by="xlcollab",
        ),
        C(
            "planned_start",
            "计划开始",
            "Start",
            T.DATE,
            formula='=IF({o.tasks.planned_start}="","",{o.tasks.planned_start})',
            width=11,  # a bold (summary) date fits
            computed=Computed.EXCEL,
            filled_by="xlcollab",
        ),
        C(
            "planned_finish",
            "计划完成",
            "Finish",
            T.DATE,
            formula='=IF({o.tasks.planned_finish}="","",{o.tasks.planned_finish})',
            width=11,  # a bold (summary) date fits
            computed=Computed.EXCEL,
            filled_by="xlcollab",
        ),
        C(
            "status",
            "状态",
            "Status",
            formula='=IF({o.tasks.status}="","",{o.tasks.status})',
            width=7,
            computed=Computed.EXCEL,
            filled_by="xlcollab",
        ),
        C(
            "overdue",
            "逾期",
            "Overdue",
            formula='=IF({o.tasks.overdue}="","",{o.tasks.overdue})',
            width=5,
            computed=Computed.EXCEL,
            filled_by="xlcollab",
        ),
    ),
    tab_color="C00000",
    note_zh="由任务清单自动生成，无需填写",
    note_en="Drawn from the task checklist; nothing to fill in",
)

FINDINGS = Sheet(
    "findings",
    "检查结果",
    "Findings",
    Kind.TABLE,
    (
        C("severity", "严重程度", "Severity", T.ENUM, width=8, filled_by="xlcollab"),
        C("rule_id", "规则", "Rule", width=18, filled_by="xlcollab"),
        C("sheet", "工作表", "Sheet", width=12, filled_by="xlcollab"),
        C("row", "行", "Row", T.INT, width=6, filled_by="xlcollab"),
        C("column", "列", "Column", width=12, filled_by="xlcollab"),
        C("cell", "单元格", "Cell", width=8, filled_by="xlcollab"),
        C("message", "问题", "Message", width=50, filled_by="xlcollab"),
        C("hint", "处理建议", "Hint", width=36, filled_by="xlcollab"),
        C("checked_on", "检查日期", "Checked on", T.DATE, width=11, filled_by="xlcollab"),
    ),
    table="tblFindings",
    tab_color="FFC000",
    note_zh="由 xlcollab check 写入",
    note_en="Written by xlcollab check",
)

CHANGELOG = Sheet(
    "changelog",
    "变更记录",
    "Change log",
    Kind.TABLE,
    (
        C("date", "日期", "Date", T.DATE, width=11, filled_by="xlcollab"),
        C("sheet", "工作表", "Sheet", width=12, filled_by="xlcollab"),
        C("record", "记录", "Record", width=22, filled_by="xlcollab"),
        C("change", "变更类型", "Change", width=8, filled_by="xlcollab"),
        C("field", "字段", "Field", width=14, filled_by="xlcollab"),
        C("old", "原值", "Old value", width=24, filled_by="xlcollab"),
        C("new", "新值", "New value", width=24, filled_by="xlcollab"),
        C("modified_by", "最后修改人", "Last saved by", width=12, filled_by="xlcollab"),
    ),
    table="tblChangeLog",
    tab_color="FFC000",
    note_zh="由夜间检查写入：与上次运行相比的变更",
    note_en="Written by the nightly check: what changed since the previous run",
)

# The hidden sheet feeding the dropdowns: one column per choice list, then
# the holiday columns the working-day formulas use (mirrored from 节假日).
LISTS = Sheet(
    "lists",
    "列表",
    "Lists",
    Kind.LISTS,
    tuple(
        [
            C(
                cl.key,
                cl.zh,
                cl.en,
                T.CHOICE if cl.extensible else T.ENUM,
                choices=cl.key,
                filled_by="pm" if cl.extensible else "xlcollab",
            )
            for cl in CHOICE_LISTS.values()
        ]
        + [
            C(
                "holiday_dates",
                "放假日期",
                "Holiday dates",
                T.DATE,
                computed=Computed.EXCEL,
                filled_by="xlcollab",
                formula="=IF({o.holidays.type}={v.holiday_type.off},N({o.holidays.date}),0)",
            ),
            C(
                "makeup_dates",
                "调休上班日期",
                "Make-up workdays",
                T.DATE,
                computed=Computed.EXCEL,
                filled_by="xlcollab",
                formula="=IF(AND({o.holidays.type}={v.holiday_type.work},N({o.holidays.date})>0),"
                'IF(WEEKDAY({o.holidays.date},2)>5,{o.holidays.date},""),"")',
            ),
        ]
    ),
    hidden=True,
)

# xlwings reads its per-workbook settings from a sheet of exactly this name:
# keys in column A, values in column B, no header row.
XLWINGS_CONF = Sheet(
    "xlwings_conf",
    "xlwings.conf",
    "xlwings.conf",
    Kind.FORM,
    (
        C(
            "udf_modules",
            "UDF Modules",
            "UDF Modules",
            default="xlcollab.excel.udfs",
            filled_by="it_support",
        ),
        C(
            "interpreter_win",
            "Interpreter_Win",
            "Interpreter_Win",
            default="",
            filled_by="it_support",
        ),
        C("conda_path", "Conda Path", "Conda Path", default="", filled_by="it_support"),
        C("conda_env", "Conda Env", "Conda Env", default="", filled_by="it_support"),
        C("show_console", "Show Console", "Show Console", default="False", filled_by="it_support"),
    ),
    hidden=True,
)

SHEETS: dict[str, Sheet] = {
    s.key: s
    for s in (
        OVERVIEW,
        TEAM,
        DEPARTMENTS,
        RESOURCES,
        TASKS,
        GANTT,
        MILESTONES,
        RISKS,
        ESCALATIONS,
        BUDGET,
        EXPENSES,
        MEETINGS,
        DELIVERABLES,
        HOLIDAYS,
        SETTINGS,
        FINDINGS,
        CHANGELOG,
        LISTS,
        XLWINGS_CONF,
    )
}
# form sheets: the header of their first row; xlwings.conf has none
FORM_HEADERS = {"zh": ("项目", "内容", "说明"), "en": ("Item", "Value", "Notes")}
FORM_NO_HEADER = ("xlwings_conf",)
LIST_ITEMS_MAX = 100  # rows of an extensible list on the lists sheet


def form_first_row(sheet_key: str) -> int:
    return 1 if sheet_key in FORM_NO_HEADER else FORM_FIRST_ROW


def sheet_by_name(name: str) -> Sheet | None:
    """The sheet a workbook tab names, in either language."""
    n = norm_header(name)
    for s in SHEETS.values():
        if n in (norm_header(s.zh), norm_header(s.en)):
            return s
    return None


def table_sheets() -> Iterable[Sheet]:
    return (s for s in SHEETS.values() if s.kind is Kind.TABLE)


# A lone date outside any sheet (a UDF's date argument): the reader's parser needs a column to
# parse it as, and to name in its messages.
DATE_VALUE = Column("date", "日期", "date", T.DATE)


# ---------------------------------------------------------- defined names ---
# Excel names the formulas use. Values are templates resolved by the builder.
DEFINED_NAMES: dict[str, str] = {
    "xc_today": 'IF({f.overview.status_date}="",TODAY(),{f.overview.status_date})',
    "xc_start": "{f.overview.start_date}",
    "xc_end": "{f.overview.end_date}",
    "xc_week1": "{f.overview.start_date}-WEEKDAY({f.overview.start_date},2)+1",
    "xc_due_soon": "{f.settings.due_soon_days}",
    "xc_esc_pm": "{f.settings.escalation_pm_days}",
    "xc_esc_lead": "{f.settings.escalation_lead_days}",
    "xc_risk_medium": "{f.settings.risk_medium}",
    "xc_risk_high": "{f.settings.risk_high}",
    "xc_review_days": "{f.settings.risk_review_days}",
    "xc_holidays": "{l.holiday_dates}",
    "xc_makeup": "{l.makeup_dates}",
    "xc_departments": "{d.departments.name}",
    "xc_people": "{d.team.name}",
}
# dropdown sources for the types that draw from other sheets
TYPE_SOURCES = {T.DEPARTMENT: "xc_departments", T.PERSON: "xc_people"}


# ----------------------------------------------------- conditional formats ---
@dataclass(frozen=True)
class Highlight:
    """A conditional format: on ``sheet``, where ``formula`` holds for a
    row, apply ``style`` to the row (or to ``column`` only)."""

    sheet: str
    formula: str  # template; {c.KEY} resolves column-absolute ($H2)
    style: str  # a key of STYLES
    column: str | None = None


STYLES = {  # fill colour, font colour
    "done": ("E2EFDA", "375623"),
    "blocked": ("F8CBAD", "9C0006"),
    "overdue": ("FFC7CE", "9C0006"),
    "due_soon": ("FFEB9C", "9C5700"),
    "risk_high": ("FF7C80", "FFFFFF"),
    "risk_medium": ("FFEB9C", "9C5700"),
    "risk_low": ("C6EFCE", "006100"),
    "over_budget": ("FFC7CE", "9C0006"),
    "error": ("FFC7CE", "9C0006"),
    "warning": ("FFEB9C", "9C5700"),
    "marker": ("F4B084", "833C0B"),  # a flag shows a marker: an input it needs is text
    "bar_planned": ("5B9BD5", "5B9BD5"),
    "bar_done": ("70AD47", "70AD47"),
    "bar_blocked": ("C00000", "C00000"),
    "bar_overdue": ("ED7D31", "ED7D31"),
    "today": ("FFF2CC", "000000"),
    "header": ("1F4E79", "FFFFFF"),
    "computed": ("F2F2F2", "404040"),
    "pack_other": ("EDEDED", "7F7F7F"),  # packs: other departments' rows, locked
    "summary": (None, None),  # bold only (BOLD_STYLES)
}
BOLD_STYLES = frozenset({"summary"})

HIGHLIGHTS: tuple[Highlight, ...] = (
    Highlight("tasks", "{c.status}={v.status.blocked}", "blocked"),
    Highlight("tasks", "{c.overdue}={v.yes_no.yes}", "overdue"),
    Highlight("tasks", "{c.due_soon}={v.yes_no.yes}", "due_soon"),
    Highlight("tasks", "{c.status}={v.status.done}", "done", column="status"),
    Highlight("tasks", F_IS_SUMMARY, "summary"),
    Highlight("gantt", F_IS_SUMMARY, "summary"),
    Highlight("risks", "{c.level}={v.risk_level.high}", "risk_high", column="level"),
    Highlight("risks", "{c.level}={v.risk_level.medium}", "risk_medium", column="level"),
    Highlight("risks", "{c.level}={v.risk_level.low}", "risk_low", column="level"),
    Highlight("risks", "{c.review_overdue}={v.yes_no.yes}", "overdue", column="last_review"),
    Highlight("budget", "AND(ISNUMBER({c.used_pct}),{c.used_pct}>1)", "over_budget"),
    *(
        Highlight(sheet, f'ISNUMBER(FIND("{MARKER_SIGN}",{{c.{col}}}))', "marker", column=col)
        for sheet, col in (
            ("tasks", "days_late"),
            ("tasks", "overdue"),
            ("tasks", "due_soon"),
            ("risks", "score"),
            ("risks", "level"),
            ("risks", "review_overdue"),
            ("budget", "used"),
            ("budget", "remaining"),
            ("budget", "used_pct"),
        )
    ),
    Highlight("findings", "{c.severity}={v.severity.error}", "error", column="severity"),
    Highlight("findings", "{c.severity}={v.severity.warning}", "warning", column="severity"),
)

# The Gantt grid: week columns after the view columns. {w} is the week's
# Monday in the header row (row-absolute), {c.KEY} the row's view cells.
GANTT_WEEK_HEADER = '=IF(xc_start="","",xc_week1+7*{k})'  # empty until the start date is set
GANTT_BARS: tuple[tuple[str, str], ...] = (  # first match wins
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start},"
        "{c.status}={v.status.done})",
        "bar_done",
    ),
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start},"
        "{c.status}={v.status.blocked})",
        "bar_blocked",
    ),
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start},"
        "{c.overdue}={v.yes_no.yes})",
        "bar_overdue",
    ),
    (
        "AND(ISNUMBER({c.planned_start}),ISNUMBER({c.planned_finish}),{w}<={c.planned_finish},{w}+6>={c.planned_start})",
        "bar_planned",
    ),
    ("AND({w}<=xc_today,{w}+6>=xc_today)", "today"),
)
GANTT_WEEK_WIDTH = 4.5
GANTT_WEEK_FORMAT = "m/d"  # number format of the week header dates
# table sheets whose leading columns stay in view when scrolling right:
# frozen through this column (the Gantt freezes all its view columns)
FREEZE_THROUGH = {"tasks": "name"}


# ---------------------------------------------------------------- finance ---
# The monthly fund usage workbook (项目资金使用报告_<project>_<YYYY-MM>.xlsx)
# that `xlcollab finance` writes: a new output file, not part of the master
# workbook (these sheets are not in SHEETS). Its sheet names, headers and
# labels are declared here and nowhere else.
_FIN_MONEY = dict(type=T.MONEY, width=15, filled_by="xlcollab")

FIN_SUMMARY = Sheet(
    "fin_summary",
    "汇总",
    "Summary",
    Kind.TABLE,
    (
        C("department", "部门", "Department", width=16, filled_by="xlcollab"),
        C("category", "费用类别", "Category", width=12, filled_by="xlcollab"),
        C("budget", "预算金额", "Budget", **_FIN_MONEY),
        C("month", "本月支出", "Spent this month", **_FIN_MONEY),
        C("to_date", "累计支出", "Spent to date", **_FIN_MONEY),
        C("remaining", "剩余预算", "Remaining", **_FIN_MONEY),
        C("used_pct", "使用率", "% used", T.PERCENT, width=9, filled_by="xlcollab"),
        C("remark", "说明", "Remark", width=24, filled_by="xlcollab"),
    ),
    tab_color="548235",
)

FIN_TREND = Sheet(
    "fin_trend",
    "月度趋势",
    "Monthly trend",
    Kind.TABLE,
    (
        C("month", "月份", "Month", width=10, filled_by="xlcollab"),
        C("total", "合计", "Total", **_FIN_MONEY),  # after one column per department
    ),
    tab_color="548235",
    note_zh="各部门累计支出（截至各月末）",
    note_en="Spending to date per department (at each month's end)",
)

FIN_DETAIL = Sheet(
    "fin_detail",
    "明细",
    "Detail",
    Kind.TABLE,
    (
        C("source_row", "台账行号", "Ledger row", T.INT, width=9, filled_by="xlcollab"),
        *EXPENSES.input_columns,
    ),
    table="tblFinDetail",
    tab_color="548235",
)

FIN_ANOMALIES = Sheet(
    "fin_anomalies",
    "异常",
    "Anomalies",
    Kind.TABLE,
    (
        C("source_row", "台账行号", "Ledger row", T.INT, width=9, filled_by="xlcollab"),
        C(
            "severity",
            "严重程度",
            "Severity",
            T.ENUM,
            choices="severity",
            width=8,
            filled_by="xlcollab",
        ),
        C("rule_id", "规则", "Rule", width=24, filled_by="xlcollab"),
        C("date", "日期", "Date", T.DATE, width=11, filled_by="xlcollab"),
        C("department", "部门", "Department", width=14, filled_by="xlcollab"),
        C("category", "费用类别", "Category", width=10, filled_by="xlcollab"),
        C("amount", "金额", "Amount", T.MONEY, width=13, filled_by="xlcollab"),
        C("invoice_no", "发票号", "Invoice no.", width=22, filled_by="xlcollab", as_text=True),
        C("message", "问题", "Message", width=48, filled_by="xlcollab"),
        C("hint", "处理建议", "Hint", width=36, filled_by="xlcollab"),
    ),
    table="tblFinAnomalies",
    tab_color="FFC000",
)

FINANCE_SHEETS: dict[str, Sheet] = {
    s.key: s for s in (FIN_SUMMARY, FIN_TREND, FIN_DETAIL, FIN_ANOMALIES)
}

# Titles and labels of the finance workbook and report, (zh, en).
FINANCE_LABELS: dict[str, tuple[str, str]] = {
    "report": ("项目资金使用报告", "Fund usage report"),
    "file_stem": ("项目资金使用报告", "fund-usage-report"),
    "project": ("项目", "Project"),
    "month": ("月份", "Month"),
    "period": ("统计期间", "Period"),
    "by_department": ("按部门", "By department"),
    "by_category": ("按费用类别", "By category"),
    "by_line": ("按部门和费用类别", "By department and category"),
    "total": ("合计", "Total"),
    "blank": ("（未填写）", "(blank)"),
    "over_budget": ("超出预算", "Over budget"),
    "no_budget": ("无预算", "No budget"),
    "no_expenses": ("本月无费用支出", "No expenses this month"),
    "no_anomalies": ("本月费用无异常", "No anomalies this month"),
    "trend_chart": ("各部门累计支出", "Spending to date by department"),
    "budget_chart": ("预算与实际支出（按部门）", "Budget vs actual by department"),
    "amount_axis": ("金额（元）", "Amount (CNY)"),
}


def finance_label(key: str, lang: str = DEFAULT_LANG) -> str:
    zh, en = FINANCE_LABELS[key]
    return zh if lang == "zh" else en


# ------------------------------------------------------ department packs ---
# `xlcollab split` writes one workbook per department (a "pack"): the master's
# sheets, with the department's own rows of these sheets editable and the
# rest locked. A row belongs to a department through a department column or
# through a person (looked up on 组织架构). ``editable`` are the columns the
# department may change on its own rows; ``new_rows`` says whether it may
# add rows there (new rows must be its own).
@dataclass(frozen=True)
class PackRule:
    sheet: str
    owner_column: str  # the column that says whose row it is
    owner_is_person: bool  # the column holds a person (their department counts)
    editable: tuple[str, ...]
    new_rows: bool = True


PACK_RULES: dict[str, PackRule] = {
    r.sheet: r
    for r in (
        PackRule(
            "tasks",
            "department",
            False,
            (
                "owner",
                "deliverable",
                "planned_start",
                "planned_finish",
                "actual_start",
                "actual_finish",
                "progress",
                "status",
                "blocked_reason",
                "notes",
            ),
        ),
        PackRule(
            "risks",
            "owner",
            True,
            ("description", "probability", "impact", "contingency", "status", "last_review"),
        ),
        PackRule(
            "expenses",
            "department",
            False,
            ("date", "category", "amount", "description", "invoice_no", "approver", "task"),
        ),
        PackRule("meetings", "action_owner", True, ("action_done",), new_rows=False),
    )
}

# The hidden column each pack table carries: the row's identity in the
# master, so that a moved or re-sorted row is still recognised. Empty on rows
# the department adds.
PACK_ROW_ID = C(
    "pack_row",
    "行标识（勿改）",
    "Row ID (do not edit)",
    width=4,
    filled_by="xlcollab",
)

# The very hidden sheet of a pack: its identity, then one line per row the
# pack was split with (the row's identity, its fingerprint and its values at
# the split, so that a merge knows what the department changed).
PACK_INFO = Sheet(
    "pack_info",
    "xc_pack",
    "xc_pack",
    Kind.TABLE,
    (
        C("key", "键", "Key", filled_by="xlcollab"),
        C("sheet", "工作表", "Sheet", filled_by="xlcollab"),
        C("value", "值", "Value", filled_by="xlcollab"),
        C("fingerprint", "指纹", "Fingerprint", filled_by="xlcollab"),
    ),
    hidden=True,
)
# keys of the identity lines on PACK_INFO (sheet column empty)
PACK_IDENTITY_KEYS = ("format", "project_id", "project", "department", "split_at", "version")
PACK_FORMAT = "xlcollab-pack/1"

# The 说明 sheet a pack opens on: what to fill in, by when, how to send it back.
PACK_GUIDE = Sheet(
    "pack_guide",
    "说明",
    "Read me",
    Kind.FORM,
    (C("text", "说明", "Read me", width=72, filled_by="xlcollab"),),
    tab_color="1F4E79",
)
# where the ribbon's 合并部门回传 button looks for returned packs: a folder
# of this name beside the master workbook
PACK_INBOX = {"zh": "部门回传", "en": "returned-packs"}
# the 变更类型 of the 变更记录 rows a merge writes, (zh, en); the "merged"
# row (one per pack) names the department as its record and the split time
# as its new value, so a later merge can tell an older split
PACK_CHANGE_LABELS = {
    "changed": ("回传修改", "Pack change"),
    "added": ("回传新增", "Pack row added"),
    "merged": ("合并回传", "Pack merged"),
}
PACK_SPLIT_FIELD = ("拆分时间", "Split at")


# ------------------------------------------------- importing a tracker ---
# `xlcollab import FILE --into PATH` maps a department's own tracker onto
# the task checklist: header synonyms (besides each column's own zh/en
# header) and status value synonyms (besides the choice labels).
TRACKER_HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "任务",
        "事项",
        "工作事项",
        "工作内容",
        "任务描述",
        "Task",
        "Task name",
        "Item",
        "Title",
    ),
    "owner": ("负责人", "责任人", "经办人", "Owner", "Assignee", "Responsible"),
    "planned_start": ("开始日期", "开始时间", "计划开始日期", "Start", "Start date"),
    "planned_finish": (
        "截止日期",
        "完成时间",
        "计划完成",
        "计划完成日期",
        "截止时间",
        "Deadline",
        "Due",
        "Due date",
        "Finish",
    ),
    "actual_finish": ("实际完成日期", "完成日期", "Actual finish", "Completed on"),
    "progress": (
        "进度",
        "完成率",
        "完成比例",
        "完成度",
        "% Complete",
        "Progress",
        "Percent complete",
    ),
    "status": ("状态", "当前状态", "Status", "State"),
    "deliverable": ("交付物", "成果", "Deliverable", "Output"),
    "blocked_reason": ("阻塞原因", "卡点", "问题", "Blocker", "Issue"),
    "notes": ("备注", "说明", "Notes", "Comment", "Comments", "Remarks"),
}
TRACKER_STATUS: dict[str, tuple[str, ...]] = {
    "done": ("完成", "已完成", "完结", "已关闭", "Done", "Complete", "Completed", "Closed"),
    "in_progress": (
        "进行中",
        "处理中",
        "推进中",
        "执行中",
        "In progress",
        "Doing",
        "Ongoing",
        "WIP",
    ),
    "blocked": ("卡住", "阻塞", "受阻", "暂停", "Blocked", "Stuck", "On hold"),
    "not_started": ("未开始", "待开始", "待办", "Not started", "To do", "Todo", "Open", "New"),
}
TRACKER_HEADER_ROWS = 20  # the header row is looked for this far down
