"""Department packs through real files: split, edit, merge."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.io import read_workbook
from xlcollab.io.safety import owner_file
from xlcollab.io.writeback import SheetEdit, write_back
from xlcollab.packs.fingerprint import canonical
from xlcollab.schema import PACK_INFO, PACK_ROW_ID, PACK_RULES, SHEETS, TASKS
from xlcollab.workbook.layout import col_index

IT, FIN = "信息技术部", "财务部"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console():
    from xlcollab.cli.common import console

    width = console.width
    console.width = 400  # the preview table on one line per row
    yield
    console.width = width


@pytest.fixture
def master(demo_path, tmp_path):
    path = tmp_path / "master.xlsx"
    shutil.copy(demo_path, path)
    return path


def _split(master, out, *depts):
    args = ["split", str(master), "-o", str(out), "--as-of", "2026-04-01"]
    for d in depts:
        args += ["--departments", d]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return {d: next(out.glob(f"*_{d}_2026-04-01.xlsx")) for d in depts}


def _merge(master, *packs, dry_run=False):
    args = ["merge", str(master), *map(str, packs), "--as-of", "2026-04-02"]
    return runner.invoke(app, args + (["--dry-run"] if dry_run else []))


def _pack_row(ws, sheet_key, row_id):
    j = len(SHEETS[sheet_key].columns) + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, j).value == row_id:
            return r
    raise KeyError(row_id)


def test_split_then_merge_without_edits_changes_nothing(master, tmp_path):
    before = master.read_bytes()
    packs = _split(master, tmp_path / "packs", IT, FIN)
    r = _merge(master, *packs.values())
    assert r.exit_code == 0, r.output
    assert "没有需要合并的修改" in r.output
    assert master.read_bytes() == before


def test_pack_locks_and_hidden_identity(master, tmp_path):
    pack = _split(master, tmp_path / "packs", IT)[IT]
    wb = openpyxl.load_workbook(pack)
    assert wb.sheetnames[0] == "说明" and wb.active.title == "说明"
    assert "请于 2026-04-03 前" in wb["说明"]["A2"].value
    assert wb[PACK_INFO.zh].sheet_state == "veryHidden"
    ws = wb[TASKS.zh]
    assert ws.protection.sheet
    id_col = len(TASKS.columns) + 1
    assert ws.cell(1, id_col).value == PACK_ROW_ID.zh
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(id_col)].hidden
    assert ws.tables["tblTasks"].ref.startswith("A1:" + openpyxl.utils.get_column_letter(id_col))
    dept_col, status_col, name_col = (
        col_index("tasks", k) for k in ("department", "status", "name")
    )
    wbs_col = col_index("tasks", "wbs")
    codes = [str(ws.cell(r, wbs_col).value or "") for r in range(2, ws.max_row + 1)]
    own = other = own_summary = 0
    for r in range(2, ws.max_row + 1):
        dept = ws.cell(r, dept_col).value
        if not dept:
            continue
        if dept == IT:
            own += 1
            code = str(ws.cell(r, wbs_col).value)
            if any(c.startswith(code + ".") for c in codes):
                # a summary row's status is rolled up from the rows under it
                own_summary += 1
                assert ws.cell(r, status_col).protection.locked is True
            else:
                assert ws.cell(r, status_col).protection.locked is False
            assert ws.cell(r, name_col).protection.locked is True
        else:
            other += 1
            assert ws.cell(r, status_col).protection.locked is True
    assert own - own_summary >= 5 and own_summary >= 1 and other >= 1
    # same dropdowns and conditional formats as the master
    assert ws.data_validations.dataValidation
    assert len(ws.conditional_formatting) >= 2


def _edit_pack(pack, edits, new_task=None, resort=False):
    """Edit a pack as a liaison would in Excel: cells by row id."""
    wb = openpyxl.load_workbook(pack)
    for sheet_key, row_id, key, value in edits:
        ws = wb[SHEETS[sheet_key].zh]
        ws.cell(_pack_row(ws, sheet_key, row_id), col_index(sheet_key, key)).value = value
    ws = wb[TASKS.zh]
    if resort:  # reverse the order of the records' input cells and ids
        keys = [c.key for c in TASKS.input_columns]
        id_col = len(TASKS.columns) + 1
        rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, id_col).value]
        cols = [col_index("tasks", k) for k in keys] + [id_col]
        values = [[ws.cell(r, c).value for c in cols] for r in rows]
        for r, vals in zip(rows, reversed(values), strict=True):
            for c, v in zip(cols, vals, strict=True):
                ws.cell(r, c).value = v
    if new_task:
        id_col = len(TASKS.columns) + 1
        r = max(r for r in range(2, ws.max_row + 1) if ws.cell(r, id_col).value) + 1
        for key, value in new_task.items():
            ws.cell(r, col_index("tasks", key)).value = value
    wb.save(pack)


def _own_task(master_data, dept, status_not="done"):
    t = master_data.tables["tasks"]
    rows = t[(t["department"] == dept) & (t["status"] != status_not)]
    leaf = [w for w in rows["wbs"] if not any(str(x).startswith(w + ".") for x in t["wbs"])]
    return leaf[0], int(rows.index[list(rows["wbs"]).index(leaf[0])])


def test_split_edit_merge_equals_editing_the_master(master, tmp_path):
    data = read_workbook(master)
    wbs, row = _own_task(data, IT)
    direct = tmp_path / "direct.xlsx"
    shutil.copy(master, direct)
    e = SheetEdit.for_sheet(data, "tasks")
    e.set(row, "notes", "接口联调已排期").set(row, "status", "进行中").set(row, "progress", 0.6)
    write_back(direct, [e])

    pack = _split(master, tmp_path / "packs", IT)[IT]
    _edit_pack(
        pack,
        [
            ("tasks", f"k:{wbs}", "notes", "接口联调已排期"),
            ("tasks", f"k:{wbs}", "status", "进行中"),
            ("tasks", f"k:{wbs}", "progress", 0.6),
        ],
        resort=True,
    )
    r = _merge(master, pack)
    assert r.exit_code == 0, r.output
    got, want = read_workbook(master), read_workbook(direct)
    for sheet in PACK_RULES:
        keys = [c.key for c in SHEETS[sheet].input_columns]
        assert (
            got.tables[sheet][keys]
            .astype(object)
            .map(canonical)
            .equals(want.tables[sheet][keys].astype(object).map(canonical))
        ), sheet
    # recorded in 变更记录 with department, pack file and time
    log = got.tables["changelog"]
    assert set(log["change"]) >= {"回传修改", "合并回传"}
    assert any(IT in str(v) and pack.name in str(v) for v in log["modified_by"])
    # merging the same pack twice changes nothing the second time
    after = master.read_bytes()
    r = _merge(master, pack)
    assert r.exit_code == 0, r.output
    assert master.read_bytes() == after


def test_conflicts_are_listed_and_never_applied(master, tmp_path):
    data = read_workbook(master)
    wbs, row = _own_task(data, IT)
    pack = _split(master, tmp_path / "packs", IT)[IT]
    wb = openpyxl.load_workbook(pack)
    ws = wb[TASKS.zh]
    dept_col, id_col = col_index("tasks", "department"), len(TASKS.columns) + 1
    other_id = next(
        ws.cell(r, id_col).value
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, dept_col).value not in (IT, None)
    )
    # the PM changes the same task in the master meanwhile
    e = SheetEdit.for_sheet(data, "tasks").set(row, "notes", "项目经理的备注")
    write_back(master, [e])
    _edit_pack(
        pack,
        [
            ("tasks", f"k:{wbs}", "status", "阻塞"),  # the master changed this row: conflict
            ("tasks", other_id, "notes", "改别人的"),  # another department's row
            ("tasks", f"k:{wbs}", "name", "改名"),  # a locked column
            ("tasks", f"k:{wbs}", "days_late", 3),  # a formula typed over
        ],
        new_task={
            "wbs": f"{wbs}.9",
            "name": "新增联调任务",
            "owner": "高远",
            "status": "未开始",
            "planned_start": dt.date(2026, 4, 6),
            "planned_finish": dt.date(2026, 4, 10),
        },
    )
    before = read_workbook(master)
    r = _merge(master, pack, dry_run=True)
    assert r.exit_code == 1
    out = r.output
    print(out)
    assert (
        "冲突" in out and "拆分后已在主工作簿中修改" in out and "改名" in out and "改别人的" in out
    )
    assert f"{wbs}.9" in out
    assert "是公式列" in out
    r = _merge(master, pack)
    assert r.exit_code == 1
    after = read_workbook(master)
    t0, t1 = before.tables["tasks"], after.tables["tasks"]
    assert t1.at[row, "status"] == t0.at[row, "status"]
    assert t1.at[row, "name"] == t0.at[row, "name"]
    assert t1.at[row, "notes"] == "项目经理的备注"
    ws = openpyxl.load_workbook(master)[TASKS.zh]
    assert str(ws.cell(row, col_index("tasks", "days_late")).value).startswith("=")
    new = t1[t1["wbs"] == f"{wbs}.9"]
    assert (
        len(new) == 1 and new.iloc[0]["department"] == IT and new.iloc[0]["name"] == "新增联调任务"
    )
    # a merged pack makes an older split of the same department refused
    other = master.read_bytes()
    assert other


def test_merge_refuses_while_the_master_is_open(master, tmp_path):
    data = read_workbook(master)
    wbs, _ = _own_task(data, IT)
    pack = _split(master, tmp_path / "packs", IT)[IT]
    _edit_pack(pack, [("tasks", f"k:{wbs}", "notes", "新备注")])
    lock = owner_file(master)
    lock.write_bytes(b"x")
    before = master.read_bytes()
    r = _merge(master, pack)
    assert r.exit_code == 2
    assert "正在被 Excel 打开" in r.output
    assert master.read_bytes() == before
    lock.unlink()
    assert _merge(master, pack).exit_code == 0
    assert read_workbook(master).tables["tasks"].set_index("wbs").at[wbs, "notes"] == "新备注"


def test_pack_of_another_project_is_refused(master, tmp_path):
    pack = _split(master, tmp_path / "packs", IT)[IT]
    data = read_workbook(master)
    e = SheetEdit.for_sheet(data, "overview").set(
        data.layout["overview"].rows["name"], "B", "别的项目"
    )
    write_back(master, [e])
    wbs, _ = _own_task(data, IT)
    _edit_pack(pack, [("tasks", f"k:{wbs}", "notes", "新备注")])
    before = master.read_bytes()
    r = _merge(master, pack)
    assert r.exit_code == 1 and "另一个项目" in r.output
    assert master.read_bytes() == before


def test_older_split_is_refused(master, tmp_path):
    data = read_workbook(master)
    wbs, _ = _own_task(data, IT)
    from xlcollab.cli.packs import write_packs

    day = dt.date(2026, 4, 1)
    (old,) = write_packs(data, tmp_path / "old", [IT], day, dt.datetime(2026, 4, 1, 9, 0))
    (new,) = write_packs(data, tmp_path / "new", [IT], day, dt.datetime(2026, 4, 1, 15, 30))
    _edit_pack(old, [("tasks", f"k:{wbs}", "notes", "旧的")])
    _edit_pack(new, [("tasks", f"k:{wbs}", "notes", "新的")])
    assert _merge(master, new).exit_code == 0
    before = master.read_bytes()
    r = _merge(master, old)
    assert r.exit_code == 1 and "较早的拆分" in r.output
    assert master.read_bytes() == before


def test_ribbon_button_merges_the_returned_packs(master, tmp_path):
    from xlcollab.excel.adapter import FileAdapter
    from xlcollab.excel.ribbon import dispatch
    from xlcollab.schema import PACK_INBOX

    data = read_workbook(master)
    wbs, _ = _own_task(data, IT)
    inbox = master.parent / PACK_INBOX["zh"]
    pack = _split(master, inbox, IT)[IT]
    _edit_pack(pack, [("tasks", f"k:{wbs}", "notes", "按钮合并")])
    result = dispatch("merge_packs", FileAdapter(master), as_of=dt.date(2026, 4, 2))
    assert result.ok, result.message
    assert "写入 1 个单元格" in result.message
    assert read_workbook(master).tables["tasks"].set_index("wbs").at[wbs, "notes"] == "按钮合并"


def test_the_nightly_run_keeps_the_merge_records(master, tmp_path):
    from xlcollab.nightly.run import run_once

    data = read_workbook(master)
    wbs, _ = _own_task(data, IT)
    from xlcollab.cli.packs import write_packs

    day = dt.date(2026, 4, 1)
    (old,) = write_packs(data, tmp_path / "old", [IT], day, dt.datetime(2026, 4, 1, 9, 0))
    (new,) = write_packs(data, tmp_path / "new", [IT], day, dt.datetime(2026, 4, 1, 15, 30))
    _edit_pack(new, [("tasks", f"k:{wbs}", "notes", "新的")])
    _edit_pack(old, [("tasks", f"k:{wbs}", "notes", "旧的")])
    assert _merge(master, new).exit_code == 0
    assert run_once(master, dt.date(2026, 4, 2)).written
    log = read_workbook(master).tables["changelog"]
    assert {"回传修改", "合并回传"} <= set(log["change"])
    r = _merge(master, old)
    assert r.exit_code == 1 and "较早的拆分" in r.output


def test_a_summary_rows_rolled_up_cells_are_computed_in_a_pack(master, tmp_path):
    """3.2 is 信息技术部's summary row: its dates, progress and status come
    from the rows under it, so they are locked in the pack, and a value
    typed over them is a conflict, never written to the master."""
    pack = _split(master, tmp_path / "packs", IT)[IT]
    ws = openpyxl.load_workbook(pack)[TASKS.zh]
    row = _pack_row(ws, "tasks", "k:3.2")
    for key in ("planned_start", "planned_finish", "progress", "status"):
        cell = ws.cell(row, col_index("tasks", key))
        assert cell.protection.locked is True
        assert str(cell.value).startswith("=")
    assert ws.cell(row, col_index("tasks", "notes")).protection.locked is False
    _edit_pack(pack, [("tasks", "k:3.2", "status", "已完成"), ("tasks", "k:3.2", "progress", 1)])
    before = master.read_bytes()
    r = _merge(master, pack)
    assert r.exit_code == 1
    assert "是公式列" in r.output and "已完成" in r.output
    assert master.read_bytes() == before
