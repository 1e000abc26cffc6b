"""Month by month: each department's spending to date at every month's end,
from the first expense month through the report month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from xlcollab.core.figures.money import BLANK_TOKEN, blank_to_token, ledger
from xlcollab.core.money import month_period, yuan
from xlcollab.schema import finance_label

__all__ = ["Trend", "spending_trend"]


@dataclass
class Trend:
    """``months``: "YYYY-MM" labels; ``departments``: names in ledger order
    (blank department last, labelled); ``monthly`` / ``cumulative``: frames
    indexed by month with one Decimal column per department and ``total``
    (spent in the month / spent to date at the month's end)."""

    months: list[str]
    departments: list[str]
    monthly: pd.DataFrame
    cumulative: pd.DataFrame


def _label(ordinal: int) -> str:
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def spending_trend(
    expenses: pd.DataFrame, month, lang: str = "zh", departments: list[str] | None = None
) -> Trend:
    """The trend through ``month``. Months run from the first dated expense
    (or ``month`` itself when there is none before it). ``departments``
    fixes the column order (e.g. the summary's); departments with spending
    but not in it are appended."""
    p = month_period(month)
    cur = p.year * 12 + p.month - 1
    led = ledger(expenses)
    led = led[led["has_amount"] & (led["period"] >= 0) & (led["period"] <= cur)]
    first = int(led["period"].min()) if len(led) else cur
    ordinals = list(range(first, cur + 1))
    blank = finance_label("blank", lang)

    names: dict = {}
    for d in departments or []:
        names.setdefault(str(d).strip().casefold(), str(d))
    firsts = led.drop_duplicates("dept_key")  # each department's first line
    for k, d in zip(firsts["dept_key"], firsts["dept"], strict=True):
        names.setdefault(k, blank if k is None else d)
    keys = list(names)

    sums = (
        pd.DataFrame(
            {
                "k": blank_to_token(led["dept_key"]),
                "p": led["period"].to_numpy(),
                "f": led["fen"].to_numpy(),
            }
        )
        .groupby(["p", "k"])["f"]
        .sum()
    )
    grid = np.zeros((len(ordinals), len(keys)), dtype=np.int64)
    pos = {BLANK_TOKEN if k is None else k: j for j, k in enumerate(keys)}
    for (per, k), f in sums.items():
        grid[per - first, pos[k]] += int(f)
    cum = grid.cumsum(axis=0)
    labels = [_label(o) for o in ordinals]
    cols = [names[k] for k in keys]

    def _frame(a: np.ndarray) -> pd.DataFrame:
        df = (
            pd.DataFrame(
                [[yuan(v) for v in row] for row in a], index=labels, columns=cols, dtype=object
            )
            if len(cols)
            else pd.DataFrame(index=labels)
        )
        df["total"] = (
            [yuan(v) for v in a.sum(axis=1)] if len(cols) else [Decimal("0.00")] * len(labels)
        )
        return df

    return Trend(months=labels, departments=cols, monthly=_frame(grid), cumulative=_frame(cum))
