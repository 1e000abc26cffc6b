"""A corpus of bad workbooks: every one gives findings or one clear error.

Each case starts from the demo workbook (built once) and breaks it with
openpyxl, or writes a raw file; hostile packages (zip bombs, absurd declared
sizes, counts and areas, deep nesting, a sheet down to Excel's last row) are
generated here, byte by byte. All of them go through the real command line
(``xlcollab check --format json``) in a child process with a 1 GiB address
space limit (1.5 GiB for the sheet down to row 1,048,576) and a timeout; the
child runs the cases one after another and reports each as a JSON line, so a
crash or a signal names the case it happened in.

Expected: exit code 1 (findings, at least one error) or 2 (one clear error on
stderr naming the file and the reason), never a traceback, never the
"internal error" guard, never a signal; for a rule case the rule's id among
the findings, and no finding at a cell of a sheet the workbook lacks.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlcollab.schema import SHEETS

MEMORY_LIMIT = 1024**3
BIG_SHEET_MEMORY_LIMIT = 3 * 1024**3 // 2
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
    "summary_row_typed_over": (
        lambda wb: _set(wb, T, "3.3", "状态", "已完成"),  # replaces the roll-up formula
        ["wbs.summary_mismatch"],
    ),
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
    "all_our_sheets_gone": (lambda wb: _only_other_sheet(wb), []),
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
    # --- tolerated entries: read as meant, each reported once
    "text_date": (lambda wb: _set(wb, T, "1.2", "计划完成", "2026/3/9"), ["values.text_date"]),
    "full_width_number": (
        lambda wb: _set(wb, R, "R01", "可能性(1-5)", "４"),
        ["values.full_width"],
    ),
    "text_percent": (lambda wb: _set(wb, T, "3.4.2", "完成比例", "60%"), ["values.text_number"]),
    "status_synonym": (lambda wb: _set(wb, T, "1.3", "状态", "完成"), ["values.choice_alias"]),
    "name_with_space": (lambda wb: _set(wb, T, "2.1", "责任人", "张 伟"), ["values.name_spacing"]),
    "missing_team_sheet": (lambda wb: wb.remove(wb["组织架构"]), ["read.missing_sheet"]),
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
    cases["empty_workbook"] = []
    department = openpyxl.Workbook()
    ws = department.active
    ws.title = "市场部任务"
    ws.append(["序号", "任务", "负责人", "截止日期"])
    ws.append([1, "渠道调研", "李娜", "2026-03-20"])
    department.save(tmp / "department_list.xlsx")
    cases["department_list"] = []
    for name, make in HOSTILE.items():
        make(tmp / f"{name}.xlsx", demo)
        cases[name] = []
    return cases


# what the one line on stderr must say (besides the file's name)
REFUSED = {
    "all_our_sheets_gone": "不是 xlcollab 主工作簿",
    "empty_workbook": "不是 xlcollab 主工作簿",
    "department_list": "可用 xlcollab import 导入",
    "zip_bomb": "压缩比",
    "declared_part_huge": "超过单个部件上限",
    "declared_total_huge": "超过上限",
    "size_lies": "已损坏",
    "too_many_parts": "个部件",
    "deep_nesting": "嵌套",
    "shared_strings_huge": "共享字符串表",
    "shared_strings_absurd": "与其大小",
    "dimension_huge": "声明的范围",
    "cell_far_away": "数据区域",
    "legacy_xls": ".xls",
}


def _rewrite(src: Path, dst: Path, change, extra: dict | None = None) -> None:
    """Copy the package ``src`` to ``dst``, part by part through ``change``
    (name, bytes) -> bytes, then add ``extra`` parts."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            zo.writestr(info.filename, change(info.filename, zi.read(info.filename)))
        for name, data in (extra or {}).items():
            zo.writestr(name, data)


def _task_part(demo: Path) -> str:
    from xlcollab.io.scan import zip_sheet_parts as sheet_parts

    with zipfile.ZipFile(demo) as z:
        return sheet_parts(z)[T]


def _patch_central_size(path: Path, part: str, size: int) -> None:
    """Declare ``size`` as the uncompressed size of ``part`` in the zip's
    central directory (the bytes stay as they are)."""
    import struct

    data = bytearray(path.read_bytes())
    name = part.encode()
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + n]) == name:
            struct.pack_into("<I", data, pos + 24, size)
            path.write_bytes(bytes(data))
            return
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise KeyError(part)


