"""Build a workbook from generated rows, read it back: the data is equal.

Hypothesis draws rows for every input column of the busiest sheets from the
schema's own types, so a new column is covered without touching this test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlcollab.io import read_workbook
from xlcollab.io.save import save_new_workbook
from xlcollab.model.frames import frame
from xlcollab.schema import CHOICE_LISTS, SHEETS, Column, T
from xlcollab.workbook import build_workbook
from xlcollab.workbook.blank import blank_project

SHEETS_UNDER_TEST = ("tasks", "risks", "expenses", "budget", "team", "milestones")

# text people type: CJK, Latin, digits, punctuation, and leading = + - @
_chars = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\u3000\u00a0\ufeff",
)
_text = st.text(_chars, min_size=1, max_size=24).map(str.strip).filter(bool)
_formula_like = st.sampled_from(["=SUM(A1:A3)", "+86 138 0000 0000", "-", "@all", "=1+1"])


def _value(col: Column):
    t = col.type
    if t is T.DATE:
        return st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))
    if t is T.INT:
        lo = int(col.min) if col.min is not None else -10_000
        hi = int(col.max) if col.max is not None else 10_000
        return st.integers(lo, hi)
    if t is T.NUMBER:
        lo = col.min if col.min is not None else -1e6
        return st.decimals(lo, 1e6, places=2).map(float)
    if t is T.PERCENT:
        return st.integers(0, 100).map(lambda p: p / 100)
    if t is T.MONEY:
        return st.decimals(Decimal("0.01"), Decimal("99999999.99"), places=2)
    if t is T.BOOL:
        return st.booleans()
    if t is T.ENUM:
        return st.sampled_from(CHOICE_LISTS[col.choices].keys)
    if t is T.CHOICE:
        return st.sampled_from(CHOICE_LISTS[col.choices].labels("zh"))
    if t is T.REF:
        return st.lists(st.integers(1, 9), min_size=1, max_size=3).map(
            lambda xs: ".".join(map(str, xs))
        )
    return st.one_of(_text, _formula_like)


def _record(sheet_key: str):
    fields = {}
    for col in SHEETS[sheet_key].input_columns:
        value = _value(col)
        fields[col.key] = value if col.required else st.one_of(st.none(), value)
    return st.fixed_dictionaries(fields)


_project = st.fixed_dictionaries(
    {key: st.lists(_record(key), min_size=0, max_size=6) for key in SHEETS_UNDER_TEST}
)


def _inputs(df: pd.DataFrame, sheet_key: str) -> pd.DataFrame:
    keys = [c.key for c in SHEETS[sheet_key].input_columns]
    return df[keys].reset_index(drop=True)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(records=_project, lang=st.sampled_from(["zh", "en"]))
def test_build_then_read_gives_the_same_data(tmp_path_factory, records, lang):
    data = blank_project(lang=lang)
    for key, recs in records.items():
        data.tables[key] = frame(key, recs, lang)
    path = tmp_path_factory.mktemp("rt") / "roundtrip.xlsx"
    save_new_workbook(build_workbook(data, lang), path)

    back = read_workbook(path)

    assert back.lang == lang
    errors = [str(f) for f in back.findings if f.severity == "error"]
    assert errors == []
    for key in SHEETS_UNDER_TEST:
        expected = _inputs(data.tables[key], key)
        got = _inputs(back.tables[key], key)
        assert len(got) == len(expected), key
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=key)
        # the index names the Excel rows the records were written to
        assert list(back.tables[key].index) == list(range(2, 2 + len(expected)))


def test_overview_and_settings_round_trip(tmp_path):
    data = blank_project(lang="zh", start=dt.date(2026, 3, 2))
    data.overview.update(
        name="客户服务数字化平台建设项目",
        end_date=dt.date(2026, 4, 30),
        current_phase="execution",
        status_date=dt.date(2026, 4, 1),
    )
    data.settings.update(due_soon_days=5, risk_high=16)
    path = tmp_path / "p.xlsx"
    save_new_workbook(build_workbook(data), path)

    back = read_workbook(path)

    assert back.overview["name"] == "客户服务数字化平台建设项目"
    assert pd.Timestamp(back.overview["start_date"]).date() == dt.date(2026, 3, 2)
    assert pd.Timestamp(back.overview["status_date"]).date() == dt.date(2026, 4, 1)
    assert back.overview["current_phase"] == "execution"
    assert back.settings["due_soon_days"] == 5
    assert back.settings["risk_high"] == 16
    assert back.setting("escalation_lead_days") == 5
    # the holiday sheet was prefilled and reads back whole
    hol = back.tables["holidays"]
    assert len(hol) == len(data.tables["holidays"]) > 0
    assert set(hol["type"]) == {"off", "work"}


def test_text_that_reads_like_an_error_value_stays_text(tmp_path):
    """openpyxl stores "#VALUE!" as an error cell; a user's text must stay text."""
    data = blank_project(lang="zh")
    data.tables["team"] = frame(
        "team",
        [{"name": "张伟", "department": "信息技术部", "role": "member", "email": "#VALUE!"}],
        "zh",
    )
    path = tmp_path / "error-text.xlsx"
    save_new_workbook(build_workbook(data, "zh"), path)
    back = read_workbook(path)
    assert [f for f in back.findings if f.severity == "error"] == []
    assert back.tables["team"]["email"].tolist() == ["#VALUE!"]
