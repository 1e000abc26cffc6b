"""The check pipeline and `xlcollab check`: the report, its JSON schema, the
command line's output and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlcollab.check import JSON_SCHEMA_ID, check, rule_matches
from xlcollab.cli import app
from xlcollab.io import read_workbook
from xlcollab.model.findings import SEVERITY_ORDER
from xlcollab.workbook.demo import STATUS_DATE, demo_project

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "check.schema.json").read_text("utf-8"))
DOC = (Path(__file__).parents[1] / "docs" / "check-json.md").read_text("utf-8")
runner = CliRunner()

_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "object": dict,
    "array": list,
    "null": type(None),
}


def validate(value, schema, path="$"):
    """The subset of JSON Schema that docs/check.schema.json uses: type,
    const, enum, pattern, properties, required, additionalProperties, items."""
    if "const" in schema:
        assert value == schema["const"], path
    if "enum" in schema:
        assert value in schema["enum"], (path, value)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(value, _TYPES[t])
            and not (t in ("integer", "number") and isinstance(value, bool))
            for t in types
        )
        assert ok, (path, value, types)
    if isinstance(value, str) and "pattern" in schema:
        assert re.search(schema["pattern"], value), (path, value)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            assert key in value, (path, key)
        extra = schema.get("additionalProperties", True)
        for key, v in value.items():
            if key in props:
                validate(v, props[key], f"{path}.{key}")
            elif extra is False:
                raise AssertionError(f"{path}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                validate(v, extra, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            validate(v, schema["items"], f"{path}[{i}]")


def _schema_keys(schema, prefix=""):
    for key, sub in schema.get("properties", {}).items():
        yield prefix + key
        yield from _schema_keys(sub, prefix + key + ".")
        if "items" in sub:
            yield from _schema_keys(sub["items"], prefix + key + "[].")


@pytest.fixture(scope="module")
def demo_report():
    return check(demo_project(), STATUS_DATE)


def test_demo_report(demo_report):
    r = demo_report
    assert not r.valid and r.errors
    assert [SEVERITY_ORDER[f.severity] for f in r.findings] == sorted(
        SEVERITY_ORDER[f.severity] for f in r.findings
    )
    st = r.stats
    assert st["findings"] == len(r.findings) == sum(st["by_severity"].values())
    assert sum(st["by_sheet"].values()) == len(r.findings)
    # 65 tasks and 12 summary rows (README, "Figures": summary rows are not tasks)
    assert st["tasks"] == 65 and st["summary_rows"] == 12 and st["as_of"] == "2026-04-01"
    ids = set(st["by_rule"])
    assert {
        "tasks.done_without_finish",
        "tasks.blocked_without_reason",
        "finance.duplicate_invoice",
        "risks.high_without_plan",
    } <= ids
    # task findings counted by department: 2.6 is the finance department's
    assert st["by_department"].get("财务部", 0) >= 1
    # the columns to write back
    assert list(r.columns.columns) == ["blocked_since", "escalation", "days_late"]
    tasks = r.tasks.set_index("wbs")
    cols = r.columns.set_index(r.tasks["wbs"])
    assert cols.loc["3.3.4", "escalation"] == "pm"
    assert str(cols.loc["3.3.4", "blocked_since"].date()) == "2026-03-26"
    assert cols.loc["3.4.4", "escalation"] == "department"
    assert cols.loc["3.3.4", "days_late"] == 1
    assert tasks.loc["3.3.4", "status"] == "blocked"
    assert r.schedule.critical_path and r.schedule.forecast_finish


def test_json_matches_the_documented_schema(demo_report):
    d = demo_report.to_dict()
    assert d["schema"] == JSON_SCHEMA_ID
    validate(d, SCHEMA)
    json.dumps(d)  # plain JSON values only
    # every field of the schema is described in the document
    for key in _schema_keys(SCHEMA):
        leaf = key.split(".")[-1].replace("[]", "")
        assert re.search(r"`[^`\n]*\b" + re.escape(leaf) + r"\b[^`\n]*`", DOC), key


def test_json_is_deterministic():
    a = check(demo_project(), STATUS_DATE).to_dict()
    b = check(demo_project(), STATUS_DATE).to_dict()
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def test_rules_off(demo_report):
    r = check(demo_project(), STATUS_DATE, rules_off=["finance", "tasks.not_approved"])
    ids = {f.rule_id for f in r.findings}
    assert not any(i.startswith("finance.") for i in ids)
    assert "tasks.not_approved" not in ids and "tasks.done_without_finish" in ids
    assert r.stats["rules_off"] == ["finance", "tasks.not_approved"]
    assert rule_matches("finance.x", ["finance.*".rstrip("*")])
    assert not rule_matches("financex.y", ["finance"])


def test_english_messages():
    r = check(demo_project(), STATUS_DATE, lang="en")
    assert r.lang == "en"
    d = r.to_dict()
    assert {f["severity_label"] for f in d["findings"]} <= {"Error", "Warning", "Info"}
    assert any(f["message"].isascii() for f in d["findings"])


# ------------------------------------------------------------------ CLI ---
def test_cli_table(demo_path):
    out = runner.invoke(
        app,
        ["check", str(demo_path), "--as-of", "2026-04-01", "--limit", "3"],
        env={"COLUMNS": "200"},
    )
    assert out.exit_code == 1, out.output
    text = out.output
    for word in ("严重程度", "位置", "问题", "处理建议", "关键路径", "另有"):
        assert word in text, word
    assert "任务清单!J16" in text  # 2.6 done without an actual finish (worst first)
    assert "Traceback" not in text


def test_cli_json_is_stdout_only(demo_path):
    out = runner.invoke(app, ["check", str(demo_path), "--format", "json", "--lang", "en"])
    assert out.exit_code == 1
    d = json.loads(out.stdout)
    validate(d, SCHEMA)
    assert d["as_of"] == "2026-04-01"  # the workbook's status date
    assert d["lang"] == "en"


def test_cli_exit_codes(tmp_path, demo_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    out = runner.invoke(app, ["check", str(bad)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "不是 Excel 工作簿" in out.output
    out = runner.invoke(app, ["check", str(tmp_path / "missing.xlsx")])
    assert out.exit_code == 2
    off = ",".join(
        [
            "tasks",
            "finance",
            "risks",
            "milestones",
            "people",
            "refs",
            "wbs",
            "team",
            "deliverables",
            "departments",
            "overview",
            "approval",
        ]
    )
    out = runner.invoke(app, ["check", str(demo_path), "--rules-off", off, "--format", "json"])
    d = json.loads(out.stdout)
    assert out.exit_code == (0 if d["valid"] else 1)
    assert not any(f["rule_id"].startswith("tasks.") for f in d["findings"])


def test_cli_bad_options(demo_path):
    assert runner.invoke(app, ["check", str(demo_path), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["check", str(demo_path), "--as-of", "2026-13-01"]).exit_code == 2


def test_cli_write(tmp_path, demo_path):
    import shutil

    import openpyxl

    path = tmp_path / "master.xlsx"
    shutil.copy(demo_path, path)
    before = json.loads(runner.invoke(app, ["check", str(path), "--format", "json"]).stdout)
    out = runner.invoke(app, ["check", str(path), "--write", "--format", "json"])
    assert out.exit_code == 1, out.output
    assert json.loads(out.stdout)["findings"] == before["findings"]  # stdout stays JSON
    assert "已写回" in out.stderr
    data = read_workbook(path)
    found = data.tables["findings"]
    assert len(found) == len(before["findings"])
    assert list(found["rule_id"]) == [f["rule_id"] for f in before["findings"]]
    assert set(found["checked_on"].dt.date) == {dt.date(2026, 4, 1)}
    tasks = data.tables["tasks"].set_index("wbs")
    assert tasks.loc["3.3.4", "escalation"] == "pm"
    assert tasks.loc["3.3.4", "blocked_since"].date() == dt.date(2026, 3, 26)
    # the offending cells are marked, through conditional formats the tool owns
    wb = openpyxl.load_workbook(path)
    rules = [r for rng in wb["任务清单"].conditional_formatting for r in rng.rules]
    assert any("xlcollab:mark" in (r.formula or [""])[0] for r in rules)
    # checking again finds the same problems
    again = json.loads(runner.invoke(app, ["check", str(path), "--format", "json"]).stdout)
    assert again["findings"] == before["findings"]


def test_cli_write_refuses_when_open_in_excel(tmp_path, demo_path):
    import shutil

    path = tmp_path / "master.xlsx"
    shutil.copy(demo_path, path)
    (tmp_path / "~$master.xlsx").write_bytes(b"owner")
    original = path.read_bytes()
    out = runner.invoke(app, ["check", str(path), "--write"])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert path.read_bytes() == original
