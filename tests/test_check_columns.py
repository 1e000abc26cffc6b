"""A check report's findings column by column: what check() made is what
the findings give, and a report whose findings were changed afterwards
writes the findings it holds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from xlcollab.check import check
from xlcollab.check.jsontext import Records, json_text, plain
from xlcollab.io import read_workbook
from xlcollab.model.findings import Finding, finding_columns, sorted_findings

DEMO = Path(__file__).parent.parent / "workbooks" / "演示-客户服务数字化平台建设项目.xlsx"


def test_the_columns_are_the_findings():
    report = check(read_workbook(DEMO), dt.date(2026, 4, 30))
    assert report.findings == sorted_findings(report.findings)
    columns = report.finding_columns()
    assert columns == finding_columns(report.findings)
    assert columns["location"] == [f.location for f in report.findings]
    assert [
        dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)
    ] == [f.to_dict() | {"location": f.location} for f in report.findings]


def test_changed_findings_are_written_as_they_are():
    report = check(read_workbook(DEMO), dt.date(2026, 4, 30))
    report.findings = report.findings[::-1][:5]
    written = report.to_dict()["findings"]
    assert [(f["rule_id"], f["location"], f["message"]) for f in written] == [
        (f.rule_id, f.location, f.message) for f in report.findings
    ]
    report.findings[0] = Finding("x.y", "info", "S", None, None, None, "m")
    assert json.loads(report.to_json())["findings"][0]["location"] == "S"


def test_no_findings():
    assert finding_columns([])["location"] == []
    assert json_text({"f": Records(("a",), [[]])}) == json.dumps(
        plain({"f": Records(("a",), [[]])}), indent=2
    )


def test_a_long_column_of_distinct_texts():
    texts = [f"“{i}”\n" if i % 7 else None for i in range(3000)]
    rec = Records(("t", "n"), [texts, list(range(3000))])
    assert json_text([rec]) == json.dumps(plain([rec]), ensure_ascii=False, indent=2)
