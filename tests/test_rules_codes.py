"""Column helpers with a fast path for text give what their plain
definitions give: the rules' split_codes and model.present."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xlcollab.check.rules.base import split_codes, text
from xlcollab.model import is_missing, present

cells = (
    st.text(alphabet=st.sampled_from(list("1.2a,;，、；  \t\u3000\u200b１．")), max_size=12)
    | st.none()
    | st.floats(allow_nan=True)
    | st.integers()
)


@given(cells)
def test_split_codes_is_the_plain_definition(cell):
    plain = unicodedata.normalize("NFKC", text(cell))
    assert split_codes(cell) == [c for c in re.split(r"[,，、;；\s]+", plain) if c]


@given(st.lists(cells, max_size=12))
def test_present_is_not_is_missing(values):
    s = pd.Series(values, dtype=object)
    assert present(s).tolist() == [not is_missing(v) for v in values]
