"""Message templates, in Chinese and English, keyed by rule id.

Each entry is ``(message, hint)`` per language; ``{column}``, ``{value}`` and
other fields are filled in by :func:`render`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from string import Formatter

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    # --- reading ---------------------------------------------------------
    "read.not_a_workbook": {
        "zh": ("无法打开工作簿：{detail}", "请确认文件是 .xlsx/.xlsm 格式且未损坏"),
        "en": (
            "Cannot open the workbook: {detail}",
            "Check that the file is an intact .xlsx/.xlsm",
        ),
    },
    "read.refused": {
        "zh": (
            "拒绝读取：{detail}",
            "文件超出读取限制（见 README“读取限制”）；如确属正常文件，请删除多余内容，"
            "或请 IT 支持专员在参数表调整上限",
        ),
        "en": (
            "Refused: {detail}",
            "The file is outside the reading limits (README, 'Reading limits'); if it is "
            "genuine, remove what is not needed, or have IT support raise the limit on Settings",
        ),
    },
    "read.not_master": {
        "zh": (
            "不是 xlcollab 主工作簿（没有“{expected}”等工作表）；可用 xlcollab import 导入",
            "主工作簿可用 xlcollab init 新建；部门自己的清单请用 xlcollab import 导入",
        ),
        "en": (
            "Not an xlcollab master workbook (no '{expected}' or any other of its sheets); "
            "use xlcollab import to bring it in",
            "Create a master workbook with xlcollab init; import a department's own list "
            "with xlcollab import",
        ),
    },
    "read.missing_sheet": {
        "zh": ("缺少工作表“{expected}”", "请用 xlcollab init 生成的模板，或恢复该工作表"),
        "en": (
            "Sheet '{expected}' is missing",
            "Use the template from xlcollab init, or restore the sheet",
        ),
    },
    "read.missing_column": {
        "zh": ("缺少必填列“{expected}”", "请在表头行添加该列（列的位置不限）"),
        "en": (
            "Required column '{expected}' is missing",
            "Add the column to the header row (any position)",
        ),
    },
    "read.duplicate_column": {
        "zh": ("列“{expected}”出现了不止一次，只读取第一列", "请删除或改名重复的列"),
        "en": (
            "Column '{expected}' appears more than once; only the first is read",
            "Remove or rename the duplicate",
        ),
    },
    "read.unknown_column": {
        "zh": ("无法识别的列“{value}”，已忽略", "如是自定义列可保留；否则请检查列名拼写"),
        "en": (
            "Unknown column '{value}' is ignored",
            "Keep it if it is your own column; otherwise check the spelling",
        ),
    },
    "read.bad_date": {
        "zh": (
            "“{column}”不是有效日期：“{value}”",
            "请填写日期，如 2026-03-05、2026/3/5 或 2026年3月5日",
        ),
        "en": (
            "'{column}' is not a valid date: '{value}'",
            "Enter a date such as 2026-03-05 or 2026/3/5",
        ),
    },
    "read.bad_int": {
        "zh": ("“{column}”应为整数：“{value}”", "请填写整数"),
        "en": ("'{column}' should be a whole number: '{value}'", "Enter a whole number"),
    },
    "read.bad_number": {
        "zh": ("“{column}”应为数字：“{value}”", "请填写数字"),
        "en": ("'{column}' should be a number: '{value}'", "Enter a number"),
    },
    "read.bad_percent": {
        "zh": (
            "“{column}”不是有效的百分比：“{value}”",
            "请填写 0–100% 之间的值，如 50%、0.5 或 50",
        ),
        "en": (
            "'{column}' is not a valid percentage: '{value}'",
            "Enter 0-100%, e.g. 50%, 0.5 or 50",
        ),
    },
    "read.bad_money": {
        "zh": ("“{column}”不是有效金额：“{value}”", "请填写金额数字，如 12500 或 ¥12,500.00"),
        "en": (
            "'{column}' is not a valid amount: '{value}'",
            "Enter an amount such as 12500 or ¥12,500.00",
        ),
    },
    "read.bad_bool": {
        "zh": ("“{column}”应填“是”或“否”：“{value}”", "请从下拉列表中选择"),
        "en": ("'{column}' should be Yes or No: '{value}'", "Pick from the dropdown"),
    },
    "read.bad_choice": {
        "zh": ("“{column}”的值“{value}”不在可选范围内（{allowed}）", "请从下拉列表中选择"),
        "en": ("'{column}' value '{value}' is not one of {allowed}", "Pick from the dropdown"),
    },
    "read.out_of_range": {
        "zh": ("“{column}”的值 {value} 超出范围 {low}–{high}", "请填写范围内的值"),
        "en": ("'{column}' value {value} is outside {low}-{high}", "Enter a value in range"),
    },
    "read.error_value": {
        "zh": ("“{column}”是错误值 {value}", "请修正产生错误的公式或改填数值"),
        "en": ("'{column}' holds the error value {value}", "Fix the formula or enter a value"),
    },
    "read.required": {
        "zh": ("“{column}”为必填项", "请填写该单元格"),
        "en": ("'{column}' is required", "Fill in this cell"),
    },
    "read.missing_field": {
        "zh": ("缺少必填项目“{expected}”", "请在A列添加该项目，在B列填写内容（行的位置不限）"),
        "en": (
            "Required field '{expected}' is missing",
            "Add it in column A with its value in column B (any row)",
        ),
    },
    "read.duplicate_sheet": {
        "zh": ("工作表“{value}”与“{expected}”重复，已忽略", "请删除或改名多余的工作表"),
        "en": (
            "Sheet '{value}' duplicates '{expected}' and is ignored",
            "Remove or rename the extra sheet",
        ),
    },
    # --- tolerated entries (xlcollab.check.rules.tolerated) -------------------
    "values.text_date": {
        "zh": (
            "“{column}”的“{value}”按 {understood} 理解；单元格是文本，表格公式无法用它计算"
            "（依赖它的逾期、延误等标记显示“日期?”）",
            "运行 xlcollab fix（或功能区“整理数据”）改为真正的日期，或重新输入为日期",
        ),
        "en": (
            "'{column}' value '{value}' is read as {understood}; the cell holds text, so the "
            "sheet's formulas cannot use it (the flags that need it show 'date?')",
            "Run xlcollab fix (or the ribbon's Tidy data) to store a real date, or re-enter it "
            "as a date",
        ),
    },
    "values.text_number": {
        "zh": (
            "“{column}”的“{value}”按 {understood} 理解；单元格是文本，表格公式无法用它计算"
            "（相关公式显示“数字?”，求和时被忽略）",
            "运行 xlcollab fix（或功能区“整理数据”）改为数字，或重新输入为数字",
        ),
        "en": (
            "'{column}' value '{value}' is read as {understood}; the cell holds text, so the "
            "sheet's formulas cannot use it (they show 'number?'; sums leave it out)",
            "Run xlcollab fix (or the ribbon's Tidy data) to store a number, or re-enter it",
        ),
    },
    "values.full_width": {
        "zh": (
            "“{column}”的“{value}”含全角字符，按 {understood} 理解；单元格是文本，"
            "表格公式无法用它计算",
            "运行 xlcollab fix（或功能区“整理数据”）改为 {understood}，或用半角重新输入",
        ),
        "en": (
            "'{column}' value '{value}' has full-width characters and is read as {understood}; "
            "the cell holds text, so the sheet's formulas cannot use it",
            "Run xlcollab fix (or the ribbon's Tidy data) to store {understood}, or re-enter it "
            "with half-width characters",
        ),
    },
    "values.choice_alias": {
        "zh": (
            "“{column}”的“{value}”按“{understood}”理解；表格公式、条件格式和下拉列表只认"
            "“{understood}”（相关公式显示“状态?”）",
            "运行 xlcollab fix（或功能区“整理数据”）改为“{understood}”，或从下拉列表中选择",
        ),
        "en": (
            "'{column}' value '{value}' is read as '{understood}'; the sheet's formulas, "
            "colours and dropdown only know '{understood}' (flags show 'status?')",
            "Run xlcollab fix (or the ribbon's Tidy data) to store '{understood}', or pick it "
            "from the dropdown",
        ),
    },
    "values.name_spacing": {
        "zh": (
            "“{column}”的“{value}”按“{understood}”理解（多了空格）；筛选、汇总公式和下拉列表"
            "只认“{understood}”",
            "运行 xlcollab fix（或功能区“整理数据”）改为“{understood}”，或从下拉列表中选择",
        ),
        "en": (
            "'{column}' value '{value}' is read as '{understood}' (stray spaces); filters, "
            "sums and the dropdown only know '{understood}'",
            "Run xlcollab fix (or the ribbon's Tidy data) to store '{understood}', or pick it "
            "from the dropdown",
        ),
    },
    # --- rules (xlcollab.check.rules) ------------------------------------------
    "overview.end_before_start": {
        "zh": ("{column}（{value}）早于{other}（{other_value}）", "请检查项目的开始和结束日期"),
        "en": (
            "{column} ({value}) is before {other} ({other_value})",
            "Check the project's start and end dates",
        ),
    },
    "tasks.finish_before_start": {
        "zh": (
            "{column}（{value}）早于{other}（{other_value}）",
            "请修正日期：计划完成日期不能早于计划开始日期",
        ),
        "en": (
            "{column} ({value}) is before {other} ({other_value})",
            "Correct the dates: the planned finish cannot precede the planned start",
        ),
    },
    "tasks.actual_finish_before_start": {
        "zh": (
            "{column}（{value}）早于{other}（{other_value}）",
            "请修正日期：实际完成日期不能早于实际开始日期",
        ),
        "en": (
            "{column} ({value}) is before {other} ({other_value})",
            "Correct the dates: the actual finish cannot precede the actual start",
        ),
    },
    "tasks.actual_in_future": {
        "zh": (
            "{column}（{value}）晚于状态日期（{as_of}）",
            "实际日期只能填写已经发生的日期；预计日期请填在计划列",
        ),
        "en": (
            "{column} ({value}) is after the status date ({as_of})",
            "Actual dates must have happened; put expected dates in the planned columns",
        ),
    },
    "tasks.outside_period": {
        "zh": (
            "{column}（{value}）不在项目周期（{start} 至 {end}）内",
            "请调整任务日期，或在“项目概况”中修改项目开始/结束日期",
        ),
        "en": (
            "{column} ({value}) is outside the project period ({start} to {end})",
            "Move the task, or change the project's start/end date on the Overview sheet",
        ),
    },
    "milestones.outside_period": {
        "zh": (
            "{column}（{value}）不在项目周期（{start} 至 {end}）内",
            "请调整里程碑日期，或在“项目概况”中修改项目开始/结束日期",
        ),
        "en": (
            "{column} ({value}) is outside the project period ({start} to {end})",
            "Move the milestone, or change the project's start/end date on the Overview sheet",
        ),
    },
    "tasks.done_without_finish": {
        "zh": ("状态为“{status}”，但没有填写{column}", "请填写任务的实际完成日期"),
        "en": ("Status is '{status}' but {column} is empty", "Enter the task's actual finish date"),
    },
    "tasks.done_not_complete": {
        "zh": (
            "状态为“{status}”，但{column}为 {value}，不是 100%",
            "任务已完成请将完成比例改为 100%；未完成请修改状态",
        ),
        "en": (
            "Status is '{status}' but {column} is {value}, not 100%",
            "Set 100% if the task is done; otherwise change its status",
        ),
    },
    "tasks.not_started_with_progress": {
        "zh": (
            "状态为“{status}”，但{column}为 {value}",
            "任务已开始请把状态改为“进行中”；否则请清空完成比例",
        ),
        "en": (
            "Status is '{status}' but {column} is {value}",
            "If work has begun set the status to In progress; otherwise clear the progress",
        ),
    },
    "tasks.not_started_with_start": {
        "zh": (
            "状态为“{status}”，但已填写{column}（{value}）",
            "任务已开始请把状态改为“进行中”；否则请清空实际开始日期",
        ),
        "en": (
            "Status is '{status}' but {column} is filled in ({value})",
            "If work has begun set the status to In progress; otherwise clear the actual start",
        ),
    },
    "tasks.blocked_without_reason": {
        "zh": ("状态为“{status}”，但没有填写{column}", "请说明阻塞原因，以便按升级路径协调解决"),
        "en": (
            "Status is '{status}' but {column} is empty",
            "Say what blocks the task so it can be escalated and resolved",
        ),
    },
    "tasks.in_progress_without_start": {
        "zh": ("状态为“{status}”，但没有填写{column}", "请补填任务的实际开始日期"),
        "en": ("Status is '{status}' but {column} is empty", "Enter the task's actual start date"),
    },
    "people.unknown_person": {
        "zh": (
            "{column}“{value}”不在“{team}”表中",
            "请从下拉列表选择人员，或先在“{team}”表中添加此人",
        ),
        "en": (
            "{column} '{value}' is not on the {team} sheet",
            "Pick a person from the dropdown, or add them to the {team} sheet first",
        ),
    },
    "people.unknown_department": {
        "zh": (
            "{column}“{value}”不在“{departments}”表中",
            "请从下拉列表选择部门，或先在“{departments}”表中添加该部门",
        ),
        "en": (
            "{column} '{value}' is not on the {departments} sheet",
            "Pick a department from the dropdown, or add it to the {departments} sheet first",
        ),
    },
    "tasks.owner_not_in_department": {
        "zh": (
            "责任人{value}属于{actual}，不属于负责部门{department}",
            "请改由{department}的人员负责，或修改负责部门",
        ),
        "en": (
            "Owner {value} belongs to {actual}, not to the task's department {department}",
            "Assign someone from {department}, or change the task's department",
        ),
    },
    "departments.no_liaison": {
        "zh": ("{department}有任务，但没有指定{column}", "请指定本部门的一名成员作为对接人"),
        "en": (
            "{department} has tasks but no {column}",
            "Name a member of the department as liaison",
        ),
    },
    "departments.liaison_elsewhere": {
        "zh": (
            "{department}的{column}{value}属于{actual}，不是本部门成员",
            "请指定{department}的成员作为对接人，或在组织架构中更正其部门",
        ),
        "en": (
            "{department}'s {column} {value} belongs to {actual}, not to {department}",
            "Name a member of {department}, or correct their department on the team sheet",
        ),
    },
    "team.role_count": {
        "zh": ("没有角色为“{role}”的人员", "请在组织架构中指定一名{role}"),
        "en": ("Nobody has the role '{role}'", "Give one team member the role {role}"),
    },
    "team.role_twice": {
        "zh": (
            "“{role}”只能有一人：{value}与{other}（第 {other_row} 行）重复",
            "请只保留一名{role}，其他人改为相应角色",
        ),
        "en": (
            "There can be only one '{role}': {value} and {other} (row {other_row})",
            "Keep one {role} and give the others another role",
        ),
    },
    "overview.role_mismatch": {
        "zh": (
            "{column}“{value}”与“{team}”表中的{role}“{expected}”不一致",
            "请统一项目概况与组织架构中的人员",
        ),
        "en": (
            "{column} '{value}' differs from the {role} on the {team} sheet ('{expected}')",
            "Make the overview and the team sheet name the same person",
        ),
    },
    "tasks.not_approved": {
        "zh": (
            "计划阶段已于 {since} 结束，任务尚未经总负责人审批（{column}）",
            "请提交项目总负责人审批后，在“{column}”填写“是”",
        ),
        "en": (
            "Planning ended on {since} and the task is not approved by the project lead ({column})",
            "Have the project lead approve it, then set '{column}' to Yes",
        ),
    },
    "wbs.duplicate": {
        "zh": ("WBS编码“{value}”与第 {other_row} 行重复", "每个任务的WBS编码必须唯一，请重新编号"),
        "en": (
            "WBS code '{value}' repeats row {other_row}",
            "Every task needs its own WBS code; renumber it",
        ),
    },
    "wbs.malformed": {
        "zh": ("WBS编码“{value}”格式不正确", "请用以点分隔的数字，如 3、3.2、3.2.1"),
        "en": (
            "WBS code '{value}' is malformed",
            "Use numbers separated by dots, e.g. 3, 3.2, 3.2.1",
        ),
    },
    "wbs.parent_missing": {
        "zh": (
            "WBS编码“{value}”的上级编码“{parent}”不存在",
            "请先添加上级任务“{parent}”，或更正编码",
        ),
        "en": (
            "The parent '{parent}' of WBS code '{value}' does not exist",
            "Add the parent task '{parent}' or correct the code",
        ),
    },
    "wbs.summary_mismatch": {
        "zh": (
            "汇总行“{wbs}”的{column}为 {value}，其下级任务汇总应为 {expected}",
            "汇总行的日期、完成比例和状态取自下级任务：请清空该单元格（由公式汇总），"
            "或改为 {expected}",
        ),
        "en": (
            "Summary row '{wbs}': {column} is {value}; the rows under it give {expected}",
            "A summary row takes its dates, progress and status from the rows under it: "
            "clear the cell (its formula rolls it up) or enter {expected}",
        ),
    },
    "wbs.predecessor_missing": {
        "zh": ("前置任务“{value}”不存在", "请填写任务清单中已有的WBS编码，多个用逗号分隔"),
        "en": (
            "Predecessor '{value}' does not exist",
            "Enter existing WBS codes, separated by commas",
        ),
    },
    "wbs.cycle": {
        "zh": ("前置任务形成循环：{cycle}（箭头指向前置任务）", "请删除其中一个前置关系，打破循环"),
        "en": (
            "Predecessors form a cycle: {cycle} (arrows point to the predecessor)",
            "Remove one of these predecessor links to break the cycle",
        ),
    },
    "wbs.starts_before_predecessor": {
        "zh": (
            "{column}（{value}）早于前置任务 {pred} 的计划完成日期（{pred_finish}）",
            "请推迟本任务的计划开始，或调整前置任务",
        ),
        "en": (
            "{column} ({value}) is before predecessor {pred}'s planned finish ({pred_finish})",
            "Start this task later, or revise its predecessors",
        ),
    },
    "wbs.started_before_predecessor": {
        "zh": (
            "{column}（{value}）早于前置任务 {pred} 的实际完成日期（{pred_finish}）",
            "请核实实际日期，或修改前置任务",
        ),
        "en": (
            "{column} ({value}) is before predecessor {pred}'s actual finish ({pred_finish})",
            "Check the actual dates, or revise the predecessors",
        ),
    },
    "risks.high_without_plan": {
        "zh": ("高风险 {risk}（风险值 {score}）没有{column}", "高风险须提前制定应急预案"),
        "en": (
            "High risk {risk} (score {score}) has no {column}",
            "High risks need a contingency plan in advance",
        ),
    },
    "risks.high_without_owner": {
        "zh": ("高风险 {risk}（风险值 {score}）没有{column}", "请为高风险指定责任人"),
        "en": (
            "High risk {risk} (score {score}) has no {column}",
            "Name an owner for the high risk",
        ),
    },
    "risks.review_overdue": {
        "zh": (
            "风险 {risk} 的{column}（{value}）已过去 {age} 天，超过复核周期 {days} 天",
            "请复核该风险并更新最近复核日期",
        ),
        "en": (
            "Risk {risk} was last reviewed {age} days ago ({value}), beyond the {days}-day cadence",
            "Review the risk and update the last review date",
        ),
    },
    "risks.never_reviewed": {
        "zh": (
            "风险 {risk} 自{identified}（{value}）起 {age} 天未复核，超过复核周期 {days} 天",
            "请复核该风险并填写{column}",
        ),
        "en": (
            "Risk {risk} has not been reviewed in the {age} days since it was identified "
            "({value}), beyond the {days}-day cadence",
            "Review the risk and fill in {column}",
        ),
    },
    "risks.duplicate_id": {
        "zh": ("风险编号“{value}”与第 {other_row} 行重复", "请为每个风险使用唯一编号"),
        "en": ("Risk ID '{value}' repeats row {other_row}", "Give every risk its own ID"),
    },
    "finance.unbudgeted": {
        "zh": (
            "{department}/{value}在“{budget}”表中没有预算",
            "请在预算表中增加该预算行，或更正部门/费用类别",
        ),
        "en": (
            "{department}/{value} has no line on the {budget} sheet",
            "Add a budget line, or correct the department or category",
        ),
    },
    "finance.amount_not_positive": {
        "zh": (
            "{column}（{value}）不是正数",
            "请填写大于 0 的金额；冲销请与财务协调员确认处理方式",
        ),
        "en": (
            "{column} ({value}) is not positive",
            "Enter an amount above 0; agree reversals with the finance coordinator",
        ),
    },
    "finance.duplicate_invoice": {
        "zh": (
            "发票号 {value} 与第 {other_row} 行（{other}）重复",
            "同一张发票只能报销一次，请删除重复记录",
        ),
        "en": (
            "Invoice number {value} repeats row {other_row} ({other})",
            "An invoice is claimed once; remove the duplicate",
        ),
    },
    "finance.outside_period": {
        "zh": (
            "{column}（{value}）不在项目周期（{start} 至 {end}）内",
            "请确认该费用是否属于本项目，或更正日期",
        ),
        "en": (
            "{column} ({value}) is outside the project period ({start} to {end})",
            "Check that the expense belongs to the project, or correct its date",
        ),
    },
    "finance.over_budget": {
        "zh": (
            "{department}/{category}已支出 {value}，超出预算 {budget}（{over}，使用率 {pct}）",
            "请控制支出，或提交预算调整申请经总负责人审批",
        ),
        "en": (
            "{department}/{category} has spent {value}, over its budget of {budget} "
            "(by {over}, {pct} used)",
            "Contain spending, or ask the project lead to approve a budget change",
        ),
    },
    "finance.department_over_budget": {
        "zh": (
            "{department}总支出 {value}，超出部门总预算 {budget}（{over}）",
            "请控制部门支出，或提交预算调整申请",
        ),
        "en": (
            "{department} has spent {value} in total, over its total budget of {budget}"
            " (by {over})",
            "Contain the department's spending, or ask for a budget change",
        ),
    },
    "finance.duplicate_budget_line": {
        "zh": ("{department}/{value}与第 {other_row} 行重复", "同一部门和费用类别请合并为一行预算"),
        "en": (
            "{department}/{value} repeats row {other_row}",
            "Merge the lines of one department and category",
        ),
    },
    "milestones.no_quality_review": {
        "zh": (
            "里程碑“{name}”的日期（{value}）已过，尚无质量评审（{column}为空）",
            "请质量监督员完成评审，填写评审日期、评审结论和质量评估意见",
        ),
        "en": (
            "Milestone '{name}' ({value}) has passed without a quality review ({column} empty)",
            "The quality supervisor reviews it and fills in the date, result and opinion",
        ),
    },
    "deliverables.not_accepted": {
        "zh": (
            "任务 {task} 已完成（{finished}），交付物“{name}”在收尾阶段仍未验收",
            "请组织验收并填写验收日期和签收人",
        ),
        "en": (
            "Task {task} is done ({finished}) and its deliverable '{name}' is still not "
            "accepted at closing",
            "Have it accepted and fill in the acceptance date and signatory",
        ),
    },
    "deliverables.not_accepted_late": {
        "zh": (
            "任务 {task} 已完成 {days} 个工作日（{finished}），"
            "交付物“{name}”仍未验收（超过 {limit} 个工作日）",
            "请组织验收并填写验收日期和签收人",
        ),
        "en": (
            "Task {task} has been done for {days} working days ({finished}) and its deliverable "
            "'{name}' is not accepted (limit {limit})",
            "Have it accepted and fill in the acceptance date and signatory",
        ),
    },
    "refs.unknown_task": {
        "zh": ("{column}“{value}”在“{tasks}”中不存在", "请填写任务清单中已有的WBS编码"),
        "en": (
            "{column} '{value}' does not exist on the {tasks} sheet",
            "Enter a WBS code from the task checklist",
        ),
    },
    "departments.kpi_weight_low": {
        "zh": (
            "{department}的{column}为 {value}，低于规定的 {minimum}",
            "跨部门项目参与情况应占年度绩效考核的 {minimum} 以上",
        ),
        "en": (
            "{department}'s {column} is {value}, below the required {minimum}",
            "Cross-department work must weigh at least {minimum} of the annual KPI",
        ),
    },
    "calendar.uncovered_years": {
        "zh": (
            "{years}年的法定节假日未知，这些年份按周一至周五计算工作日",
            "请在“{holidays}”表补充这些年份的放假和调休安排",
        ),
        "en": (
            "Public holidays for {years} are unknown; working days there are counted Monday-Friday",
            "Add those years' holidays and make-up workdays to the {holidays} sheet",
        ),
    },
    "settings.unknown_rule": {
        "zh": (
            "{column}中的“{value}”不是检查规则编号",
            "请填写检查规则编号，如 finance.outside_period",
        ),
        "en": (
            "'{value}' in {column} is not a rule ID",
            "Enter rule IDs such as finance.outside_period",
        ),
    },
    "settings.bad_severity": {
        "zh": (
            "{column}中的“{value}”无法识别",
            "请按“规则编号=严重程度”填写，严重程度为 错误、警告 或 提示",
        ),
        "en": (
            "'{value}' in {column} is not understood",
            "Write rule=severity, the severity being Error, Warning or Info",
        ),
    },
    "rules.failed": {
        "zh": ("检查规则 {rule} 未能完成：{detail}", "其他检查不受影响；请将此信息反馈给维护人员"),
        "en": (
            "Check rule {rule} could not finish: {detail}",
            "The other checks are not affected; report this to the maintainers",
        ),
    },
    # --- department packs (split / merge) ----------------------------------
    "merge.other_department": {
        "zh": (
            "“{record}”是{owner}的行，{department}的回传不能修改",
            "请由{owner}修改，或由项目经理在主工作簿中修改",
        ),
        "en": (
            "'{record}' belongs to {owner}; {department}'s pack cannot change it",
            "Ask {owner}, or let the PM change the master",
        ),
    },
    "merge.locked_column": {
        "zh": ("“{column}”由项目经理维护，部门回传不能修改", "如需修改请联系项目经理"),
        "en": ("'{column}' is kept by the PM; a pack cannot change it", "Ask the PM"),
    },
    "merge.computed_column": {
        "zh": (
            "“{record}”的“{column}”是公式列，回传中被改成了固定值“{new}”，不会写入主工作簿",
            "公式列由工作簿自动计算，无需填写",
        ),
        "en": (
            "'{column}' of '{record}' is a formula; the pack replaced it with '{new}', "
            "which is not written to the master",
            "Formula columns compute themselves; leave them alone",
        ),
    },
    "merge.master_changed": {
        "zh": (
            "“{record}”在拆分后已在主工作簿中修改（主工作簿：{master}；回传：{new}）",
            "请与项目经理核对后在主工作簿中修改，或重新拆分后再填写",
        ),
        "en": (
            "'{record}' changed in the master since the split (master: {master}; pack: {new})",
            "Settle it with the PM in the master, or split again and re-enter",
        ),
    },
    "merge.master_deleted": {
        "zh": ("“{record}”已从主工作簿中删除，回传的修改无法应用", "请与项目经理核对"),
        "en": (
            "'{record}' was deleted from the master; the pack's change cannot apply",
            "Ask the PM",
        ),
    },
    "merge.deleted_in_pack": {
        "zh": (
            "回传中删除了“{record}”；删除不会自动应用",
            "如确需删除，请联系项目经理在主工作簿中删除",
        ),
        "en": (
            "The pack deleted '{record}'; deletions are never applied automatically",
            "If it must go, ask the PM to delete it in the master",
        ),
    },
    "merge.new_row_other": {
        "zh": ("新增的“{record}”不属于{department}（{owner}）", "只能新增本部门的行"),
        "en": ("The new '{record}' is not {department}'s ({owner})", "Add only your own rows"),
    },
    "merge.new_row_parent": {
        "zh": (
            "新增任务“{record}”的上级编码“{value}”不是{department}的任务",
            "新任务的WBS编码须挂在本部门任务之下，如 3.2.9",
        ),
        "en": (
            "The new task '{record}' has parent '{value}', which is not {department}'s",
            "New WBS codes go under your own tasks, e.g. 3.2.9",
        ),
    },
    "merge.new_row_key": {
        "zh": ("新增行缺少“{column}”", "请填写{column}"),
        "en": ("A new row lacks '{column}'", "Fill in {column}"),
    },
    "merge.new_row_exists": {
        "zh": ("新增的“{record}”在主工作簿中已存在且内容不同", "请改用新的编号，或修改已有的行"),
        "en": (
            "The new '{record}' already exists in the master with other values",
            "Use a new code, or change the existing row",
        ),
    },
    "merge.new_row_not_allowed": {
        "zh": ("“{sheet}”不能由部门新增行", "请联系项目经理"),
        "en": ("Departments cannot add rows to '{sheet}'", "Ask the PM"),
    },
    "merge.no_room": {
        "zh": ("“{sheet}”表格已无空行，新增行未写入", "请在主工作簿的表格末尾插入空行后重新合并"),
        "en": (
            "The '{sheet}' table has no empty rows left; the new row was not written",
            "Add empty rows at the table's end in the master and merge again",
        ),
    },
    "merge.other_project": {
        "zh": (
            "回传文件属于另一个项目（{value}），不能合并到“{expected}”",
            "请确认选择了正确的主工作簿",
        ),
        "en": (
            "The pack belongs to another project ({value}); it cannot merge into '{expected}'",
            "Check that you chose the right master workbook",
        ),
    },
    "merge.older_split": {
        "zh": (
            "这是较早的拆分（{value}）；{department}在 {expected} 拆分的回传已合并",
            "请使用最新拆分的部门文件",
        ),
        "en": (
            "This is an older split ({value}); {department}'s pack split at {expected} "
            "was merged already",
            "Use the department's newest pack",
        ),
    },
    "merge.not_a_pack": {
        "zh": ("{value} 不是部门回传文件（没有回传标识）", "请选择 xlcollab split 生成的部门文件"),
        "en": (
            "{value} is not a department pack (no pack identity)",
            "Choose a file made by xlcollab split",
        ),
    },
}

# Details of read.not_a_workbook: why the file could not be opened.
DETAILS: dict[str, dict[str, str]] = {
    "not_found": {"zh": "文件不存在", "en": "the file does not exist"},
    "is_directory": {"zh": "这是一个文件夹，不是文件", "en": "this is a folder, not a file"},
    "no_access": {"zh": "没有读取权限", "en": "permission denied"},
    "encrypted": {"zh": "文件已加密（设置了打开密码）", "en": "the file is password-protected"},
    "not_a_workbook": {
        "zh": "不是 Excel 工作簿，或文件已损坏",
        "en": "not an Excel workbook, or the file is damaged",
    },
    "bad_sheet": {
        "zh": "工作表“{sheet}”已损坏，无法读取",
        "en": "sheet '{sheet}' is damaged and cannot be read",
    },
    "empty": {"zh": "文件为空", "en": "the file is empty"},
    "legacy_format": {
        "zh": "不是 .xlsx/.xlsm 文件（可能是旧版 .xls）；请在 Excel 中另存为 .xlsx 后重试",
        "en": "not an .xlsx/.xlsm file (perhaps an old .xls); save it as .xlsx in Excel",
    },
    # refusals (xlcollab.io.bounds): the reason a file is not read
    "too_many_parts": {
        "zh": "压缩包内有 {count} 个部件，超过上限 {limit} 个",
        "en": "the package has {count} parts, more than the limit of {limit}",
    },
    "part_too_big": {
        "zh": "部件 {part} 解压后 {size}，超过单个部件上限 {limit}",
        "en": "part {part} unpacks to {size}, more than the limit of {limit} per part",
    },
    "too_big": {
        "zh": "解压后至少 {size}，超过上限 {limit}",
        "en": "it unpacks to at least {size}, more than the limit of {limit}",
    },
    "ratio": {
        "zh": "部件 {part} 的压缩比为 {ratio}:1，超过上限 {limit}:1（疑似压缩炸弹）",
        "en": "part {part} is compressed {ratio}:1, beyond the limit of {limit}:1 "
        "(likely a zip bomb)",
    },
    "depth": {
        "zh": "部件 {part} 的元素嵌套超过 {limit} 层",
        "en": "part {part} nests elements more than {limit} deep",
    },
    "strings": {
        "zh": "共享字符串表声明了 {count} 项，超过上限 {limit} 项",
        "en": "the shared string table declares {count} entries, more than the limit of {limit}",
    },
    "strings_absurd": {
        "zh": "共享字符串表声明了 {count} 项，与其大小（{size}）不符",
        "en": "the shared string table declares {count} entries, impossible in its {size}",
    },
    "dimension": {
        "zh": "工作表“{sheet}”声明的范围 {ref} 有 {cells} 个单元格，超过上限 {limit} 个",
        "en": "sheet '{sheet}' declares the range {ref} of {cells} cells, more than the "
        "limit of {limit}",
    },
    "rows": {
        "zh": "工作表“{sheet}”的数据到第 {rows} 行，超过上限 {limit} 行（参数表“单表行数上限”）",
        "en": "sheet '{sheet}' has data down to row {rows}, beyond the limit of {limit} rows "
        "(Settings: Rows per sheet at most)",
    },
    "used_area": {
        "zh": "工作表“{sheet}”的数据区域有 {rows} 行 × {cols} 列 = {cells} 个单元格，"
        "超过上限 {limit} 个",
        "en": "sheet '{sheet}' spans {rows} rows x {cols} columns = {cells} cells, more than "
        "the limit of {limit}",
    },
    "damaged": {
        "zh": "文件已损坏（部件 {part} 解压后与声明的大小或校验和不符）",
        "en": "the file is damaged (part {part} does not match its declared size or checksum)",
    },
    "memory": {
        "zh": "读取时内存不足",
        "en": "not enough memory to read it",
    },
}

# Labels of the console's and the documents' tables that are not the workbook's own headers
# (those come from the schema: ``TASKS.col("owner").header(lang)``) but read the same as one of
# its sheet names or headers in a language, so they are written here, not in the code.
LABELS: dict[str, dict[str, str]] = {
    "as_of_checked": {"zh": "检查日期", "en": "As of"},
    "as_of_status": {"zh": "状态日期", "en": "As of"},
    "department": {"zh": "部门", "en": "Department"},
    "findings": {"zh": "问题", "en": "Findings"},
    "finding_count": {"zh": "条数", "en": "Findings"},
    "problem": {"zh": "问题", "en": "Problem"},
    "what_to_do": {"zh": "处理建议", "en": "What to do"},
    "task_count": {"zh": "任务", "en": "Tasks"},
    "tasks_axis": {"zh": "任务数", "en": "Tasks"},
    "checklist_button": {"zh": "任务清单", "en": "Task checklist"},
    "budget": {"zh": "预算", "en": "Budget"},
    "spent": {"zh": "已支出", "en": "Spent"},
    "phase": {"zh": "当前阶段", "en": "Phase"},
    "planned": {"zh": "计划日期", "en": "Planned"},
    "actual": {"zh": "实际日期", "en": "Actual"},
    "state": {"zh": "状态", "en": "State"},
    "task": {"zh": "任务", "en": "Task"},
    "risk_level": {"zh": "等级", "en": "Level"},
    "escalation_level": {"zh": "层级", "en": "Level"},
    "contingency": {"zh": "应急预案", "en": "Contingency"},
    "source": {"zh": "来源", "en": "Source"},
    "accepted": {"zh": "已验收", "en": "Accepted"},
    "quality_title": {"zh": "质量评估意见", "en": "Quality assessment opinion"},
    # the merge preview (xlcollab merge) and the tracker import (xlcollab import)
    "merge_result": {"zh": "结果", "en": "Result"},
    "merge_sheet": {"zh": "工作表", "en": "Sheet"},
    "merge_cell": {"zh": "单元格", "en": "Cell"},
    "merge_record": {"zh": "记录", "en": "Record"},
    "merge_field": {"zh": "字段", "en": "Field"},
    "merge_old": {"zh": "原值", "en": "Old"},
    "merge_new": {"zh": "新值", "en": "New"},
    "merge_master": {"zh": "主工作簿现值", "en": "Master now"},
    "merge_note": {"zh": "说明", "en": "Note"},
    "import_row": {"zh": "行", "en": "Row"},
    "import_column": {"zh": "列", "en": "Column"},
    "import_value": {"zh": "值", "en": "Value"},
    "import_reason": {"zh": "原因", "en": "Reason"},
    "overdue": {"zh": "逾期", "en": "Overdue"},
    "due_soon": {"zh": "即将到期", "en": "Due soon"},
    "milestones": {"zh": "里程碑", "en": "Milestones"},
    "gantt": {"zh": "甘特图", "en": "Gantt chart"},
}


def label(key: str, lang: str = "zh") -> str:
    """A label of :data:`LABELS` in ``lang`` (Chinese for a language it does not have)."""
    entry = LABELS[key]
    return entry.get(lang) or entry["zh"]


# How a list of names is joined inside one message's quotes: “A”、“B”.
LIST_JOIN = {"zh": "”、“", "en": "', '"}


def detail(key: str, lang: str = "zh", **values) -> str:
    """The text of a detail in ``lang``, filled with values."""
    entry = DETAILS[key]
    text = entry.get(lang) or entry["zh"]
    return text.format_map(_Keep({k: ("" if v is None else v) for k, v in values.items()}))


def render(rule_id: str, lang: str = "zh", **values) -> tuple[str, str]:
    """The message and hint of ``rule_id`` in ``lang``, filled with values."""
    entry = MESSAGES[rule_id]
    text, hint = entry.get(lang) or entry["zh"]
    values = {k: ("" if v is None else v) for k, v in values.items()}
    return text.format_map(_Keep(values)), hint.format_map(_Keep(values))


def render_many(
    rule_id: str,
    lang: str,
    n: int,
    columns: Mapping[str, Sequence[object]] | None = None,
    **same,
) -> tuple[list[str], list[str]]:
    """:func:`render` for ``n`` findings of one rule: ``columns`` gives each
    finding's own values (key -> one value per finding), ``same`` the values
    they share. The templates are read once, not once per finding."""
    entry = MESSAGES[rule_id]
    text, hint = entry.get(lang) or entry["zh"]
    shared = {k: ("" if v is None else v) for k, v in same.items()}
    own = {k: ["" if v is None else v for v in col] for k, col in (columns or {}).items()}
    return _fill_many(text, shared, own, n), _fill_many(hint, shared, own, n)


def _fill_many(template: str, shared: dict, own: dict[str, list], n: int) -> list[str]:
    """``template.format_map`` of ``shared`` updated with each row of ``own``
    (a field nobody filled stays visible), for ``n`` rows."""
    if "{" not in template and "}" not in template:
        return [template] * n
    positional = _positional(template)
    if positional is None:  # fields with attributes or indexes: row by row
        rows = zip(*own.values(), strict=True) if own else repeat((), n)
        out = []
        for vals in rows:
            values = _Keep(shared)
            values.update(zip(own, vals, strict=True))
            out.append(template.format_map(values))
        return out
    fmt, fields = positional
    fixed = [shared[f] if f in shared else "{" + f + "}" for f in fields]
    if not any(f in own for f in fields):
        return [fmt.format(*fixed)] * n
    args = [own[f] if f in own else repeat(v, n) for f, v in zip(fields, fixed, strict=True)]
    return [fmt.format(*vals) for vals in zip(*args, strict=True)]


def _positional(template: str) -> tuple[str, list[str]] | None:
    """``template`` with its named fields numbered (``{value:>3}`` ->
    ``{0:>3}``) and the names in order; None when a field is more than a
    plain name."""
    parts: list[str] = []
    fields: list[str] = []
    for literal, name, spec, conversion in Formatter().parse(template):
        parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        if not name.isidentifier() or "{" in (spec or ""):
            return None
        conv = f"!{conversion}" if conversion else ""
        parts.append("{" + str(len(fields)) + conv + (f":{spec}" if spec else "") + "}")
        fields.append(name)
    return "".join(parts), fields


class _Keep(dict):
    def __missing__(self, key):  # a template field nobody filled stays visible
        return "{" + key + "}"
