"""Dates from cell values: the one converter, as a scalar and as a column.

A cell's date may arrive as ``date``, ``datetime``, pandas ``Timestamp``,
numpy ``datetime64`` or ISO text; an empty cell (see
:func:`xlcollab.model.data.is_missing`) is no date.

>>> to_date("2026-04-01"), to_date(None), iso_date(pd.Timestamp("2026-04-01"))
(datetime.date(2026, 4, 1), None, '2026-04-01')
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from xlcollab.model.data import is_missing

__all__ = ["to_date", "iso_date", "to_dates", "iso_dates", "column_dates"]


def to_date(value, *, strict: bool = True) -> dt.date | None:
    """A date from a date, datetime, Timestamp, numpy datetime64 or ISO text;
    None for empty values. A value that is no date raises TypeError or
    ValueError, or gives None when ``strict`` is False."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if is_missing(value):
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            if strict:
                raise
            return None
    if strict:
        raise TypeError(f"not a date: {value!r}")
    return None


def iso_date(value, *, strict: bool = True) -> str:
    """``value`` as ``YYYY-MM-DD``; '' when empty (see :func:`to_date`)."""
    d = to_date(value, strict=strict)
    return d.isoformat() if d else ""


def to_dates(s: pd.Series, *, strict: bool = True) -> pd.Series:
    """A column of dates as datetime64 (a datetime column as it is), NaT
    where empty or beyond pandas' range; ``strict`` as for :func:`to_date`."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s
    return pd.to_datetime(s.map(lambda v: to_date(v, strict=strict)), errors="coerce")


def column_dates(df: pd.DataFrame, key: str) -> pd.Series:
    """Column ``key`` of ``df`` as midnight datetime64, NaT where empty or not
    a date, all NaT when ``df`` has no such column."""
    if key not in df:
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    return to_dates(df[key], strict=False).dt.normalize()


def iso_dates(s: pd.Series) -> pd.Series:
    """A column of dates as ISO text ('' where empty)."""
    d = to_dates(s)
    arr = d.to_numpy().astype("datetime64[D]").astype(str)
    arr[d.isna().to_numpy()] = ""
    return pd.Series(arr, index=s.index, dtype=object)
