"""``xlcollab finance`` reads only the sheets it uses (SHEETS_USED): on a
master whose expense lines name unknown tasks, persons and departments,
hold tolerated entries and sit next to risks, milestones and meetings with
problems of their own, the month's finance and the Word report's context
are the same as from the whole workbook; the reader finds the other sheets
without parsing them. The command writes the Word report only once the
workbook is written (it renders the report meanwhile)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from xlcollab.core.calendar import WorkCalendar
from xlcollab.finance.pipeline import SHEETS_USED, monthly_finance
from xlcollab.finance.report import fund_report_context
from xlcollab.io import read_workbook
from xlcollab.io.save import save_new_workbook
from xlcollab.schema import SHEETS, Kind
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import STATUS_DATE, demo_project

MONTH = "2026-03"


def _odd_lines(ex: pd.DataFrame) -> pd.DataFrame:
    """Expense lines that the checks flag through other sheets."""
    base = dict(ex.iloc[-1].to_dict(), date=dt.datetime(2026, 3, 12))
    rows = [
        dict(base, task="9.9.9", invoice_no="INV-A"),  # no such task
        dict(base, approver="无名氏", invoice_no="INV-B"),  # not on the team sheet
        dict(base, department="不存在部", invoice_no="INV-C"),  # not on the departments sheet
        dict(base, date="2026/3/9", invoice_no="INV-D"),  # a date typed as text
        dict(base, approver=" ".join(str(base["approver"])), invoice_no="INV-E"),  # 徐 慧
        dict(base, date=dt.datetime(2026, 3, 10), invoice_no="INV-F", amount="¥1,200"),
    ]
    extra = pd.DataFrame(rows, index=range(ex.index[-1] + 1, ex.index[-1] + 1 + len(rows)))
    return pd.concat([ex.astype(object), extra.astype(object)])


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    data = demo_project()
    data.tables["expenses"] = _odd_lines(data.tables["expenses"])
    risks = data.tables["risks"].astype(object)
    risks.loc[risks.index[0], "owner"] = "无名氏"  # a problem on a sheet finance skips
    data.tables["risks"] = risks
    path = tmp_path_factory.mktemp("finance-sheets") / "master.xlsx"
    save_new_workbook(build_workbook(data), path)
    return path


def _finance(data):
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    return monthly_finance(data, MONTH, STATUS_DATE, cal, data.lang)


@pytest.fixture(scope="module")
def resaved(master, tmp_path_factory):
    """The master saved by a tool that keeps no formula values: the summary
    rows' rolled-up cells read empty."""
    from openpyxl import load_workbook

    path = tmp_path_factory.mktemp("finance-resaved") / "master.xlsx"
    load_workbook(master).save(path)
    return path


@pytest.mark.parametrize("which", ["master", "resaved"])
def test_the_month_is_the_same_from_the_sheets_finance_uses(which, request):
    path = request.getfixturevalue(which)
    whole = read_workbook(path)
    used = read_workbook(path, sheets=SHEETS_USED)
    pd.testing.assert_frame_equal(
        used.tables["tasks"][["wbs", "phase", "planned_start"]],
        whole.tables["tasks"][["wbs", "phase", "planned_start"]],
    )
    a, b = _finance(whole), _finance(used)
    rules = set(a.anomalies["rule_id"])
    # the flagged lines are there: tasks, persons, departments, tolerated entries
    assert {
        "refs.unknown_task",
        "people.unknown_person",
        "people.unknown_department",
        "values.text_date",
        "values.name_spacing",
        "values.text_number",
    } <= rules
    pd.testing.assert_frame_equal(a.anomalies, b.anomalies)
    pd.testing.assert_frame_equal(a.lines, b.lines)
    assert [str(f) for f in a.findings] == [str(f) for f in b.findings]
    for attr in ("by_department", "by_category", "lines"):
        pd.testing.assert_frame_equal(getattr(a.summary, attr), getattr(b.summary, attr))
    assert a.summary.total == b.summary.total
    pd.testing.assert_frame_equal(a.trend.cumulative, b.trend.cumulative)
    assert (a.project, a.month, a.filename()) == (b.project, b.month, b.filename())
    assert fund_report_context(a, whole, STATUS_DATE) == fund_report_context(b, used, STATUS_DATE)


