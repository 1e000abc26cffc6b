"""The XC_* worksheet functions, called the way Excel calls them.

Excel hands dates over as datetimes (date-formatted cells) or serial numbers
(floats), empty cells as None and ranges as lists or lists of lists; the
functions return a value or an ``#XC!`` message, never raise.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pandas as pd
import pytest

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.excel import udfs, xlwings_shim
from xlcollab.excel.udfs import (
    XC_BUDGET_USED,
    XC_DAYS_LATE,
    XC_ESCALATION,
    XC_NETWORKDAYS,
    XC_RISK_LEVEL,
    XC_VALIDATE_ROW,
    XC_WORKDAY,
)


def serial(d: dt.date) -> float:
    """Excel's 1900-system serial number of a date."""
    return float((d - dt.date(1899, 12, 30)).days)


def xdt(y, m, d) -> dt.datetime:
    return dt.datetime(y, m, d)


HEADERS = [
    "WBS编码",
    "任务名称",
    "阶段",
    "负责部门",
    "责任人",
    "计划开始",
    "计划完成",
    "实际开始",
    "实际完成",
    "完成比例",
    "状态",
    "阻塞原因",
]


def test_module_imports_without_excel_and_functions_are_plain():
    assert xlwings_shim.AVAILABLE  # xlwings itself imports on Linux
    for name in udfs.UDF_NAMES:
        fn = getattr(udfs, name)
        assert callable(fn) and fn.__name__ == name
        # xlwings reads the signature through functools.wraps
        assert "holidays" in inspect.signature(fn).parameters or name in (
            "XC_RISK_LEVEL",
            "XC_BUDGET_USED",
            "XC_VALIDATE_ROW",
        )
        doc = fn.__doc__ or ""
        assert "Excel: ``=" + name + "(" in doc and "Example" in doc


def test_serial_and_datetime_are_the_same_date():
    assert serial(dt.date(2025, 9, 30)) == 45930.0
    assert XC_WORKDAY(45930.0, 1) == XC_WORKDAY(xdt(2025, 9, 30), 1.0) == xdt(2025, 10, 9)


def test_workday_national_day_and_makeup_saturday():
    # 1-8 Oct 2025 off; Saturday 11 Oct is a make-up workday
    assert XC_WORKDAY(xdt(2025, 10, 10), 1) == xdt(2025, 10, 11)
    assert XC_WORKDAY(xdt(2025, 10, 9), -1) == xdt(2025, 9, 30)
    assert XC_WORKDAY(xdt(2025, 10, 4), 0) == xdt(2025, 10, 4)
    assert XC_WORKDAY("2025/9/30", 3) == xdt(2025, 10, 11)


def test_workday_with_holiday_overrides_from_the_sheet():
    shutdown = [[xdt(2025, 10, 9), "放假"], [None, None]]
    assert XC_WORKDAY(xdt(2025, 9, 30), 1, shutdown) == xdt(2025, 10, 10)
    # one column of dates means days off
    assert XC_WORKDAY(xdt(2025, 9, 30), 1, [serial(dt.date(2025, 10, 9))]) == xdt(2025, 10, 10)
    assert XC_WORKDAY(xdt(2025, 9, 30), 1, [[xdt(2025, 10, 9), "午休"]]).startswith("#XC! ")


def test_networkdays_is_inclusive_like_excel():
    assert XC_NETWORKDAYS(xdt(2025, 9, 29), xdt(2025, 10, 12)) == 5
    assert XC_NETWORKDAYS(xdt(2025, 10, 12), xdt(2025, 9, 29)) == -5
    assert XC_NETWORKDAYS(xdt(2026, 3, 2), xdt(2026, 3, 2)) == 1  # a Monday
    assert XC_NETWORKDAYS(xdt(2026, 3, 7), xdt(2026, 3, 7)) == 0  # a Saturday
    assert XC_NETWORKDAYS(serial(dt.date(2026, 3, 2)), serial(dt.date(2026, 3, 6))) == 5
    # the flags' exclusive count is XC_NETWORKDAYS(a+1, b)
    cal = WorkCalendar()
    a, b = dt.date(2025, 9, 26), dt.date(2025, 10, 15)
    assert cal.workdays_between(a, b) == XC_NETWORKDAYS(a + dt.timedelta(days=1), b)


