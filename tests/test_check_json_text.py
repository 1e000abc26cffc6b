"""The fast JSON text of a check report is json.dumps(..., indent=2) byte for byte."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xlcollab.check import check
from xlcollab.check.jsontext import json_text
from xlcollab.io import read_workbook

DEMO = Path(__file__).parent.parent / "workbooks" / "演示-客户服务数字化平台建设项目.xlsx"


def reference(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


texts = st.text(alphabet=st.characters(), max_size=12) | st.sampled_from(
    ["},\n      {", '"', "\\", "\n", "{}", "[]", "检查结果", "\u2028", ""]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | texts
)
records = st.dictionaries(texts, scalars, min_size=0, max_size=6)
keys = texts | st.integers(-5, 5) | st.booleans() | st.none() | st.floats(-2, 2)
values = st.recursive(
    scalars | st.lists(records, max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(keys, inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_json_text_is_the_standard_indented_text(obj):
    assert json_text(obj) == reference(obj)


@given(st.lists(records, min_size=1, max_size=6), st.integers(0, 3))
def test_a_list_of_records_at_any_depth(rows, depth):
    obj = rows
    for _ in range(depth):
        obj = {"k": [obj, 1]}
    assert json_text(obj) == reference(obj)


def test_the_demo_report_reads_the_same():
    report = check(read_workbook(DEMO), dt.date(2026, 4, 1))
    d = report.to_dict()
    assert report.to_json() == reference(d)
    assert json.loads(report.to_json()) == json.loads(reference(d))
