"""The monthly fund usage workbook's sheets and labels."""

from __future__ import annotations

from dataclasses import dataclass

from xlcollab.schema.columns import SUMMARY_FORMULAS, C
from xlcollab.schema.control import EXPENSES
from xlcollab.schema.lang import DEFAULT_LANG, tr
from xlcollab.schema.sheet import Kind, Sheet
from xlcollab.schema.types import T

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
    return tr(lang, zh, en)


# ------------------------------------------------------ department packs ---
# `xlcollab split` writes one workbook per department (a "pack"): the master's
# sheets, with the department's own rows of these sheets editable and the
# rest locked. A row belongs to a department through a department column or
# through a person (looked up on 组织架构). ``editable`` are the columns the
# department may change on its own rows; ``new_rows`` says whether it may
# add rows there (new rows must be its own). ``rolled_up`` are the columns a
# summary row (a WBS row with rows under it) computes from those rows
# (SUMMARY_FORMULAS): on a summary row they are computed, so locked in the
# pack, and a pack's reading of them (over the pack's rows only) is never
# taken for an edit.
@dataclass(frozen=True)
class PackRule:
    sheet: str
    owner_column: str  # the column that says whose row it is
    owner_is_person: bool  # the column holds a person (their department counts)
    editable: tuple[str, ...]
    new_rows: bool = True
    rolled_up: tuple[str, ...] = ()

    def editable_on(self, summary: bool) -> tuple[str, ...]:
        """The columns the owner may change on a row (a summary row or not)."""
        if not summary:
            return self.editable
        return tuple(k for k in self.editable if k not in self.rolled_up)


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
            rolled_up=tuple(SUMMARY_FORMULAS),
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