def _zip_bomb(dst: Path, demo: Path) -> None:
    """The task sheet inflates from about 100 KB to 100 MB of row tags."""
    part = _task_part(demo)
    with zipfile.ZipFile(demo) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            if info.filename != part:
                zo.writestr(info.filename, zi.read(info.filename))
                continue
            with zo.open(part, "w", force_zip64=True) as fh:
                fh.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                fh.write(b"<sheetData>")
                block = b"<row/>" * 100_000
                for _ in range(100_000_000 // len(block)):
                    fh.write(block)
                fh.write(b"</sheetData></worksheet>")


def _declared_part_huge(dst: Path, demo: Path) -> None:
    shutil.copy(demo, dst)
    _patch_central_size(dst, _task_part(demo), 3_000_000_000)


def _declared_total_huge(dst: Path, demo: Path) -> None:
    extra = {f"xl/media/blob{i}.bin": b"x" for i in range(4)}
    _rewrite(demo, dst, lambda n, b: b, extra)
    for i in range(4):
        _patch_central_size(dst, f"xl/media/blob{i}.bin", 200 * 1024**2)


def _size_lies(dst: Path, demo: Path) -> None:
    shutil.copy(demo, dst)
    _patch_central_size(dst, _task_part(demo), 1000)


def _too_many_parts(dst: Path, demo: Path) -> None:
    _rewrite(demo, dst, lambda n, b: b, {f"customXml/p{i}.xml": b"<a/>" for i in range(10_001)})


def _deep_nesting(dst: Path, demo: Path) -> None:
    _rewrite(
        demo, dst, lambda n, b: b, {"customXml/item1.xml": b"<a>" * 200_000 + b"</a>" * 200_000}
    )


def _with_shared_strings(dst: Path, demo: Path, count: int) -> None:
    """A shared string table declaring ``count`` entries (it holds one)."""
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{count}" uniqueCount="{count}"><si><t>x</t></si></sst>'
    ).encode()
    rel = (
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    ctype = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )

    def change(name, data):
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", rel)
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", ctype)
        return data

    _rewrite(demo, dst, change, {"xl/sharedStrings.xml": sst})


def _task_sheet_change(demo: Path, change):
    part = _task_part(demo)
    return lambda name, data: change(data) if name == part else data


def _dimension_huge(dst: Path, demo: Path) -> None:
    import re

    def change(data):
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)

    _rewrite(demo, dst, _task_sheet_change(demo, change))


def _cell_far_away(dst: Path, demo: Path) -> None:
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    _rewrite(demo, dst, _task_sheet_change(demo, lambda d: d.replace(b"</sheetData>", far, 1)))


def _legacy_xls(dst: Path, demo: Path) -> None:
    dst.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Workbook" * 512)


HOSTILE = {
    "zip_bomb": _zip_bomb,
    "declared_part_huge": _declared_part_huge,
    "declared_total_huge": _declared_total_huge,
    "size_lies": _size_lies,
    "too_many_parts": _too_many_parts,
    "deep_nesting": _deep_nesting,
    "shared_strings_huge": lambda dst, demo: _with_shared_strings(dst, demo, 4_000_000_000),
    "shared_strings_absurd": lambda dst, demo: _with_shared_strings(dst, demo, 3_000_000),
    "dimension_huge": _dimension_huge,
    "cell_far_away": _cell_far_away,
    "legacy_xls": _legacy_xls,
}


def _huge_sheet(tmp: Path, demo: Path) -> Path:
    """The demo with one value at the very last row of the task sheet, written
    by patching the sheet XML (openpyxl would take long to save that)."""
    wb = openpyxl.load_workbook(demo)
    ws = wb[T]
    ws.cell(1_048_576, 2).value = "最后一行"
    path = tmp / "row_1048576.xlsx"
    wb.save(path)
    return path


def _every_row_filled(tmp: Path, demo: Path) -> Path:
    """The demo's task sheet with a task name on every row down to
    1,048,576 (written as sheet XML: openpyxl would take long)."""
    import re

    def change(data):
        last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', data))
        rows = b"".join(
            b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>%d</t></is></c></row>' % (r, r, r)
            for r in range(last + 1, 1_048_577)
        )
        data = re.sub(rb'<dimension ref="[^"]*"/>', b"", data)
        return data.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    path = tmp / "every_row.xlsx"
    _rewrite(demo, path, _task_sheet_change(demo, change))
    return path


