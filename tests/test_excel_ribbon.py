"""Every ribbon button, dispatched against the demo workbook through the
file adapter (Excel's own adapter needs Windows: README, manual smoke test)."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from xlcollab import __version__
from xlcollab.excel import ribbon
from xlcollab.excel.adapter import FileAdapter, WorkbookAdapter
from xlcollab.excel.buttons import BUTTONS, COMMAND_BUTTONS
from xlcollab.io import read_workbook


@pytest.fixture()
def book(demo_path, tmp_path) -> Path:
    target = tmp_path / "项目" / "demo.xlsx"
    target.parent.mkdir()
    shutil.copyfile(demo_path, target)
    return target


def run(tag: str, path: Path):
    adapter = FileAdapter(path)
    return ribbon.dispatch(tag, adapter), adapter


def test_every_button_has_a_command_and_every_command_a_button():
    assert {b.tag for b in COMMAND_BUTTONS} == set(ribbon.COMMANDS)
    # the one other button runs VBA only: it ends the warm Python process
    assert [b.tag for b in BUTTONS if b not in COMMAND_BUTTONS] == ["restart_python"]
    assert len(BUTTONS) == len({b.tag for b in BUTTONS})
    assert isinstance(FileAdapter(Path("x.xlsx")), WorkbookAdapter)


def test_validate_writes_findings_and_computed_columns(book):
    from xlcollab.check import check

    before = read_workbook(book)
    expected = check(before, pd.Timestamp(before.overview["status_date"]).date())
    result, adapter = run("validate", book)
    assert result.ok, result.message
    assert "检查完成" in result.message and "检查结果" in result.message
    assert adapter.alerts == [result.message]
    after = read_workbook(book)
    findings = after.tables["findings"]
    assert len(findings) == len(expected.findings) > 0
    assert list(findings["rule_id"]) == [f.rule_id for f in expected.findings]
    got = after.tables["tasks"]["escalation"]
    want = expected.columns["escalation"]
    assert [None if pd.isna(v) else v for v in got] == [v for v in want]
    assert got.notna().sum() > 0
    assert list((book.parent / ".xlcollab" / "backups").glob("demo.*.xlsx"))
    # everything else is still there: the same sheets, the same task rows
    assert list(after.tables["tasks"]["wbs"]) == list(before.tables["tasks"]["wbs"])


def test_refresh_flags_writes_only_the_task_columns(book):
    from xlcollab.check import check

    before = read_workbook(book)
    result, adapter = run("refresh_flags", book)
    assert result.ok, result.message
    assert "升级层级" in result.message
    after = read_workbook(book)
    assert len(after.tables["findings"]) == len(before.tables["findings"])  # untouched
    want = check(
        before, pd.Timestamp(before.overview["status_date"]).date(), run_rules=False
    ).columns
    assert [None if pd.isna(v) else v for v in after.tables["tasks"]["escalation"]] == list(
        want["escalation"]
    )
    bs = after.tables["tasks"]["blocked_since"]
    assert [None if pd.isna(v) else v.date() for v in bs] == [
        None if pd.isna(v) else v.date() for v in want["blocked_since"]
    ]


@pytest.mark.parametrize("tag", ribbon.REPORT_TAGS)
def test_each_report_button_writes_its_document_next_to_the_workbook(book, tag):
    data = read_workbook(book)
    name = data.overview["name"]
    result, adapter = run(tag, book)
    assert result.ok, result.message
    [path] = result.files
    assert path.parent == book.parent / "reports" and path.exists()
    assert str(path) in result.message
    with zipfile.ZipFile(path) as z:
        text = "".join(
            z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
        )
    assert name in text  # the document is about this project
    if tag == "briefing":
        assert path.suffix == ".pptx"
    else:
        assert path.suffix == ".docx"
        import docx

        body = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert body.strip()


def test_finance_button_writes_the_months_workbook(book):
    import openpyxl

    result, _ = run("finance", book)
    assert result.ok, result.message
    xlsx = [p for p in result.files if p.suffix == ".xlsx"]
    assert len(xlsx) == 1 and xlsx[0].parent == book.parent / "reports"
    assert "2026-04" in xlsx[0].name  # the demo's status date month
    wb = openpyxl.load_workbook(xlsx[0])
    assert len(wb.sheetnames) >= 2


def test_open_folder_and_about(book):
    result, adapter = run("open_folder", book)
    assert result.ok
    assert ("folder", str(book.parent / "reports")) in adapter.messages
    assert adapter.alerts == []  # opening the folder is the answer
    assert (book.parent / "reports").is_dir()
    result, adapter = run("about", book)
    assert result.ok and f"xlcollab {__version__}" in result.message
    assert adapter.alerts == [result.message]


def test_baseline_button_freezes_named_baselines_into_the_history(book):
    from xlcollab.history import History, load, names

    data = read_workbook(book)
    n_tasks = data.tables["tasks"]["wbs"].dropna().nunique()
    n_budget = len(data.tables["budget"])
    hfile = book.parent / ".xlcollab" / "history.sqlite"
    messages = []
    for _ in range(2):  # the same day twice: the second name gets a suffix
        result, adapter = run("baseline", book)
        assert result.ok, result.message
        assert adapter.alerts == [result.message]
        messages.append(result.message)
    assert messages[0] == (
        f"已冻结基线“基线 2026-04-01”（2026-04-01）：任务 {n_tasks} 项，"
        f"预算 {n_budget} 行；历史数据库 {hfile}"
    )
    assert "“基线 2026-04-01-2”" in messages[1]
    with History.open(hfile) as h:
        assert names(h) == [
            ("基线 2026-04-01", dt.date(2026, 4, 1)),
            ("基线 2026-04-01-2", dt.date(2026, 4, 1)),
        ]
        b = load(h, "基线 2026-04-01-2")
    assert len(b.tasks) == n_tasks > 0 and len(b.budget) == n_budget > 0
    assert list(b.tasks["wbs"]) == [
        str(w).strip() for w in data.tables["tasks"]["wbs"].dropna().drop_duplicates()
    ]
    assert read_workbook(book).tables["tasks"].equals(data.tables["tasks"])  # read only


def test_baseline_button_in_an_english_workbook(tmp_path):
    from xlcollab.history import History, names
    from xlcollab.io.save import save_new_workbook
    from xlcollab.workbook import build_workbook
    from xlcollab.workbook.demo import demo_project

    path = tmp_path / "demo-en.xlsx"
    save_new_workbook(build_workbook(demo_project("en")), path)
    result, _ = run("baseline", path)
    assert result.ok, result.message
    assert result.message.startswith("Frozen 'Baseline 2026-04-01' (2026-04-01): ")
    assert "budget lines; history " in result.message
    with History.open(tmp_path / ".xlcollab" / "history.sqlite") as h:
        assert [n for n, _ in names(h)] == ["Baseline 2026-04-01"]


def test_baseline_names_are_automatic_and_free():
    day = dt.date(2026, 4, 1)
    assert ribbon.baseline_name([], day) == "基线 2026-04-01"
    assert (
        ribbon.baseline_name(["基线 2026-04-01", "基线 2026-04-01-2"], day) == "基线 2026-04-01-3"
    )
    assert ribbon.baseline_name(["基线 2026-04-01"], day, "en") == "Baseline 2026-04-01"
    assert ribbon.baseline_name(["Baseline 2026-04-01"], day, "en") == "Baseline 2026-04-01-2"


def test_baseline_needs_a_saved_workbook(book):
    result = ribbon.dispatch("baseline", _Unsaved(book))
    assert not result.ok and "请先保存工作簿" in result.message
    assert not (book.parent / ".xlcollab").exists()


def test_unknown_tag_is_a_clear_message(book):
    result, adapter = run("no_such_button", book)
    assert not result.ok
    assert "未知的按钮命令" in result.message and "xlcollab addin install" in result.message
    assert adapter.alerts == [result.message]


def test_failures_are_messages_not_tracebacks(tmp_path, book):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    result, adapter = run("validate", broken)
    assert not result.ok and adapter.alerts
    assert "broken.xlsx" in result.message and "Traceback" not in result.message

    # Excel has the file open: the safe writer refuses, the user is told why
    (book.parent / ("~$" + book.name)).write_text("")
    before = book.read_bytes()
    result, adapter = run("validate", book)
    assert not result.ok and "Excel" in result.message
    assert book.read_bytes() == before


class _Unsaved(FileAdapter):
    """A live book that was never saved: no folder for documents."""

    @property
    def path(self):
        return None

    def read(self, lang=None):
        return read_workbook(self._path, lang=lang)


def test_documents_need_a_saved_workbook(book):
    adapter = _Unsaved(book)
    result = ribbon.dispatch("charter", adapter)
    assert not result.ok and "请先保存工作簿" in result.message


def test_an_internal_error_is_logged_not_shown(book, monkeypatch):
    def boom(run):
        raise KeyError("tasks")

    monkeypatch.setitem(ribbon.COMMANDS, "about", boom)
    result, adapter = run("about", book)
    assert not result.ok
    assert "内部错误" in result.message and "KeyError" in result.message
    log = book.parent / "reports" / "xlcollab-error.log"
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert "Traceback" not in result.message


def test_xlwings_conf_keys_are_ones_xlwings_reads(demo_path):
    """The master workbook's xlwings.conf sheet: every key is one the xlwings
    VBA (GetConfig, keys compared upper-case) reads, and no key is empty
    (an empty value on the sheet would hide the user's own xlwings.conf)."""
    import openpyxl
    from pyopenvba import ExcelFile

    from xlcollab.excel.addin import template_path

    with ExcelFile(str(template_path())) as wb:
        vba = wb.get_module("xlwings")
    import re

    read = {k.upper() for k in re.findall(r'GetConfig\("([^"]+)"', vba)}
    sheet = openpyxl.load_workbook(demo_path)["xlwings.conf"]
    rows = [(r[0], r[1]) for r in sheet.iter_rows(values_only=True) if r[0] is not None]
    assert rows, "the xlwings.conf sheet is empty"
    for key, value in rows:
        assert key.upper() in read, f"xlwings does not read {key!r}"
        assert value not in (None, ""), f"{key} is empty on the sheet"
    assert ("UDF Modules", "xlcollab.excel.udfs") in rows
    # RunPython reuses one warm Python process (the UDF server) across presses
    assert ("Use UDF Server", "True") in rows


def test_tidy_button_writes_what_fix_writes(book):
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["任务清单"]
    header = {c.value: c.column for c in ws[1]}
    ws.cell(2, header["计划完成"]).value = "2026/3/6"
    ws.cell(3, header["状态"]).value = "Done"
    ws.cell(4, header["计划开始"]).value = "2026/13/01"  # not understood: left alone
    wb.save(book)
    result, adapter = run("tidy", book)
    assert result.ok, result.message
    assert "已整理 2 个单元格" in result.message and "2026/3/6 → 2026-03-06" in result.message
    assert "2026/13/01" in result.message and "未修改" in result.message
    data = read_workbook(book)
    assert data.tolerated == []
    assert str(data.tables["tasks"].at[2, "planned_finish"].date()) == "2026-03-06"
    again, _ = run("tidy", book)
    assert again.ok and "没有需要整理" in again.message
