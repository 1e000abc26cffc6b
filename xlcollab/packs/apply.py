"""A merge plan as safe-writer edits: the accepted cells, the new rows in
the tables' empty rows, and the 变更记录 rows (department, pack file, time).

:func:`merged_splits` reads back, from 变更记录, the newest split merged for
each department, which :func:`~xlcollab.packs.merge.merge_plan` needs to
refuse an older split.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xlcollab.io.ooxml import table_body
from xlcollab.io.tidy import changelog_records
from xlcollab.io.writeback import SheetEdit
from xlcollab.model import ProjectData
from xlcollab.model.a1 import col_letter
from xlcollab.model.data import is_missing
from xlcollab.packs.fingerprint import display
from xlcollab.packs.merge import Conflict, MergePlan
from xlcollab.schema import PACK_CHANGE_LABELS, PACK_SPLIT_FIELD, SHEETS
from xlcollab.schema.lang import tr
from xlcollab.workbook.values import cell_value

__all__ = [
    "PlannedCell",
    "MergeEdits",
    "merge_edits",
    "merged_splits",
    "merge_log_rows",
    "free_rows",
]


@dataclass(frozen=True)
class PlannedCell:
    """One cell a merge writes, for the preview."""

    sheet: str
    cell: str  # e.g. H12
    record: str
    column: str
    old: str
    new: str
    added: bool = False


@dataclass
class MergeEdits:
    edits: list[SheetEdit] = field(default_factory=list)
    cells: list[PlannedCell] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # found while placing rows


def _label(kind: str, lang: str) -> str:
    zh, en = PACK_CHANGE_LABELS[kind]
    return tr(lang, zh, en)


def merged_splits(master: ProjectData) -> dict[str, str]:
    """Department -> the newest split time among its packs merged so far,
    from the 变更记录 rows merges wrote."""
    log = master.tables.get("changelog")
    out: dict[str, str] = {}
    if log is None or not len(log):
        return out
    labels = set(PACK_CHANGE_LABELS["merged"])
    for change, rec, new in zip(log["change"], log["record"], log["new"], strict=True):
        if change in labels and rec and new:
            rec, new = str(rec).strip(), str(new).strip()
            out[rec] = max(out.get(rec, ""), new)
    return out


def free_rows(master: ProjectData, raw: bytes, sheet: str) -> list[int]:
    layout = master.layout.get(sheet)
    if layout is None:
        return []
    body = table_body(raw, layout.name)
    if body is None:
        return []
    used = max([int(i) for i in master.tables[sheet].index] or [0])
    return list(range(max(body[0], used + 1), body[1] + 1))


def _log_rows(master: ProjectData, merges_only: bool = False) -> list[dict]:
    rows = changelog_records(master)
    if merges_only:
        labels = {label for pair in PACK_CHANGE_LABELS.values() for label in pair}
        rows = [r for r in rows if r.get("change") in labels]
    return rows


def merge_log_rows(master: ProjectData) -> list[dict]:
    """The 变更记录 rows merges wrote, in sheet order: whoever rewrites the
    change log (the nightly run) keeps them, so a merge stays on record
    and an older split stays refused."""
    return _log_rows(master, merges_only=True)


def merge_edits(
    master: ProjectData,
    raw: bytes,
    plan: MergePlan,
    *,
    pack_file: str,
    split_at: str,
    when: dt.datetime,
    lang: str | None = None,
) -> MergeEdits:
    """The edits that apply ``plan`` to the master (its bytes ``raw`` say
    where the tables' empty rows are). Nothing when the plan is empty."""
    lang = lang or master.lang
    wb_lang = master.lang
    out = MergeEdits()
    if plan.refused or plan.empty:
        return out
    edits: dict[str, SheetEdit] = {}
    log: list[dict] = []
    who = f"{plan.department}（{pack_file} {when:%Y-%m-%d %H:%M}）"

    def edit(sheet: str) -> SheetEdit:
        if sheet not in edits:
            edits[sheet] = SheetEdit.for_sheet(master, sheet)
        return edits[sheet]

    def addr(sheet: str, row: int, key: str) -> str:
        return f"{col_letter(master.layout[sheet].columns[key])}{row}"

    for ch in plan.changes:
        col = SHEETS[ch.sheet].col(ch.column)
        if ch.column not in master.layout[ch.sheet].columns:
            continue
        edit(ch.sheet).set(ch.row, ch.column, cell_value(col, ch.new, wb_lang))
        old, new = (
            display(ch.sheet, ch.column, ch.old, lang),
            display(ch.sheet, ch.column, ch.new, lang),
        )
        out.cells.append(
            PlannedCell(ch.sheet, addr(ch.sheet, ch.row, ch.column), ch.record, ch.column, old, new)
        )
        log.append(
            {
                "date": when.date(),
                "sheet": master.sheet_name(ch.sheet),
                "record": ch.record,
                "change": _label("changed", wb_lang),
                "field": col.header(wb_lang),
                "old": display(ch.sheet, ch.column, ch.old, wb_lang) or None,
                "new": display(ch.sheet, ch.column, ch.new, wb_lang) or None,
                "modified_by": who,
            }
        )
    free = {s: free_rows(master, raw, s) for s in {n.sheet for n in plan.new_rows}}
    for nr in plan.new_rows:
        if not free[nr.sheet]:
            out.conflicts.append(Conflict(nr.sheet, "merge.no_room", nr.record))
            continue
        row = free[nr.sheet].pop(0)
        for key, value in nr.values.items():
            if key not in master.layout[nr.sheet].columns or is_missing(value):
                continue
            col = SHEETS[nr.sheet].col(key)
            edit(nr.sheet).set(row, key, cell_value(col, value, wb_lang))
            out.cells.append(
                PlannedCell(
                    nr.sheet,
                    addr(nr.sheet, row, key),
                    nr.record,
                    key,
                    "",
                    display(nr.sheet, key, value, lang),
                    added=True,
                )
            )
        log.append(
            {
                "date": when.date(),
                "sheet": master.sheet_name(nr.sheet),
                "record": nr.record,
                "change": _label("added", wb_lang),
                "modified_by": who,
            }
        )
    zh, en = PACK_SPLIT_FIELD
    log.append(
        {
            "date": when.date(),
            "sheet": pack_file,
            "record": plan.department,
            "change": _label("merged", wb_lang),
            "field": tr(wb_lang, zh, en),
            "new": split_at,
            "modified_by": who,
        }
    )
    out.edits = list(edits.values())
    if "changelog" in master.layout:
        clog = SheetEdit.for_sheet(master, "changelog")
        clog.replace_table(log + _log_rows(master))  # newest first, as the nightly run
        out.edits.append(clog)
    return out