WORKER = textwrap.dedent("""
    import json, resource, sys, time
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from typer.testing import CliRunner
    from xlcollab.cli import app
    runner = CliRunner()
    for path in sys.argv[2:]:
        t = time.perf_counter()
        r = runner.invoke(app, ["check", path, "--format", "json", "--as-of", "2026-04-01"])
        exc = r.exception
        exc = None if exc is None or isinstance(exc, SystemExit) else repr(exc)
        print(json.dumps({"path": path, "code": r.exit_code, "stdout": r.stdout,
                           "stderr": r.stderr, "exception": exc,
                           "seconds": time.perf_counter() - t,
                           "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024},
                          ensure_ascii=False), flush=True)
""")


def _run_worker(paths: list[Path], timeout: float, limit: int = MEMORY_LIMIT) -> list[dict]:
    env = {**os.environ, "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    env.pop("XLCOLLAB_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(limit), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(paths), (
        f"worker stopped after {len(results)} of {len(paths)} cases "
        f"(next: {paths[len(results)].name}); rc={proc.returncode} "
        f"(negative: killed by that signal)\n{proc.stderr[-3000:]}"
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-3000:])
    return results


def _assert_clear(name: str, res: dict, rules: list[str]) -> None:
    out = res["stdout"] + res["stderr"]
    assert res["exception"] is None, (name, res["exception"])
    assert "Traceback" not in out, (name, out[-2000:])
    assert "内部错误" not in out and "internal error" not in out, (name, out[-1000:])
    assert res["code"] in (1, 2), (name, res["code"], out[-1500:])
    assert res["seconds"] < TIMEOUT_PER_CASE, (name, res["seconds"])
    if name in REFUSED:
        assert res["code"] == 2, (name, res["code"], out[-1500:])
        said = " ".join(res["stderr"].split())  # rich wraps long lines
        assert Path(res["path"]).name in said and REFUSED[name] in said, (name, said)
    if res["code"] == 2:
        lines = [ln for ln in res["stderr"].splitlines() if ln.strip()]
        assert len(lines) >= 1 and not res["stdout"].strip(), (name, out)
        assert not rules, (name, "expected findings", rules, out)
        return
    report = json.loads(res["stdout"])
    # a sheet the workbook lacks: said once, and no finding at a cell of it
    missing = {f["sheet"] for f in report["findings"] if f["rule_id"] == "read.missing_sheet"}
    stray = [
        f
        for f in report["findings"]
        if f["sheet"] in missing and f["rule_id"] != "read.missing_sheet"
    ]
    assert not stray, (name, stray[:3])
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
    paths = [_huge_sheet(tmp_path, demo_path), _every_row_filled(tmp_path, demo_path)]
    results = _run_worker(paths, timeout=240, limit=BIG_SHEET_MEMORY_LIMIT)
    for path, res in zip(paths, results, strict=True):
        _assert_clear(path.stem, res, [])
        assert res["code"] == 2 and "1048576" in " ".join(res["stderr"].split()), res["stderr"]
        assert res["maxrss_mb"] < BIG_SHEET_MEMORY_LIMIT / 1024**2


def test_nightly_over_a_folder_checks_the_good_workbook_after_a_hostile_one(tmp_path, demo_path):
    from typer.testing import CliRunner

    from xlcollab.cli import app

    folder = tmp_path / "share"
    folder.mkdir()
    _zip_bomb(folder / "a_bomb.xlsx", demo_path)
    _cell_far_away(folder / "b_far.xlsx", demo_path)
    shutil.copy(demo_path, folder / "c_good.xlsx")
    res = CliRunner().invoke(app, ["nightly", str(folder), "--once", "--as-of", "2026-04-01"])
    assert res.exit_code == 2  # a workbook could not be read: said so
    said = " ".join(res.output.split())
    assert "a_bomb.xlsx" in said and "压缩比" in said
    assert "b_far.xlsx" in said and "数据区域" in said
    assert "c_good.xlsx" in said
    from xlcollab.history import History, history_path

    with History.open(history_path(folder / "c_good.xlsx", None, None, shared=True)) as h:
        assert h.last_run() is not None  # the good one was checked and recorded
