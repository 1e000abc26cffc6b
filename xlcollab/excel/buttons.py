"""The ribbon, declared once: tab, groups and buttons.

The add-in builder (:mod:`xlcollab.excel.addin`) writes ``customUI14.xml``
from this table, and :mod:`xlcollab.excel.ribbon` dispatches on the same
tags. Every button calls the one VBA callback ``OnButton``; its ``tag``
names the command. Icons are Office's built-in ``imageMso`` images.

The 检查 (check) "tidy" button (整理数据) writes each entry the reader
understood only by tolerance as the value it was read as, as ``xlcollab fix
PATH`` does (:mod:`xlcollab.io.tidy`).

The 工具 (tools) "baseline" button freezes a named baseline of the
workbook (planned dates and budget) into its history database, as
``xlcollab baseline PATH --name NAME`` does, with an automatic name
(``基线 <as-of date>``, then ``-2``, ``-3`` …). The ribbon offers only what
exists: nothing that would only say "not yet".
"""

from __future__ import annotations

from dataclasses import dataclass

from xlcollab.model.messages import LABELS
from xlcollab.schema.lang import tr

__all__ = [
    "Button",
    "Group",
    "GROUPS",
    "BUTTONS",
    "COMMAND_BUTTONS",
    "TAB_ID",
    "TAB_LABEL",
    "CALLBACK",
    "RESTART_CALLBACK",
    "button",
]

CALLBACK = "OnButton"  # the VBA Sub every command button's onAction names
# the VBA Sub of the one button that runs no Python: it ends the warm Python
# process (xlwings' UDF server, which RunPython reuses: "Use UDF Server" in the
# workbook's xlwings.conf sheet), so the next press starts a fresh one
RESTART_CALLBACK = "OnRestartPython"
TAB_ID = "xlcollabTab"
TAB_LABEL = {"zh": "协同项目", "en": "xlcollab"}


@dataclass(frozen=True)
class Button:
    tag: str  # the command; also the control id after "xc_"
    zh: str
    en: str
    image: str  # imageMso
    tip_zh: str
    tip_en: str
    size: str = "large"
    action: str = CALLBACK  # the VBA Sub its onAction names

    @property
    def control_id(self) -> str:
        return "xc_" + self.tag

    def label(self, lang: str = "zh") -> str:
        return tr(lang, self.zh, self.en)

    def tip(self, lang: str = "zh") -> str:
        return tr(lang, self.tip_zh, self.tip_en)


@dataclass(frozen=True)
class Group:
    id: str
    zh: str
    en: str
    buttons: tuple[Button, ...]

    def label(self, lang: str = "zh") -> str:
        return tr(lang, self.zh, self.en)


