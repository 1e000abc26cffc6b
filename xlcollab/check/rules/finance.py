"""Finance: each expense's department and category has a budget line;
amounts are positive; invoice numbers are entered once; expenses fall inside
the project period; spending stays within each budget line
(:func:`xlcollab.core.flags.budget_used`, as the workbook's 已使用 formula) and
within each department's total budget; a department and category is
budgeted on one line only."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from xlcollab.check.rules.base import (
    SHORT_COLUMN,
    RuleContext,
    codes_of,
    fmt_money,
    per_unique,
    rows_where,
    rule,
    text,
)
from xlcollab.model.dates import iso_date, to_dates


def _key(ctx: RuleContext, sheet: str, key: str) -> pd.Series:
    """Text compared as SUMIFS does: case-insensitively, space stripped."""
    return ctx.cached(("key", sheet, key), lambda: per_unique(ctx.text(sheet, key), str.casefold))


def _pair(ctx: RuleContext, sheet: str) -> pd.Series:
    """Department key, \x1f, category key: each distinct pair joined once."""

    def make():
        dept, cat = _key(ctx, sheet, "department"), _key(ctx, sheet, "category")
        if len(dept) <= SHORT_COLUMN:  # a few lines: joined one by one
            joined = [d + "\x1f" + c for d, c in zip(dept.tolist(), cat.tolist(), strict=True)]
            return pd.Series(joined, index=dept.index, dtype=object)
        d, d_keys = pd.factorize(dept)  # keys are text ('' when empty): no missing codes
        c, c_keys = pd.factorize(cat)
        codes, pairs = pd.factorize(d * len(c_keys) + c)
        texts = [d_keys[p // len(c_keys)] + "\x1f" + c_keys[p % len(c_keys)] for p in pairs]
        return pd.Series(np.array(texts, dtype=object)[codes], index=dept.index, dtype=object)

    return ctx.cached(("pair", sheet), make)


@rule(
    "finance.unbudgeted",
    "error",
    sheet="expenses",
    zh="费用的部门和类别在预算中没有对应预算行",
    en="Expense department and category have no budget line",
)
def unbudgeted(ctx: RuleContext):
    budgeted = set(_pair(ctx, "budget"))
    both = ctx.filled("expenses", "department") & ctx.filled("expenses", "category")
    mask = both & ~_pair(ctx, "expenses").isin(budgeted)
    budget_sheet = ctx.sheet_name("budget")
    yield from ctx.findings_where(
        mask,
        "category",
        department=ctx.text("expenses", "department"),
        value=ctx.text("expenses", "category"),
        budget=budget_sheet,
    )


@rule(
    "finance.amount_not_positive",
    "error",
    sheet="expenses",
    zh="费用金额不是正数",
    en="Expense amount not positive",
)
def amount_not_positive(ctx: RuleContext):
    ex = ctx.table("expenses")
    amount = ctx.number("expenses", "amount")
    mask = (amount <= 0).fillna(False)
    yield from ctx.findings_where(
        mask, "amount", value=ex["amount"][mask.to_numpy(dtype=bool)].map(fmt_money)
    )


@rule(
    "finance.duplicate_invoice",
    "error",
    sheet="expenses",
    zh="发票号重复",
    en="Duplicate invoice number",
)
def duplicate_invoice(ctx: RuleContext):
    ex = ctx.table("expenses")
    codes = codes_of(ex["invoice_no"])
    inv = per_unique(codes, str.casefold)
    filled = inv != ""
    seen = inv.duplicated()
    dup = filled & seen
    if not dup.any():
        return
    firsts = inv[filled & ~seen]
    first = dict(zip(firsts, firsts.index, strict=False))
    other = inv[dup].map(first)
    yield from ctx.findings_where(
        dup,
        "invoice_no",
        value=codes,
        other_row=other,
        other=other.map(lambda r: ctx.address(r, "invoice_no")),
    )


@rule(
    "finance.outside_period",
    "warning",
    sheet="expenses",
    zh="费用日期超出项目周期",
    en="Expense dated outside the project period",
)
def outside_period(ctx: RuleContext):
    start, end = ctx.period
    if start is None or end is None or end < start:
        return
    d = to_dates(ctx.table("expenses")["date"])
    yield from ctx.findings_where(
        d.notna() & ((d < start) | (d > end)),
        "date",
        value=d,
        start=iso_date(start),
        end=iso_date(end),
    )


def _cents(ctx: RuleContext, sheet: str) -> pd.Series:
    """The amounts of ``sheet`` in fen as Int64 (amounts carry two decimal
    places), <NA> when empty: exact sums without Decimal arithmetic row by row."""
    return (ctx.number(sheet, "amount") * 100).round().astype("Int64")


def _spent(ctx: RuleContext) -> tuple[dict[str, int], dict[str, int]]:
    """Spending in fen by department+category key and by department key, as
    the 已使用 formula (SUMIFS) sums it: text compared case-insensitively,
    empty amounts skipped (same result as :func:`xlcollab.core.flags.budget_used`)."""

    def make():
        cents = _cents(ctx, "expenses")
        dept, cat = _key(ctx, "expenses", "department"), _key(ctx, "expenses", "category")
        if len(cents) <= SHORT_COLUMN:  # a few lines: summed one by one
            pair_sums: dict[str, int] = {}
            dept_sums: dict[str, int] = {}
            pair = _pair(ctx, "expenses")
            lines = zip(cents.tolist(), dept.tolist(), cat.tolist(), pair.tolist(), strict=True)
            for fen, d, c, p in lines:
                if fen is pd.NA or d == "":
                    continue
                if c != "":
                    pair_sums[p] = pair_sums.get(p, 0) + fen
                dept_sums[d] = dept_sums.get(d, 0) + fen
            return pair_sums, dept_sums
        ok = cents.notna() & (dept != "")
        frame = pd.DataFrame(
            {
                "dept": dept[ok],
                "pair": _pair(ctx, "expenses")[ok],
                "cents": cents[ok].astype("int64"),
            }
        )
        by_pair = frame[cat[ok] != ""].groupby("pair")["cents"].sum()
        by_dept = frame.groupby("dept")["cents"].sum()
        return by_pair.to_dict(), by_dept.to_dict()

    return ctx.cached("finance_spent", make)


def _yuan(cents: int) -> str:
    return fmt_money(Decimal(int(cents)) / 100)


@rule(
    "finance.over_budget",
    "warning",
    sheet="budget",
    zh="部门某类费用支出超过预算",
    en="Spending above a budget line",
)
def over_budget(ctx: RuleContext):
    bu = ctx.table("budget")
    by_pair, _ = _spent(ctx)
    amount = _cents(ctx, "budget")
    pair = _pair(ctx, "budget")
    filled = ctx.filled("budget", "department") & ctx.filled("budget", "category") & amount.notna()
    used = pair.map(by_pair).where(filled)
    over = (used > amount.astype("float64")).fillna(False).astype(bool)
    for row in rows_where(over):
        a, u = int(amount[row]), int(used[row])
        yield ctx.finding(
            row,
            "used",
            department=text(bu.at[row, "department"]),
            category=text(bu.at[row, "category"]),
            value=_yuan(u),
            budget=_yuan(a),
            over=_yuan(u - a),
            pct=f"{u / a * 100:.0f}%" if a else "—",
        )


@rule(
    "finance.department_over_budget",
    "warning",
    sheet="budget",
    zh="部门总支出超过部门总预算",
    en="A department's spending above its total budget",
)
def department_over_budget(ctx: RuleContext):
    bu = ctx.table("budget")
    dept = _key(ctx, "budget", "department")
    amount = _cents(ctx, "budget").fillna(0).astype("int64")
    has = dept != ""
    if not has.any():
        return
    totals = amount[has].groupby(dept[has]).sum()
    first_row = dept[has].drop_duplicates()
    _, by_dept = _spent(ctx)
    for key, row in zip(first_row, first_row.index, strict=False):
        total, spent = int(totals[key]), int(by_dept.get(key, 0))
        if spent > total:
            yield ctx.finding(
                int(row),
                "department",
                department=text(bu.at[row, "department"]),
                value=_yuan(spent),
                budget=_yuan(total),
                over=_yuan(spent - total),
            )


@rule(
    "finance.duplicate_budget_line",
    "warning",
    sheet="budget",
    zh="同一部门和类别有多行预算",
    en="A department and category budgeted twice",
)
def duplicate_budget_line(ctx: RuleContext):
    bu = ctx.table("budget")
    pair = _pair(ctx, "budget")
    filled = ctx.filled("budget", "department") & ctx.filled("budget", "category")
    dup = filled & pair.duplicated()
    if not dup.any():
        return
    firsts = pair[filled & ~pair.duplicated()]
    first = dict(zip(firsts, firsts.index, strict=False))
    for row in rows_where(dup):
        yield ctx.finding(
            row,
            "category",
            department=text(bu.at[row, "department"]),
            value=text(bu.at[row, "category"]),
            other_row=first[pair[row]],
        )
