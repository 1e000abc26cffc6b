"""Exact money: amounts as integer fen (分) inside, Decimal yuan outside.

Sums are taken over integers, so no float rounding ever reaches a total;
``yuan`` turns a fen count back into a two-place Decimal.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pandas as pd

__all__ = ["to_fen", "fen_array", "yuan", "month_period", "month_bounds", "CENT"]

CENT = Decimal("0.01")


def to_fen(value) -> int | None:
    """An amount (Decimal, int, float, numeric text) in integer fen, rounded
    half up to the fen; None when empty or not a number."""
    if value is None or value is pd.NA or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, (int, np.integer)):
        return int(value) * 100
    elif isinstance(value, (float, np.floating)):
        if np.isnan(value) or np.isinf(value):
            return None
        d = Decimal(repr(float(value)))
    else:
        try:
            d = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            return None
    if not d.is_finite():
        return None
    return int((d * 100).quantize(Decimal(1), ROUND_HALF_UP))


# types whose value float() gives; bool is not among them (True is no amount)
_NUMERIC = frozenset({Decimal, float, int, np.float64, np.float32, np.int64, np.int32})
_FAST_LIMIT = 1e12  # yuan: below it, float(value) * 100 is within 0.05 of the exact fen


def fen_array(values) -> tuple[np.ndarray, np.ndarray]:
    """``(fen int64 array, valid bool array)`` for a column of amounts:
    :func:`to_fen` of each value.

    Numbers go through floats at C speed where that is exact: below
    ``_FAST_LIMIT`` yuan, ``float(v) * 100`` lies within 0.05 of the exact
    fen amount, so when it lies within 0.25 of a whole number that number
    is what rounding the exact amount gives, whatever the rounding rule.
    Every other value (a half fen, text, a huge amount) takes
    :func:`to_fen` itself."""
    values = values if isinstance(values, list) else list(values)
    n = len(values)
    numeric = np.fromiter(map(_NUMERIC.__contains__, map(type, values)), dtype=bool, count=n)
    x = np.full(n, np.nan)
    try:
        if numeric.all():
            x = np.fromiter(map(float, values), dtype=np.float64, count=n)
        elif numeric.any():
            where = np.flatnonzero(numeric)
            x[where] = [float(values[i]) for i in where.tolist()]
    except (ValueError, OverflowError):  # a signalling NaN, an int beyond floats
        x = np.full(n, np.nan)
    with np.errstate(invalid="ignore", over="ignore"):
        y = x * 100
        whole = np.rint(y)
        fast = np.isfinite(y) & (np.abs(x) < _FAST_LIMIT) & (np.abs(y - whole) <= 0.25)
    arr = np.where(fast, whole, 0).astype(np.int64)
    valid = fast.copy()
    for i in np.flatnonzero(~fast).tolist():
        f = to_fen(values[i])
        if f is not None:
            arr[i] = f
            valid[i] = True
    return arr, valid


def yuan(fen) -> Decimal:
    """Integer fen -> Decimal yuan with two places (exact)."""
    return (Decimal(int(fen)) / 100).quantize(CENT)


def month_period(month) -> pd.Period:
    """``"2026-03"``, a Period, a date or a Timestamp -> the monthly Period.
    Raises ValueError on anything else."""
    if isinstance(month, pd.Period):
        return month.asfreq("M")
    if isinstance(month, (dt.date, pd.Timestamp)):
        return pd.Period(year=month.year, month=month.month, freq="M")
    text = str(month).strip()
    try:
        year, mon = text.split("-")
        if len(year) != 4 or not 1 <= len(mon) <= 2 or not 1 <= int(mon) <= 12:
            raise ValueError
        return pd.Period(year=int(year), month=int(mon), freq="M")
    except (ValueError, TypeError):
        raise ValueError(f"not a month (YYYY-MM): {month!r}") from None


def month_bounds(month) -> tuple[dt.date, dt.date]:
    """First and last day of a month."""
    p = month_period(month)
    return p.start_time.date(), p.end_time.date()
