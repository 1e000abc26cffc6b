"""budget_used sums the expenses by column (each distinct department and
category keyed once, the amounts grouped): exactly what SUMIFS adds, line by
line, including the odd cells (text, booleans, floats, NaN, numbers as
departments, case and space differences)."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pandas as pd

from xlcollab.core import flags


def _key(v):
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    return str(v).casefold() if str(v) != "" else None


def _by_line(budget: pd.DataFrame, expenses: pd.DataFrame) -> list:
    """SUMIFS, one expense line at a time."""
    sums: dict = {}
    for d, c, a in zip(
        expenses["department"], expenses["category"], expenses["amount"], strict=True
    ):
        if not isinstance(a, (Decimal, int, float)) or isinstance(a, bool):
            continue
        if isinstance(a, float):
            if np.isnan(a):
                continue
            a = Decimal(str(a))
        k = (_key(d), _key(c))
        if None not in k:
            sums[k] = sums.get(k, Decimal("0.00")) + a
    out = []
    for d, c in zip(budget["department"], budget["category"], strict=True):
        if _key(d) is None:
            out.append(None)
        else:
            out.append(
                sums.get((_key(d), _key(c)), Decimal("0.00")) if _key(c) else Decimal("0.00")
            )
    return out


DEPTS = ["市场部", "市场部 ", "IT", "it", "", None, 1, 1.0, True, float("nan")]
CATS = ["人工", "Travel", "travel", "", None, 2, "2"]
AMOUNTS = [Decimal("10.25"), Decimal("3"), Decimal("0.125"), 7, 2.5, float("nan"), True, "9", None]


def test_budget_used_matches_line_by_line_sums():
    rng = random.Random(7)
    for mixed in (False, True):
        amounts = AMOUNTS if mixed else [Decimal("10.25"), Decimal("-1.10"), None]
        depts = DEPTS if mixed else ["市场部", "IT", "it", None]
        cats = CATS if mixed else ["人工", "Travel", "travel", None]
        n = 400
        expenses = pd.DataFrame(
            {
                "department": pd.Series([rng.choice(depts) for _ in range(n)], dtype=object),
                "category": pd.Series([rng.choice(cats) for _ in range(n)], dtype=object),
                "amount": pd.Series([rng.choice(amounts) for _ in range(n)], dtype=object),
            }
        )
        pairs = [(d, c) for d in depts for c in cats]
        budget = pd.DataFrame(
            {
                "department": pd.Series([d for d, _ in pairs], dtype=object),
                "category": pd.Series([c for _, c in pairs], dtype=object),
                "amount": pd.Series([Decimal("100.00")] * len(pairs), dtype=object),
            }
        )
        got = flags.budget_used(budget, expenses)["used"].tolist()
        want = _by_line(budget, expenses)
        assert [None if v is None else str(v) for v in got] == [
            None if v is None else str(v) for v in want
        ]
