"""The Word 《项目资金使用报告》 read back."""

from __future__ import annotations

import docx
import pytest
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.finance.pipeline import monthly_finance
from xlcollab.finance.report import fund_report_context, write_fund_report
from xlcollab.workbook.demo import STATUS_DATE, demo_project


def _text(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fund_report(tmp_path, lang):
    data = demo_project(lang)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    mf = monthly_finance(data, "2026-03", STATUS_DATE, cal, lang)
    ctx = fund_report_context(mf, data, STATUS_DATE)
    assert ctx["prepared_by"] == "徐慧"  # the team sheet's finance coordinator
    path = write_fund_report(mf, data, STATUS_DATE, tmp_path / mf.filename("docx"))
    text = _text(path)
    assert "¥618,903.20" in text and "¥651,703.20" in text and "¥1,663,000.00" in text
    assert "徐慧" in text and "信息技术部" in text
    assert ("超出预算" if lang == "zh" else "Over budget") in text
    assert "26442000000187654321" in text  # the duplicate invoice anomaly
    assert "{{" not in text and "{%" not in text
    d = docx.Document(str(path))
    assert len(d.inline_shapes) == 1  # the budget-vs-actual chart


def test_fund_report_empty_month_and_cli(demo_path, tmp_path):
    res = CliRunner().invoke(
        app, ["finance", str(demo_path), "--month", "2026-06", "-o", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    docs = list(tmp_path.glob("*.docx"))
    assert [p.name for p in docs] == ["项目资金使用报告_客户服务数字化平台建设项目_2026-06.docx"]
    text = _text(docs[0])
    assert "2026年6月无费用支出" in text and "本月费用无异常" in text


def test_fund_report_lists_the_most_severe_anomalies_and_counts_the_rest(tmp_path):
    from xlcollab.finance.report import ANOMALY_LIMIT

    data = demo_project()
    data.tables["expenses"]["approver"] = None  # a warning on every line
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    mf = monthly_finance(data, "2026-03", STATUS_DATE, cal)
    n = len(mf.anomalies)
    assert n > ANOMALY_LIMIT
    ctx = fund_report_context(mf, data, STATUS_DATE)
    listed, more = ctx["anomalies"][:-1], ctx["anomalies"][-1]
    assert len(listed) == ANOMALY_LIMIT
    assert more["row"] == "" and f"另有 {n - ANOMALY_LIMIT} 条未列出" in more["message"]
    assert "“异常”工作表" in more["message"]
    rows = [a["row"] for a in listed]
    assert rows == sorted(rows)  # in ledger order
    errors = mf.anomalies[mf.anomalies["severity"] == "error"]
    assert len(errors) and set(errors["source_row"]) <= set(rows)  # errors first
    path = write_fund_report(mf, data, STATUS_DATE, tmp_path / mf.filename("docx"))
    assert more["message"] in _text(path)
    assert f"本月费用异常 {n} 条" in _text(path)
