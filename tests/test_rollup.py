"""The WBS tree and the summary rows' roll-up against a plain reference.

The reference below is the straightforward definition (each summary row
takes every row whose code extends its own, deepest first, one row at a
time); :func:`xlcollab.core.figures.rollup` computes the same on arrays, a
depth at a time. Random WBS trees (duplicate codes, gaps, blank codes,
stray spaces, empty cells) must give the same frame, to the last bit.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlcollab.core.figures import (
    ROLLUP_COLUMNS,
    descendants,
    rollup,
    summary_mask,
    wbs_text,
    with_rollup,
)
from xlcollab.core.figures.tasks import wbs_codes
from xlcollab.model import is_missing
from xlcollab.model.dates import to_date


# ------------------------------------------------------------- reference ---
def ref_summary(codes: list) -> list[bool]:
    prefixes = set()
    for c in codes:
        if c:
            parts = c.split(".")
            for i in range(1, len(parts)):
                prefixes.add(".".join(parts[:i]))
    return [c is not None and c in prefixes for c in codes]


def ref_descendants(tasks: pd.DataFrame, leaves_only: bool = True) -> dict:
    codes = {i: wbs_text(w) for i, w in zip(tasks.index, tasks["wbs"], strict=False)}
    summary = dict(zip(tasks.index, ref_summary(list(codes.values())), strict=True))
    under = [(i, c) for i, c in codes.items() if c and (not leaves_only or not summary[i])]
    out = {}
    for i, c in codes.items():
        if summary[i] and c:
            out[i] = [j for j, lc in under if lc.startswith(c + ".")]
    return out


def ref_rollup(tasks: pd.DataFrame) -> pd.DataFrame:
    under = ref_descendants(tasks, leaves_only=False)
    depth = {i: len(str(wbs_text(tasks.at[i, "wbs"])).split(".")) for i in under}
    values = {
        c: {i: tasks.at[i, c] if c in tasks else None for i in tasks.index} for c in ROLLUP_COLUMNS
    }
    rows = {}
    for i in sorted(under, key=lambda k: -depth[k]):
        kids = under[i]
        n = len(kids)

        def dates(col, kids=kids):
            return [d for d in (to_date(values[col][k], strict=False) for k in kids) if d]

        status = [None if is_missing(values["status"][k]) else values["status"][k] for k in kids]
        nd, nn, nb = (sum(s == key for s in status) for key in ("done", "not_started", "blocked"))
        if nd == n:
            st_ = "done"
        elif nn == n:
            st_ = "not_started"
        elif nd + nb == n:
            st_ = "blocked"
        else:
            st_ = "in_progress"
        ps, pf, ast, aft = (
            dates(c) for c in ("planned_start", "planned_finish", "actual_start", "actual_finish")
        )
        prog = [
            0.0 if is_missing(values["progress"][k]) else float(values["progress"][k]) for k in kids
        ]
        row = {
            "planned_start": min(ps) if ps else None,
            "planned_finish": max(pf) if pf else None,
            "actual_start": min(ast) if ast else None,
            "actual_finish": max(aft) if nd == n and aft else None,
            "progress": sum(prog) / n if n else None,
            "status": st_,
        }
        rows[i] = row
        for c, v in row.items():
            values[c][i] = v
    order = [i for i in tasks.index if i in rows]
    frame = pd.DataFrame.from_dict(
        {i: rows[i] for i in order}, orient="index", columns=list(ROLLUP_COLUMNS)
    )
    for c in ("planned_start", "planned_finish", "actual_start", "actual_finish"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


# ------------------------------------------------------------ strategies ---
DAY0 = dt.date(2026, 3, 2)
segment = st.sampled_from(["1", "2", "3", "10", "01"])
code = st.lists(segment, min_size=1, max_size=4).map(".".join)
wbs_cell = st.one_of(
    code,
    code.map(lambda c: f" {c}\u3000"),  # stray spaces
    st.sampled_from([None, "", "  "]),
)
day = st.one_of(st.none(), st.integers(-3, 60).map(lambda n: DAY0 + dt.timedelta(days=n)))
status = st.sampled_from([None, "done", "not_started", "in_progress", "blocked", "其他"])
progress = st.one_of(st.none(), st.floats(0, 1, allow_nan=False), st.just(float("nan")))
row = st.tuples(wbs_cell, day, day, day, day, progress, status)


def frame_of(rows, first: int = 4) -> pd.DataFrame:
    def dates(k):
        return pd.Series(
            [pd.NaT if r[k] is None else pd.Timestamp(r[k]) for r in rows], dtype="datetime64[ns]"
        )

    df = pd.DataFrame(
        {
            "wbs": pd.Series([r[0] for r in rows], dtype=object),
            "planned_start": dates(1),
            "planned_finish": dates(2),
            "actual_start": dates(3),
            "actual_finish": dates(4),
            "progress": pd.array([r[5] for r in rows], dtype="Float64"),
            "status": pd.Series([r[6] for r in rows], dtype=object),
        }
    )
    df.index = pd.RangeIndex(first, first + len(rows))
    return df


# ----------------------------------------------------------------- tests ---
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, max_size=40))
def test_rollup_equals_reference(rows):
    tasks = frame_of(rows)
    pd.testing.assert_frame_equal(rollup(tasks), ref_rollup(tasks), check_exact=True)
    assert summary_mask(tasks).tolist() == ref_summary([wbs_text(w) for w in tasks["wbs"]])
    for leaves_only in (True, False):
        assert descendants(tasks, leaves_only) == ref_descendants(tasks, leaves_only)


@settings(max_examples=100, deadline=None)
@given(st.lists(row, max_size=30))
def test_rollup_of_object_columns_equals_reference(rows):
    """Frames built by hand may hold dates and numbers as plain objects."""
    tasks = frame_of(rows).astype(object)
    tasks["planned_start"] = [None if is_missing(v) else v.date() for v in tasks["planned_start"]]
    pd.testing.assert_frame_equal(rollup(tasks), ref_rollup(tasks), check_exact=True)


@pytest.mark.parametrize("missing", ["status", "progress", "actual_finish"])
def test_rollup_without_a_column(missing):
    rows = [
        ("1", DAY0, DAY0, None, None, 0.5, "done"),
        ("1.1", DAY0, DAY0, DAY0, DAY0, 1.0, "done"),
    ]
    tasks = frame_of(rows).drop(columns=[missing])
    pd.testing.assert_frame_equal(rollup(tasks), ref_rollup(tasks), check_exact=True)


def test_rollup_of_a_large_tree_equals_reference():
    """Deep and wide: many summary rows at every depth, in sheet order."""
    rng = np.random.default_rng(7)
    rows = []
    for a in range(1, 6):
        rows.append((str(a), None, None, None, None, None, None))
        for b in range(1, 8):
            rows.append((f"{a}.{b}", None, None, None, None, None, None))
            for c in range(1, int(rng.integers(1, 6)) + 1):
                start = DAY0 + dt.timedelta(days=int(rng.integers(0, 40)))
                finish = start + dt.timedelta(days=int(rng.integers(0, 10)))
                done = bool(rng.integers(0, 2))
                rows.append(
                    (
                        f"{a}.{b}.{c}",
                        start,
                        finish,
                        start if done else None,
                        finish if done else None,
                        float(rng.random()),
                        "done" if done else str(rng.choice(["blocked", "not_started"])),
                    )
                )
    rng.shuffle(rows)
    tasks = frame_of(rows)
    pd.testing.assert_frame_equal(rollup(tasks), ref_rollup(tasks), check_exact=True)


def test_with_rollup_shows_the_rollup_on_summary_rows():
    rows = [
        ("1", None, None, None, None, None, None),
        ("1.1", DAY0, DAY0, DAY0, DAY0, 1.0, "done"),
        ("1.2", DAY0, DAY0 + dt.timedelta(days=3), None, None, None, "not_started"),
    ]
    shown = with_rollup(frame_of(rows))
    assert shown.at[4, "status"] == "in_progress"
    assert shown.at[4, "progress"] == 0.5
    assert shown.at[4, "planned_finish"] == pd.Timestamp(DAY0 + dt.timedelta(days=3))
    assert shown["progress"].dtype == "Float64"


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet=" \u3000\u200b\u00a0.123abc\t", max_size=6),
            st.floats(allow_nan=True),
        ),
        max_size=20,
    )
)
def test_wbs_codes_are_wbs_text_of_each_cell(values):
    column = pd.Series(values, dtype=object)
    assert wbs_codes(column) == [wbs_text(v) for v in values]
    texts = pd.Series([v for v in values if not isinstance(v, float)], dtype=object)
    assert wbs_codes(texts) == [wbs_text(v) for v in texts]
