"""CSV export: encodings, values, and hostile cells opened by LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.interchange.csv import (
    DANGEROUS,
    CsvExportError,
    neutralise,
    resolve_sheet,
    sheet_csv,
)
from xlcollab.io.office import convert_many
from xlcollab.workbook.demo import demo_project

AS_OF = dt.date(2026, 4, 1)
# LibreOffice's CSV import: comma, double quote, UTF-8, from line 1, and
# "evaluate formulas" on, so that any formula that got through would run
LO_CSV = "CSV:44,34,76,1,,1033,false,true,false,false,false,-1,true"
HOSTILE = {
    "name": "=1+1",
    "deliverable": "+SUM(1,2)",
    "notes": "-2+3",
    "blocked_reason": "@SUM(1,1)",
    "owner": '=HYPERLINK("http://127.0.0.1/","x")',
}


@pytest.fixture()
def hostile():
    data = demo_project()
    tasks = data.tables["tasks"].copy()
    rows = list(tasks.index[1:4])
    for key, value in HOSTILE.items():
        tasks.at[rows[0], key] = value
    tasks.at[rows[1], "name"] = "\t=2+2"
    tasks.at[rows[2], "name"] = "\r=3+3"
    data.tables["tasks"] = tasks
    return data, WorkCalendar.from_holidays(data.tables["holidays"])


def _rows(content: bytes, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode(encoding), newline="")))


def test_utf8_with_bom_and_gbk(hostile):
    data, cal = hostile
    utf8 = sheet_csv(data, "任务清单", as_of=AS_OF, cal=cal)
    assert utf8.startswith(b"\xef\xbb\xbf")
    gbk = sheet_csv(data, "任务清单", as_of=AS_OF, cal=cal, encoding="gbk")
    assert not gbk.startswith(b"\xef\xbb\xbf")
    assert _rows(utf8) == _rows(gbk, "gbk")
    header = _rows(utf8)[0]
    assert header[:3] == ["WBS编码", "任务名称", "阶段"]


def test_gbk_refuses_a_character_it_cannot_hold_and_names_the_cell():
    data = demo_project()
    tasks = data.tables["tasks"].copy()
    tasks.at[tasks.index[5], "notes"] = "进度 👍"
    data.tables["tasks"] = tasks
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    with pytest.raises(CsvExportError) as exc:
        sheet_csv(data, "tasks", as_of=AS_OF, cal=cal, encoding="gbk")
    assert f"第{tasks.index[5]}行" in str(exc.value) and "备注" in str(exc.value)


def test_values_as_a_person_reads_them(hostile):
    data, cal = hostile
    rows = _rows(sheet_csv(data, "Tasks", as_of=AS_OF, cal=cal))
    header, first = rows[0], rows[1]
    record = dict(zip(header, first, strict=True))
    assert record["计划开始"] == "2026-03-02"
    assert record["完成比例"] == "100%"
    assert record["状态"] == "已完成"
    assert record["总负责人审批"] == "是"
    assert record["是否逾期"] == "否"  # computed as of AS_OF by core.flags


def test_sheets_by_chinese_english_name_or_key():
    assert resolve_sheet("风险登记册").key == resolve_sheet("Risks").key == "risks"
    assert resolve_sheet("budget").key == "budget"
    for bad in ("甘特图", "Lists", "nothing"):
        with pytest.raises(CsvExportError):
            resolve_sheet(bad)


def test_hostile_cells_are_written_as_text(hostile):
    data, cal = hostile
    rows = _rows(sheet_csv(data, "tasks", as_of=AS_OF, cal=cal))
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    for value in list(HOSTILE.values()) + ["\t=2+2", "\r=3+3"]:
        assert "'" + value in cells


@given(st.text())
def test_neutralise_never_leaves_a_formula_start(text):
    out = neutralise(text)
    assert not out.startswith(DANGEROUS)
    assert out in (text, "'" + text)
    assert (out != text) == text.startswith(DANGEROUS)


@pytest.mark.libreoffice
def test_libreoffice_opens_hostile_cells_as_text(hostile, office, tmp_path):
    data, cal = hostile
    safe = tmp_path / "safe.csv"
    safe.write_bytes(sheet_csv(data, "tasks", as_of=AS_OF, cal=cal))
    # the control: the same rows written naively, to prove LibreOffice would run them
    naive = tmp_path / "naive.csv"
    with naive.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([[v] for v in HOSTILE.values()])
    out = convert_many([safe, naive], "xlsx", tmp_path / "out", infilter=LO_CSV)

    ws = openpyxl.load_workbook(out[naive.resolve()]).active
    assert ws["A1"].data_type == ws["A5"].data_type == "f"  # =1+1 and =HYPERLINK(...) ran

    ws = openpyxl.load_workbook(out[safe.resolve()]).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    types = [[c.data_type for c in row] for row in ws.iter_rows()]
    assert not any(t == "f" for row in types for t in row)
    flat = [v for row in values for v in row if isinstance(v, str)]
    for value in HOSTILE.values():
        assert "'" + value in flat
    assert len(values) == 1 + len(data.tables["tasks"])


def test_cli_export_csv(demo_path, tmp_path):
    out = tmp_path / "tasks.csv"
    result = CliRunner().invoke(
        app, ["export", "csv", str(demo_path), "任务清单", "-o", str(out), "--encoding", "gbk"]
    )
    assert result.exit_code == 0, result.output
    assert len(_rows(out.read_bytes(), "gbk")) == 78
    bad = CliRunner().invoke(app, ["export", "csv", str(demo_path), "甘特图"])
    assert bad.exit_code == 2 and "可选" in bad.output
    enc = CliRunner().invoke(
        app, ["export", "csv", str(demo_path), "tasks", "--encoding", "latin1"]
    )
    assert enc.exit_code == 2
