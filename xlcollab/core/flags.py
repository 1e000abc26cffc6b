"""Flags: overdue, due soon, days late, escalation, risk, budget.

Pure functions on the ProjectData frames (see :mod:`xlcollab.model` for the
frame conventions) and plain values; ``as_of`` is always a parameter, the
clock is never read. Where the workbook computes the same flag with a native
formula (the ``F_*`` templates in :mod:`xlcollab.schema`), these functions
compute exactly what the formula computes, row for row, so Excel, LibreOffice
and Python agree; each function names its formula.

Missing results are ``<NA>`` where the formula shows an empty cell because an
input is missing; a formula's empty "not flagged" result is ``False``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import is_missing, present
from xlcollab.model.data import missing_array
from xlcollab.model.dates import to_date, to_dates

__all__ = [
    "task_flags",
    "risk_flags",
    "risk_level",
    "budget_used",
    "escalation_level",
    "escalation_levels",
]

_ZERO = Decimal("0.00")


def task_flags(
    tasks: pd.DataFrame, as_of: dt.date, cal: WorkCalendar, due_soon_days: int
) -> pd.DataFrame:
    """days_late (Int64), overdue (boolean), due_soon (boolean) per task.

    - days_late: F_DAYS_LATE. A done task: working days from planned to
      actual finish (0 without an actual finish, or when early); any other
      task: working days from planned finish to ``as_of`` (0 when not yet due).
    - overdue: F_OVERDUE. Not done and ``as_of`` after the planned finish.
    - due_soon: F_DUE_SOON. Not done, planned finish on or after ``as_of``
      and at most ``due_soon_days`` working days away.

    Rows without a planned finish or a status give <NA> in all three.
    """
    index = tasks.index
    today = pd.Timestamp(to_date(as_of))
    pf = to_dates(tasks["planned_finish"])
    af = (
        to_dates(tasks["actual_finish"])
        if "actual_finish" in tasks
        else pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    )
    status = tasks["status"]
    valid = pf.notna() & present(status)
    done = valid & (status == "done").fillna(False).astype(bool)
    open_ = valid & ~done

    late_open = cal.workdays_between_many(pf.where(open_), today)
    late_done = cal.workdays_between_many(pf.where(done & af.notna()), af.where(done))
    days_late = pd.Series(missing_array(len(index), "Int64"), index=index)
    days_late[open_] = late_open[open_]
    days_late[done] = late_done[done].fillna(0)

    overdue = pd.Series(missing_array(len(index), "boolean"), index=index)
    overdue[valid] = open_[valid] & (today > pf[valid])

    ahead = cal.workdays_between_many(today, pf.where(open_ & (pf >= today)))
    due_soon = pd.Series(missing_array(len(index), "boolean"), index=index)
    soon = open_ & (pf >= today) & (ahead.fillna(due_soon_days + 1) <= due_soon_days)
    due_soon[valid] = soon[valid]
    return pd.DataFrame(
        {"days_late": days_late, "overdue": overdue, "due_soon": due_soon}, index=index
    )


def risk_level(score, medium: int, high: int) -> str | None:
    """F_RISK_LEVEL for one score: "high" from ``high``, "medium" from
    ``medium``, else "low"; None without a score."""
    if is_missing(score):
        return None
    if score >= high:
        return "high"
    if score >= medium:
        return "medium"
    return "low"


def risk_flags(
    risks: pd.DataFrame, as_of: dt.date, medium: int, high: int, review_days: int
) -> pd.DataFrame:
    """score (Int64), level (low/medium/high or None), review_overdue (boolean).

    - score: F_RISK_SCORE, probability x impact; <NA> when either is missing.
    - level: F_RISK_LEVEL with the thresholds ``medium`` and ``high``.
    - review_overdue: F_REVIEW_OVERDUE, in *calendar* days: more than
      ``review_days`` since the last review (or, never reviewed, since it was
      identified). <NA> for rows without an ID, closed risks, and rows with
      neither date.
    """
    index = risks.index
    p = pd.array(risks["probability"], dtype="Int64")
    i = pd.array(risks["impact"], dtype="Int64")
    score = pd.Series(p * i, index=index, dtype="Int64")
    level = pd.Series([risk_level(v, medium, high) for v in score], index=index, dtype=object)

    today = pd.Timestamp(to_date(as_of))
    last = to_dates(risks["last_review"])
    ident = to_dates(risks["identified"])
    ref = last.where(last.notna(), ident)
    blank = (
        ~present(risks["risk_id"])
        | (risks["status"] == "closed").fillna(False).astype(bool)
        | ref.isna()
    )
    age = (today - ref).dt.days
    review = pd.Series(missing_array(len(index), "boolean"), index=index)
    review[~blank] = (age[~blank] > review_days).astype(bool)
    return pd.DataFrame({"score": score, "level": level, "review_overdue": review}, index=index)


def _key(v) -> str | None:
    """How SUMIFS compares text: case-insensitively. Empty -> None."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    text = str(v)
    return text.casefold() if text != "" else None


