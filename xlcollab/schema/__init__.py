"""The master workbook, declared once.

Every sheet name, header, dropdown list, native formula, defined name and
layout fact of the master workbook lives in this package and nowhere else.
The builder, the reader, the checks, the reports and the docs all read it
through ``from xlcollab.schema import ...``. The modules, by concept:
``lang`` (the two languages, :func:`tr`), ``types`` (layout facts, column
types), ``choices`` (dropdown lists), ``columns`` (columns and formula
templates), ``sheet`` (what a sheet is), ``forms``, ``plan``, ``control``
and ``views`` (the sheets), ``sheets`` (all of them by key), ``names``
(defined names), ``highlights`` (conditional formats), ``finance`` (the fund report
workbook) and ``portfolio`` (the portfolio workbook).

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

from xlcollab.schema.choices import (
    CHOICE_LISTS,
    ESCALATION,
    EXPENSE_CATEGORY,
    HOLIDAY_TYPE,
    LANGUAGE,
    MEETING_TYPE,
    PHASE,
    RESOURCE_TYPE,
    REVIEW_RESULT,
    RISK_CATEGORY,
    RISK_LEVEL,
    RISK_STATUS,
    ROLE,
    SEVERITY,
    STATUS,
    YES_NO,
    Choice,
    ChoiceList,
)
from xlcollab.schema.columns import (
    F_BUDGET_REMAINING,
    F_BUDGET_USED,
    F_BUDGET_USED_PCT,
    F_DAYS_LATE,
    F_DUE_SOON,
    F_IS_SUMMARY,
    F_OVERDUE,
    F_REVIEW_OVERDUE,
    F_RISK_LEVEL,
    F_RISK_SCORE,
    MARKER_SIGN,
    MARKERS,
    SUMMARY_FORMULAS,
    C,
    Column,
    Computed,
    marker,
    workdays_expr,
)
from xlcollab.schema.control import (
    BUDGET,
    DELIVERABLES,
    ESCALATIONS,
    EXPENSES,
    HOLIDAYS,
    MEETINGS,
    RISKS,
)
from xlcollab.schema.finance import (
    FIN_ANOMALIES,
    FIN_DETAIL,
    FIN_SUMMARY,
    FIN_TREND,
    FINANCE_LABELS,
    FINANCE_SHEETS,
    PACK_CHANGE_LABELS,
    PACK_FORMAT,
    PACK_GUIDE,
    PACK_IDENTITY_KEYS,
    PACK_INBOX,
    PACK_INFO,
    PACK_ROW_ID,
    PACK_RULES,
    PACK_SPLIT_FIELD,
    TRACKER_HEADER_ROWS,
    TRACKER_HEADERS,
    TRACKER_STATUS,
    PackRule,
    finance_label,
)
from xlcollab.schema.forms import OVERVIEW, SETTINGS
from xlcollab.schema.highlights import (
    BOLD_STYLES,
    FREEZE_THROUGH,
    GANTT_BARS,
    GANTT_WEEK_FORMAT,
    GANTT_WEEK_HEADER,
    GANTT_WEEK_WIDTH,
    HIGHLIGHTS,
    STYLES,
    Highlight,
)
from xlcollab.schema.lang import DEFAULT_LANG, LANGS, tr
from xlcollab.schema.names import DEFINED_NAMES, TYPE_SOURCES
from xlcollab.schema.plan import DEPARTMENTS, MILESTONES, RESOURCES, TASKS, TEAM
from xlcollab.schema.portfolio import PORTFOLIO
from xlcollab.schema.sheet import Kind, Sheet, norm_header
from xlcollab.schema.sheets import (
    DATE_VALUE,
    FORM_HEADERS,
    FORM_NO_HEADER,
    LIST_ITEMS_MAX,
    SHEETS,
    form_first_row,
    sheet_by_name,
    table_sheets,
)
from xlcollab.schema.types import (
    FIRST_DATA_ROW,
    FORM_FIRST_ROW,
    FORM_LABEL_COL,
    FORM_NOTE_COL,
    FORM_VALUE_COL,
    GANTT_SPARE_WEEKS,
    GANTT_WEEKS,
    HEADER_ROW,
    HOLIDAY_CAPACITY,
    LIST_RANGE_ROWS,
    MAX_ROWS,
    NUMBER_FORMATS,
    WRAP_WIDTH,
    T,
)
from xlcollab.schema.views import CHANGELOG, FINDINGS, GANTT, LISTS, XLWINGS_CONF

__all__ = [
    "DEFAULT_LANG",
    "tr",
    "LANGS",
    "HEADER_ROW",
    "FIRST_DATA_ROW",
    "FORM_LABEL_COL",
    "FORM_VALUE_COL",
    "FORM_NOTE_COL",
    "FORM_FIRST_ROW",
    "MAX_ROWS",
    "GANTT_WEEKS",
    "GANTT_SPARE_WEEKS",
    "WRAP_WIDTH",
    "HOLIDAY_CAPACITY",
    "LIST_RANGE_ROWS",
    "T",
    "NUMBER_FORMATS",
    "Choice",
    "ChoiceList",
    "STATUS",
    "PHASE",
    "ROLE",
    "ESCALATION",
    "RISK_LEVEL",
    "RISK_STATUS",
    "RISK_CATEGORY",
    "EXPENSE_CATEGORY",
    "RESOURCE_TYPE",
    "MEETING_TYPE",
    "REVIEW_RESULT",
    "YES_NO",
    "HOLIDAY_TYPE",
    "SEVERITY",
    "LANGUAGE",
    "CHOICE_LISTS",
    "Computed",
    "Column",
    "C",
    "workdays_expr",
    "MARKERS",
    "MARKER_SIGN",
    "marker",
    "F_DAYS_LATE",
    "F_OVERDUE",
    "F_DUE_SOON",
    "F_RISK_SCORE",
    "F_RISK_LEVEL",
    "F_REVIEW_OVERDUE",
    "F_IS_SUMMARY",
    "SUMMARY_FORMULAS",
    "F_BUDGET_USED",
    "F_BUDGET_REMAINING",
    "F_BUDGET_USED_PCT",
    "Kind",
    "Sheet",
    "norm_header",
    "OVERVIEW",
    "SETTINGS",
    "TEAM",
    "DEPARTMENTS",
    "RESOURCES",
    "TASKS",
    "MILESTONES",
    "RISKS",
    "ESCALATIONS",
    "BUDGET",
    "EXPENSES",
    "MEETINGS",
    "DELIVERABLES",
    "HOLIDAYS",
    "GANTT",
    "FINDINGS",
    "CHANGELOG",
    "LISTS",
    "XLWINGS_CONF",
    "SHEETS",
    "FORM_HEADERS",
    "FORM_NO_HEADER",
    "LIST_ITEMS_MAX",
    "form_first_row",
    "sheet_by_name",
    "table_sheets",
    "DATE_VALUE",
    "DEFINED_NAMES",
    "TYPE_SOURCES",
    "Highlight",
    "STYLES",
    "BOLD_STYLES",
    "HIGHLIGHTS",
    "GANTT_WEEK_HEADER",
    "GANTT_BARS",
    "GANTT_WEEK_WIDTH",
    "GANTT_WEEK_FORMAT",
    "FREEZE_THROUGH",
    "FIN_SUMMARY",
    "FIN_TREND",
    "FIN_DETAIL",
    "FIN_ANOMALIES",
    "FINANCE_SHEETS",
    "FINANCE_LABELS",
    "finance_label",
    "PackRule",
    "PACK_RULES",
    "PACK_ROW_ID",
    "PACK_INFO",
    "PACK_IDENTITY_KEYS",
    "PACK_FORMAT",
    "PACK_GUIDE",
    "PACK_INBOX",
    "PACK_CHANGE_LABELS",
    "PACK_SPLIT_FIELD",
    "TRACKER_HEADERS",
    "TRACKER_STATUS",
    "TRACKER_HEADER_ROWS",
    "PORTFOLIO",
]
