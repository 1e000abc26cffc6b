"""Importing departments' own trackers, laid out three different ways."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.io import read_workbook

runner = CliRunner()


@pytest.fixture
def master(demo_path, tmp_path):
    path = tmp_path / "master.xlsx"
    shutil.copy(demo_path, path)
    return path


def _xlsx(path, rows):
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _import(master, file, *extra):
    r = runner.invoke(app, ["import", str(file), "--into", str(master), "--parent", "3.2", *extra])
    return r


def _new(master, before):
    t = read_workbook(master).tables["tasks"]
    return t[~t["wbs"].isin(before)].sort_values("wbs")


def test_chinese_tracker_with_title_rows(master, tmp_path):
    file = _xlsx(
        tmp_path / "it.xlsx",
        [
            ["信息技术部 工作跟踪表"],
            ["更新：2026-03-30"],
            [],
            ["序号", "事项", "责任人", "截止日期", "进度", "状态", "备注"],
            [1, "堡垒机开通", "高远", dt.date(2026, 4, 8), 0.5, "处理中", ""],
            [2, "数据库扩容", "杨帆", "2026/4/10", "100%", "已完成", "提前完成"],
            [3, "测试环境证书", "李明辉", "下周", "", "卡住", ""],
            [4, "", "高远", "", "", "", "只有备注"],
        ],
    )
    before = set(read_workbook(master).tables["tasks"]["wbs"])
    r = _import(master, file)
    assert r.exit_code == 0, r.output
    assert "预览" in r.output and "事项" in r.output and "第 4 行为表头" in r.output
    assert "不是日期" in r.output and "缺少任务名称" in r.output
    assert len(_new(master, before)) == 0  # the first run only previews
    r = _import(master, file)
    assert r.exit_code == 0, r.output
    new = _new(master, before)
    assert list(new["name"]) == ["堡垒机开通", "数据库扩容"]
    assert list(new["status"]) == ["in_progress", "done"]
    assert list(new["owner"]) == ["高远", "杨帆"]
    assert [float(p) for p in new["progress"]] == [0.5, 1.0]
    assert new.iloc[1]["planned_finish"] == dt.datetime(2026, 4, 10)
    assert all(w.startswith("3.2.") for w in new["wbs"])
    assert set(new["department"]) == {
        read_workbook(master).tables["tasks"].set_index("wbs").at["3.2", "department"]
    }
    # importing the same file again adds nothing
    r = _import(master, file, "--write")
    assert r.exit_code == 0 and len(_new(master, before)) == 2


def test_gbk_csv_tracker(master, tmp_path):
    text = (
        "负责人,任务,计划完成,完成率,Status\n"
        "高远,接口文档评审,2026-04-09,30%,In progress\n"
        "杨帆,压测脚本,2026-04-15,0,Todo\n"
    )
    file = tmp_path / "tracker.csv"
    file.write_bytes(text.encode("gbk"))
    before = set(read_workbook(master).tables["tasks"]["wbs"])
    r = _import(master, file, "--write")
    assert r.exit_code == 0, r.output
    new = _new(master, before)
    assert list(new["name"]) == ["接口文档评审", "压测脚本"]
    assert list(new["status"]) == ["in_progress", "not_started"]
    assert [float(p) for p in new["progress"]] == [0.3, 0.0]


def test_english_tracker_with_a_mapped_column(master, tmp_path):
    file = _xlsx(
        tmp_path / "en.xlsx",
        [
            ["Team tracker", None, None, None],
            ["Title", "Assignee", "Due", "Who signs", "State"],
            ["Load balancer", "高远", dt.date(2026, 4, 20), "王建国", "Blocked"],
            ["Backups", "杨帆", dt.date(2026, 4, 22), "王建国", "Done"],
        ],
    )
    before = set(read_workbook(master).tables["tasks"]["wbs"])
    r = _import(master, file, "--write", "--map", "Who signs=备注", "--map", "State=status")
    assert r.exit_code == 0, r.output
    new = _new(master, before)
    assert list(new["name"]) == ["Load balancer", "Backups"]
    assert list(new["status"]) == ["blocked", "done"]
    assert list(new["notes"]) == ["王建国", "王建国"]


@pytest.mark.libreoffice
def test_xls_tracker(master, tmp_path, office):
    from xlcollab.io.office import convert

    src = _xlsx(
        tmp_path / "old.xlsx",
        [
            ["工作事项", "经办人", "完成时间", "当前状态"],
            ["旧系统下线", "高远", dt.date(2026, 4, 28), "待办"],
        ],
    )
    xls = convert(src, "xls", tmp_path / "xls")
    before = set(read_workbook(master).tables["tasks"]["wbs"])
    r = _import(master, xls, "--write")
    assert r.exit_code == 0, r.output
    new = _new(master, before)
    assert list(new["name"]) == ["旧系统下线"] and list(new["status"]) == ["not_started"]
