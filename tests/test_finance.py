"""Finance figures: the demo project's months against independent pandas
sums, exact money over random ledgers, the month's anomalies, and the edge
cases (an empty month, a department without budget, a renamed category)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlcollab.core.calendar import WorkCalendar
from xlcollab.finance import month_period, monthly_summary, to_fen, yuan
from xlcollab.finance.anomalies import MISSING_APPROVER, expense_findings, month_anomalies
from xlcollab.finance.pipeline import finance_filename, monthly_finance
from xlcollab.finance.trend import spending_trend
from xlcollab.model.frames import frame
from xlcollab.workbook.demo import (
    DEMO_DUPLICATE_INVOICE,
    DEMO_UNBUDGETED_INVOICE,
    STATUS_DATE,
    demo_project,
)


@pytest.fixture(scope="module")
def demo():
    return demo_project()


@pytest.fixture(scope="module")
def cal(demo):
    return WorkCalendar.from_holidays(demo.tables["holidays"])


def _expected(budget: pd.DataFrame, expenses: pd.DataFrame, month: str, by: list[str]):
    """The figures computed the plain pandas way, independently of the
    library: float sums rounded to the fen at the end."""
    p = pd.Period(month, "M")
    ex = expenses.assign(
        amt=expenses["amount"].astype(float), per=pd.to_datetime(expenses["date"]).dt.to_period("M")
    )
    to_date = ex[ex["per"] <= p].groupby(by)["amt"].sum()
    in_month = ex[ex["per"] == p].groupby(by)["amt"].sum()
    bud = budget.assign(amt=budget["amount"].astype(float)).groupby(by)["amt"].sum()
    out = pd.DataFrame({"budget": bud, "month": in_month, "to_date": to_date}).fillna(0.0)
    out["remaining"] = out["budget"] - out["to_date"]
    return out.round(2)


@pytest.mark.parametrize("month", ["2026-03", "2026-04"])
@pytest.mark.parametrize("by", [["department"], ["category"], ["department", "category"]])
def test_demo_summary_matches_pandas(demo, month, by):
    budget, expenses = demo.tables["budget"], demo.tables["expenses"]
    sm = monthly_summary(budget, expenses, month)
    got = {"department": sm.by_department, "category": sm.by_category}.get(
        by[0] if len(by) == 1 else "", sm.lines
    ).set_index(by)
    want = _expected(budget, expenses, month, by)
    assert sorted(got.index) == sorted(want.index)
    for key in ("budget", "month", "to_date", "remaining"):
        for idx in want.index:
            assert got.at[idx, key] == Decimal(f"{want.at[idx, key]:.2f}"), (idx, key)
            assert isinstance(got.at[idx, key], Decimal)
    # totals
    all_ = _expected(budget.assign(x=1), expenses.assign(x=1), month, ["x"]).iloc[0]
    for key in ("budget", "month", "to_date", "remaining"):
        assert sm.total[key] == Decimal(f"{all_[key]:.2f}")
    assert sm.used_pct == pytest.approx(float(all_["to_date"] / all_["budget"]))


def test_demo_figures_by_hand(demo):
    """The demo's figures, so a change to the demo or the sums is seen."""
    mar = monthly_summary(demo.tables["budget"], demo.tables["expenses"], "2026-03")
    apr = monthly_summary(demo.tables["budget"], demo.tables["expenses"], "2026-04")
    assert mar.budget == apr.budget == Decimal("1663000.00")
    assert (mar.spent_month, mar.spent_to_date) == (Decimal("618903.20"), Decimal("651703.20"))
    assert (apr.spent_month, apr.spent_to_date) == (Decimal("42531.15"), Decimal("694234.35"))
    assert (mar.n_month, apr.n_month) == (31, 3)
    assert apr.over_budget_lines == [("信息技术部", "外包服务")]
    assert apr.unbudgeted_lines == [("销售部", "差旅")]
    assert apr.unbudgeted_departments == []  # 销售部 has other budget lines


