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
_HUNDRED = Decimal(100)


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


def fen_array(values) -> tuple[np.ndarray, np.ndarray]:
    """``(fen int64 array, valid bool array)`` for a column of amounts."""
    values = list(values)
    if set(map(type, values)) <= {Decimal, type(None)}:
        fast = _decimal_fen(values)
        if fast is not None:
            return fast
    fen = [to_fen(v) for v in values]
    valid = np.fromiter((f is not None for f in fen), dtype=bool, count=len(fen))
    arr = np.fromiter((f if f is not None else 0 for f in fen), dtype=np.int64, count=len(fen))
    return arr, valid


def _decimal_fen(values: list) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`fen_array` of Decimals and Nones on arrays, when every amount
    is a whole number of fen (no rounding to do); else None."""
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    scaled = np.fromiter(values, dtype=object, count=len(values))[valid] * _HUNDRED
    try:
        whole = scaled.astype(np.int64)
    except (ValueError, OverflowError, ArithmeticError):  # NaN, infinity, too large
        return None
    if not (scaled == whole).all():  # fractions of a fen: to_fen rounds them
        return None
    fen = np.zeros(len(values), dtype=np.int64)
    fen[valid] = whole
    return fen, valid


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
