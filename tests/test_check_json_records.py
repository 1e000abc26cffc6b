"""Records (a list of flat records held as columns) read as the list of dicts
they stand for: json_text writes them as json.dumps(..., indent=2) writes the
dicts, byte for byte, at any depth."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlcollab.check.jsontext import Records, json_text, plain

texts = st.text(alphabet=st.characters(), max_size=12) | st.sampled_from(
    ["},\n      {", '"', "\\", "\n", "{}", "{0}", "%s", "[]", "检查结果", "\u2028", ""]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)


def column(n: int):
    """A column of ``n`` values of one kind (as a report's are) or of mixed kinds."""
    sized = {"min_size": n, "max_size": n}
    return (
        st.lists(st.none() | texts, **sized)
        | st.lists(st.none() | st.integers(-(10**20), 10**20), **sized)
        | st.lists(st.none() | st.booleans(), **sized)
        | st.lists(scalars, **sized)
    )


@st.composite
def records(draw) -> Records:
    keys = draw(st.lists(texts, max_size=5, unique=True))
    n = draw(st.integers(0, 6))
    return Records(keys, [draw(column(n)) for _ in keys])


def reference(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


@given(records(), st.integers(0, 3))
def test_records_read_as_their_dicts(rec, depth):
    obj: object = rec
    for _ in range(depth):
        obj = {"k": [obj, 1], "rest": {"n": None}}
    assert json_text(obj) == reference(plain(obj))


def test_plain_gives_the_dicts():
    rec = Records(("a", "b"), [[1, None], ["x", "y"]])
    assert plain({"r": [rec]}) == {"r": [[{"a": 1, "b": "x"}, {"a": None, "b": "y"}]]}


def test_columns_of_one_length_per_key():
    with pytest.raises(ValueError):
        Records(("a", "b"), [[1, 2], [3]])
    with pytest.raises(ValueError):
        Records(("a",), [[1], [2]])
