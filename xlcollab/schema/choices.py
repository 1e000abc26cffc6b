"""The dropdown lists: fixed ones stored by key, extensible ones by label."""

from __future__ import annotations

from dataclasses import dataclass

from xlcollab.schema.lang import DEFAULT_LANG, tr


# ---------------------------------------------------------------- choices ---
@dataclass(frozen=True)
class Choice:
    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()  # what people also type for it (read, then tidied)

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return tr(lang, self.zh, self.en)


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