def test_month_forms():
    assert month_period("2026-3") == month_period(dt.date(2026, 3, 31)) == pd.Period("2026-03", "M")
    assert month_period(pd.Period("2026-03-05", "D")) == pd.Period("2026-03", "M")
    for bad in ("2026-13", "March", "2026/03", "", "26-03"):
        with pytest.raises(ValueError):
            month_period(bad)


def test_money_helpers():
    assert to_fen(Decimal("1.005")) == 101  # half up
    assert to_fen(0.1 + 0.2) == 30
    assert to_fen("1,234.5") == 123450
    assert to_fen(None) is None and to_fen(float("nan")) is None and to_fen(True) is None
    assert yuan(-5) == Decimal("-0.05")


# ----------------------------------------------------------- exact money ---
_DEPTS = ["项目管理部", "财务部", "信息技术部", "市场部"]
_CATS = ["人工", "差旅", "设备", "软件"]
_amounts = st.decimals(
    min_value=Decimal("-5000"),
    max_value=Decimal("999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
_lines = st.lists(
    st.tuples(
        st.dates(dt.date(2025, 11, 1), dt.date(2026, 6, 30)),
        st.sampled_from(_DEPTS + ["销售部", None]),
        st.sampled_from(_CATS + ["外包", None]),
        _amounts | st.none(),
    ),
    max_size=60,
)
_budget = st.lists(
    st.tuples(
        st.sampled_from(_DEPTS),
        st.sampled_from(_CATS),
        st.decimals(
            min_value=0,
            max_value=Decimal("9999999.99"),
            places=2,
            allow_nan=False,
            allow_infinity=False,
        ),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=_lines,
    budget=_budget,
    month=st.sampled_from(["2025-10", "2026-01", "2026-03", "2026-06"]),
)
def test_totals_equal_detail_to_the_fen(lines, budget, month):
    ex = frame(
        "expenses",
        [{"date": d, "department": dp, "category": c, "amount": a} for d, dp, c, a in lines],
    )
    bu = frame("budget", [{"department": d, "category": c, "amount": a} for d, c, a in budget])
    sm = monthly_summary(bu, ex, month)
    p = pd.Period(month, "M")
    dated = [(pd.Period(d, "M"), a) for d, _, _, a in lines if a is not None]
    exact_month = sum((a for per, a in dated if per == p), Decimal("0.00"))
    exact_to_date = sum((a for per, a in dated if per <= p), Decimal("0.00"))
    exact_budget = sum((a for _, _, a in budget), Decimal("0.00"))
    assert sm.spent_month == exact_month
    assert sm.spent_to_date == exact_to_date
    assert sm.budget == exact_budget
    assert sm.remaining == exact_budget - exact_to_date
    for df in (sm.lines, sm.by_department, sm.by_category):
        for key in ("budget", "month", "to_date", "remaining"):
            assert sum(df[key], Decimal("0.00")) == sm.total[key]
            assert all(isinstance(v, Decimal) and v == v.quantize(Decimal("0.01")) for v in df[key])
    tr = spending_trend(ex, month)
    assert tr.cumulative["total"].iloc[-1] == exact_to_date
    assert sum(tr.monthly["total"], Decimal("0.00")) == exact_to_date


# -------------------------------------------------------------- anomalies ---
def test_demo_anomalies(demo, cal):
    findings = expense_findings(demo, STATUS_DATE, cal)
    rows = {inv: r for r, inv in demo.tables["expenses"]["invoice_no"].items()}
    dup_rows = [
        r
        for r, inv in demo.tables["expenses"]["invoice_no"].items()
        if inv == DEMO_DUPLICATE_INVOICE
    ]
    feb = month_anomalies(demo, "2026-02", findings)
    assert list(feb["rule_id"]) == ["finance.outside_period"] * 2
    mar = month_anomalies(demo, "2026-03", findings)
    assert set(zip(mar["rule_id"], mar["source_row"], strict=False)) == {
        ("finance.unbudgeted", rows[DEMO_UNBUDGETED_INVOICE]),
        ("finance.duplicate_invoice", max(dup_rows)),
    }
    assert mar.loc[mar["rule_id"] == "finance.unbudgeted", "department"].item() == "销售部"
    assert month_anomalies(demo, "2026-04", findings).empty
    # the same findings `check` reports on the expense sheet
    from xlcollab.check import check

    sheet = demo.sheet_name("expenses")
    checked = {(f.rule_id, f.row) for f in check(demo, STATUS_DATE).findings if f.sheet == sheet}
    assert {(f.rule_id, f.row) for f in findings} == checked


def test_expense_findings_equal_the_checks_on_every_kind_of_entry(cal):
    """Only the rules that can name an expense cell run, and they find what
    the whole check finds there: persons, departments, task references,
    amounts, invoices, dates; the 参数 sheet's switches still apply."""
    from xlcollab.check import check
    from xlcollab.finance.anomalies import expense_rules

    data = demo_project()
    ex = data.tables["expenses"]
    rows = list(ex.index[ex["date"].dt.month == 3])
    ex.at[rows[0], "approver"] = "无此人"
    ex.at[rows[1], "department"] = "无此部门"
    ex.at[rows[2], "task"] = "9.9.9"
    ex.at[rows[3], "amount"] = Decimal("0.00")
    ex.at[rows[4], "invoice_no"] = ex.at[rows[5], "invoice_no"]
    ex.at[rows[6], "date"] = pd.Timestamp("2027-03-01")
    sheet = data.sheet_name("expenses")

    def on_expenses(findings):
        return sorted(
            (f.rule_id, f.row, f.cell, f.severity, f.message)
            for f in findings
            if f.sheet == sheet and f.rule_id != MISSING_APPROVER
        )

    found = on_expenses(expense_findings(data, STATUS_DATE, cal))
    assert found == on_expenses(check(data, STATUS_DATE).findings)
    ids = {f[0] for f in found}
    assert {
        "people.unknown_person",
        "people.unknown_department",
        "refs.unknown_task",
        "finance.amount_not_positive",
        "finance.duplicate_invoice",
    } <= ids
    assert "tasks.not_approved" not in expense_rules()
    data.settings["rules_off"] = "refs.unknown_task"
    data.settings["rules_severity"] = "people.unknown_person=提示"
    again = expense_findings(data, STATUS_DATE, cal)
    assert "refs.unknown_task" not in {f.rule_id for f in again}
    assert {f.severity for f in again if f.rule_id == "people.unknown_person"} == {"info"}


def test_missing_approver_and_non_positive(demo, cal):
    data = demo_project()
    ex = data.tables["expenses"]
    row = ex.index[5]
    ex.at[row, "approver"] = None
    ex.at[ex.index[6], "amount"] = Decimal("-10.00")
    findings = expense_findings(data, STATUS_DATE, cal)
    an = month_anomalies(data, "2026-03", findings)
    rules = set(zip(an["rule_id"], an["source_row"], strict=False))
    assert (MISSING_APPROVER, row) in rules
    assert ("finance.amount_not_positive", ex.index[6]) in rules
    msg = an.loc[an["rule_id"] == MISSING_APPROVER, "message"].item()
    assert "审批人" in msg
    en = month_anomalies(data, "2026-03", expense_findings(data, STATUS_DATE, cal, "en"))
    assert "Approver" in en.loc[en["rule_id"] == MISSING_APPROVER, "message"].item()


# ------------------------------------------------------------- edge cases ---
def test_month_without_expenses(demo, cal):
    mf = monthly_finance(demo, "2026-06", STATUS_DATE, cal)
    sm = mf.summary
    assert sm.n_month == 0 and sm.spent_month == Decimal("0.00")
    assert sm.spent_to_date == Decimal("694234.35")  # everything so far
    assert mf.lines.empty and mf.anomalies.empty
    assert mf.trend.months == ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    before = monthly_finance(demo, "2025-12", STATUS_DATE, cal)
    assert before.summary.spent_to_date == 0 and before.trend.months == ["2025-12"]
    assert before.summary.used_pct == 0.0


def test_empty_ledger_and_empty_budget():
    sm = monthly_summary(frame("budget", []), frame("expenses", []), "2026-03")
    assert sm.total["budget"] == sm.total["to_date"] == Decimal("0.00")
    assert sm.used_pct is None and sm.lines.empty and sm.by_department.empty
    tr = spending_trend(frame("expenses", []), "2026-03")
    assert tr.months == ["2026-03"] and tr.departments == []


def test_department_without_budget():
    bu = frame("budget", [{"department": "财务部", "category": "人工", "amount": "1000"}])
    ex = frame(
        "expenses",
        [
            {"date": "2026-03-03", "department": "财务部", "category": "人工", "amount": "1200"},
            {"date": "2026-03-04", "department": "法务部", "category": "人工", "amount": "300.5"},
        ],
    )
    sm = monthly_summary(bu, ex, "2026-03")
    d = sm.by_department.set_index("department")
    assert d.at["法务部", "budget"] == Decimal("0.00")
    assert d.at["法务部", "to_date"] == Decimal("300.50")
    assert not d.at["法务部", "budgeted"] and d.at["法务部", "used_pct"] is None
    assert d.at["财务部", "over"] and d.at["财务部", "used_pct"] == pytest.approx(1.2)
    assert sm.unbudgeted_departments == ["法务部"]
    assert sm.total["to_date"] == Decimal("1500.50")


def test_category_renamed_mid_project():
    """差旅 was renamed 差旅交通 in April: the new name is its own line,
    flagged, and nothing is lost from the totals."""
    bu = frame("budget", [{"department": "市场部", "category": "差旅", "amount": "5000"}])
    ex = frame(
        "expenses",
        [
            {"date": "2026-03-10", "department": "市场部", "category": "差旅", "amount": "800"},
            {
                "date": "2026-04-10",
                "department": "市场部",
                "category": "差旅交通",
                "amount": "650.25",
            },
            {"date": "2026-04-11", "department": " 市场部 ", "category": "差旅", "amount": "1"},
        ],
    )
    sm = monthly_summary(bu, ex, "2026-04")
    c = sm.by_category.set_index("category")
    assert list(c.index) == ["差旅", "差旅交通"]
    assert c.at["差旅交通", "budget"] == 0 and not c.at["差旅交通", "budgeted"]
    assert c.at["差旅", "to_date"] == Decimal("801.00") and c.at["差旅", "month"] == 1
    assert sm.unbudgeted_categories == ["差旅交通"]
    assert sm.unbudgeted_lines == [("市场部", "差旅交通")]
    assert sm.spent_to_date == Decimal("1451.25")
    # the March report does not know the April name yet
    assert "差旅交通" not in monthly_summary(bu, ex, "2026-03").by_category["category"].tolist()


def test_blank_department_and_category_are_shown():
    ex = frame("expenses", [{"date": "2026-03-10", "amount": "12.34"}])
    sm = monthly_summary(frame("budget", []), ex, "2026-03", lang="en")
    assert sm.by_department["department"].tolist() == ["(blank)"]
    assert sm.spent_month == Decimal("12.34")


def test_filename_is_safe():
    assert (
        finance_filename("客户服务平台", "2026-03") == "项目资金使用报告_客户服务平台_2026-03.xlsx"
    )
    assert finance_filename("A/B: C?", "2026-03", "en") == "fund-usage-report_AB C_2026-03.xlsx"
    assert finance_filename("", "2026-03", ext="docx") == "项目资金使用报告_2026-03.docx"
