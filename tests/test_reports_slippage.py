"""The weekly report's 基线偏差 section, read back: a baseline frozen on the
demo, two tasks' planned finish moved later (one across Qingming), the
report against the baseline (library and command line) and without one."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from docx import Document
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.history import BaselineError, History, freeze, workbook_slippage
from xlcollab.io import read_workbook
from xlcollab.reports import generate
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import STATUS_DATE, demo_project

D = dt.date
SECTION = {"zh": "五、基线偏差", "en": "5. Slippage against baseline"}


def section(path, lang="zh"):
    """The paragraphs and tables after the slippage heading, in order:
    ("p", text) and ("t", rows)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    out, on = [], False
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, doc)
            if p.text.strip() == SECTION[lang]:
                on = True
            elif on and p.style.name == "Heading 1":
                break
            if on and p.text.strip():
                out.append(("p", p.text.strip()))
        elif tag == "tbl" and on:
            out.append(("t", [[c.text.strip() for c in r.cells] for r in Table(el, doc).rows]))
    assert out, f"no {SECTION[lang]} section"
    return out


def tables(sec):
    return [b[1] for b in sec if b[0] == "t"]


@pytest.fixture
def slipped(tmp_path):
    """(workbook, history): baseline 计划基线1 frozen on the demo, then
    3.3.1 4/16 -> 4/21 (3 working days) and 3.3.4 3/31 -> 4/8 (5 working
    days: 4/4-4/6 are the Qingming holiday) saved into the workbook."""
    data = demo_project()
    wb = tmp_path / "demo.xlsx"
    build_workbook(data).save(wb)
    hist = tmp_path / "hist" / "h.sqlite"
    with History.open(hist) as h:
        freeze(h, "计划基线1", read_workbook(wb), D(2026, 3, 13), workbook=wb.name)
    t = data.tables["tasks"]
    t.loc[t["wbs"] == "3.3.1", "planned_finish"] = pd.Timestamp(2026, 4, 21)
    t.loc[t["wbs"] == "3.3.4", "planned_finish"] = pd.Timestamp(2026, 4, 8)
    build_workbook(data).save(wb)
    return wb, hist


def assert_slippage(sec, lang="zh"):
    depts, top = tables(sec)
    assert depts[0] == (
        ["部门", "比较任务数", "推迟任务数", "合计推迟", "最大推迟"]
        if lang == "zh"
        else ["Department", "Tasks compared", "Tasks slipped", "Total slip", "Largest slip"]
    )
    by = {r[0]: r[1:] for r in depts[1:]}
    assert by["信息技术部"][1:] == ["1", "5", "5"]
    assert by["产品研发部"][1:] == ["1", "3", "3"]
    assert [r[0] for r in depts[1:3]] == ["信息技术部", "产品研发部"]  # most slipped first
    assert all(r[2:] == ["0", "0", "0"] for r in depts[3:])
    assert top[1:] == [
        ["3.3.4", "呼叫中心系统对接", "信息技术部", "2026-03-31", "2026-04-08", "5"],
        ["3.3.1", "客服工单模块开发", "产品研发部", "2026-04-16", "2026-04-21", "3"],
    ]


def test_weekly_shows_slippage_against_the_baseline(slipped, tmp_path):
    wb, hist = slipped
    data = read_workbook(wb)
    slip = workbook_slippage(wb, data, "计划基线1", override=hist)
    path = generate("weekly", data, tmp_path / "out", as_of=STATUS_DATE, slip=slip)
    sec = section(path)
    assert sec[1] == (
        "p",
        "与基线“计划基线1”（2026-03-13）相比，2项任务完成日期推迟，合计8个工作日",
    )
    assert_slippage(sec)
    en = generate("weekly", data, tmp_path / "en", as_of=STATUS_DATE, slip=slip, lang="en")
    sec = section(en, "en")
    assert sec[1][1].startswith("Against baseline 计划基线1 (2026-03-13): 2 tasks finish later")
    assert_slippage(sec, "en")


def test_weekly_without_a_baseline_says_so(slipped, tmp_path):
    wb, _ = slipped
    path = generate("weekly", read_workbook(wb), tmp_path, as_of=STATUS_DATE)
    sec = section(path)
    assert len(sec) == 2 and sec[1][1].startswith("未指定基线")
    assert not tables(sec)


def test_latest_baseline_and_a_missing_one(slipped):
    wb, hist = slipped
    data = read_workbook(wb)
    with History.open(hist) as h:  # frozen after the move: nothing slipped against it
        freeze(h, "计划基线2", data, D(2026, 3, 20))
    latest = workbook_slippage(wb, data, override=hist)
    assert latest.name == "计划基线2" and int(latest.departments["total_slip"].sum()) == 0
    with pytest.raises(BaselineError):
        workbook_slippage(wb, data, "计划基线9", override=hist)
    assert workbook_slippage(wb, data) is None  # no history beside the workbook: nothing to show


def test_cli_report_weekly_with_baseline(slipped, tmp_path):
    wb, hist = slipped
    runner = CliRunner()
    out = tmp_path / "cli"
    res = runner.invoke(
        app,
        [
            "report",
            "weekly",
            str(wb),
            "--as-of",
            "2026-04-01",
            "--baseline",
            "计划基线1",
            "--history",
            str(hist),
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    (path,) = out.glob("周例会进度报告_*.docx")
    assert_slippage(section(path))
    # a baseline that does not exist: a clear message, exit 2, nothing written
    res = runner.invoke(
        app,
        [
            "report",
            "weekly",
            str(wb),
            "--baseline",
            "计划基线9",
            "--history",
            str(hist),
            "-o",
            str(tmp_path / "none"),
        ],
    )
    assert res.exit_code == 2 and "计划基线9" in res.output
    assert not (tmp_path / "none").exists()
    # harmless for the other kinds
    res = runner.invoke(
        app,
        [
            "report",
            "checklist",
            str(wb),
            "--as-of",
            "2026-04-01",
            "--baseline",
            "计划基线1",
            "--history",
            str(hist),
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
