"""The month's budget against actual spending: by department, by category
and by department x category, with totals.

Pure on the budget and expense frames (see :mod:`xlcollab.model`). Amounts
are summed as integer fen and handed out as two-place Decimals, so every
total equals the sum of its detail lines to the fen.

Departments and categories are matched as the workbook's SUMIFS matches
them (surrounding space and letter case ignored) and shown as first written
(the budget's spelling first). A department or category that has spending
but no budget line is shown as its own row with budget 0 and
``budgeted=False``: a department nobody budgeted for, or a category renamed
mid-project, is visible instead of lost. Lines dated after the month are
ignored; undated lines and lines without an amount count nowhere (the
reader and the checks report them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from xlcollab.core.money import fen_array, month_bounds, month_period, yuan
from xlcollab.model import is_missing
from xlcollab.schema import finance_label

__all__ = ["FinanceSummary", "monthly_summary", "month_expenses", "ledger", "FIGURES"]

# the money figures of every summary row, in display order
FIGURES = ("budget", "month", "to_date", "remaining")


def _key(v) -> str | None:
    if is_missing(v):
        return None
    text = str(v).strip()
    return text.casefold() if text else None


# stands for an empty department/category in group-by keys (pandas drops None)
BLANK_TOKEN = "\uffff<blank>"


def blank_to_token(keys: pd.Series) -> list[str]:
    return [BLANK_TOKEN if k is None else k for k in keys]


def _display(v) -> str:
    return str(v).strip()


def _keys_and_names(values: list) -> tuple[list, list]:
    """Each value's match key (:func:`_key`) and display name (None when
    empty), each distinct value looked at once."""
    if not set(map(type, values)) <= {str, type(None)}:  # 1 == 1.0 == True: no shared keys
        keys_ = [_key(v) for v in values]
        return keys_, [
            None if k is None else _display(v) for v, k in zip(values, keys_, strict=True)
        ]
    keys = {v: _key(v) for v in dict.fromkeys(values)}
    names = {v: None if k is None else _display(v) for v, k in keys.items()}
    return list(map(keys.__getitem__, values)), list(map(names.__getitem__, values))


def ledger(expenses: pd.DataFrame) -> pd.DataFrame:
    """The expense lines reduced to what the sums need, indexed like
    ``expenses`` (Excel rows): dept/cat keys and display names, ``fen``
    (int64), ``has_amount``, ``period`` (monthly Period ordinal, -1 when
    undated)."""
    fen, valid = fen_array(expenses["amount"].tolist())
    dates = pd.to_datetime(expenses["date"], errors="coerce")
    period = (
        np.where(dates.notna(), dates.dt.year * 12 + dates.dt.month - 1, -1)
        if len(dates)
        else np.array([], dtype=np.int64)
    )

    def _obj(values) -> pd.Series:  # None stays None (never NaN), even in an all-empty column
        return pd.Series(values, index=expenses.index, dtype=object)

    dept_key, dept = _keys_and_names(expenses["department"].tolist())
    cat_key, cat = _keys_and_names(expenses["category"].tolist())
    return pd.DataFrame(
        {
            "dept_key": _obj(dept_key),
            "cat_key": _obj(cat_key),
            "dept": _obj(dept),
            "cat": _obj(cat),
            "fen": fen,
            "has_amount": valid,
            "period": np.asarray(period, dtype=np.int64),
            "day": dates.to_numpy(dtype="datetime64[ns]"),
        },
        index=expenses.index,
    )


def _ordinal(p: pd.Period) -> int:
    return p.year * 12 + p.month - 1


def month_expenses(expenses: pd.DataFrame, month) -> pd.DataFrame:
    """The expense lines dated in ``month`` (rows in ledger order)."""
    p = month_period(month)
    first, last = month_bounds(p)
    dates = pd.to_datetime(expenses["date"], errors="coerce")
    mask = (dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))
    return expenses[mask.fillna(False).to_numpy(dtype=bool)]


@dataclass
class FinanceSummary:
    """One month's figures. Money columns hold Decimal, ``used_pct`` a float
    (to_date / budget) or None when the budget is 0.

    ``lines``: department, category, budget, month, to_date, remaining,
    used_pct, budgeted, over. ``by_department`` and ``by_category``: the same
    without the other key. ``total``: one dict with the same figures.
    """

    month: str  # YYYY-MM
    first_day: dt.date
    last_day: dt.date
    lang: str
    lines: pd.DataFrame
    by_department: pd.DataFrame
    by_category: pd.DataFrame
    total: dict
    n_month: int  # expense lines in the month
    n_to_date: int  # expense lines through the month's end
    blank_label: str = field(default="")

    @property
    def budget(self) -> Decimal:
        return self.total["budget"]

    @property
    def spent_month(self) -> Decimal:
        return self.total["month"]

    @property
    def spent_to_date(self) -> Decimal:
        return self.total["to_date"]

    @property
    def remaining(self) -> Decimal:
        return self.total["remaining"]

    @property
    def used_pct(self) -> float | None:
        return self.total["used_pct"]

    @property
    def unbudgeted_departments(self) -> list[str]:
        d = self.by_department
        return d.loc[~d["budgeted"], "department"].tolist()

    @property
    def unbudgeted_categories(self) -> list[str]:
        c = self.by_category
        return c.loc[~c["budgeted"], "category"].tolist()

    @property
    def unbudgeted_lines(self) -> list[tuple[str, str]]:
        ln = self.lines
        return list(
            zip(
                ln.loc[~ln["budgeted"], "department"],
                ln.loc[~ln["budgeted"], "category"],
                strict=False,
            )
        )

    @property
    def over_budget_departments(self) -> list[str]:
        d = self.by_department
        return d.loc[d["over"], "department"].tolist()

    @property
    def over_budget_lines(self) -> list[tuple[str, str]]:
        ln = self.lines
        return list(
            zip(ln.loc[ln["over"], "department"], ln.loc[ln["over"], "category"], strict=False)
        )


def _figures(budget: int, month: int, to_date: int, budgeted: bool) -> dict:
    return {
        "budget": yuan(budget),
        "month": yuan(month),
        "to_date": yuan(to_date),
        "remaining": yuan(budget - to_date),
        "used_pct": (to_date / budget) if budget else None,
        "budgeted": budgeted,
        "over": budgeted and to_date > budget,
    }


def _rollup(keys: list[tuple], fen: dict, names: list[dict], budgeted: set, order) -> pd.DataFrame:
    """Rows for ``keys`` (tuples of one or two name keys) from the fen sums."""
    rows = []
    for k in sorted(keys, key=order):
        b, m, t = fen.get(k, (0, 0, 0))
        row = {f"name{i}": names[i].get(part, None) for i, part in enumerate(k)}
        row.update(_figures(b, m, t, k in budgeted))
        rows.append(row)
    return pd.DataFrame(rows)


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    for col in ("budgeted", "over"):
        df[col] = df[col].astype(bool)
    df["used_pct"] = pd.Series(
        [None if v is None or pd.isna(v) else float(v) for v in df["used_pct"]],
        index=df.index,
        dtype=object,
    )
    return df


def monthly_summary(
    budget: pd.DataFrame,
    expenses: pd.DataFrame,
    month,
    lang: str = "zh",
    through: dt.date | None = None,
) -> FinanceSummary:
    """Budget, spent this month, spent to date, remaining and % used, per
    department x category line, per department, per category and in total.

    ``month`` is ``"YYYY-MM"``, a monthly Period or any date in the month.
    "To date" is through the month's last day (what a monthly document
    shows), or through ``through`` when given (a status date inside the
    month: ``show``, the weekly report); lines dated later count nowhere.
    """
    p = month_period(month)
    first, last = month_bounds(p)
    if through is not None and first <= through < last:
        last = through
    cur = _ordinal(p)
    blank = finance_label("blank", lang)

    # budget: fen per (dept, cat) key
    bfen, bvalid = fen_array(budget["amount"].tolist())
    bdept = [_key(v) for v in budget["department"]]
    bcat = [_key(v) for v in budget["category"]]
    dept_names: dict = {None: blank}
    cat_names: dict = {None: blank}
    dept_order: dict = {}
    cat_order: dict = {}

    def _note(names, order, key, raw):
        if key not in names:
            names[key] = _display(raw)
        if key not in order:
            order[key] = len(order)

    budget_fen: dict[tuple, int] = {}
    for d, c, raw_d, raw_c, f, ok in zip(
        bdept, bcat, budget["department"], budget["category"], bfen, bvalid, strict=False
    ):
        if d is None:  # a budget line without a department is no line at all
            continue
        _note(dept_names, dept_order, d, raw_d)
        _note(cat_names, cat_order, c, raw_c)
        budget_fen[(d, c)] = budget_fen.get((d, c), 0) + (int(f) if ok else 0)

    led = ledger(expenses)
    led = led[
        led["has_amount"]
        & (led["period"] >= 0)
        & (led["period"] <= cur)
        & (led["day"] <= pd.Timestamp(last))
    ]
    # names and order come from each key's first line: the later ones add nothing
    for key, name, names, order in (
        ("dept_key", "dept", dept_names, dept_order),
        ("cat_key", "cat", cat_names, cat_order),
    ):
        first_lines = led[~led[key].duplicated().to_numpy()]
        for k, raw in zip(first_lines[key], first_lines[name], strict=True):
            if k is not None:
                _note(names, order, k, raw)
            else:
                order.setdefault(None, len(order))

    in_month = (led["period"] == cur).to_numpy()
    fen = led["fen"].to_numpy(dtype=np.int64)
    grouped = (
        pd.DataFrame(
            {
                "d": blank_to_token(led["dept_key"]),
                "c": blank_to_token(led["cat_key"]),
                "m": np.where(in_month, fen, 0),
                "t": fen,
            }
        )
        .groupby(["d", "c"], sort=False)[["m", "t"]]
        .sum()
    )
    spent: dict[tuple, tuple[int, int]] = {}
    for (d, c), m, t in zip(grouped.index, grouped["m"], grouped["t"], strict=False):
        spent[(None if d == BLANK_TOKEN else d, None if c == BLANK_TOKEN else c)] = (int(m), int(t))

    line_keys = list(dict.fromkeys([*budget_fen, *spent]))
    line_fen = {k: (budget_fen.get(k, 0), *spent.get(k, (0, 0))) for k in line_keys}

    def _add(acc: dict, k, vals):
        a = acc.get(k, (0, 0, 0))
        acc[k] = (a[0] + vals[0], a[1] + vals[1], a[2] + vals[2])

    dept_fen: dict = {}
    cat_fen: dict = {}
    total = (0, 0, 0)
    for (d, c), vals in line_fen.items():
        _add(dept_fen, (d,), vals)
        _add(cat_fen, (c,), vals)
        total = (total[0] + vals[0], total[1] + vals[1], total[2] + vals[2])

    def _ord(o):
        return lambda k: tuple(o.get(part, len(o)) for part in k)

    lines = _rollup(
        line_keys,
        line_fen,
        [dept_names, cat_names],
        set(budget_fen),
        lambda k: (dept_order.get(k[0], 1 << 30), cat_order.get(k[1], 1 << 30)),
    )
    lines = lines.rename(columns={"name0": "department", "name1": "category"})
    by_dept = _rollup(
        list(dept_fen),
        dept_fen,
        [dept_names],
        {(d,) for d, _ in budget_fen},
        lambda k: dept_order.get(k[0], 1 << 30),
    )
    by_dept = by_dept.rename(columns={"name0": "department"})
    by_cat = _rollup(
        list(cat_fen),
        cat_fen,
        [cat_names],
        {(c,) for _, c in budget_fen},
        lambda k: cat_order.get(k[0], 1 << 30),
    )
    by_cat = by_cat.rename(columns={"name0": "category"})
    columns = ["budget", "month", "to_date", "remaining", "used_pct", "budgeted", "over"]
    lines = lines.reindex(columns=["department", "category", *columns])
    by_dept = by_dept.reindex(columns=["department", *columns])
    by_cat = by_cat.reindex(columns=["category", *columns])
    lines, by_dept, by_cat = (_tidy(df) for df in (lines, by_dept, by_cat))

    tot = _figures(*total, budgeted=bool(budget_fen))
    return FinanceSummary(
        month=f"{p.year:04d}-{p.month:02d}",
        first_day=first,
        last_day=last,
        lang=lang,
        lines=lines,
        by_department=by_dept,
        by_category=by_cat,
        total=tot,
        n_month=int(in_month.sum()),
        n_to_date=len(led),
        blank_label=blank,
    )
