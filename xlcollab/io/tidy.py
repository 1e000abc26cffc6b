"""Tidy a workbook: write each tolerated entry as the value it was read as.

:func:`plan` is a pure function of :class:`ProjectData`: one
:class:`Change` per cell the reader understood only by tolerance
(``data.tolerated``), and the cells it could not understand at all (the
reader's ``read.bad_*`` findings), which are listed and left alone.
:func:`apply` writes the changes through the safe writer
(:func:`xlcollab.io.writeback.write_back`: refused while Excel has the file
open or it changed since it was read, backup, atomic replace, only those
cells) and adds them on top of 变更记录. Tidying twice changes nothing the
second time: a tidied cell is read as it is stored.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from xlcollab.io.tolerance import unknown_names
from xlcollab.io.writeback import CellValue, SheetEdit, write_back
from xlcollab.model import ProjectData
from xlcollab.model.findings import WARNING, Finding, cell_address, make
from xlcollab.model.tolerated import Tolerated
from xlcollab.schema import NUMBER_FORMATS, SHEETS, T

__all__ = [
    "changelog_records",
    "Change",
    "TidyPlan",
    "plan",
    "apply",
    "edits",
    "changelog_rows",
    "tidied_rows",
    "show",
    "TIDY_LABEL",
]

# the 变更类型 of a tidied cell on 变更记录, and who made it
TIDY_LABEL = {"zh": "整理", "en": "Tidied"}
TIDY_BY = "xlcollab fix"
_LEFT_RULES = ("read.bad_",)


@dataclass(frozen=True)
class Change:
    item: Tolerated
    sheet_name: str  # as the workbook shows it
    header: str  # the column's header as the workbook shows it
    cell: str  # A1 address
    before: str  # the cell as typed
    after: Any  # the value written
    record: str = ""  # the row's record key (WBS code, risk ID ...), when it has one

    @property
    def after_text(self) -> str:
        return show(self.after, self.item)


@dataclass(frozen=True)
class TidyPlan:
    changes: list[Change]
    left: list[Finding]  # what cannot be understood: listed, left alone

    @property
    def empty(self) -> bool:
        return not self.changes


def show(value: Any, item: Tolerated) -> str:
    """A written value as the cell will show it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    col = SHEETS[item.sheet].col(item.column)
    if col.type is T.PERCENT:
        return f"{float(value) * 100:g}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plan(data: ProjectData) -> TidyPlan:
    """What tidying ``data`` changes, and what it leaves alone."""
    changes = []
    for item in data.tolerated:
        lay = data.layout.get(item.sheet)
        if lay is None or item.column not in lay.columns:
            continue
        col_index = lay.columns[item.column]
        changes.append(
            Change(
                item,
                lay.name,
                lay.headers.get(item.column, item.column),
                cell_address(item.row, col_index) or "",
                item.raw,
                item.value,
                _record(data, item),
            )
        )
    left = [f for f in data.findings if f.rule_id.startswith(_LEFT_RULES)]
    left += _unmatched_names(data)
    return TidyPlan(changes, left)


def _unmatched_names(data: ProjectData) -> list[Finding]:
    """Persons and departments that match no name, or several, once spaces
    are ignored: listed, never guessed."""
    if "team" not in data.layout or "departments" not in data.layout:
        return []
    out = []
    for sheet, row, col, value in unknown_names(data.tables):
        lay = data.layout.get(sheet)
        if lay is None or col.key not in lay.columns:
            continue
        person = col.type is T.PERSON
        out.append(
            make(
                "people.unknown_person" if person else "people.unknown_department",
                WARNING,
                data.lang,
                sheet=lay.name,
                row=row,
                col_index=lay.columns[col.key],
                column=lay.headers.get(col.key, col.key),
                value=value,
                team=data.sheet_name("team"),
                departments=data.sheet_name("departments"),
            )
        )
    return out


def _record(data: ProjectData, item: Tolerated) -> str:
    key = SHEETS[item.sheet].record_key
    frame = data.tables.get(item.sheet)
    if not key or frame is None or item.row not in frame.index or key not in frame:
        return ""
    v = frame.at[item.row, key]
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _cell_value(change: Change) -> CellValue:
    item = change.item
    col = SHEETS[item.sheet].col(item.column)
    v = item.value
    if col.type is T.DATE:
        return CellValue.date(v, NUMBER_FORMATS[T.DATE])
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return CellValue.number(v)
    return CellValue.text(str(v))


def edits(data: ProjectData, tidy: TidyPlan, as_of: dt.date, lang: str) -> list[SheetEdit]:
    """The sheet edits of ``tidy``: the changed cells, and 变更记录 with
    one row per change above the rows it held."""
    by_sheet: dict[str, SheetEdit] = {}
    for change in tidy.changes:
        key = change.item.sheet
        edit = by_sheet.get(key)
        if edit is None:
            edit = by_sheet[key] = SheetEdit.for_sheet(data, key)
        edit.cells[(change.item.row, edit.column(change.item.column))] = _cell_value(change)
    out = list(by_sheet.values())
    if tidy.changes and "changelog" in data.layout:
        log = SheetEdit.for_sheet(data, "changelog")
        log.replace_table(changelog_rows(tidy, as_of, data.lang) + changelog_records(data))
        out.append(log)
    return out


def changelog_rows(tidy: TidyPlan, as_of: dt.date, lang: str) -> list[dict]:
    """变更记录 rows for the changes (columns by key)."""
    label = TIDY_LABEL.get(lang, TIDY_LABEL["zh"])
    return [
        {
            "date": as_of,
            "sheet": c.sheet_name,
            "record": f"{c.record}（{c.cell}）"
            if c.record and lang == "zh"
            else (f"{c.record} ({c.cell})" if c.record else c.cell),
            "change": label,
            "field": c.header,
            "old": c.before,
            "new": c.after_text,
            "modified_by": TIDY_BY,
        }
        for c in tidy.changes
    ]


def tidied_rows(data: ProjectData) -> list[dict]:
    """The rows of 变更记录 that tidying wrote (变更类型 整理), for a
    writer that rebuilds the sheet from elsewhere (the nightly job)."""
    labels = set(TIDY_LABEL.values())
    return [r for r in changelog_records(data) if r.get("change") in labels]


def changelog_records(data: ProjectData) -> list[dict]:
    """The rows of 变更记录 as read, as plain values (dates as ``date``)."""
    frame = data.tables.get("changelog")
    if frame is None or frame.empty:
        return []
    rows = []
    for _, r in frame.iterrows():
        row = {}
        for key in SHEETS["changelog"].keys:
            v = r.get(key)
            if v is None or v is pd.NaT or (not isinstance(v, str) and pd.isna(v)):
                v = None
            elif isinstance(v, pd.Timestamp):
                v = v.date()
            row[key] = v
        rows.append(row)
    return rows


def apply(
    path: str | os.PathLike,
    data: ProjectData,
    tidy: TidyPlan,
    *,
    as_of: dt.date,
    read_signature: Sequence | None = None,
    lang: str = "zh",
    keep: int = 10,
) -> Path | None:
    """Write ``tidy`` into the workbook at ``path`` safely; the backup kept,
    or None when there was nothing to change (nothing is written then)."""
    if tidy.empty:
        return None
    return write_back(
        path,
        edits(data, tidy, as_of, lang=data.lang),
        read_signature=read_signature,
        lang=lang,
        keep=keep,
    )
