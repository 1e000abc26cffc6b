"""The finance workbook read back: sheets, values, formats, frozen panes,
print setup, tables, charts, text that looks like a formula; LibreOffice
recalculates its totals to the written figures; the command line."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.finance.pipeline import monthly_finance
from xlcollab.finance.workbook import SUMMARY_HEADER_ROW
from xlcollab.io.save import save_new_workbook
from xlcollab.schema import (
    FIN_ANOMALIES,
    FIN_DETAIL,
    FIN_SUMMARY,
    FIN_TREND,
    NUMBER_FORMATS,
    T,
    finance_label,
)
from xlcollab.workbook.demo import STATUS_DATE, demo_project
from xlcollab.workbook.values import FORMULA_PREFIXES, formula_like, put

MONEY = NUMBER_FORMATS[T.MONEY]
INJECT = ['=HYPERLINK("http://x","y")', "+SUM(1,2)", "-2+3", "@SUM(A1)"]


def _demo_with_injection():
    data = demo_project()
    ex = data.tables["expenses"]
    rows = [r for r, d in ex["date"].items() if d.month == 3][:4]
    for row, text in zip(rows, INJECT, strict=False):
        ex.at[row, "description"] = text
    ex.at[rows[0], "approver"] = "=1+1"
    return data, rows


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    data, rows = _demo_with_injection()
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    mf = monthly_finance(data, "2026-03", STATUS_DATE, cal)
    path = tmp_path_factory.mktemp("fin") / mf.filename()
    save_new_workbook(mf.workbook(), path)
    return mf, path, rows


def _rows(ws, first=1):
    return list(ws.iter_rows(min_row=first, values_only=True))


def _total_rows(ws):
    total = finance_label("total", "zh")
    return [
        r for r in range(1, ws.max_row + 1) if total in (ws.cell(r, 1).value, ws.cell(r, 2).value)
    ]


def test_sheets_and_summary_values(written):
    mf, path, _ = written
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [FIN_SUMMARY.zh, FIN_TREND.zh, FIN_DETAIL.zh, FIN_ANOMALIES.zh]
    ws = wb[FIN_SUMMARY.zh]
    assert [c.value for c in ws[SUMMARY_HEADER_ROW]] == [c.zh for c in FIN_SUMMARY.columns]
    sm = mf.summary
    by_dept = {r[0]: r for r in _rows(ws, SUMMARY_HEADER_ROW + 2)[: len(sm.by_department)]}
    for rec in sm.by_department.to_dict("records"):
        row = by_dept[rec["department"]]
        for i, key in enumerate(("budget", "month", "to_date", "remaining"), start=2):
            assert isinstance(row[i], (int, float))
            assert Decimal(str(row[i])).quantize(Decimal("0.01")) == rec[key]
    # three blocks, each ending in a SUM total row
    totals = _total_rows(ws)
    assert len(totals) == 3
    for r in totals:
        for key in ("budget", "month", "to_date", "remaining"):
            cell = ws.cell(r, FIN_SUMMARY.keys.index(key) + 1)
            assert str(cell.value).startswith("=SUM(")
            assert cell.number_format == MONEY
    money_cell = ws.cell(SUMMARY_HEADER_ROW + 2, FIN_SUMMARY.keys.index("budget") + 1)
    assert money_cell.number_format == MONEY == '"¥"#,##0.00'


def test_overrun_highlighted(written):
    _, path, _ = written
    ws = openpyxl.load_workbook(path)[FIN_SUMMARY.zh]
    from xlcollab.schema import STYLES

    over = STYLES["over_budget"][0]
    hits = [
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == "信息技术部" and ws.cell(r, 2).value == "外包服务"
    ]
    assert len(hits) == 1
    cell = ws.cell(hits[0], 3)
    assert cell.fill.fgColor.rgb.endswith(over)
    remark = ws.cell(hits[0], FIN_SUMMARY.keys.index("remark") + 1).value
    assert finance_label("over_budget", "zh") in remark
    nobudget = [
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == "销售部" and ws.cell(r, 2).value == "差旅"
    ]
    assert (
        finance_label("no_budget", "zh")
        in ws.cell(nobudget[0], FIN_SUMMARY.keys.index("remark") + 1).value
    )


def test_layout_print_tables_charts(written):
    mf, path, _ = written
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows
        assert ws.freeze_panes
    assert wb[FIN_SUMMARY.zh].freeze_panes == f"A{SUMMARY_HEADER_ROW + 1}"
    assert wb[FIN_SUMMARY.zh].print_title_rows == f"$1:${SUMMARY_HEADER_ROW}"
    assert wb[FIN_DETAIL.zh].freeze_panes == "A2"
    assert wb[FIN_DETAIL.zh].print_title_rows == "$1:$1"
    detail = wb[FIN_DETAIL.zh]
    assert list(detail.tables) == [FIN_DETAIL.table]
    assert detail.tables[FIN_DETAIL.table].ref == f"A1:I{1 + mf.summary.n_month}"
    assert [c.value for c in detail[1]] == [c.zh for c in FIN_DETAIL.columns]
    amount = detail.cell(2, FIN_DETAIL.keys.index("amount") + 1)
    assert isinstance(amount.value, (int, float)) and amount.number_format == MONEY
    assert detail.cell(2, FIN_DETAIL.keys.index("date") + 1).is_date
    assert list(wb[FIN_ANOMALIES.zh].tables) == [FIN_ANOMALIES.table]
    # native charts: budget vs actual on the summary, the trend line chart
    assert len(wb[FIN_SUMMARY.zh]._charts) == 1
    trend = wb[FIN_TREND.zh]
    assert len(trend._charts) == 1
    assert trend.cell(1, 1).value == FIN_TREND.col("month").zh
    assert [r[0] for r in _rows(trend, 2)] == mf.trend.months == ["2026-02", "2026-03"]
    assert str(trend.cell(2, trend.max_column).value).startswith("=SUM(")


def test_anomaly_sheet(written):
    mf, path, _ = written
    ws = openpyxl.load_workbook(path)[FIN_ANOMALIES.zh]
    rules = [r[FIN_ANOMALIES.keys.index("rule_id")] for r in _rows(ws, 2)]
    assert "finance.unbudgeted" in rules and "finance.duplicate_invoice" in rules
    assert ws.cell(2, FIN_ANOMALIES.keys.index("severity") + 1).value in ("错误", "警告", "提示")


def test_anomaly_messages_wrap_so_they_print_whole(written):
    _, path, _ = written
    ws = openpyxl.load_workbook(path)[FIN_ANOMALIES.zh]
    for key in ("message", "hint"):
        cell = ws.cell(2, FIN_ANOMALIES.keys.index(key) + 1)
        assert cell.value and cell.alignment.wrap_text, key


def test_formula_injection_written_as_text(written):
    _, path, rows = written
    wb = openpyxl.load_workbook(path)
    ws = wb[FIN_DETAIL.zh]
    desc = FIN_DETAIL.keys.index("description") + 1
    by_row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for src, text in zip(rows, INJECT, strict=False):
        cell = ws.cell(by_row[src], desc)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    approver = ws.cell(by_row[rows[0]], FIN_DETAIL.keys.index("approver") + 1)
    assert approver.value == "=1+1" and approver.data_type == "s"
    # no formula anywhere on the detail sheet
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_put_helper():
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, text in enumerate([*INJECT, "=A1", "plain", "-", "1-2"], start=1):
        cell = put(ws, i, 1, text)
        assert cell.data_type == "s"
        assert cell.quotePrefix == formula_like(text)
    assert put(ws, 20, 1, -5).data_type == "n"  # numbers stay numbers
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@"}


def test_empty_month_workbook(tmp_path):
    data = demo_project("en")
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    mf = monthly_finance(data, "2026-06", STATUS_DATE, cal, "en")
    assert mf.filename() == "fund-usage-report_客户服务数字化平台建设项目_2026-06.xlsx"
    path = save_new_workbook(mf.workbook(), tmp_path / mf.filename())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [FIN_SUMMARY.en, FIN_TREND.en, FIN_DETAIL.en, FIN_ANOMALIES.en]
    assert finance_label("no_expenses", "en") in wb[FIN_SUMMARY.en].cell(2, 1).value
    detail = wb[FIN_DETAIL.en]
    assert detail.tables[FIN_DETAIL.table].ref == "A1:I2"
    assert finance_label("no_expenses", "en") in [c.value for c in detail[2]]
    assert finance_label("no_anomalies", "en") in [c.value for c in wb[FIN_ANOMALIES.en][2]]


@pytest.mark.libreoffice
def test_libreoffice_totals_equal_written(written, office, tmp_path):
    from xlcollab.io.office import recalculate

    mf, path, _ = written
    out = recalculate(path, tmp_path)
    ws = openpyxl.load_workbook(out, data_only=True)[FIN_SUMMARY.zh]
    sm = mf.summary
    totals = _total_rows(ws)
    assert len(totals) == 3
    for r in totals:
        for key in ("budget", "month", "to_date", "remaining"):
            got = ws.cell(r, FIN_SUMMARY.keys.index(key) + 1).value
            assert Decimal(str(got)).quantize(Decimal("0.01")) == sm.total[key], key
        pct = ws.cell(r, FIN_SUMMARY.keys.index("used_pct") + 1).value
        assert pct == pytest.approx(sm.used_pct)
    trend = openpyxl.load_workbook(out, data_only=True)[FIN_TREND.zh]
    last = trend.cell(trend.max_row, trend.max_column).value
    assert Decimal(str(last)).quantize(Decimal("0.01")) == sm.spent_to_date


# --------------------------------------------------------------- the CLI ---
def test_cli_finance(demo_path, tmp_path):
    runner = CliRunner()
    res = runner.invoke(
        app, ["finance", str(demo_path), "--month", "2026-04", "-o", str(tmp_path), "--no-docx"]
    )
    assert res.exit_code == 0, res.output
    files = list(tmp_path.glob("*.xlsx"))
    assert [f.name for f in files] == ["项目资金使用报告_客户服务数字化平台建设项目_2026-04.xlsx"]
    wb = openpyxl.load_workbook(files[0])
    assert wb.sheetnames[0] == FIN_SUMMARY.zh
    # again: replaced, a backup kept
    res = runner.invoke(
        app, ["finance", str(demo_path), "--month", "2026-04", "-o", str(tmp_path), "--no-docx"]
    )
    assert res.exit_code == 0, res.output


def test_cli_finance_refusals(demo_path, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["finance", str(demo_path), "--month", "2026-13", "-o", str(tmp_path)])
    assert res.exit_code == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    res = runner.invoke(app, ["finance", str(bad), "--month", "2026-03", "-o", str(tmp_path)])
    assert res.exit_code == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = runner.invoke(
        app,
        ["finance", str(demo_path), "--month", "2026-03", "-o", str(blocker / "sub"), "--no-docx"],
    )
    assert res.exit_code == 2


def test_user_text_stays_text_everywhere(tmp_path):
    """A department, a project name or a description that reads like a
    formula or an error value is text on every sheet, headers included."""
    data = demo_project()
    data.overview["name"] = "=项目"
    ex = data.tables["expenses"]
    march = [r for r, d in ex["date"].items() if d.month == 3]
    ex.loc[ex["department"] == "财务部", "department"] = "-财务部"
    ex.at[march[0], "description"] = "#VALUE!"
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    mf = monthly_finance(data, "2026-03", STATUS_DATE, cal)
    path = save_new_workbook(mf.workbook(), tmp_path / "fin.xlsx")
    wb = openpyxl.load_workbook(path)
    title = wb[FIN_SUMMARY.zh].cell(1, 1)
    assert title.value.endswith("— =项目") and title.data_type == "s"
    trend = wb[FIN_TREND.zh]
    header = [c for c in trend[1] if c.value == "-财务部"]
    assert header and header[0].data_type == "s" and header[0].quotePrefix
    detail = wb[FIN_DETAIL.zh]
    desc = FIN_DETAIL.keys.index("description") + 1
    cell = next(
        detail.cell(r, desc)
        for r in range(2, detail.max_row + 1)
        if detail.cell(r, 1).value == march[0]
    )
    assert cell.value == "#VALUE!" and cell.data_type == "s" and cell.quotePrefix
    summary = [c for row in wb[FIN_SUMMARY.zh].iter_rows() for c in row if c.value == "-财务部"]
    assert summary and all(c.data_type == "s" and c.quotePrefix for c in summary)
