"""The widest column of a sheet, as the package check finds it while it
streams the sheet: the same as taking every cell reference's column."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from xlcollab.io.bounds import widest_column
from xlcollab.model.a1 import col_index, col_letter

REF = re.compile(rb"""r=["']([A-Z]{1,3})[0-9]""")


def reference(text: bytes, col: int) -> int:
    """Every reference looked at, one by one."""
    return max([col, *(col_index(m.decode()) for m in REF.findall(text))])


column = st.one_of(
    st.integers(1, 30), st.integers(1, 800), st.integers(1, 16384), st.sampled_from([26, 702, 703])
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(column, st.integers(1, 99), st.sampled_from(['"', "'"])), max_size=10),
    st.sampled_from([0, 1, 3, 25, 26, 27, 52, 700, 702, 703, 900]),
)
def testwidest_column_equals_every_reference(cells, col):
    text = b"".join(
        b'<c r=%s%s%d%s s="1"><v>1</v></c>' % (q.encode(), col_letter(c).encode(), r, q.encode())
        for c, r, q in cells
    )
    text = b'<row r="7" spans="1:3">' + text + b"</row>"
    assert widest_column(text, col) == reference(text, col)
