"""A corpus of bad workbooks: every one gives findings or one clear error.

Each case starts from the demo workbook (built once) and breaks it with
openpyxl, or writes a raw file. All of them go through the real command line
(``xlcollab check --format json``) in a child process with a 2 GB address
space limit and a timeout; the child runs the cases one after another and
reports each as a JSON line, so a crash names the case it happened in.

Expected: exit code 1 (findings, at least one error) or 2 (one clear error on
stderr), never a traceback, never the "internal error" guard, and for a rule
case the rule's id among the findings.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlcollab.schema import SHEETS

MEMORY_LIMIT = 2 * 1024**3
TIMEOUT_PER_CASE = 60  # seconds: a bound, not a speed test (most take well under one)


def _col(ws, header: str) -> int:
    for c in ws[1]:
        if c.value == header:
            return c.column
    raise KeyError(header)


def _row(ws, key, column: int = 1) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, column).value == key:
            return r
    raise KeyError(key)


def _set(wb, sheet, key, header, value, key_col=1):
    ws = wb[sheet]
    ws.cell(_row(ws, key, key_col), _col(ws, header)).value = value


def _form(wb, sheet, label, value):
    ws = wb[sheet]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == label:
            ws.cell(r, 2).value = value
            return
    raise KeyError(label)


T, R, E, B = "任务清单", "风险登记册", "费用台账", "预算"

# name -> (edit(wb), rule ids that must be among the findings)
EDITS = {
    # --- one rule each
    "finish_before_start": (
        lambda wb: _set(wb, T, "4.4", "计划完成", _d(4, 1)),
        ["tasks.finish_before_start"],
    ),
    "actual_finish_before_start": (
        lambda wb: _set(wb, T, "1.2", "实际完成", _d(3, 1)),
        ["tasks.actual_finish_before_start"],
    ),
    "actual_in_future": (
        lambda wb: (
            _set(wb, T, "3.2.4", "实际完成", _d(4, 20)),
            _set(wb, T, "3.2.4", "状态", "已完成"),
            _set(wb, T, "3.2.4", "完成比例", 1),
        ),
        ["tasks.actual_in_future"],
    ),
    "done_not_complete": (
        lambda wb: _set(wb, T, "1.3", "完成比例", 0.5),
        ["tasks.done_not_complete"],
    ),
    "not_started_with_progress": (
        lambda wb: _set(wb, T, "4.4", "完成比例", 0.3),
        ["tasks.not_started_with_progress"],
    ),
    "in_progress_without_start": (
        lambda wb: _set(wb, T, "3.4.7", "实际开始", None),
        ["tasks.in_progress_without_start"],
    ),
    "task_outside_period": (
        lambda wb: _set(wb, T, "5.7", "计划完成", _d(6, 30)),
        ["tasks.outside_period"],
    ),
    "blocked_without_reason": (
        lambda wb: _set(wb, T, "3.3.4", "阻塞原因", None),
        ["tasks.blocked_without_reason"],
    ),
    "owner_not_in_department": (
        lambda wb: _set(wb, T, "1.2", "责任人", "徐慧"),
        ["tasks.owner_not_in_department"],
    ),
    "not_approved": (lambda wb: _set(wb, T, "3.3.1", "总负责人审批", "否"), ["tasks.not_approved"]),
    "wbs_duplicate": (lambda wb: _set(wb, T, "1.3", "WBS编码", "1.2"), ["wbs.duplicate"]),
    "wbs_malformed": (lambda wb: _set(wb, T, "5.7", "WBS编码", "5..7x"), ["wbs.malformed"]),
    "wbs_parent_missing": (lambda wb: _set(wb, T, "5.7", "WBS编码", "9.1"), ["wbs.parent_missing"]),
    "predecessor_missing": (
        lambda wb: _set(wb, T, "5.7", "前置任务", "7.7"),
        ["wbs.predecessor_missing"],
    ),
    "dependency_cycle": (lambda wb: _set(wb, T, "1.1", "前置任务", "1.7"), ["wbs.cycle"]),
    "starts_before_predecessor": (
        lambda wb: _set(wb, T, "5.4", "前置任务", "5.6"),
        ["wbs.starts_before_predecessor"],
    ),
    "unknown_person": (
        lambda wb: _set(wb, T, "1.2", "责任人", "不存在的人"),
        ["people.unknown_person"],
    ),
    "unknown_department": (
        lambda wb: _set(wb, T, "1.2", "负责部门", "火星部"),
        ["people.unknown_department"],
    ),
    "role_count": (lambda wb: _set(wb, "组织架构", "王建国", "角色", "成员"), ["team.role_count"]),
    "kpi_weight_low": (
        lambda wb: _set(wb, "部门", "市场部", "协同考核权重", 0.05),
        ["departments.kpi_weight_low"],
    ),
    "high_risk_without_owner": (
        lambda wb: _set(wb, R, "R05", "责任人", None),
        ["risks.high_without_owner"],
    ),
    "risk_duplicate_id": (lambda wb: _set(wb, R, "R02", "风险编号", "R01"), ["risks.duplicate_id"]),
    "expense_not_positive": (
        lambda wb: wb[E].cell(5, _col(wb[E], "金额")).__setattr__("value", -100),
        ["finance.amount_not_positive"],
    ),
    "duplicate_budget_line": (lambda wb: _dup_row(wb[B], 3), ["finance.duplicate_budget_line"]),
    "end_before_start": (
        lambda wb: _form(wb, "项目概况", "结束日期", _d(2, 1)),
        ["overview.end_before_start"],
    ),
    "milestone_outside_period": (
        lambda wb: _set(wb, "里程碑", "项目启动完成", "计划日期", _d(7, 1)),
        ["milestones.outside_period"],
    ),
    "expense_unknown_task": (
        lambda wb: wb[E].cell(5, _col(wb[E], "关联任务")).__setattr__("value", "8.8"),
        ["refs.unknown_task"],
    ),
    "settings_unknown_rule": (
        lambda wb: _form(wb, "参数", "停用的检查规则", "no.such_rule"),
        ["settings.unknown_rule"],
    ),
    # --- wrong types, one per typed column kind
    "bad_date": (lambda wb: _set(wb, T, "1.2", "计划开始", "2026/13/01"), ["read.bad_date"]),
    "bad_int": (lambda wb: _set(wb, R, "R01", "可能性(1-5)", "很高"), ["read.bad_int"]),
    "bad_number": (
        lambda wb: (
            wb["资源承诺"].cell(2, _col(wb["资源承诺"], "数量")).__setattr__("value", "一些")
        ),
        ["read.bad_number"],
    ),
    "bad_percent": (lambda wb: _set(wb, T, "3.4.2", "完成比例", "大半"), ["read.bad_percent"]),
    "bad_money": (
        lambda wb: wb[E].cell(3, _col(wb[E], "金额")).__setattr__("value", "十万元整"),
        ["read.bad_money"],
    ),
    "bad_bool": (lambda wb: _set(wb, T, "1.2", "总负责人审批", "也许"), ["read.bad_bool"]),
    "bad_enum": (lambda wb: _set(wb, T, "1.2", "状态", "差不多完成"), ["read.bad_choice"]),
    "out_of_range": (lambda wb: _set(wb, R, "R01", "影响(1-5)", 9), ["read.out_of_range"]),
    "date_serial_huge": (lambda wb: _set(wb, T, "1.2", "计划完成", 99_999_999), ["read.bad_date"]),
    "bool_in_text": (lambda wb: _set(wb, T, "1.2", "任务名称", True), []),
    # --- structure
    "renamed_column": (
        lambda wb: wb[T].cell(1, _col(wb[T], "计划开始")).__setattr__("value", "开工日期"),
        ["read.missing_column"],
    ),
    "deleted_column": (lambda wb: wb[T].delete_cols(_col(wb[T], "状态")), ["read.missing_column"]),
    "missing_sheet": (lambda wb: wb.remove(wb[R]), ["read.missing_sheet"]),
    "all_our_sheets_gone": (lambda wb: _only_other_sheet(wb), ["read.missing_sheet"]),
    "duplicate_sheet": (
        lambda wb: wb.copy_worksheet(wb[R]).__setattr__("title", "Risks"),
        ["read.duplicate_sheet"],
    ),
    "header_moved_down": (lambda wb: wb[T].insert_rows(1, 3), []),
    "merged_cells": (lambda wb: wb[T].merge_cells("G5:J7"), []),
    "formulas_in_data": (
        lambda wb: (
            _set(wb, T, "1.2", "计划开始", "=TODAY()"),
            _set(wb, T, "1.3", "完成比例", "=1/0"),
        ),
        [],
    ),
    "error_values": (
        lambda wb: (
            _set(wb, T, "1.2", "计划开始", "#N/A"),
            _set(wb, T, "1.3", "完成比例", "#DIV/0!"),
            _set(wb, R, "R01", "可能性(1-5)", "#REF!"),
            _form(wb, "项目概况", "开始日期", "#VALUE!"),
        ),
        ["read.error_value"],
    ),
    "hidden_rows": (
        lambda wb: [wb[T].row_dimensions[r].__setattr__("hidden", True) for r in range(3, 20)],
        [],
    ),
    "unicode_fullwidth": (
        lambda wb: (
            _set(wb, T, "1.2", "计划开始", "２０２６－０３－０３"),
            _set(wb, T, "1.3", "任务名称", "编制😀《职责》\u200b\u202e"),
            _set(wb, T, "1.4", "WBS编码", "１．４"),
            _set(wb, T, "1.5", "负责部门", "信息技术部\u3000"),
            _set(wb, T, "1.6", "完成比例", "１００％"),
        ),
        [],
    ),
    "long_text": (lambda wb: _set(wb, T, "1.2", "备注", "长" * 32_000), []),
    "english_sheet_names": (
        lambda wb: [
            setattr(wb[s.zh], "title", s.en)
            for s in SHEETS.values()
            if s.zh in wb.sheetnames and s.zh != s.en
        ],
        [],
    ),
}


def _d(month, day):
    import datetime as dt

    return dt.datetime(2026, month, day)


def _dup_row(ws, r):
    ws.append([c.value for c in ws[r]])


def _only_other_sheet(wb):
    wb.create_sheet("Sheet1")["A1"] = "hello"
    for name in list(wb.sheetnames):
        if name != "Sheet1":
            wb.remove(wb[name])


def _raw_cases(tmp: Path, demo: Path) -> dict[str, list[str]]:
    """Files that are not (good) workbooks at all: expected exit 2."""
    cases = {}
    (tmp / "zero_bytes.xlsx").write_bytes(b"")
    (tmp / "text_renamed.xlsx").write_text("项目,任务\n1,2\n", encoding="utf-8")
    # an encrypted .xlsx is an OLE compound file: its magic and some noise
    (tmp / "encrypted_like.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + os.urandom(4096)
    )
    data = demo.read_bytes()
    (tmp / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not a spreadsheet")
    (tmp / "zip_not_xlsx.xlsx").write_bytes(buf.getvalue())
    (tmp / "a_folder.xlsx").mkdir()
    for name in (
        "zero_bytes",
        "text_renamed",
        "encrypted_like",
        "truncated",
        "zip_not_xlsx",
        "a_folder",
    ):
        cases[name] = []
    empty = openpyxl.Workbook()
    empty.save(tmp / "empty_workbook.xlsx")
    cases["empty_workbook"] = ["read.missing_sheet"]
    return cases


def _huge_sheet(tmp: Path, demo: Path) -> Path:
    """The demo with one value at the very last row of the task sheet, written
    by patching the sheet XML (openpyxl would take long to save that)."""
    wb = openpyxl.load_workbook(demo)
    ws = wb[T]
    ws.cell(1_048_576, 2).value = "最后一行"
    path = tmp / "row_1048576.xlsx"
    wb.save(path)
    return path


WORKER = textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from typer.testing import CliRunner
    from xlcollab.cli import app
    runner = CliRunner()
    for path in sys.argv[1:]:
        t = time.perf_counter()
        r = runner.invoke(app, ["check", path, "--format", "json", "--as-of", "2026-04-01"])
        exc = r.exception
        exc = None if exc is None or isinstance(exc, SystemExit) else repr(exc)
        print(json.dumps({{"path": path, "code": r.exit_code, "stdout": r.stdout,
                           "stderr": r.stderr, "exception": exc,
                           "seconds": time.perf_counter() - t,
                           "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}},
                          ensure_ascii=False), flush=True)
""").format(limit=MEMORY_LIMIT)