GROUPS: tuple[Group, ...] = (
    Group(
        "xc_grpCheck",
        "检查",
        "Check",
        (
            Button(
                "validate",
                "检查工作簿",
                "Validate",
                "DataValidation",
                "检查全部工作表，把问题写入“检查结果”表，并更新阻塞开始日期、升级层级和延误工作日",
                "Check every sheet, list the findings on the Findings sheet and update "
                "blocked since, escalation level and days late",
            ),
            Button(
                "tidy",
                "整理数据",
                "Tidy data",
                "Spelling",
                "把文本日期、文本数字、全角数字、状态同义词和多了空格的人名改成真正的值"
                "（与 xlcollab fix 相同），并记入变更记录；无法理解的值只列出不修改",
                "Turn text dates, text or full-width numbers, status synonyms and names with "
                "stray spaces into real values (as xlcollab fix does), recorded on the change "
                "log; values it cannot understand are listed and left alone",
            ),
            Button(
                "refresh_flags",
                "刷新标记",
                "Refresh flags",
                "RefreshAll",
                "只重新计算任务的阻塞开始日期、升级层级和延误工作日，不写检查结果",
                "Recompute blocked since, escalation level and days late only",
            ),
        ),
    ),
    Group(
        "xc_grpReports",
        "报告",
        "Reports",
        (
            Button(
                "charter",
                "项目章程",
                "Charter",
                "FileNew",
                "生成《项目章程》（Word），保存在工作簿旁的 reports 文件夹",
                "Write the project charter (Word) to the reports folder beside the workbook",
            ),
            Button(
                "roles",
                "职责分工",
                "Roles",
                "AddressBook",
                "生成《职责分工说明书》",
                "Write the responsibility statement",
            ),
            Button(
                "checklist",
                LABELS["checklist_button"]["zh"],
                LABELS["checklist_button"]["en"],
                "TableInsert",
                "生成《跨部门任务协作清单》",
                "Write the cross-department task checklist",
            ),
            Button(
                "weekly",
                "周报",
                "Weekly report",
                "ReviewNewComment",
                "生成周例会进度报告",
                "Write the weekly progress report",
            ),
            Button(
                "quality",
                "质量评估",
                "Quality",
                "HappyFace",
                "生成《质量评估意见》",
                "Write the quality assessment opinion",
            ),
            Button(
                "delivery",
                "交付确认",
                "Delivery",
                "FileSave",
                "生成《项目交付确认书》",
                "Write the delivery confirmation",
            ),
            Button(
                "summary",
                "总结报告",
                "Summary",
                "FilePrintPreview",
                "生成《项目总结报告》",
                "Write the project summary report",
            ),
            Button(
                "briefing",
                "月度简报",
                "Briefing",
                "ChartInsert",
                "生成月度高层简报",
                "Write the monthly executive briefing",
            ),
        ),
    ),
    Group(
        "xc_grpFinance",
        "财务",
        "Finance",
        (
            Button(
                "finance",
                "月度资金报告",
                "Monthly finance",
                "AutoSum",
                "生成《项目资金使用报告》：按部门和类别的预算与支出（本月与累计）",
                "Write the monthly fund report: budget against spending by department "
                "and category, for the month and cumulative",
            ),
        ),
    ),
    Group(
        "xc_grpTools",
        "工具",
        "Tools",
        (
            Button(
                "baseline",
                "保存基线",
                "Save baseline",
                "ReviewProtectWorkbook",
                "把当前的计划日期和预算冻结为基线“基线 日期”，保存在工作簿旁的历史数据库；"
                "之后可查看进度偏差",
                "Freeze the current planned dates and budget as the baseline 'Baseline <date>' "
                "in the history database beside the workbook, to measure slippage against later",
            ),
            Button(
                "merge_packs",
                "合并部门回传",
                "Merge returned packs",
                "MergeCells",
                "把工作簿旁“部门回传”文件夹中各部门发回的文件合并进本工作簿："
                "接受本部门的修改，冲突逐条列出、不会应用",
                "Merge the packs in the 'returned-packs' folder beside the workbook: each "
                "department's own changes are accepted, conflicts are listed and never applied",
            ),
            Button(
                "open_folder",
                "打开输出文件夹",
                "Open output folder",
                "FileOpen",
                "打开工作簿旁的 reports 文件夹",
                "Open the reports folder beside the workbook",
                size="normal",
            ),
            Button(
                "restart_python",
                "重启 Python",
                "Restart Python",
                "RecurrenceEdit",
                "结束常驻的 Python 进程（它让按钮更快响应）；升级 xlcollab 后按一次，"
                "下一次按钮会重新启动它",
                "End the warm Python process that makes the buttons quick; press it after "
                "upgrading xlcollab, and the next button starts a fresh one",
                size="normal",
                action=RESTART_CALLBACK,
            ),
            Button(
                "about",
                "关于",
                "About",
                "Help",
                "xlcollab 的版本与安装信息",
                "xlcollab's version and set-up",
                size="normal",
            ),
        ),
    ),
)

BUTTONS: tuple[Button, ...] = tuple(b for g in GROUPS for b in g.buttons)
# the buttons whose press runs a Python command (:mod:`xlcollab.excel.ribbon`)
COMMAND_BUTTONS: tuple[Button, ...] = tuple(b for b in BUTTONS if b.action == CALLBACK)


def button(tag: str) -> Button | None:
    for b in BUTTONS:
        if b.tag == tag:
            return b
    return None
