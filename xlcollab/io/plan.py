"""The write plan of ``check --write``: which cells a check report changes."""

from __future__ import annotations

import pandas as pd

from xlcollab.check.pipeline import CheckReport
from xlcollab.io.writeback import CellValue, SheetEdit
from xlcollab.model import ProjectData
from xlcollab.model.collector import collector_paused
from xlcollab.model.findings import ERROR, WARNING
from xlcollab.schema import ESCALATION, FINDINGS, SEVERITY, SHEETS, Computed, Kind
from xlcollab.schema.lang import tr

__all__ = ["write_edits"]


def write_edits(data: ProjectData, report: CheckReport) -> tuple[list, list[str]]:
    """The edits ``check --write`` makes, for :func:`xlcollab.io.writeback.write_back`,
    and notes for the user about what could not be written (never silent).

    - 任务清单: 阻塞开始日期 and 升级层级 (the Python-computed columns; the
      level as its label in the workbook's language). 延误工作日 is a native
      formula in the master workbook and formulas are never overwritten;
    - 检查结果: the table body replaced by every finding, worst first, with
      today's date (``as_of``);
    - a red (error) or yellow (warning) mark on every cell a finding names;
      the tool's old marks are cleared on every schema sheet the workbook has.
    """
    with collector_paused():  # many short-lived cells and rows, no cycles
        return _write_edits(data, report)


def _write_edits(data: ProjectData, report: CheckReport) -> tuple[list, list[str]]:
    wl = data.lang  # what the workbook shows
    notes: list[str] = []
    edits: dict[str, SheetEdit] = {}

    def edit(key: str) -> SheetEdit:
        if key not in edits:
            edits[key] = SheetEdit.for_sheet(data, key)
        return edits[key]

    tasks_layout = data.layout.get("tasks")
    if tasks_layout is not None and len(report.columns):
        for key in ("blocked_since", "escalation"):
            assert SHEETS["tasks"].col(key).computed is Computed.PYTHON
            if key not in tasks_layout.columns:
                notes.append(
                    tr(
                        report.lang,
                        f"任务清单没有“{SHEETS['tasks'].col(key).zh}”列，未写入",
                        f"The task sheet has no '{SHEETS['tasks'].col(key).en}' column; "
                        "not written",
                    )
                )
                continue
            col = report.columns[key]
            if key == "escalation":
                values = {int(r): (ESCALATION.label(v, wl) if v else None) for r, v in col.items()}
            else:
                values = {int(r): (None if pd.isna(v) else v.date()) for r, v in col.items()}
            edit("tasks").set_column(key, values)

    if "findings" in data.layout:
        fcols = data.layout["findings"].columns
        labels = {s: SEVERITY.label(s, wl) for s in {f.severity for f in report.findings}}
        checked_on = CellValue.of(report.as_of)  # one value for every row
        keys = [
            k
            for k in (
                "severity",
                "rule_id",
                "sheet",
                "row",
                "column",
                "cell",
                "message",
                "hint",
                "checked_on",
            )
            if k in fcols
        ]
        found = report.finding_columns()
        n = len(found["rule_id"])
        columns = {
            "severity": list(map(labels.__getitem__, found["severity"])),
            **{
                k: found[k]
                for k in ("rule_id", "sheet", "row", "column", "cell", "message", "hint")
            },
            "checked_on": [checked_on] * n,
        }
        edit("findings").replace_table_columns({k: columns[k] for k in keys}, n)
    else:
        notes.append(
            tr(
                report.lang,
                f"工作簿没有“{FINDINGS.zh}”工作表，问题清单未写入",
                f"The workbook has no {FINDINGS.en} sheet; the findings were not written",
            )
        )

    by_name = {lay.name: key for key, lay in data.layout.items()}
    for key in data.layout:
        if SHEETS[key].kind in (Kind.TABLE, Kind.FORM) and key != "findings":
            edit(key).clear_marks()
    marks: dict[tuple[str, str], list[str]] = {}  # (sheet key, severity) -> cells
    for f in report.findings:
        if not f.cell or f.severity not in (ERROR, WARNING):
            continue
        key = by_name.get(f.sheet)
        if key is None or key == "findings":
            continue
        marks.setdefault((key, f.severity), []).append(f.cell)
    for (key, severity), cells in marks.items():
        edit(key).mark(cells, severity)
    return list(edits.values()), notes