def _run_worker(paths: list[Path], timeout: float) -> list[dict]:
    env = {**os.environ, "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    env.pop("XLCOLLAB_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(paths), (
        f"worker stopped after {len(results)} of {len(paths)} cases "
        f"(next: {paths[len(results)].name}); rc={proc.returncode}\n{proc.stderr[-3000:]}"
    )
    return results


def _assert_clear(name: str, res: dict, rules: list[str]) -> None:
    out = res["stdout"] + res["stderr"]
    assert res["exception"] is None, (name, res["exception"])
    assert "Traceback" not in out, (name, out[-2000:])
    assert "内部错误" not in out and "internal error" not in out, (name, out[-1000:])
    assert res["code"] in (1, 2), (name, res["code"], out[-1500:])
    assert res["seconds"] < TIMEOUT_PER_CASE, (name, res["seconds"])
    if res["code"] == 2:
        lines = [ln for ln in res["stderr"].splitlines() if ln.strip()]
        assert len(lines) >= 1 and not res["stdout"].strip(), (name, out)
        assert not rules, (name, "expected findings", rules, out)
        return
    report = json.loads(res["stdout"])
    assert report["valid"] is False and report["findings"], name
    ids = {f["rule_id"] for f in report["findings"]}
    missing = [r for r in rules if r not in ids]
    assert not missing, (name, missing, sorted(ids))
    assert not any(i == "rules.failed" for i in ids), (
        name,
        [f["message"] for f in report["findings"] if f["rule_id"] == "rules.failed"],
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, demo_path):
    tmp = tmp_path_factory.mktemp("corpus")
    cases: dict[str, tuple[Path, list[str]]] = {}
    for name, (edit, rules) in EDITS.items():
        wb = openpyxl.load_workbook(demo_path)
        edit(wb)
        path = tmp / f"{name}.xlsx"
        wb.save(path)
        cases[name] = (path, rules)
    for name, rules in _raw_cases(tmp, demo_path).items():
        path = tmp / f"{name}.xlsx"
        cases[name] = (path, rules)
    return cases


def test_corpus_is_big_enough(corpus):
    assert len(corpus) >= 40


def test_every_rule_is_exercised(corpus):
    from xlcollab.check.rules import RULES

    covered = {r for _, rules in corpus.values() for r in rules}
    # rules the demo workbook itself already violates (see xlcollab.workbook.demo)
    demo_rules = {
        "tasks.done_without_finish",
        "finance.duplicate_invoice",
        "finance.unbudgeted",
        "finance.outside_period",
        "finance.over_budget",
        "risks.high_without_plan",
        "risks.review_overdue",
        "milestones.no_quality_review",
    }
    # rules that need another date or a setting the corpus does not change
    not_here = {
        "rules.failed",
        "calendar.uncovered_years",
        "deliverables.not_accepted",
        "finance.department_over_budget",
        "departments.no_liaison",
        "overview.role_mismatch",
        "settings.bad_severity",
    }
    missing = set(RULES) - covered - demo_rules - not_here
    assert not missing, sorted(missing)


def test_corpus_gives_findings_or_one_clear_error(corpus):
    names = list(corpus)
    results = _run_worker(
        [corpus[n][0] for n in names], timeout=TIMEOUT_PER_CASE * 4 + 5 * len(names)
    )
    if os.environ.get("XLCOLLAB_CORPUS_TIMES"):
        for name, res in zip(names, results, strict=False):
            print(f"{name:32} {res['code']} {res['seconds']:6.2f}s {res['maxrss_mb']:6.0f} MB")
    for name, res in zip(names, results, strict=False):
        _assert_clear(name, res, corpus[name][1])
        assert res["maxrss_mb"] < MEMORY_LIMIT / 1024**2


@pytest.mark.slow
def test_a_sheet_with_data_on_row_1048576(tmp_path, demo_path):
    path = _huge_sheet(tmp_path, demo_path)
    (res,) = _run_worker([path], timeout=120)
    _assert_clear("row_1048576", res, [])
