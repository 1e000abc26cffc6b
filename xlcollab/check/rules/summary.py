"""Summary rows: a WBS row that other rows extend ("3.1" when "3.1.2"
exists) takes its dates, progress and status from the rows under it (the
workbook's formulas; :func:`xlcollab.core.figures.rollup` in Python). A
value typed over that roll-up which contradicts it is reported on its cell;
an empty cell is not (the formula or Python fills it)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_datetime64_any_dtype

from xlcollab.check.rules.base import RuleContext, rule
from xlcollab.core.figures import ROLLUP_COLUMNS, rollup, wbs_text
from xlcollab.model import is_missing
from xlcollab.model.dates import iso_date
from xlcollab.schema import STATUS
from xlcollab.schema.lang import tr

PROGRESS_TOLERANCE = 0.005  # half a percentage point: what a cell shows


def _shown(key: str, value, lang: str) -> str:
    if is_missing(value):
        return tr(lang, "（空）", "(empty)")
    if key == "status":
        try:
            return STATUS.label(str(value), lang)
        except KeyError:
            return str(value)
    if key == "progress":
        return f"{float(value):.0%}"
    return iso_date(value)


def _same(key: str, typed, expected) -> bool:
    if is_missing(expected):
        return False
    if key == "progress":
        return abs(float(typed) - float(expected)) <= PROGRESS_TOLERANCE
    if key == "status":
        return str(typed) == str(expected)
    return pd.Timestamp(typed).normalize() == pd.Timestamp(expected).normalize()


def _agrees(key: str, typed: pd.Series, expected: pd.Series) -> np.ndarray:
    """Where a summary row's typed value surely agrees with its roll-up
    (:func:`_same` true), found on the whole column; the other cells are
    looked at one by one."""
    try:
        if key == "progress":
            t = pd.to_numeric(typed, errors="coerce").astype("float64").to_numpy()
            e = pd.to_numeric(expected, errors="coerce").astype("float64").to_numpy()
            with np.errstate(invalid="ignore"):
                return np.abs(t - e) <= PROGRESS_TOLERANCE  # NaN: not sure
        if key == "status":
            return np.array(
                [
                    isinstance(t, str) and isinstance(e, str) and t == e
                    for t, e in zip(typed.tolist(), expected.tolist(), strict=True)
                ],
                dtype=bool,
            )
        if is_datetime64_any_dtype(typed.dtype) and is_datetime64_any_dtype(expected.dtype):
            same = typed.dt.normalize().to_numpy() == expected.dt.normalize().to_numpy()
            return np.asarray(same, dtype=bool)  # NaT: not sure
    except (TypeError, ValueError):
        pass
    return np.zeros(len(typed), dtype=bool)


@rule(
    "wbs.summary_mismatch",
    "warning",
    sheet="tasks",
    zh="汇总行与下级任务不一致",
    en="Summary row contradicts the rows under it",
)
def summary_mismatch(ctx: RuleContext):
    df = ctx.table("tasks")
    if not len(df):
        return
    roll = rollup(df)
    typed_rows = df.loc[roll.index]
    agree = {key: _agrees(key, typed_rows[key], roll[key]) for key in ROLLUP_COLUMNS}
    for n, i in enumerate(roll.index):
        for key in ROLLUP_COLUMNS:
            if agree[key][n]:
                continue
            typed = df.at[i, key]
            if is_missing(typed):
                continue
            expected = roll.at[i, key]
            try:
                same = _same(key, typed, expected)
            except (TypeError, ValueError):
                same = False
            if not same:
                yield ctx.finding(
                    int(i),
                    key,
                    wbs=wbs_text(df.at[i, "wbs"]),
                    value=_shown(key, typed, ctx.lang),
                    expected=_shown(key, expected, ctx.lang),
                )
