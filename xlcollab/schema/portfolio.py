"""The portfolio workbook's sheet."""

from __future__ import annotations

from xlcollab.schema.columns import C
from xlcollab.schema.sheet import Kind, Sheet
from xlcollab.schema.types import T

# -------------------------------------------------------------- portfolio ---
# The portfolio workbook (项目组合_<date>.xlsx) that `xlcollab portfolio`
# writes beside the portfolio page: one row per project, the same table as
# the page. A new output file, not part of the master workbook.
PORTFOLIO = Sheet(
    "portfolio",
    "项目组合",
    "Portfolio",
    Kind.TABLE,
    (
        C("project", "项目", "Project", width=30, filled_by="xlcollab"),
        C("light", "灯号", "Light", width=7, filled_by="xlcollab"),
        C("phase", "阶段", "Phase", width=8, filled_by="xlcollab"),
        C("progress", "进度", "Progress", T.PERCENT, width=8, filled_by="xlcollab"),
        C("tasks", "任务", "Tasks", T.INT, width=7, filled_by="xlcollab"),
        C("overdue", "逾期", "Overdue", T.INT, width=7, filled_by="xlcollab"),
        C(
            "at_department",
            "阻塞·部门内解决",
            "Blocked: department",
            T.INT,
            width=9,
            filled_by="xlcollab",
        ),
        C("at_pm", "阻塞·项目经理协调", "Blocked: PM", T.INT, width=9, filled_by="xlcollab"),
        C("at_lead", "阻塞·总负责人决策", "Blocked: lead", T.INT, width=9, filled_by="xlcollab"),
        C("budget", "预算", "Budget", T.MONEY, width=15, filled_by="xlcollab"),
        C("spent", "已支出", "Spent", T.MONEY, width=15, filled_by="xlcollab"),
        C("spent_pct", "使用率", "% used", T.PERCENT, width=8, filled_by="xlcollab"),
        C("next_milestone", "下一个里程碑", "Next milestone", width=20, filled_by="xlcollab"),
        C("next_date", "计划日期", "Planned", T.DATE, width=11, filled_by="xlcollab"),
        C("as_of", "状态日期", "Status date", T.DATE, width=11, filled_by="xlcollab"),
        C("page", "状态页面", "Status page", width=24, filled_by="xlcollab"),
        C("error", "无法读取的原因", "Why it could not be read", width=40, filled_by="xlcollab"),
    ),
    tab_color="1F4E79",
    note_zh="灯号规则见 README“项目组合”",
    note_en="The traffic-light rule: README, Portfolio",
)