@pytest.mark.parametrize("bad", ["abc", "2026-13-01", True, -5.0])
def test_bad_dates_give_a_message(bad):
    out = XC_NETWORKDAYS(bad, xdt(2026, 3, 2))
    assert isinstance(out, str) and out.startswith("#XC! 日期无效")
    assert XC_WORKDAY(None, 1).startswith("#XC! 缺少日期")
    assert XC_WORKDAY(xdt(2026, 3, 2), "x").startswith("#XC! 应为整数")
    assert XC_WORKDAY(xdt(2026, 3, 2), 1.5).startswith("#XC! 应为整数")


def test_days_late():
    assert XC_DAYS_LATE(xdt(2026, 3, 6), "进行中", None, xdt(2026, 3, 10)) == 2
    assert (
        XC_DAYS_LATE(serial(dt.date(2026, 3, 6)), "In progress", None, serial(dt.date(2026, 3, 10)))
        == 2
    )
    assert XC_DAYS_LATE(xdt(2026, 3, 6), "已完成", xdt(2026, 3, 9), xdt(2026, 3, 20)) == 1
    assert XC_DAYS_LATE(xdt(2026, 3, 6), "done", None, xdt(2026, 3, 20)) == 0
    assert XC_DAYS_LATE(xdt(2026, 3, 16), "未开始", None, xdt(2026, 3, 10)) == 0
    assert XC_DAYS_LATE(None, "进行中", None, xdt(2026, 3, 10)) == ""
    assert XC_DAYS_LATE(xdt(2026, 3, 6), None, None, xdt(2026, 3, 10)) == ""
    assert XC_DAYS_LATE(xdt(2026, 3, 6), "完成了").startswith("#XC! 状态无效")


def test_days_late_agrees_with_the_check_on_the_demo():
    from xlcollab.workbook.demo import demo_project

    data = demo_project()
    tasks = data.tables["tasks"]
    as_of = dt.date(2026, 4, 1)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    expected = flags.task_flags(tasks, as_of, cal, 3)["days_late"]
    hol = [
        [d.to_pydatetime(), t]
        for d, t in zip(
            data.tables["holidays"]["date"], data.tables["holidays"]["type"], strict=False
        )
    ]
    for i in tasks.index:
        r = tasks.loc[i]
        got = XC_DAYS_LATE(
            None if pd.isna(r["planned_finish"]) else r["planned_finish"].to_pydatetime(),
            r["status"],
            None if pd.isna(r["actual_finish"]) else serial(r["actual_finish"].date()),
            xdt(2026, 4, 1),
            hol,
        )
        want = "" if pd.isna(expected[i]) else int(expected[i])
        assert got == want, (i, r["wbs"])


def test_escalation_levels_and_thresholds():
    asof = xdt(2026, 3, 6)  # a Friday
    assert XC_ESCALATION("阻塞", xdt(2026, 3, 4), asof) == "部门内解决"  # 2 days
    assert XC_ESCALATION("阻塞", xdt(2026, 3, 2), asof) == "项目经理协调"  # 4 days
    assert XC_ESCALATION("阻塞", xdt(2026, 2, 20), asof) == "总负责人决策"
    assert (
        XC_ESCALATION("blocked", serial(dt.date(2026, 3, 2)), asof, 1, 3, "en")
        == "Project lead decides"
    )
    assert XC_ESCALATION("阻塞", None, asof) == "部门内解决"  # blocked from today
    assert XC_ESCALATION("进行中", xdt(2026, 3, 2), asof) == ""
    assert XC_ESCALATION("阻塞", xdt(2026, 3, 2), asof, None, None, "fr").startswith("#XC! ")


def test_risk_level():
    assert XC_RISK_LEVEL(4, 4) == "高"
    assert XC_RISK_LEVEL(2.0, 4.0) == "中"
    assert XC_RISK_LEVEL(1, 2) == "低"
    assert XC_RISK_LEVEL(3, 3, 10, 20, "en") == "Low"
    assert XC_RISK_LEVEL(None, 3) == ""
    assert XC_RISK_LEVEL(6, 1).startswith("#XC! probability")
    assert XC_RISK_LEVEL("高", 1).startswith("#XC! 应为整数")


