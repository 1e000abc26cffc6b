"""The sheets xlcollab fills or derives: the Gantt view, the findings, the
change log, the hidden lists sheet and xlwings.conf."""

from __future__ import annotations

from xlcollab.schema.choices import CHOICE_LISTS
from xlcollab.schema.columns import C, Computed
from xlcollab.schema.sheet import Kind, Sheet
from xlcollab.schema.types import T

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
        # RunPython reuses one warm Python process (xlwings' UDF server) instead of
        # starting Python, importing pandas and xlcollab on every ribbon press
        C(
            "use_udf_server",
            "Use UDF Server",
            "Use UDF Server",
            default="True",
            filled_by="it_support",
        ),
    ),
    hidden=True,
)
