"""The widest column of a sheet, as the package check finds it while it
streams the sheet: the same as taking every cell reference's column."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from xlcollab.io.bounds import widest_column
from xlcollab.io.scan import ErrorStream, error_cells
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


cell = st.tuples(
    st.integers(1, 60),
    st.integers(1, 40),
    st.sampled_from(["n", "e", "s", "prefixed-e"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(cell, max_size=30), st.lists(st.integers(1, 200), min_size=1, max_size=12))
def test_error_stream_equals_the_whole_part(cells, cuts):
    """Error cells found in a sheet fed in chunks of any size are those
    of the whole sheet."""
    parts = []
    for c, r, kind in cells:
        ref = f"{col_letter(c)}{r}".encode()
        if kind == "e":
            parts.append(b'<c r="%s" t="e"><v>#N/A</v></c>' % ref)
        elif kind == "prefixed-e":
            parts.append(b'<x:c r="%s" t="e"><x:v>#REF!</x:v></x:c>' % ref)
        elif kind == "s":
            parts.append(b'<c r="%s" t="s"><v>3</v></c>' % ref)
        else:
            parts.append(b'<c r="%s"><v>1.5</v></c>' % ref)
    xml = b'<worksheet><sheetData><row r="1">' + b"".join(parts) + b"</row></sheetData></worksheet>"
    stream = ErrorStream()
    pos, i = 0, 0
    while pos < len(xml):
        step = cuts[i % len(cuts)]
        stream.feed(xml[pos : pos + step])
        pos, i = pos + step, i + 1
    assert stream.close() == error_cells(xml)