def _key_codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each value's :func:`_key` as a number (-1: no key) and the keys in
    order of first appearance, each distinct text looked at once."""
    values = column.tolist()
    if set(map(type, values)) <= {str, type(None)}:  # 1 == 1.0 == True: no shared keys
        codes, uniques = pd.factorize(pd.Series(values, dtype=object))
        per_unique = [_key(u) for u in uniques]
    else:
        per_unique = [_key(v) for v in values]
        codes = np.arange(len(values))
    keys = list(dict.fromkeys(k for k in per_unique if k is not None))
    number = {k: i for i, k in enumerate(keys)}
    lut = np.array([-1 if k is None else number[k] for k in per_unique] + [-1], dtype=np.int64)
    return lut[codes], keys


def _summable(amount) -> Decimal | int | None:
    """An amount as SUMIFS adds it: a number (a float as its Decimal), else None."""
    if not isinstance(amount, (Decimal, int, float)) or isinstance(amount, bool):
        return None
    if isinstance(amount, float):
        return None if np.isnan(amount) else Decimal(str(amount))
    return amount


def _expense_sums(expenses: pd.DataFrame) -> dict[tuple, Decimal]:
    """The expense amounts summed per (department, category) key, as SUMIFS
    sums them: numbers only (text, booleans and empty cells skipped), lines
    without a department or category key left out. Exact (Decimal)."""
    amounts = expenses["amount"].tolist()
    if set(map(type, amounts)) <= {Decimal, type(None)}:
        valid = np.fromiter((a is not None for a in amounts), dtype=bool, count=len(amounts))
    else:
        amounts = [_summable(a) for a in amounts]
        valid = np.fromiter((a is not None for a in amounts), dtype=bool, count=len(amounts))
    dept, dept_keys = _key_codes(expenses["department"])
    cat, cat_keys = _key_codes(expenses["category"])
    pair = dept * len(cat_keys) + cat
    keep = valid & (dept >= 0) & (cat >= 0)
    if not keep.any():
        return {}
    column = pd.Series(amounts, dtype=object)[keep]
    # object sums: Decimal (and int) additions, exact in any order
    total = column.groupby(pair[keep], sort=False).sum()
    return {
        (dept_keys[p // len(cat_keys)], cat_keys[p % len(cat_keys)]): _ZERO + v
        for p, v in zip(total.index.tolist(), total.tolist(), strict=True)
    }


def budget_used(budget: pd.DataFrame, expenses: pd.DataFrame) -> pd.DataFrame:
    """used, remaining (Decimal) and used_pct (Float64) per budget line.

    - used: F_BUDGET_USED, the sum of the expense amounts with the line's
      department and category (SUMIFS: text compared case-insensitively,
      empty amounts skipped; a line without a category matches nothing);
      None when the line has no department.
    - remaining: F_BUDGET_REMAINING, amount - used (an empty amount counts 0).
    - used_pct: F_BUDGET_USED_PCT, used / amount; <NA> without a department
      or with a zero/empty amount.
    """
    sums = _expense_sums(expenses)
    used: list[Decimal | None] = []
    remaining: list[Decimal | None] = []
    pct: list = []
    for dept, cat, amount in zip(
        budget["department"], budget["category"], budget["amount"], strict=False
    ):
        if _key(dept) is None:
            used.append(None)
            remaining.append(None)
            pct.append(pd.NA)
            continue
        # an empty category criterion matches no text category
        u = sums.get((_key(dept), _key(cat)), _ZERO) if _key(cat) is not None else _ZERO
        a = (
            amount
            if isinstance(amount, Decimal)
            else (
                Decimal(str(amount))
                if isinstance(amount, (int, float)) and not pd.isna(amount)
                else _ZERO
            )
        )
        used.append(u)
        remaining.append(a - u)
        pct.append(float(u / a) if a != 0 else pd.NA)
    index = budget.index
    return pd.DataFrame(
        {
            "used": pd.Series(used, index=index, dtype=object),
            "remaining": pd.Series(remaining, index=index, dtype=object),
            "used_pct": pd.Series(pd.array(pct, dtype="Float64"), index=index),
        },
        index=index,
    )


def escalation_level(blocked_workdays, pm_days: int = 2, lead_days: int = 5) -> str | None:
    """Where a blocked (or overdue) task's decision belongs, from how many
    working days it has been so: up to ``pm_days`` "department" (部门内解决),
    up to ``lead_days`` "pm" (项目经理协调), beyond "lead" (总负责人决策).
    None when the count is missing."""
    if (
        blocked_workdays is None
        or blocked_workdays is pd.NA
        or (isinstance(blocked_workdays, float) and np.isnan(blocked_workdays))
    ):
        return None
    if blocked_workdays <= pm_days:
        return "department"
    if blocked_workdays <= lead_days:
        return "pm"
    return "lead"


def escalation_levels(
    blocked_workdays: pd.Series, pm_days: int = 2, lead_days: int = 5
) -> pd.Series:
    """:func:`escalation_level` for a Series of working-day counts (on
    arrays when the counts are numbers)."""
    index = blocked_workdays.index
    if not (
        pd.api.types.is_numeric_dtype(blocked_workdays.dtype)
        and not pd.api.types.is_bool_dtype(blocked_workdays.dtype)
    ):
        return pd.Series(
            [escalation_level(v, pm_days, lead_days) for v in blocked_workdays],
            index=index,
            dtype=object,
        )
    count = blocked_workdays.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(count)
    level = np.full(len(count), None, dtype=object)
    level[known & (count <= pm_days)] = "department"
    level[known & (count > pm_days) & (count <= lead_days)] = "pm"
    level[known & (count > lead_days)] = "lead"
    return pd.Series(level, index=index, dtype=object)
