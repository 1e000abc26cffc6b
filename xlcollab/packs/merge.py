"""What a returned pack changes in the master: accepted changes, new rows
and conflicts. Pure: the master's ProjectData and a :class:`Pack` in, a
:class:`MergePlan` out.

For each row the pack was split with (known by its hidden row id, so a
re-sorted row is still recognised), the fields the department changed are
those whose value differs from the value at the split. Each such change is

- *accepted* when the row is the department's own, the column is one it
  may edit (:data:`~xlcollab.schema.PACK_RULES`) and the master's row is
  still as it was at the split (same fingerprint);
- *nothing to do* when the master already holds the pack's value (so
  merging the same pack twice changes nothing the second time);
- otherwise a *conflict*: another department's row, a locked column, a row
  that changed (or was deleted) in the master since the split.

A formula cell the liaison typed over (``Pack.overwritten``) is a conflict
too; the master's formulas are never written.

A row missing from the pack is a conflict (deletions are never applied).
Rows the department added (no row id) are accepted as new rows when they
are its own (on the task checklist: a new WBS code under one of its own
tasks); a new row that the master already holds unchanged is nothing to do.
A pack of another project, or an older split of a department whose newer
pack was merged, is refused whole.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xlcollab.core.figures import wbs_text
from xlcollab.model import ProjectData, messages
from xlcollab.packs.fingerprint import (
    canonical,
    display,
    fingerprint,
    input_keys,
    records,
    row_ids,
    same,
    summary_keys,
)
from xlcollab.packs.read import Pack
from xlcollab.packs.split import person_departments, project_id
from xlcollab.schema import PACK_RULES, SHEETS

__all__ = ["Change", "NewRow", "Conflict", "MergePlan", "merge_plan", "apply_to_frames"]


@dataclass(frozen=True)
class Change:
    sheet: str
    row: int  # the master's Excel row
    column: str
    old: Any  # the master's value (canonical)
    new: Any  # the pack's value (as read: typed)
    record: str  # WBS code, risk ID or row number, for people


@dataclass(frozen=True)
class NewRow:
    sheet: str
    values: dict  # column key -> value (typed), input columns
    record: str


@dataclass(frozen=True)
class Conflict:
    sheet: str
    rule: str  # merge.* message id
    record: str
    row: int | None = None  # the master's row, when there is one
    column: str | None = None
    old: Any = None  # value at the split
    new: Any = None  # the pack's value
    master: Any = None  # the master's value now
    values: dict = field(default_factory=dict)  # message fields

    def message(self, lang: str = "zh") -> str:
        col = SHEETS[self.sheet].col(self.column).header(lang) if self.column else ""
        fields = dict(record=self.record, column=col, sheet=SHEETS[self.sheet].name(lang))
        fields.update(
            master=_show(display(self.sheet, self.column, self.master, lang)),
            new=_show(display(self.sheet, self.column, self.new, lang)),
            **self.values,
        )
        return messages.render(self.rule, lang, **fields)[0]


@dataclass
class MergePlan:
    department: str
    changes: list[Change] = field(default_factory=list)
    new_rows: list[NewRow] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    refused: bool = False  # another project or an older split: nothing applies

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new_rows


def _show(v: str) -> str:
    return v or "—"


def _text(v) -> str | None:
    c = canonical(v)
    return None if c is None else str(c)


def _label(sheet: str, rec: dict, row: int | None) -> str:
    key = SHEETS[sheet].record_key
    if key and rec.get(key):
        return str(rec[key])
    return f"#{row}" if row is not None else "—"


def merge_plan(
    master: ProjectData, pack: Pack, merged_splits: dict[str, str] | None = None
) -> MergePlan:
    """The merge of ``pack`` into ``master``. ``merged_splits`` maps a
    department to the newest split time of its packs merged so far."""
    dept = pack.department
    plan = MergePlan(dept)
    if pack.identity.get("project_id") != project_id(master):
        plan.refused = True
        plan.conflicts.append(
            Conflict(
                "tasks",
                "merge.other_project",
                "—",
                values=dict(
                    value=pack.identity.get("project", "?"),
                    expected=master.overview.get("name") or "?",
                ),
            )
        )
        return plan
    newest = (merged_splits or {}).get(dept)
    if newest and newest > pack.identity.get("split_at", ""):
        plan.refused = True
        plan.conflicts.append(
            Conflict(
                "tasks",
                "merge.older_split",
                "—",
                values=dict(
                    value=pack.identity.get("split_at", "").replace("T", " "),
                    expected=newest.replace("T", " "),
                    department=dept,
                ),
            )
        )
        return plan
    people = person_departments(master)
    for sheet in PACK_RULES:
        _merge_sheet(master, pack, sheet, people, plan)
    return plan


def _owner(sheet: str, rec: dict, people: dict[str, str]) -> str | None:
    rule = PACK_RULES[sheet]
    v = rec.get(rule.owner_column)
    if v is None:
        return None
    return people.get(str(v)) if rule.owner_is_person else str(v)


def _merge_sheet(master: ProjectData, pack: Pack, sheet: str, people, plan: MergePlan) -> None:
    rule = PACK_RULES[sheet]
    dept = pack.department
    mframe = master.tables[sheet]
    mrecs = records(sheet, mframe)
    mfps = {r: fingerprint(rec) for r, rec in mrecs.items()}
    by_id = {i: r for r, i in row_ids(sheet, mframe).items()}
    base = pack.base.get(sheet, {})
    pframe = pack.frames[sheet]
    precs = records(sheet, pframe)
    ids = pack.ids[sheet]
    key = SHEETS[sheet].record_key
    # a summary row's rolled-up cells are computed (in a pack, over the
    # pack's rows only): never an edit. Summary rows are the master's: a row
    # the pack gives a new child was a task when the liaison edited it.
    summary = summary_keys(sheet, mframe)

    seen: dict[str, int] = {}
    new_rows: list[int] = []
    for prow in pframe.index:
        prow = int(prow)
        rid = ids.get(prow, "")
        if rid and rid in base and rid not in seen:
            seen[rid] = prow
        else:
            new_rows.append(prow)  # no id, an unknown id or a copied row

    used: set[int] = set()
    for rid, brec in base.items():
        bfp = fingerprint(brec)
        mrow = _locate(rid, bfp, by_id, mfps, used)
        if mrow is not None:
            used.add(mrow)
        label = _label(sheet, brec, mrow)
        own = _owner(sheet, brec, people) == dept
        if rid not in seen:
            if own:
                plan.conflicts.append(Conflict(sheet, "merge.deleted_in_pack", label, mrow))
            continue
        prow = seen[rid]
        prec = precs[prow]
        for k, v in pack.overwritten.get(sheet, {}).get(prow, {}).items():
            plan.conflicts.append(Conflict(sheet, "merge.computed_column", label, mrow, k, new=v))
        changed = [k for k in input_keys(sheet) if not same(prec[k], brec[k])]
        if summary and {wbs_text(brec.get(key)), wbs_text(prec.get(key))} & summary:
            changed = [k for k in changed if k not in rule.rolled_up]
        if not changed:
            continue
        mrec = mrecs.get(mrow) if mrow is not None else None
        for k in changed:
            new = pframe.at[prow, k]
            if mrec is not None and same(mrec[k], prec[k]):
                continue  # the master holds it already
            c = dict(sheet=sheet, record=label, row=mrow, column=k, old=brec[k], new=prec[k])
            if not own:
                owner = _owner(sheet, brec, people) or "—"
                plan.conflicts.append(
                    Conflict(
                        **c,
                        rule="merge.other_department",
                        master=mrec[k] if mrec else None,
                        values=dict(owner=owner, department=dept),
                    )
                )
            elif k not in rule.editable:
                plan.conflicts.append(
                    Conflict(**c, rule="merge.locked_column", master=mrec[k] if mrec else None)
                )
            elif mrec is None:
                plan.conflicts.append(Conflict(**c, rule="merge.master_deleted"))
            elif mfps[mrow] != bfp:
                plan.conflicts.append(Conflict(**c, rule="merge.master_changed", master=mrec[k]))
            else:
                plan.changes.append(Change(sheet, mrow, k, mrec[k], new, label))
    _new_rows(master, pack, sheet, new_rows, precs, mrecs, people, plan)


def _locate(rid: str, bfp: str, by_id: dict, mfps: dict, used: set) -> int | None:
    """The master row a pack row came from: by key; by row number when its
    fingerprint still matches; else the first unused row with the split's
    fingerprint (a moved row); else the same row number, changed."""
    if rid.startswith("k:"):
        return by_id.get(rid)
    try:
        row = int(rid[2:])
    except ValueError:
        return None
    if mfps.get(row) == bfp and row not in used:
        return row
    for r, fp in mfps.items():
        if fp == bfp and r not in used:
            return r
    return row if row in mfps and row not in used else None


def _new_rows(master, pack: Pack, sheet, rows, precs, mrecs, people, plan: MergePlan) -> None:
    rule = PACK_RULES[sheet]
    dept = pack.department
    s = SHEETS[sheet]
    key = s.record_key
    pframe = pack.frames[sheet]
    if rows and not rule.new_rows:
        for prow in rows:
            plan.conflicts.append(Conflict(sheet, "merge.new_row_not_allowed", f"#{prow}"))
        return
    existing = {rec.get(key): r for r, rec in mrecs.items() if key and rec.get(key)}
    left = Counter(fingerprint(rec) for rec in mrecs.values())  # keyless: identical rows
    added_codes: set[str] = set()
    order = sorted(rows, key=lambda r: (str(precs[r].get(key) or "").count("."), r))
    for prow in order:
        rec = dict(precs[prow])
        values = {k: pframe.at[prow, k] for k in input_keys(sheet)}
        if rule.owner_column == "department" and rec.get("department") is None:
            rec["department"] = dept
            values["department"] = dept
        label = _label(sheet, rec, None) if key and rec.get(key) else f"#{prow}"
        if key and not rec.get(key):
            plan.conflicts.append(Conflict(sheet, "merge.new_row_key", label, column=key, new=None))
            continue
        owner = _owner(sheet, rec, people)
        if owner != dept:
            plan.conflicts.append(
                Conflict(
                    sheet,
                    "merge.new_row_other",
                    label,
                    column=rule.owner_column,
                    new=rec.get(rule.owner_column),
                    values=dict(department=dept, owner=owner or "—"),
                )
            )
            continue
        if key:
            at = existing.get(rec[key])
            if at is not None:
                if fingerprint(mrecs[at]) != fingerprint(rec):
                    plan.conflicts.append(
                        Conflict(sheet, "merge.new_row_exists", label, at, key, new=rec[key])
                    )
                continue
        else:
            fp = fingerprint(rec)
            if left[fp] > 0:
                left[fp] -= 1
                continue
        if sheet == "tasks":
            parent = _parent(rec["wbs"])
            pdept, pphase = _task_dept(master, parent)
            if parent is None or (pdept != dept and parent not in added_codes):
                plan.conflicts.append(
                    Conflict(
                        sheet,
                        "merge.new_row_parent",
                        label,
                        column="wbs",
                        new=rec["wbs"],
                        values=dict(value=parent or "—", department=dept),
                    )
                )
                continue
            if rec.get("phase") is None and pphase is not None:
                values["phase"] = pphase
            added_codes.add(rec["wbs"])
        plan.new_rows.append(NewRow(sheet, values, label))


def _parent(code: str) -> str | None:
    code = str(code).strip()
    return code.rsplit(".", 1)[0] if "." in code else None


def _task_dept(master: ProjectData, code: str | None) -> tuple[str | None, Any]:
    if code is None:
        return None, None
    tasks = master.tables["tasks"]
    hit = tasks[[str(w).strip() == code for w in tasks["wbs"]]]
    if not len(hit):
        return None, None
    row = hit.iloc[0]
    phase = row.get("phase")
    return (_text(row.get("department")), None if pd.isna(phase) else phase)


def apply_to_frames(master: ProjectData, plan: MergePlan) -> ProjectData:
    """``master`` with ``plan`` applied, in memory (new rows appended after
    the last record): what the master reads as after the merge is written."""
    from xlcollab.model.frames import frame

    tables = {k: v.copy() for k, v in master.tables.items()}
    for ch in plan.changes:
        t = tables[ch.sheet]
        t[ch.column] = t[ch.column].astype(object)
        t.at[ch.row, ch.column] = ch.new
    for nr in plan.new_rows:
        t = tables[nr.sheet]
        add = frame(nr.sheet, [nr.values], master.lang)
        start = int(t.index.max()) + 1 if len(t) else 2
        add.index = pd.RangeIndex(start, start + len(add))
        tables[nr.sheet] = pd.concat([t.astype(object), add.astype(object)])
    return ProjectData(
        tables=tables,
        overview=master.overview,
        settings=master.settings,
        lists=master.lists,
        lang=master.lang,
        layout=master.layout,
    )
