"""Reading a master workbook: sheets and headers by name, tolerance, findings.

Fixture workbooks are written with openpyxl from the schema (headers and
sheet names are never spelled out here), then read back.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from xlcollab import schema as S
from xlcollab.io import WorkbookError, read_workbook
from xlcollab.io.parse import PANDAS_DTYPES

TASKS, RISKS, EXPENSES = S.TASKS, S.RISKS, S.EXPENSES


def h(sheet: S.Sheet, key: str, lang: str = "zh") -> str:
    return sheet.col(key).header(lang)


def write_book(
    path: Path,
    *,
    lang: str = "zh",
    tables: dict | None = None,
    forms: dict | None = None,
    headers: dict | None = None,
    omit=(),
    lists: dict | None = None,
    edit=None,
) -> Path:
    """A workbook with every schema sheet (but ``omit``): table sheets get a
    header row (``headers[key]``: a list of header texts, default all schema
    headers in ``lang``) and ``tables[key]`` records (dicts keyed by column
    key, or by header text for the user's own columns); form sheets get
    their labels with ``forms[key]`` values; ``edit(wb)`` may change cells
    at the end."""
    tables, forms, headers, lists = tables or {}, forms or {}, headers or {}, lists or {}
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in S.SHEETS.values():
        if sheet.key in omit or sheet.kind is S.Kind.VIEW:
            continue
        ws = wb.create_sheet(sheet.name(lang))
        if sheet.kind is S.Kind.FORM:
            if sheet.key not in S.FORM_NO_HEADER:
                ws.append(list(S.FORM_HEADERS[lang]))
            values = forms.get(sheet.key, {})
            for col in sheet.columns:
                ws.append([col.header(lang), values.get(col.key)])
            continue
        if sheet.kind is S.Kind.LISTS:
            ws.append([c.header(lang) for c in sheet.columns])
            for j, col in enumerate(sheet.columns, start=1):
                cl = S.CHOICE_LISTS.get(col.key)
                items = lists.get(col.key) or (cl.labels(lang) if cl else [])
                for i, item in enumerate(items, start=2):
                    ws.cell(i, j, item)
            continue
        hdr = headers.get(sheet.key) or [c.header(lang) for c in sheet.columns]
        ws.append(hdr)
        keys = []
        for text in hdr:
            col = sheet.column_by_header(text) if text else None
            keys.append(col.key if col else text)
        for rec in tables.get(sheet.key, []):
            ws.append([rec.get(k) for k in keys])
    if edit:
        edit(wb)
    wb.save(path)
    return path


def task(**kw) -> dict:
    rec = dict(
        wbs="1.1",
        name="需求调研",
        phase="计划",
        department="项目管理部",
        owner="张三",
        planned_start=dt.date(2026, 3, 2),
        planned_finish=dt.date(2026, 3, 6),
        status="进行中",
    )
    rec.update(kw)
    return rec


def risk(**kw) -> dict:
    rec = dict(
        risk_id="R01",
        description="核心人员离职",
        category="人员变动",
        probability=3,
        impact=4,
        status="已识别",
        identified=dt.date(2026, 3, 3),
    )
    rec.update(kw)
    return rec


def only(findings, rule):
    found = [f for f in findings if f.rule_id == rule]
    assert len(found) == 1, [str(f) for f in findings]
    return found[0]


@pytest.fixture
def book(tmp_path):
    def make(**kw):
        return write_book(tmp_path / "master.xlsx", **kw)

    return make


# ------------------------------------------------------------ the basics ---
def test_reads_typed_frames_indexed_by_excel_row(book):
    path = book(
        tables={
            "tasks": [
                task(),
                task(
                    wbs="1.2",
                    progress="50%",
                    approved="是",
                    status="Blocked",
                    actual_start="2026/3/3",
                ),
            ],
            "expenses": [
                dict(date="2026年3月5日", department="财务部", category="差旅", amount="¥12,500.00")
            ],
        }
    )
    data = read_workbook(path)
    assert data.lang == "zh"
    assert data.findings == [], [str(f) for f in data.findings]
    tasks = data.tables["tasks"]
    assert list(tasks.columns) == TASKS.keys
    assert list(tasks.index) == [2, 3]
    for col in TASKS.columns:
        assert str(tasks[col.key].dtype) == PANDAS_DTYPES[col.type], col.key
    assert tasks.loc[3, "status"] == "blocked" and tasks.loc[2, "phase"] == "planning"
    assert tasks.loc[3, "progress"] == 0.5 and bool(tasks.loc[3, "approved"]) is True
    assert pd.isna(tasks.loc[2, "approved"])
    assert tasks.loc[3, "actual_start"] == pd.Timestamp("2026-03-03")
    assert pd.isna(tasks.loc[2, "actual_start"]) and tasks.loc[2, "deliverable"] is None
    exp = data.tables["expenses"]
    assert exp.loc[2, "amount"] == Decimal("12500.00")
    assert exp.loc[2, "date"] == pd.Timestamp("2026-03-05")
    assert exp.loc[2, "category"] == "差旅"


def test_every_table_sheet_has_a_typed_frame(book):
    data = read_workbook(book())
    for sheet in S.table_sheets():
        frame = data.tables[sheet.key]
        assert list(frame.columns) == sheet.keys and len(frame) == 0
        for col in sheet.columns:
            assert str(frame[col.key].dtype) == PANDAS_DTYPES[col.type]


def test_layout_says_where_things_are(book):
    path = book(tables={"tasks": [task(), task(wbs="1.2")]})
    data = read_workbook(path)
    lay = data.layout["tasks"]
    assert lay.name == TASKS.zh
    assert lay.columns["wbs"] == 1 and lay.columns["planned_finish"] == 8
    assert lay.headers["planned_finish"] == h(TASKS, "planned_finish")
    assert lay.last_row == 3
    assert data.layout["overview"].rows["name"] == 2  # row 1 holds the form header
    assert data.sheet_name("tasks") == TASKS.zh


def test_reads_from_bytes_and_file_objects(book):
    path = book(tables={"tasks": [task()]})
    raw = path.read_bytes()
    assert len(read_workbook(raw).tables["tasks"]) == 1
    with open(path, "rb") as fh:
        assert len(read_workbook(fh).tables["tasks"]) == 1
    assert len(read_workbook(io.BytesIO(raw)).tables["tasks"]) == 1
    assert len(read_workbook(str(path)).tables["tasks"]) == 1


# ------------------------------------------------------------ tolerance ---
def test_dates_as_typed(book):
    planned = [
        "2026-03-05",
        "2026/3/5",
        "2026.3.5",
        "2026年3月5日",
        "２０２６/３/５",
        46086,
        dt.datetime(2026, 3, 5, 9, 0),
        dt.date(2026, 3, 5),
    ]
    path = book(
        tables={"tasks": [task(wbs=f"1.{i}", planned_finish=v) for i, v in enumerate(planned)]}
    )
    data = read_workbook(path)
    assert data.findings == [], [str(f) for f in data.findings]
    assert (data.tables["tasks"]["planned_finish"] == pd.Timestamp("2026-03-05")).all()


def test_percentages_as_typed(book):
    values = [0.5, "50%", "50", 50, "５０％"]
    path = book(tables={"tasks": [task(wbs=f"1.{i}", progress=v) for i, v in enumerate(values)]})
    data = read_workbook(path)
    assert data.findings == []
    assert list(data.tables["tasks"]["progress"]) == [0.5] * 5


def test_full_width_digits_and_money(book):
    path = book(
        tables={
            "risks": [risk(probability="３", impact="４")],
            "expenses": [
                dict(date="2026-03-05", department="财务部", category="差旅", amount=v)
                for v in ("¥12,500.00", 12500, "12500", "１２５００", "￥12,500")
            ],
        }
    )
    data = read_workbook(path)
    assert data.findings == [], [str(f) for f in data.findings]
    assert data.tables["risks"].loc[2, "probability"] == 3
    assert list(data.tables["expenses"]["amount"]) == [Decimal("12500.00")] * 5


def test_stray_spaces_are_stripped(book):
    path = book(
        tables={
            "tasks": [
                task(
                    name="\u3000需求调研 ",
                    owner="\xa0张三\u3000",
                    status=" 进行中\u3000",
                    planned_finish=" 2026-03-06\u3000",
                )
            ]
        }
    )
    data = read_workbook(path)
    assert data.findings == []
    row = data.tables["tasks"].loc[2]
    assert (row["name"], row["owner"], row["status"]) == ("需求调研", "张三", "in_progress")
    assert row["planned_finish"] == pd.Timestamp("2026-03-06")


def test_empty_rows_are_dropped(book):
    def edit(wb):
        ws = wb[TASKS.zh]
        j = TASKS.keys.index("days_late") + 1
        for r in range(4, 40):  # spare rows carrying only formulas in computed columns
            ws.cell(r, j, f'=IF(H{r}="","",1)')
        ws.cell(41, 2, "\u3000 ")  # only a stray space: still empty

    path = book(tables={"tasks": [task(), task(wbs="1.2"), {}, task(wbs="1.3")]}, edit=edit)
    data = read_workbook(path)
    assert data.findings == [], [str(f) for f in data.findings]
    assert list(data.tables["tasks"].index) == [2, 3, 5]
    assert data.layout["tasks"].last_row == 5


def test_enums_by_chinese_english_label_or_key(book):
    path = book(
        tables={
            "tasks": [
                task(wbs="1", status="已完成"),
                task(wbs="2", status="Done"),
                task(wbs="3", status="done"),
                task(wbs="4", status="DONE "),
            ]
        }
    )
    data = read_workbook(path)
    assert data.findings == []
    assert list(data.tables["tasks"]["status"]) == ["done"] * 4


def test_extensible_lists_come_from_the_lists_sheet(book):
    categories = S.RISK_CATEGORY.labels("zh") + ["政策变化"]
    path = book(
        tables={
            "risks": [
                risk(risk_id="R1", category="政策变化"),
                risk(risk_id="R2", category="Staff change"),
                risk(risk_id="R3", category="天气"),
            ]
        },
        lists={"risk_category": categories},
    )
    data = read_workbook(path)
    assert data.lists["risk_category"] == categories
    assert data.lists["expense_category"] == S.EXPENSE_CATEGORY.labels("zh")
    assert list(data.tables["risks"]["category"]) == ["政策变化", "人员变动", "天气"]
    f = only(data.findings, "read.bad_choice")
    assert f.severity == "warning" and f.cell == "C4"
    assert f.message.startswith(f"“{h(RISKS, 'category')}”的值“天气”不在可选范围内（")
    assert "政策变化" in f.message


def test_lists_default_to_the_schema_when_the_lists_sheet_is_missing(book):
    data = read_workbook(book(omit=("lists",)))
    assert data.lists["resource_type"] == S.RESOURCE_TYPE.labels("zh")
    assert data.findings == []


def test_booleans(book):
    values = ["是", "否", "Y", "N", "yes", "no", "TRUE", "false", "√", "✓", "×", 1, 0, True, False]
    path = book(tables={"tasks": [task(wbs=f"1.{i}", approved=v) for i, v in enumerate(values)]})
    data = read_workbook(path)
    assert data.findings == [], [str(f) for f in data.findings]
    assert list(data.tables["tasks"]["approved"]) == [True, False] * 4 + [
        True,
        True,
        False,
        True,
        False,
        True,
        False,
    ]


def test_int_accepts_whole_floats_not_fractions(book):
    path = book(
        tables={"risks": [risk(risk_id="R1", probability=3.0), risk(risk_id="R2", probability=3.5)]}
    )
    data = read_workbook(path)
    assert data.tables["risks"].loc[2, "probability"] == 3
    f = only(data.findings, "read.bad_int")
    assert f.cell == "D3" and str(f) == (
        f"{RISKS.zh}!D3：“{h(RISKS, 'probability')}”应为整数：“3.5”"
    )


def test_hidden_rows_and_merged_cells_are_read(book):
    def edit(wb):
        ws = wb[TASKS.zh]
        ws.row_dimensions[3].hidden = True
        ws.merge_cells("F2:F3")  # the value stays in the top-left cell

    path = book(tables={"tasks": [task(deliverable="需求说明书"), task(wbs="1.2")]}, edit=edit)
    data = read_workbook(path)
    tasks = data.tables["tasks"]
    assert list(tasks.index) == [2, 3]
    assert tasks.loc[2, "deliverable"] == "需求说明书" and tasks.loc[3, "deliverable"] is None


def test_computed_columns_are_parsed_leniently(book):
    path = book(tables={"tasks": [task(days_late="很多", overdue="是", due_soon="maybe")]})
    data = read_workbook(path)
    assert data.findings == []
    row = data.tables["tasks"].loc[2]
    assert pd.isna(row["days_late"]) and bool(row["overdue"]) is True and pd.isna(row["due_soon"])


# -------------------------------------------------------- headers by name ---
def test_reordered_columns(book):
    hdr = [h(TASKS, k) for k in reversed(TASKS.keys)]
    path = book(tables={"tasks": [task(planned_finish="2026/13/01")]}, headers={"tasks": hdr})
    data = read_workbook(path)
    tasks = data.tables["tasks"]
    assert list(tasks.columns) == TASKS.keys
    assert tasks.loc[2, "wbs"] == "1.1" and tasks.loc[2, "status"] == "in_progress"
    f = only(data.findings, "read.bad_date")
    col = len(TASKS.keys) - TASKS.keys.index("planned_finish")
    assert f.cell == f"{chr(64 + col)}2"
    assert data.layout["tasks"].columns["wbs"] == len(TASKS.keys)


def test_inserted_user_column_is_kept_out_and_noted(book):
    hdr = [h(TASKS, k) for k in TASKS.keys]
    hdr.insert(2, "部门内部编号")
    path = book(tables={"tasks": [task(**{"部门内部编号": "X-1"})]}, headers={"tasks": hdr})
    data = read_workbook(path)
    f = only(data.findings, "read.unknown_column")
    assert f.severity == "info" and f.cell == "C1"
    assert f.message == "无法识别的列“部门内部编号”，已忽略"
    assert "部门内部编号" not in data.tables["tasks"].columns
    assert data.tables["tasks"].loc[2, "phase"] == "planning"
    assert data.layout["tasks"].columns["phase"] == 4


def test_headers_tolerate_spaces_width_and_case(book):
    hdr = [h(TASKS, k) for k in TASKS.keys]
    hdr[0] = " " + hdr[0].replace("WBS", "ｗｂｓ") + "\u3000"
    rhdr = [h(RISKS, k) for k in RISKS.keys]
    rhdr[3] = rhdr[3].replace("(", "（").replace(")", "）")
    path = book(
        tables={"tasks": [task()], "risks": [risk()]}, headers={"tasks": hdr, "risks": rhdr}
    )
    data = read_workbook(path)
    assert data.findings == []
    assert data.tables["tasks"].loc[2, "wbs"] == "1.1"
    assert data.tables["risks"].loc[2, "probability"] == 3
    assert data.layout["tasks"].headers["wbs"] == hdr[0].strip()


def test_header_row_placed_lower(book):
    def edit(wb):
        ws = wb[TASKS.zh]
        ws.insert_rows(1, 2)
        ws.cell(1, 1, "跨部门任务协作清单")

    path = book(tables={"tasks": [task(), task(wbs="1.2", planned_finish="bad")]}, edit=edit)
    data = read_workbook(path)
    assert list(data.tables["tasks"].index) == [4, 5]
    assert only(data.findings, "read.bad_date").cell == "H5"


def test_duplicate_column_reads_the_first(book):
    hdr = [h(TASKS, k) for k in TASKS.keys] + [h(TASKS, "notes")]
    path = book(tables={"tasks": [task(notes="第一")]}, headers={"tasks": hdr})
    data = read_workbook(path)
    f = only(data.findings, "read.duplicate_column")
    assert f.severity == "warning" and f.cell == f"{chr(65 + len(TASKS.keys))}1"
    assert data.tables["tasks"].loc[2, "notes"] == "第一"


# ------------------------------------------------------------- english ---
def test_english_workbook(book):
    rec = task(phase="Planning", status="Blocked", planned_finish="2026/13/01")
    path = book(lang="en", tables={"tasks": [rec], "risks": [risk(category="Staff change")]})
    data = read_workbook(path)
    assert data.lang == "en"
    assert data.layout["tasks"].name == TASKS.en
    tasks = data.tables["tasks"]
    assert tasks.loc[2, "status"] == "blocked"
    assert data.tables["risks"].loc[2, "category"] == "Staff change"
    f = only(data.findings, "read.bad_date")
    assert (
        str(f)
        == f"{TASKS.en}!H2: '{h(TASKS, 'planned_finish', 'en')}' is not a valid date: '2026/13/01'"
    )
    assert data.lists["risk_category"] == S.RISK_CATEGORY.labels("en")
    # Chinese messages for the same English workbook when asked
    zh = read_workbook(path, lang="zh")
    assert zh.lang == "en"
    assert str(only(zh.findings, "read.bad_date")) == (
        f"{TASKS.en}!H2：“{h(TASKS, 'planned_finish', 'en')}”不是有效日期：“2026/13/01”"
    )


def test_english_messages_for_a_chinese_workbook(book):
    path = book(tables={"tasks": [task(planned_finish="2026/13/01")]})
    data = read_workbook(path, lang="en")
    assert data.lang == "zh"
    f = only(data.findings, "read.bad_date")
    assert f.message == f"'{h(TASKS, 'planned_finish')}' is not a valid date: '2026/13/01'"


# ------------------------------------------------------------- findings ---
def test_bad_date_names_sheet_row_column_and_cell(book):
    path = book(tables={"tasks": [task(), task(wbs="1.2", planned_finish="2026/13/01")]})
    data = read_workbook(path)
    f = only(data.findings, "read.bad_date")
    assert (f.sheet, f.row, f.column, f.cell, f.severity) == (
        TASKS.zh,
        3,
        h(TASKS, "planned_finish"),
        "H3",
        "error",
    )
    assert str(f) == f"{TASKS.zh}!H3：“{h(TASKS, 'planned_finish')}”不是有效日期：“2026/13/01”"
    assert f.hint
    assert pd.isna(data.tables["tasks"].loc[3, "planned_finish"])


@pytest.mark.parametrize(
    "key,value,rule,text",
    [
        ("progress", "一半", "read.bad_percent", "“{col}”不是有效的百分比：“一半”"),
        ("approved", "也许", "read.bad_bool", "“{col}”应填“是”或“否”：“也许”"),
        (
            "status",
            "卡住",
            "read.bad_choice",
            "“{col}”的值“卡住”不在可选范围内（未开始、进行中、已完成、阻塞）",
        ),
        ("phase", "phase 9", "read.bad_choice", None),
    ],
)
def test_bad_values_in_tasks(book, key, value, rule, text):
    path = book(tables={"tasks": [task(**{key: value})]})
    data = read_workbook(path)
    f = only(data.findings, rule)
    letter = chr(65 + TASKS.keys.index(key))
    assert f.cell == f"{letter}2" and str(f).startswith(f"{TASKS.zh}!{letter}2：")
    if text:
        assert f.message == text.format(col=h(TASKS, key))


def test_bad_money_and_number(book):
    path = book(
        tables={
            "expenses": [
                dict(date="2026-03-05", department="财务部", category="差旅", amount="十二元")
            ],
            "resources": [
                dict(
                    department="财务部", resource_type="人力", quantity="几个", committed_by="李四"
                )
            ],
        }
    )
    data = read_workbook(path)
    f = only(data.findings, "read.bad_money")
    assert f.cell == "D2" and f.message == f"“{h(EXPENSES, 'amount')}”不是有效金额：“十二元”"
    f = only(data.findings, "read.bad_number")
    assert f.sheet == S.RESOURCES.zh and f.cell == "D2"


def test_out_of_range(book):
    path = book(tables={"risks": [risk(probability=7)], "tasks": [task(progress="150%")]})
    data = read_workbook(path)
    found = {f.sheet: f for f in data.findings if f.rule_id == "read.out_of_range"}
    assert found[RISKS.zh].cell == "D2"
    assert found[RISKS.zh].message == f"“{h(RISKS, 'probability')}”的值 7 超出范围 1–5"
    assert found[TASKS.zh].message == f"“{h(TASKS, 'progress')}”的值 150% 超出范围 0%–100%"
    assert data.tables["risks"].loc[2, "probability"] == 7  # kept: the finding says it


def test_required_cell_empty_in_a_filled_row(book):
    path = book(tables={"tasks": [task(), task(wbs="1.2", owner=None, planned_start="  ")]})
    data = read_workbook(path)
    req = [f for f in data.findings if f.rule_id == "read.required"]
    assert [f.cell for f in req] == ["E3", "G3"]
    assert str(req[0]) == f"{TASKS.zh}!E3：“{h(TASKS, 'owner')}”为必填项"
    assert all(f.severity == "error" for f in req)


def test_error_value_in_a_date_cell(book):
    def edit(wb):
        ws = wb[TASKS.zh]
        ws["H3"] = "#N/A"  # openpyxl stores it as an error cell (t="e")
        ws["Q2"] = "#DIV/0!"  # a computed column: recomputed by Python, not reported
        ws["B10"] = "#REF!"  # alone in an otherwise empty row

    path = book(tables={"tasks": [task(), task(wbs="1.2")]}, edit=edit)
    data = read_workbook(path)
    errs = [f for f in data.findings if f.rule_id == "read.error_value"]
    assert [f.cell for f in errs] == ["H3", "B10"]
    assert str(errs[0]) == f"{TASKS.zh}!H3：“{h(TASKS, 'planned_finish')}”是错误值 #N/A"
    assert not any(f.rule_id == "read.required" and f.cell == "H3" for f in data.findings)
    assert pd.isna(data.tables["tasks"].loc[3, "planned_finish"])
    assert 10 in data.tables["tasks"].index  # an error makes the row count


def test_missing_required_column_is_one_error(book):
    hdr = [h(TASKS, k) for k in TASKS.keys if k not in ("planned_finish", "status")]
    path = book(
        tables={"tasks": [task(), task(wbs="1.2"), task(wbs="1.3")]}, headers={"tasks": hdr}
    )
    data = read_workbook(path)
    mine = [f for f in data.findings if f.sheet == TASKS.zh]
    assert len(mine) == 1, [str(f) for f in mine]
    f = mine[0]
    assert f.rule_id == "read.missing_column" and f.severity == "error" and f.row == 1
    assert f.message == f"缺少必填列“{h(TASKS, 'planned_finish')}”、“{h(TASKS, 'status')}”"
    tasks = data.tables["tasks"]
    assert len(tasks) == 3 and tasks["planned_finish"].isna().all()
    assert str(tasks["planned_finish"].dtype) == "datetime64[ns]"
    en = read_workbook(
        data_path := book(tables={"tasks": [task()]}, headers={"tasks": hdr}), lang="en"
    )
    assert data_path.exists()
    assert only(en.findings, "read.missing_column").message == (
        f"Required column '{h(TASKS, 'planned_finish')}', '{h(TASKS, 'status')}' is missing"
    )


def test_missing_column_is_named_in_the_headers_language(book):
    hdr = [h(TASKS, k, "en") for k in TASKS.keys if k != "owner"]
    data = read_workbook(book(tables={"tasks": [task()]}, headers={"tasks": hdr}))
    assert data.lang == "zh"
    f = only(data.findings, "read.missing_column")
    assert f.message == f"缺少必填列“{h(TASKS, 'owner', 'en')}”"
    assert data.tables["tasks"].loc[2, "status"] == "in_progress"


def test_missing_sheet_is_one_error(book):
    data = read_workbook(book(omit=("risks",), tables={"tasks": [task()]}))
    f = only(data.findings, "read.missing_sheet")
    assert f.sheet == RISKS.zh and f.message == f"缺少工作表“{RISKS.zh}”"
    assert len(data.findings) == 1
    assert list(data.tables["risks"].columns) == RISKS.keys and data.tables["risks"].empty
    assert len(data.tables["tasks"]) == 1


def test_optional_sheets_may_be_missing(book):
    data = read_workbook(book(omit=("findings", "lists", "xlwings_conf")))
    assert data.findings == []
    assert data.tables["findings"].empty


def test_findings_are_in_row_order(book):
    path = book(
        tables={"tasks": [task(wbs="1", status="x", planned_finish="y"), task(wbs="2", phase="z")]}
    )
    data = read_workbook(path)
    assert [f.cell for f in data.findings] == ["H2", "L2", "C3"]


# ----------------------------------------------------------------- forms ---
def test_overview_and_settings(book):
    path = book(
        forms={
            "overview": dict(
                name="协同平台建设",
                goal="打通数据",
                start_date="2026/3/2",
                end_date=dt.date(2026, 4, 30),
                project_lead="王总",
                pm="李经理",
                current_phase="执行",
                status_date="2026年4月1日",
            ),
            "settings": dict(escalation_pm_days="３", due_soon_days=None, report_lang="English"),
        }
    )
    data = read_workbook(path)
    assert data.findings == [], [str(f) for f in data.findings]
    ov = data.overview
    assert ov["name"] == "协同平台建设" and ov["current_phase"] == "execution"
    assert ov["start_date"] == dt.date(2026, 3, 2)  # plain dates, as ProjectData holds them
    assert ov["end_date"] == dt.date(2026, 4, 30)
    assert ov["status_date"] == dt.date(2026, 4, 1)
    assert ov["sponsor"] is None
    st = data.settings
    assert st["escalation_pm_days"] == 3 and st["report_lang"] == "en"
    assert st["due_soon_days"] is None  # not filled in: no default here
    assert data.setting("due_soon_days") == S.SETTINGS.col("due_soon_days").default
    assert data.layout["settings"].rows["escalation_pm_days"] == 2


def test_form_findings(book):
    path = book(
        forms={
            "overview": dict(name="协同平台建设", start_date="2026/3/32", current_phase="第三阶段"),
            "settings": dict(risk_high=30),
        }
    )
    data = read_workbook(path)
    by_rule = {}
    for f in data.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    bad = by_rule["read.bad_date"][0]
    row = 2 + S.OVERVIEW.keys.index("start_date")
    assert bad.cell == f"B{row}" and str(bad) == (
        f"{S.OVERVIEW.zh}!B{row}：“{h(S.OVERVIEW, 'start_date')}”不是有效日期：“2026/3/32”"
    )
    assert by_rule["read.bad_choice"][0].cell == f"B{2 + S.OVERVIEW.keys.index('current_phase')}"
    required = {f.column for f in by_rule["read.required"]}
    assert required == {h(S.OVERVIEW, k) for k in ("goal", "end_date", "project_lead", "pm")}
    rng = by_rule["read.out_of_range"][0]
    assert rng.sheet == S.SETTINGS.zh and "30" in rng.message


def test_an_untouched_overview_is_not_an_error(book):
    assert read_workbook(book()).findings == []


def test_missing_form_field(book):
    def edit(wb):
        ws = wb[S.OVERVIEW.zh]
        ws.delete_rows(2 + S.OVERVIEW.keys.index("pm"))

    data = read_workbook(book(forms={"overview": dict(name="x")}, edit=edit))
    f = [f for f in data.findings if f.rule_id == "read.missing_field"]
    assert len(f) == 1 and f[0].message == f"缺少必填项目“{h(S.OVERVIEW, 'pm')}”"


# -------------------------------------------------------- not a workbook ---
def test_corrupt_file_raises_workbook_error(tmp_path):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(WorkbookError) as info:
        read_workbook(path)
    f = info.value.finding
    assert f.rule_id == "read.not_a_workbook" and f.severity == "error"
    assert str(info.value) == "坏文件.xlsx：无法打开工作簿：不是 Excel 工作簿，或文件已损坏"
    assert "Traceback" not in str(info.value)
    with pytest.raises(WorkbookError) as info:
        read_workbook(path, lang="en")
    assert str(info.value) == (
        "坏文件.xlsx: Cannot open the workbook: not an Excel workbook, or the file is damaged"
    )


def test_missing_file_raises_workbook_error(tmp_path):
    with pytest.raises(WorkbookError) as info:
        read_workbook(tmp_path / "nowhere.xlsx")
    assert str(info.value) == "nowhere.xlsx：无法打开工作簿：文件不存在"
    with pytest.raises(WorkbookError) as info:
        read_workbook(str(tmp_path / "nowhere.xlsx"), lang="en")
    assert info.value.finding.message == "Cannot open the workbook: the file does not exist"


@pytest.mark.parametrize("content", [b"", b"hello, not a workbook", b"PK\x03\x04broken zip"])
def test_other_unreadable_sources(tmp_path, content):
    with pytest.raises(WorkbookError) as info:
        read_workbook(content)
    assert info.value.finding.rule_id == "read.not_a_workbook"
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError):
        read_workbook(path)


def test_a_folder_is_not_a_workbook(tmp_path):
    with pytest.raises(WorkbookError) as info:
        read_workbook(tmp_path)
    assert "文件夹" in info.value.finding.message


def test_a_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(WorkbookError):
        read_workbook(path)


# ----------------------------------------------- real workbooks, end to end ---
def test_the_demo_workbook_reads_without_findings(demo_path):
    data = read_workbook(demo_path)
    assert data.findings == [], [str(f) for f in data.findings[:10]]
    assert data.lang == "zh" and len(data.tables["tasks"]) >= 60
    assert data.overview["name"] and data.settings["risk_high"] is not None


@pytest.mark.libreoffice
def test_error_values_in_a_workbook_saved_by_libreoffice(office, tmp_path):
    """Formula results as a spreadsheet engine caches them: an input cell
    whose formula fails is an error value; computed columns read leniently."""
    from xlcollab.io.office import recalculate

    def edit(wb):
        ws = wb[TASKS.zh]
        ws["H3"] = "=NA()"
        ws["G2"] = "=DATE(2026,3,2)"  # a formula that works is just its value
        ws.cell(2, TASKS.keys.index("days_late") + 1, "=1/0")

    src = write_book(tmp_path / "src.xlsx", tables={"tasks": [task(), task(wbs="1.2")]}, edit=edit)
    data = read_workbook(recalculate(src, tmp_path / "lo"))
    errs = [f for f in data.findings if f.rule_id == "read.error_value"]
    assert [(f.cell, f.message) for f in errs] == [
        ("H3", f"“{h(TASKS, 'planned_finish')}”是错误值 #N/A")
    ]
    tasks = data.tables["tasks"]
    assert tasks.loc[2, "planned_start"] == pd.Timestamp("2026-03-02")
    assert pd.isna(tasks.loc[2, "days_late"])
