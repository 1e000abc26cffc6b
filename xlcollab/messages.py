"""Message templates, in Chinese and English, keyed by rule id.

Each entry is ``(message, hint)`` per language; ``{column}``, ``{value}`` and
other fields are filled in by :func:`render`.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    # --- reading ---------------------------------------------------------
    "read.not_a_workbook": {
        "zh": ("无法打开工作簿：{detail}", "请确认文件是 .xlsx/.xlsm 格式且未损坏"),
        "en": ("Cannot open the workbook: {detail}", "Check that the file is an intact .xlsx/.xlsm"),
    },
    "read.missing_sheet": {
        "zh": ("缺少工作表“{expected}”", "请用 xlcollab init 生成的模板，或恢复该工作表"),
        "en": ("Sheet '{expected}' is missing", "Use the template from xlcollab init, or restore the sheet"),
    },
    "read.missing_column": {
        "zh": ("缺少必填列“{expected}”", "请在表头行添加该列（列的位置不限）"),
        "en": ("Required column '{expected}' is missing", "Add the column to the header row (any position)"),
    },
    "read.duplicate_column": {
        "zh": ("列“{expected}”出现了不止一次，只读取第一列", "请删除或改名重复的列"),
        "en": ("Column '{expected}' appears more than once; only the first is read", "Remove or rename the duplicate"),
    },
    "read.unknown_column": {
        "zh": ("无法识别的列“{value}”，已忽略", "如是自定义列可保留；否则请检查列名拼写"),
        "en": ("Unknown column '{value}' is ignored", "Keep it if it is your own column; otherwise check the spelling"),
    },
    "read.bad_date": {
        "zh": ("“{column}”不是有效日期：“{value}”", "请填写日期，如 2026-03-05、2026/3/5 或 2026年3月5日"),
        "en": ("'{column}' is not a valid date: '{value}'", "Enter a date such as 2026-03-05 or 2026/3/5"),
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
        "zh": ("“{column}”不是有效的百分比：“{value}”", "请填写 0–100% 之间的值，如 50%、0.5 或 50"),
        "en": ("'{column}' is not a valid percentage: '{value}'", "Enter 0-100%, e.g. 50%, 0.5 or 50"),
    },
    "read.bad_money": {
        "zh": ("“{column}”不是有效金额：“{value}”", "请填写金额数字，如 12500 或 ¥12,500.00"),
        "en": ("'{column}' is not a valid amount: '{value}'", "Enter an amount such as 12500 or ¥12,500.00"),
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
        "en": ("Required field '{expected}' is missing", "Add it in column A with its value in column B (any row)"),
    },
    "read.duplicate_sheet": {
        "zh": ("工作表“{value}”与“{expected}”重复，已忽略", "请删除或改名多余的工作表"),
        "en": ("Sheet '{value}' duplicates '{expected}' and is ignored", "Remove or rename the extra sheet"),
    },
}

# Details of read.not_a_workbook: why the file could not be opened.
DETAILS: dict[str, dict[str, str]] = {
    "not_found": {"zh": "文件不存在", "en": "the file does not exist"},
    "is_directory": {"zh": "这是一个文件夹，不是文件", "en": "this is a folder, not a file"},
    "no_access": {"zh": "没有读取权限", "en": "permission denied"},
    "encrypted": {"zh": "文件已加密（设置了打开密码）", "en": "the file is password-protected"},
    "not_a_workbook": {"zh": "不是 Excel 工作簿，或文件已损坏",
                       "en": "not an Excel workbook, or the file is damaged"},
    "bad_sheet": {"zh": "工作表“{sheet}”已损坏，无法读取",
                  "en": "sheet '{sheet}' is damaged and cannot be read"},
    "empty": {"zh": "文件为空", "en": "the file is empty"},
}

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


class _Keep(dict):
    def __missing__(self, key):  # a template field nobody filled stays visible
        return "{" + key + "}"
