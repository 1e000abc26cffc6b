"""Findings: what a read or a check has to say about one place in the workbook.

Every finding is made from a message template in :mod:`xlcollab.model.messages`,
so the same finding reads in Chinese or in English.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import repeat
from operator import attrgetter

from xlcollab.model import messages
from xlcollab.model.a1 import cell_address
from xlcollab.schema import SEVERITY

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str  # e.g. "read.bad_date", "tasks.finish_before_start"
    severity: str  # error / warning / info
    sheet: str  # the sheet's name as the workbook shows it
    row: int | None  # 1-based Excel row
    column: str | None  # the column header as the workbook shows it
    cell: str | None  # A1 address, e.g. "F12"
    message: str
    hint: str = ""

    @property
    def location(self) -> str:
        return location(self.sheet, self.row, self.cell)

    def severity_label(self, lang: str = "zh") -> str:
        return SEVERITY.label(self.severity, lang)

    def __str__(self) -> str:  # 任务清单!F12：计划完成日期早于计划开始日期
        sep = "：" if any("\u4e00" <= ch <= "\u9fff" for ch in self.message) else ": "
        return f"{self.location}{sep}{self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


#: a finding's fields, in their order
FIELDS = ("rule_id", "severity", "sheet", "row", "column", "cell", "message", "hint")


def location(sheet: str, row: int | None, cell: str | None) -> str:
    """Where a finding is, as shown: ``任务清单!F12``, a whole row
    ``任务清单!12:12`` when it names no cell, else the sheet."""
    if cell:
        return f"{sheet}!{cell}"
    if row:
        return f"{sheet}!{row}:{row}"
    return sheet


def finding_columns(findings: list[Finding]) -> dict[str, list]:
    """The findings column by column: one list per field of :data:`FIELDS`
    and ``location``, each finding looked at once."""
    if not findings:
        return {k: [] for k in (*FIELDS, "location")}
    rows = map(attrgetter(*FIELDS), findings)
    columns = dict(zip(FIELDS, map(list, zip(*rows, strict=True)), strict=True))
    columns["location"] = list(map(location, columns["sheet"], columns["row"], columns["cell"]))
    return columns


def make(
    rule_id: str,
    severity: str,
    lang: str,
    *,
    sheet: str,
    row: int | None = None,
    column: str | None = None,
    col_index: int | None = None,
    **values,
) -> Finding:
    """A finding from the message template ``rule_id`` in ``lang``."""
    text, hint = messages.render(rule_id, lang, column=column, **values)
    return Finding(rule_id, severity, sheet, row, column, cell_address(row, col_index), text, hint)


def sort_key(f: Finding):
    return (SEVERITY_ORDER.get(f.severity, 9), f.sheet, f.row or 0, f.cell or "")


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """``sorted(findings, key=sort_key)``, the keys made column by column
    (no function call per finding)."""
    keys = ("severity", "sheet", "row", "cell")
    order = sort_order(*(list(map(attrgetter(k), findings)) for k in keys))
    return list(map(findings.__getitem__, order))


def sort_order(severity: list[str], sheet: list[str], row: list, cell: list) -> list[int]:
    """The positions of findings given column by column, in the order of
    ``sorted(findings, key=sort_key)`` (ties kept in their order)."""
    n = len(severity)
    ranks = map(SEVERITY_ORDER.get, severity, repeat(9, n))
    rows = [r or 0 for r in row]
    cells = [c or "" for c in cell]
    keys = list(zip(ranks, sheet, rows, cells, strict=True))
    return sorted(range(n), key=keys.__getitem__)