def test_the_other_sheets_are_found_not_parsed(master):
    whole = read_workbook(master)
    wanted = ("team", "departments", "expenses")  # names are matched against the first two
    used = read_workbook(master, sheets=wanted)
    assert used.layout.keys() == whole.layout.keys()
    for key, sheet in SHEETS.items():
        assert used.layout[key].name == whole.layout[key].name
        if sheet.kind is not Kind.TABLE:
            continue
        if key in wanted:
            pd.testing.assert_frame_equal(used.tables[key], whole.tables[key])
        else:
            assert used.tables[key].empty
            assert list(used.tables[key].columns) == list(whole.tables[key].columns)
    assert used.settings == whole.settings  # always read
    assert used.lists == whole.lists
    assert not any(v for v in used.overview.values())
    read = {whole.sheet_name(key) for key in (*wanted, "settings", "lists")}
    assert [str(f) for f in used.findings] == [str(f) for f in whole.findings if f.sheet in read]
    assert used.tolerated == [t for t in whole.tolerated if t.sheet in wanted]


def test_a_table_read_by_some_columns(master):
    whole = read_workbook(master).tables["tasks"]
    tasks = read_workbook(master, sheets={"tasks": ("wbs", "phase")}).tables["tasks"]
    assert list(tasks.columns) == list(whole.columns)  # every schema column, typed
    assert (tasks.dtypes == whole.dtypes).all()
    coded = whole[whole["wbs"].notna() | whole["phase"].notna()]
    pd.testing.assert_frame_equal(tasks[["wbs", "phase"]], coded[["wbs", "phase"]])
    assert tasks.drop(columns=["wbs", "phase"]).isna().all().all()


def test_the_callers_work_meanwhile_runs_once_step_by_step(master):
    calls = []
    data = read_workbook(
        master, sheets=SHEETS_USED, meanwhile=[lambda: calls.append(1), lambda: calls.append(2)]
    )
    assert calls == [1, 2]  # every step, once, in order
    pd.testing.assert_frame_equal(data.tables["expenses"], read_workbook(master).tables["expenses"])


def test_a_missing_sheet_is_still_reported(tmp_path):
    from openpyxl import load_workbook

    data = demo_project()
    path = tmp_path / "master.xlsx"
    save_new_workbook(build_workbook(data), path)
    wb = load_workbook(path)
    del wb[SHEETS["budget"].name("zh")]
    wb.save(path)
    used = read_workbook(path, sheets=SHEETS_USED)
    assert [f.rule_id for f in used.findings if f.rule_id == "read.missing_sheet"] == [
        "read.missing_sheet"
    ]
    assert "budget" not in used.layout


# ------------------------------------------------------ the two files ---
def test_the_cli_writes_the_report_only_once_the_workbook_is(demo_path, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from xlcollab.cli import app
    from xlcollab.finance import report
    from xlcollab.reports.render import ReportError

    args = ["finance", str(demo_path), "--month", MONTH, "--as-of", "2026-04-01"]
    runner = CliRunner()
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert sorted(p.suffix for p in (tmp_path / "a").iterdir() if p.is_file()) == [".docx", ".xlsx"]
    # the workbook may not be replaced: refused, and no report written either
    (tmp_path / "b").mkdir()
    xlsx = next((tmp_path / "a").glob("*.xlsx"))
    (tmp_path / "b" / xlsx.name).write_bytes(xlsx.read_bytes())
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "b"), "--no-force"])
    assert res.exit_code == 2
    assert "--force" in res.output
    assert not list((tmp_path / "b").glob("*.docx"))

    # a broken template: the workbook is written, the report refused
    def broken(*_args, **_kw):
        raise ReportError("fund.docx: 模板有误")

    monkeypatch.setattr(report, "render_fund_report", broken)
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "c")])
    assert res.exit_code == 2
    assert "模板有误" in res.output
    assert [p.suffix for p in (tmp_path / "c").iterdir() if p.is_file()] == [".xlsx"]
