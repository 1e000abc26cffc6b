"""Tolerated is not silent, and `xlcollab fix` makes the sheet compute again.

A copy of the demo holds one value of each tolerated kind, each written as
the text a person would type for the value the demo already holds (so the
project means the same before and after tidying): a date typed as text, a
date in full-width digits, a percentage and an amount typed as text, a
full-width number, a status synonym and the status in English, a name and a
department with stray spaces. ``check`` gives one warning per cell;
``fix --dry-run`` lists them and writes nothing; ``fix`` converts them and
records them on 变更记录; a second ``fix`` changes nothing. LibreOffice
shows markers on the affected rows before, and agrees with Python on every
flag of every row after.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.io import read_workbook
from xlcollab.io.safety import backups_of
from xlcollab.schema import SHEETS, marker

AS_OF = "2026-04-01"
FULL = str.maketrans("0123456789-.%", "０１２３４５６７８９－．％")


def _col(ws, key: str, sheet: str) -> int:
    header = SHEETS[sheet].col(key).zh
    for c in ws[1]:
        if c.value == header:
            return c.column
    raise KeyError(header)


def _row(ws, value, column: int = 1) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, column).value == value:
            return r
    raise KeyError(value)


def _first(ws, sheet: str, key: str, test) -> int:
    c = _col(ws, key, sheet)
    for r in range(2, ws.max_row + 1):
        if test(ws.cell(r, c).value):
            return r
    raise KeyError(key)


def _plant(wb) -> list[tuple[str, str, str]]:
    """Write each tolerated kind once; (sheet name, cell, rule id) of each."""
    planted = []

    def put(sheet: str, row: int, key: str, text: str, rule: str):
        ws = wb[SHEETS[sheet].zh]
        cell = ws.cell(row, _col(ws, key, sheet))
        cell.value = text
        planted.append((ws.title, cell.coordinate, rule))

    tasks = wb[SHEETS["tasks"].zh]
    pf = _col(tasks, "planned_finish", "tasks")
    r = _row(tasks, "3.4.2")
    d = tasks.cell(r, pf).value
    put("tasks", r, "planned_finish", f"{d.year}/{d.month}/{d.day}", "values.text_date")
    r = _row(tasks, "4.4")
    d = tasks.cell(r, pf).value
    put("tasks", r, "planned_finish", d.strftime("%Y-%m-%d").translate(FULL), "values.full_width")
    r = _first(tasks, "tasks", "progress", lambda v: isinstance(v, float) and 0 < v < 1)
    v = tasks.cell(r, _col(tasks, "progress", "tasks")).value
    put("tasks", r, "progress", f"{v * 100:g}%", "values.text_number")
    st = _col(tasks, "status", "tasks")
    done = [r for r in range(2, tasks.max_row + 1) if tasks.cell(r, st).value == "已完成"]
    put("tasks", done[0], "status", "完成", "values.choice_alias")
    put("tasks", done[1], "status", "Done", "values.choice_alias")
    owner = _col(tasks, "owner", "tasks")
    r = _first(tasks, "tasks", "owner", lambda v: isinstance(v, str) and len(v) == 2)
    name = tasks.cell(r, owner).value
    put("tasks", r, "owner", f"{name[0]} {name[1]}", "values.name_spacing")
    dept = _col(tasks, "department", "tasks")
    r2 = r + 1
    put("tasks", r2, "department", f" {tasks.cell(r2, dept).value}　", "values.name_spacing")

    risks = wb[SHEETS["risks"].zh]
    v = risks.cell(2, _col(risks, "probability", "risks")).value
    put("risks", 2, "probability", str(v).translate(FULL), "values.full_width")
    d = risks.cell(3, _col(risks, "identified", "risks")).value
    put("risks", 3, "identified", f"{d.year}年{d.month}月{d.day}日", "values.text_date")

    budget = wb[SHEETS["budget"].zh]
    v = budget.cell(2, _col(budget, "amount", "budget")).value
    put("budget", 2, "amount", f"¥{v:,.2f}", "values.text_number")
    expenses = wb[SHEETS["expenses"].zh]
    v = expenses.cell(3, _col(expenses, "amount", "expenses")).value
    put("expenses", 3, "amount", f"{v:,.2f}", "values.text_number")
    return planted


@pytest.fixture(scope="module")
def tolerant(tmp_path_factory, demo_path) -> tuple[Path, list]:
    wb = openpyxl.load_workbook(demo_path)
    planted = _plant(wb)
    path = tmp_path_factory.mktemp("tolerant") / "tolerant.xlsx"
    wb.save(path)
    return path, planted


@pytest.fixture()
def copy(tolerant, tmp_path) -> tuple[Path, list]:
    path, planted = tolerant
    target = tmp_path / path.name
    shutil.copy(path, target)
    return target, planted


runner = CliRunner()


def _fix(path: Path, *extra: str):
    return runner.invoke(app, ["fix", str(path), "--as-of", AS_OF, *extra])


def test_check_gives_one_warning_per_tolerated_cell(tolerant):
    path, planted = tolerant
    res = runner.invoke(app, ["check", str(path), "--format", "json", "--as-of", AS_OF])
    report = json.loads(res.stdout)
    got = sorted(
        (f["sheet"], f["cell"], f["rule_id"])
        for f in report["findings"]
        if f["rule_id"].startswith("values.")
    )
    assert got == sorted(planted)
    for f in report["findings"]:
        if f["rule_id"].startswith("values."):
            assert f["severity"] == "warning"
            assert "理解" in f["message"] and "xlcollab fix" in f["hint"]
    # read as meant: no error on the owner with a space, the text date, the status
    assert not [f for f in report["findings"] if f["rule_id"].startswith(("people.", "read."))]


def test_check_in_english(tolerant):
    path, _ = tolerant
    res = runner.invoke(
        app, ["check", str(path), "--format", "json", "--as-of", AS_OF, "--lang", "en"]
    )
    msgs = [f["message"] for f in json.loads(res.stdout)["findings"] if "values." in f["rule_id"]]
    assert any("is read as 2026" in m and "text" in m for m in msgs), msgs


def test_dry_run_lists_every_change_and_writes_nothing(copy):
    path, planted = copy
    before = path.read_bytes()
    res = _fix(path, "--dry-run")
    assert res.exit_code == 0, res.output
    for sheet, cell, _ in planted:
        assert cell in res.output and sheet in res.output
    assert "2026/" in res.output and "完成" in res.output
    assert path.read_bytes() == before
    assert backups_of(path) == []


def test_fix_converts_records_and_a_second_run_changes_nothing(copy, demo_path):
    path, planted = copy
    res = _fix(path)
    assert res.exit_code == 0, res.output
    assert len(backups_of(path)) == 1
    data = read_workbook(path)
    assert data.tolerated == []
    demo = read_workbook(demo_path)
    for key in ("tasks", "risks", "budget", "expenses"):
        cols = [c.key for c in SHEETS[key].input_columns]
        assert data.tables[key][cols].equals(demo.tables[key][cols]), key
    # stored as the right types, dates with the column's date format
    wb = openpyxl.load_workbook(path)
    for sheet, cell, rule in planted:
        c = wb[sheet][cell]
        if rule in ("values.text_date",) or (rule == "values.full_width" and sheet == "任务清单"):
            assert isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd", cell
        elif rule in ("values.text_number", "values.full_width"):
            assert isinstance(c.value, (int, float)), (cell, c.value)
        else:
            assert isinstance(c.value, str) and c.value == c.value.strip()
    log = wb[SHEETS["changelog"].zh]
    rows = [r for r in log.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    assert len(rows) == len(planted)
    assert {r[3] for r in rows} == {"整理"} and {r[7] for r in rows} == {"xlcollab fix"}
    assert any(r[5] == "完成" and r[6] == "已完成" for r in rows)
    # twice: nothing to do, nothing written
    after = path.read_bytes()
    res = _fix(path)
    assert res.exit_code == 0 and "没有需要整理" in res.output
    assert path.read_bytes() == after and len(backups_of(path)) == 1


def test_fix_lists_what_it_cannot_understand_and_leaves_it(copy):
    path, _ = copy
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEETS["tasks"].zh]
    ws.cell(_row(ws, "1.2"), _col(ws, "planned_start", "tasks")).value = "2026/13/01"
    ws.cell(_row(ws, "1.3"), _col(ws, "owner", "tasks")).value = "不存在 的人"
    wb.save(path)
    res = _fix(path)
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "2026/13/01" in said and "未修改" in said
    assert "不存在 的人" in said  # no name matches: listed, not guessed
    ws = openpyxl.load_workbook(path)[SHEETS["tasks"].zh]
    assert ws.cell(_row(ws, "1.2"), _col(ws, "planned_start", "tasks")).value == "2026/13/01"


def test_fix_refuses_while_excel_has_the_file(copy):
    path, _ = copy
    before = path.read_bytes()
    owner = path.with_name("~$" + path.name)
    owner.write_bytes(b"x")
    res = _fix(path)
    assert res.exit_code == 2 and "Excel" in res.output
    assert path.read_bytes() == before


# ------------------------------------------------------------ LibreOffice ---
def _flag_cells(wb, sheet: str, keys: tuple[str, ...]) -> dict[tuple[int, str], object]:
    ws = wb[SHEETS[sheet].zh]
    cols = {k: _col(ws, k, sheet) for k in keys}
    return {(r, k): ws.cell(r, c).value for r in range(2, ws.max_row + 1) for k, c in cols.items()}


TASK_FLAGS = ("days_late", "overdue", "due_soon")
RISK_FLAGS = ("score", "level", "review_overdue")
BUDGET_FLAGS = ("used", "remaining", "used_pct")


@pytest.mark.libreoffice
def test_formulas_show_markers_then_agree_with_python_after_fix(copy, office, tmp_path):
    from xlcollab.io.office import recalculate

    path, planted = copy
    before = openpyxl.load_workbook(recalculate(path, tmp_path / "before"), data_only=True)
    cells = {}
    for sheet, keys in (("tasks", TASK_FLAGS), ("risks", RISK_FLAGS), ("budget", BUDGET_FLAGS)):
        cells[sheet] = _flag_cells(before, sheet, keys)
        bad = [v for v in cells[sheet].values() if isinstance(v, str) and v.startswith("#")]
        assert not bad, (sheet, bad)  # never #VALUE!
    tasks = before[SHEETS["tasks"].zh]
    date_q, status_q, number_q = marker("date"), marker("status"), marker("number")
    for sheet, cell, rule in planted:
        row = int("".join(ch for ch in cell if ch.isdigit()))
        if sheet == tasks.title and rule in ("values.text_date", "values.full_width"):
            assert [cells["tasks"][(row, k)] for k in TASK_FLAGS] == [date_q] * 3, cell
        if sheet == tasks.title and rule == "values.choice_alias":
            assert [cells["tasks"][(row, k)] for k in TASK_FLAGS] == [status_q] * 3, cell
    assert cells["risks"][(2, "score")] == number_q and cells["risks"][(2, "level")] == number_q
    assert cells["risks"][(3, "review_overdue")] == date_q
    assert cells["budget"][(2, "remaining")] == number_q
    assert number_q in [v for (r, k), v in cells["budget"].items() if k == "used"]

    assert _fix(path).exit_code == 0
    data = read_workbook(path)
    day = dt.date.fromisoformat(AS_OF)
    after = recalculate(path, tmp_path / "after")
    lo = read_workbook(after)
    raw = openpyxl.load_workbook(after, data_only=True)
    for sheet, keys in (("tasks", TASK_FLAGS), ("risks", RISK_FLAGS), ("budget", BUDGET_FLAGS)):
        values = _flag_cells(raw, sheet, keys).values()
        assert not [v for v in values if isinstance(v, str) and ("?" in v or v.startswith("#"))]
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    tasks = data.tables["tasks"]
    py = flags.task_flags(tasks, day, cal, int(data.setting("due_soon_days")))
    got = lo.tables["tasks"]
    assert len(got) == len(tasks) >= 60
    assert [int(v) for v in got["days_late"]] == [int(v) for v in py["days_late"]]
    assert [bool(v) is True for v in got["overdue"].fillna(False)] == [
        bool(v) is True for v in py["overdue"].fillna(False)
    ]
    assert [bool(v) is True for v in got["due_soon"].fillna(False)] == [
        bool(v) is True for v in py["due_soon"].fillna(False)
    ]
    rf = flags.risk_flags(
        data.tables["risks"],
        day,
        int(data.setting("risk_medium")),
        int(data.setting("risk_high")),
        int(data.setting("risk_review_days")),
    )
    lr = lo.tables["risks"]
    assert [int(v) for v in lr["score"]] == [int(v) for v in rf["score"]]
    assert list(lr["level"]) == list(rf["level"])
    assert [bool(v) is True for v in lr["review_overdue"].fillna(False)] == [
        bool(v) is True for v in rf["review_overdue"].fillna(False)
    ]
    bu = flags.budget_used(data.tables["budget"], data.tables["expenses"])
    lb = lo.tables["budget"]
    cent = Decimal("0.01")
    assert [Decimal(str(v)).quantize(cent) for v in lb["used"]] == [
        v.quantize(cent) for v in bu["used"]
    ]
    assert [Decimal(str(v)).quantize(cent) for v in lb["remaining"]] == [
        v.quantize(cent) for v in bu["remaining"]
    ]
    assert [round(float(v), 6) for v in lb["used_pct"]] == [
        round(float(v), 6) for v in bu["used_pct"]
    ]


def test_the_nightly_job_keeps_the_tidied_rows_on_the_change_log(copy):
    from xlcollab.nightly.run import run_once

    path, planted = copy
    assert _fix(path).exit_code == 0
    result = run_once(path, dt.date(2026, 4, 2))
    assert result.ok and result.written, (result.error, result.write_note)
    log = openpyxl.load_workbook(path)[SHEETS["changelog"].zh]
    rows = [r for r in log.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    assert sum(1 for r in rows if r[3] == "整理") == len(planted)


def test_a_name_matches_only_when_exactly_one_person_does():
    import pandas as pd

    from xlcollab.io.tolerance import match_names, unknown_names
    from xlcollab.model.tolerated import Kind

    team = pd.DataFrame({"name": ["张伟", "李 娜", "李娜", "王芳"]}, index=[2, 3, 4, 5])
    tasks = pd.DataFrame({"owner": ["张 伟", "李娜", "王 芳 ", "赵六"]}, index=[2, 3, 4, 5])
    tables = {"team": team, "tasks": tasks, "departments": pd.DataFrame({"name": []})}
    got = match_names(tables, [])
    assert [(t.row, t.raw, t.value, t.kind) for t in got] == [
        (2, "张 伟", "张伟", Kind.NAME_SPACING),
        (4, "王 芳 ", "王芳", Kind.NAME_SPACING),
    ]
    assert list(tasks["owner"]) == ["张伟", "李娜", "王芳", "赵六"]
    # 李娜 is on the team as written; 赵六 matches nobody: left for a person to decide
    assert [(s, r, v) for s, r, _c, v in unknown_names(tables)] == [("tasks", 5, "赵六")]
