"""Exact money (xlcollab.core.money): the column conversion to fen takes a
fast path through floats only where that gives exactly what converting each
value gives."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from xlcollab.core.money import fen_array, to_fen

BIG = 10**15  # yuan; the fen of any amount fits an int64
_AMOUNTS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).filter(
        lambda d: not d.is_finite() or abs(d) < BIG
    ),
    st.decimals(min_value=-(10**13), max_value=10**13, places=2),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3),  # half fen included
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda f: not math.isfinite(f) or abs(f) < BIG
    ),
    st.floats(min_value=-1e13, max_value=1e13).map(lambda f: round(f, 2)),
    st.integers(min_value=-BIG, max_value=BIG),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["1,234.5", " 12.005 ", "abc", ""]),
)


@given(st.lists(_AMOUNTS, max_size=40))
def test_fen_array_is_to_fen_of_each_value(values):
    arr, valid = fen_array(values)
    expected = [to_fen(v) for v in values]
    assert valid.tolist() == [e is not None for e in expected]
    assert arr.tolist() == [0 if e is None else e for e in expected]
