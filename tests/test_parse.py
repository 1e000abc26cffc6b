"""Cell parsing, one schema type at a time: what people really type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from xlcollab import schema as S
from xlcollab.io.parse import (
    BAD,
    Context,
    clean,
    display,
    out_of_range,
    parse_column,
    parse_value,
    to_series,
)
from xlcollab.io.scan import error_cells
from xlcollab.model.a1 import col_index as column_index

CTX = Context(lang="zh")


def one(col: S.Column, value, ctx: Context = CTX):
    """The parsed value of one cell, BAD when it is not understood (dates
    as Timestamps)."""
    pc = parse_column([value], col, ctx)
    if pc.bad:
        return BAD
    got = parse_value(value, col, ctx) if pc.values[0] is not None else None
    return pd.Timestamp(got) if col.type is S.T.DATE and got is not None else got


DATE = S.TASKS.col("planned_finish")
PCT = S.TASKS.col("progress")
INT = S.RISKS.col("probability")
NUM = S.RESOURCES.col("quantity")
MONEY = S.EXPENSES.col("amount")
BOOL = S.TASKS.col("approved")
ENUM = S.TASKS.col("status")
CHOICE = S.RISKS.col("category")
TEXT = S.TASKS.col("name")


# ----------------------------------------------------------------- dates ---
@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 3, 5),
        dt.datetime(2026, 3, 5, 14, 30),
        46086.0,  # Excel serial
        46086,
        46086.75,  # a serial with a time of day
        "2026-03-05",
        "2026/3/5",
        "2026/03/05",
        "2026.3.5",
        "2026年3月5日",
        "2026 年 3 月 5 日",
        "２０２６/３/５",
        "２０２６年３月５日",
        "20260305",
        "2026-03-05 10:30",
        "2026-03-05T10:30:00",
        "\u3000 2026-03-05\xa0",
    ],
)
def test_date_tolerance(value):
    assert one(DATE, value) == pd.Timestamp("2026-03-05")


@pytest.mark.parametrize(
    "value",
    [
        "2026/13/01",
        "2026-02-30",
        "tomorrow",
        "下周一",
        "3/5/2026",
        "2026-3",
        True,
        False,
        dt.time(10, 0),
        "3026-03-05",
        0.0,
        -5.0,
    ],
)
def test_bad_dates(value):
    assert one(DATE, value) is BAD


def test_empty_cells_are_none_not_bad():
    for col in (DATE, PCT, INT, NUM, MONEY, BOOL, ENUM, CHOICE, TEXT):
        pc = parse_column(["", "  ", "\u3000", "\xa0"], col, CTX)
        assert pc.values == [None] * 4 and pc.bad == [], col.key


# ----------------------------------------------------------- percentages ---
@pytest.mark.parametrize(
    "value,expected",
    [
        (0.5, 0.5),
        (0, 0.0),
        (1, 1.0),
        (1.0, 1.0),
        ("0.5", 0.5),
        ("50%", 0.5),
        ("50", 0.5),
        (50, 0.5),
        (50.0, 0.5),
        ("５０％", 0.5),
        ("５０", 0.5),
        (" 75 % ", 0.75),
        ("100%", 1.0),
        ("0.5%", 0.005),
        ("12.5%", 0.125),
    ],
)
def test_percent_tolerance(value, expected):
    assert one(PCT, value) == pytest.approx(expected)


def test_percent_that_may_exceed_100():
    used = S.BUDGET.col("used_pct")  # 105% of the budget is 1.05, not 1.05%
    assert S.BUDGET.col("used_pct").max is None
    assert one(used, 1.05) == pytest.approx(1.05)
    assert one(used, "105%") == pytest.approx(1.05)
    assert one(used, 0.3) == pytest.approx(0.3)


@pytest.mark.parametrize("value", ["half", "50%%", "%", True, dt.date(2026, 1, 1)])
def test_bad_percent(value):
    assert one(PCT, value) is BAD


# ---------------------------------------------------------- whole numbers ---
@pytest.mark.parametrize(
    "value,expected",
    [
        (3.0, 3),
        (3, 3),
        ("3", 3),
        ("3.0", 3),
        ("３", 3),
        (" ４ ", 4),
        ("1,000", 1000),
        ("１，０００", 1000),
    ],
)
def test_int_tolerance(value, expected):
    got = one(INT, value)
    assert got == expected and type(got) is int


@pytest.mark.parametrize("value", [3.5, "3.5", "three", "三", True, dt.date(2026, 1, 1), "1,00"])
def test_bad_int(value):
    assert one(INT, value) is BAD


def test_bool_next_to_numbers_is_still_bad_for_int():
    # True == 1 == 1.0 in Python: the column must not mix them up
    pc = parse_column([1.0, True, 2.0, ""], INT, CTX)
    assert pc.values == [1, None, 2, None] and pc.bad == [1]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("1,234.5", 1234.5),
        ("１２３", 123.0),
        (2.5, 2.5),
        ("-3", -3.0),
        ("1e3", 1000.0),
    ],
)
def test_number_tolerance(value, expected):
    assert one(NUM, value) == expected


@pytest.mark.parametrize("value", ["12,5", "1.2.3", "abc", "１２三"])
def test_bad_number(value):
    assert one(NUM, value) is BAD


# ----------------------------------------------------------------- money ---
@pytest.mark.parametrize(
    "value,expected",
    [
        ("¥12,500.00", "12500.00"),
        ("￥12,500.00", "12500.00"),
        ("12500", "12500.00"),
        (12500, "12500.00"),
        (12500.0, "12500.00"),
        (12500.5, "12500.50"),
        (0.1, "0.10"),
        ("１２５００", "12500.00"),
        ("￥１２，５００．５", "12500.50"),
        ("12500元", "12500.00"),
        ("1.2万", "12000.00"),
        ("1.2万元", "12000.00"),
        ("3亿", "300000000.00"),
        ("-¥1,200", "-1200.00"),
        ("¥-1,200", "-1200.00"),
        ("(1,200.00)", "-1200.00"),
        ("RMB 800", "800.00"),
        (" ¥ 99.999 ", "100.00"),
        (1.005, "1.01"),
        (2.675, "2.68"),
    ],
)
def test_money_tolerance(value, expected):
    got = one(MONEY, value)
    assert isinstance(got, Decimal) and got == Decimal(expected)
    assert got.as_tuple().exponent == -2  # quantized to the fen


@pytest.mark.parametrize("value", ["12,5", "¥", "万", "abc", "$100", "1.2千万x", True])
def test_bad_money(value):
    assert one(MONEY, value) is BAD


def test_money_column_of_many_floats():
    values = [i + 0.25 for i in range(1000)] + [1.005, 2.675, 1e20, "", "¥1,000.00"]
    pc = parse_column(values, MONEY, CTX)
    assert pc.bad == []
    assert pc.values[3] == Decimal("3.25") and pc.values[-2] is None
    assert pc.values[-1] == Decimal("1000.00")
    assert pc.values[1000:1003] == [Decimal("1.01"), Decimal("2.68"), Decimal("1e20")]
    assert all(v.as_tuple().exponent == -2 for v in pc.values if v is not None)


# ---------------------------------------------------------------- yes/no ---
@pytest.mark.parametrize(
    "value", ["是", "Y", "y", "yes", "YES", "true", "TRUE", "√", "✓", "1", True, 1.0, 1, "Ｙ"]
)
def test_bool_true(value):
    assert one(BOOL, value) is True


@pytest.mark.parametrize("value", ["否", "N", "n", "no", "No", "false", "×", "0", False, 0.0, 0])
def test_bool_false(value):
    assert one(BOOL, value) is False


@pytest.mark.parametrize("value", ["maybe", "也许", 2.0, "2"])
def test_bad_bool(value):
    assert one(BOOL, value) is BAD


# --------------------------------------------------------------- choices ---
@pytest.mark.parametrize(
    "value", ["阻塞", "Blocked", "blocked", "BLOCKED", " 阻塞\u3000", "blocked "]
)
def test_enum_by_label_or_key(value):
    assert one(ENUM, value) == "blocked"


def test_enum_with_inner_spaces_and_full_width():
    assert one(ENUM, "Not  started") == "not_started"
    assert one(ENUM, "ｉｎ＿ｐｒｏｇｒｅｓｓ") == "in_progress"


@pytest.mark.parametrize("value", ["卡住", "stuck", 3.0])
def test_bad_enum(value):
    assert one(ENUM, value) is BAD


def test_choice_is_stored_by_label_in_the_workbook_language():
    assert one(CHOICE, "staff_change") == "人员变动"
    assert one(CHOICE, "Staff change") == "人员变动"
    assert one(CHOICE, "人员变动", Context(lang="en")) == "Staff change"


def test_choice_accepts_the_workbook_lists():
    ctx = Context(lang="zh", lists={"risk_category": ["人员变动", "政策变化"]})
    assert one(CHOICE, "政策变化", ctx) == "政策变化"
    assert one(CHOICE, " 政策变化 ", ctx) == "政策变化"
    assert one(CHOICE, "需求变更", ctx) == "需求变更"  # schema defaults still count
    assert one(CHOICE, "天气", ctx) is BAD


# ------------------------------------------------------------------ text ---
def test_text_is_stripped_of_every_kind_of_space():
    pc = parse_column(["\u3000需求调研\u3000", "\xa0a b\xa0", "\u200bx\ufeff", " ", ""], TEXT, CTX)
    assert pc.values == ["需求调研", "a b", "x", None, None]


def test_text_from_numbers_and_dates():
    pc = parse_column([13800138000.0, 3.5, dt.date(2026, 3, 5), True], TEXT, CTX)
    assert pc.values == ["13800138000", "3.5", "2026-03-05", "TRUE"]


def test_clean_and_display():
    assert clean("\u3000 x \xa0") == "x"
    assert display(3.0) == "3" and display(dt.date(2026, 3, 5)) == "2026-03-05"


# --------------------------------------------------------- column series ---
def test_series_types():
    idx = pd.RangeIndex(2, 4)
    cases = {
        DATE: ([20517, None], "datetime64[ns]"),
        INT: ([1, None], "Int64"),
        PCT: ([0.5, None], "Float64"),
        BOOL: ([True, None], "boolean"),
        MONEY: ([Decimal("1.00"), None], "object"),
        ENUM: (["done", None], "object"),
        TEXT: (["a", None], "object"),
    }
    for col, (values, dtype) in cases.items():
        s = to_series(values, col, idx)
        assert str(s.dtype) == dtype, col.key
        assert list(s.index) == [2, 3]
    assert to_series([20517, None], DATE, idx).iloc[0] == pd.Timestamp("2026-03-05")
    assert to_series(["a", None], TEXT, idx).iloc[1] is None


def test_out_of_range():
    assert out_of_range([1, 5, 6, 0, None], INT) == [2, 3]
    assert out_of_range([0.0, 1.0, 1.5, -0.1], PCT) == [2, 3]
    assert out_of_range([Decimal("-1.00"), Decimal("5.00")], S.BUDGET.col("amount")) == [0]


# ------------------------------------------------------------ error scan ---
def test_error_cells_found_in_sheet_xml():
    xml = (
        b'<worksheet><sheetData><row r="3">'
        b'<c r="A3" t="n"><v>1</v></c>'
        b'<c r="H3" s="4" t="e"><f>NA()</f><v>#N/A</v></c>'
        b'<c r="AB3" t="e"><v>#DIV/0!</v></c>'
        b'<c t="e" r="C3"><v>#REF!</v></c>'
        b'<c r="D3" t="e"/>'
        b'<x:c r="E3" t="e"><x:v>#VALUE!</x:v></x:c>'
        b'<c r="F3" t="str"><v>t="e"</v></c>'
        b"</row></sheetData></worksheet>"
    )
    assert error_cells(xml) == {
        (3, 8): "#N/A",
        (3, 28): "#DIV/0!",
        (3, 3): "#REF!",
        (3, 4): "#VALUE!",
        (3, 5): "#VALUE!",
    }
    assert error_cells(b"<worksheet/>") == {}
    assert column_index("A") == 1 and column_index("Z") == 26 and column_index("AA") == 27


def test_sheet_parts_follow_the_relationships(tmp_path):
    import zipfile

    from xlcollab.io.scan import PackageScan
    from xlcollab.io.scan import zip_sheet_parts as sheet_parts

    path = tmp_path / "book.xlsx"
    ns = (
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f"<workbook {ns}><sheets>"
            '<sheet name="任务清单" sheetId="1" r:id="rId2"/>'
            '<sheet name="R&amp;D" sheetId="2" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}" '
            'Target="/xl/worksheets/a.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}" Target="worksheets/b.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/worksheets/a.xml", '<worksheet><c r="B2" t="e"><v>#NAME?</v></c></worksheet>'
        )
        z.writestr("xl/worksheets/b.xml", '<worksheet><c r="H3" t="e"><v>#N/A</v></c></worksheet>')
    with zipfile.ZipFile(path) as z:
        assert sheet_parts(z) == {"任务清单": "xl/worksheets/b.xml", "R&D": "xl/worksheets/a.xml"}
    scan = PackageScan(str(path))
    assert scan.errors("任务清单") == {(3, 8): "#N/A"}
    assert scan.errors("R&D") == {(2, 2): "#NAME?"}
    assert scan.errors("nope") == {}
    scan.close()
    not_zip = tmp_path / "x.xls"
    not_zip.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    assert PackageScan(str(not_zip)).errors("任务清单") == {}


def test_workbook_language_from_sheet_names():
    from xlcollab.io.read import detect_lang

    assert detect_lang([S.TASKS.zh, S.RISKS.zh, "xlwings.conf"]) == "zh"
    assert detect_lang([S.TASKS.en, S.RISKS.en, S.OVERVIEW.zh]) == "en"
    assert detect_lang(["Sheet1"]) == S.DEFAULT_LANG


def test_dtypes_agree_with_the_blank_project():
    from xlcollab.io.parse import PANDAS_DTYPES
    from xlcollab.model.frames import PANDAS_DTYPES as BLANK

    assert PANDAS_DTYPES == BLANK