def test_budget_used_with_range_shapes():
    depts = [["信息技术部"], ["信息技术部"], ["财务部"], [None]]
    cats = [["软件"], ["软件"], ["软件"], ["软件"]]
    amounts = [[1000.5], [200], ["n/a"], [5.0]]
    assert XC_BUDGET_USED("信息技术部", "软件", depts, cats, amounts) == 1200.5
    assert XC_BUDGET_USED("信息技术部", "软件", ["信息技术部"], ["软件"], [10.0]) == 10.0
    assert XC_BUDGET_USED("信息技术部", "软件", "信息技术部", "软件", 10.0) == 10.0
    assert XC_BUDGET_USED("信息技术部", None, depts, cats, amounts) == 0.0
    assert XC_BUDGET_USED(None, "软件", depts, cats, amounts) == ""
    assert XC_BUDGET_USED("x", "y", ["a", "b"], ["c"], [1.0]).startswith("#XC! ")


def test_budget_used_agrees_with_the_check_on_the_demo():
    from xlcollab.workbook.demo import demo_project

    data = demo_project()
    budget, ex = data.tables["budget"], data.tables["expenses"]
    expected = flags.budget_used(budget, ex)["used"]
    amounts = [None if v is None else float(v) for v in ex["amount"]]
    for i in budget.index:
        got = XC_BUDGET_USED(
            budget.at[i, "department"],
            budget.at[i, "category"],
            list(ex["department"]),
            list(ex["category"]),
            amounts,
        )
        assert got == pytest.approx(float(expected[i]))


def test_validate_row_finds_the_rows_problems():
    asof = xdt(2026, 3, 10)
    row = [
        "1.1",
        "需求调研",
        "执行",
        "信息技术部",
        "张三",
        xdt(2026, 3, 9),
        xdt(2026, 2, 27),
        None,
        None,
        0.5,
        "阻塞",
        None,
    ]
    text = XC_VALIDATE_ROW(HEADERS, row, asof)
    assert "错误：计划完成（2026-02-27）早于计划开始（2026-03-09）" in text
    assert "阻塞原因" in text and "；" in text
    # a 1-row range arrives as a list of one list
    assert XC_VALIDATE_ROW([HEADERS], [row], asof) == text


def test_validate_row_bad_values_required_and_english():
    asof = xdt(2026, 3, 10)
    row = [
        "1..1",
        "x",
        "执行",
        "信息技术部",
        None,
        "abc",
        serial(dt.date(2026, 3, 5)),
        None,
        None,
        0.2,
        "完成了",
        None,
    ]
    text = XC_VALIDATE_ROW(HEADERS, row, asof)
    assert "“计划开始”不是有效日期：“abc”" in text
    assert "“计划开始”为必填项" not in text  # a bad entry is not also "missing"
    assert "“责任人”为必填项" in text
    assert "完成了" in text and "1..1" in text
    en = XC_VALIDATE_ROW(HEADERS, row, asof, "en")
    assert en.startswith("Error: ") and "; " in en


def test_validate_row_clean_and_empty_rows():
    asof = xdt(2026, 3, 10)
    ok = [
        "1.1",
        "x",
        "执行",
        "信息技术部",
        "张三",
        xdt(2026, 3, 2),
        xdt(2026, 3, 6),
        xdt(2026, 3, 2),
        None,
        0.5,
        "进行中",
        None,
    ]
    assert XC_VALIDATE_ROW(HEADERS, ok, asof) == ""
    assert XC_VALIDATE_ROW(HEADERS, [None] * len(HEADERS), asof) == ""
    # fewer values than headers: the rest are empty cells
    assert "“计划开始”为必填项" in XC_VALIDATE_ROW(HEADERS, ["1.1", "x"], asof)
    # English headers work too
    en_headers = [
        "WBS code",
        "Task",
        "Phase",
        "Department",
        "Owner",
        "Planned start",
        "Planned finish",
        "Actual start",
        "Actual finish",
        "% complete",
        "Status",
        "Blocked reason",
    ]
    assert XC_VALIDATE_ROW(en_headers, ok, asof) == ""


def test_nothing_raises_on_strange_input():
    for fn in (XC_WORKDAY, XC_NETWORKDAYS, XC_DAYS_LATE, XC_ESCALATION, XC_RISK_LEVEL):
        out = fn(object(), object())
        assert isinstance(out, str) and out.startswith("#XC! ")
    out = XC_VALIDATE_ROW(["计划开始"], [object()], xdt(2026, 3, 10))
    assert isinstance(out, str)
