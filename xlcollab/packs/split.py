"""Which rows a department's pack holds, and which of them are its own.

Pure: ProjectData in, a :class:`PackPlan` out (no files, no Excel).

A pack holds, for each sheet of :data:`xlcollab.schema.PACK_RULES`, the
department's own rows (editable) and, on the task checklist, the other
departments' tasks that matter to it (the predecessors and successors of its
tasks, and the summary rows above them), locked. The team, departments,
holidays and settings come whole (dropdowns and formulas need them); budget,
resources and deliverables are the department's own lines, milestones and
escalations those touching its tasks, read-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from xlcollab.core.network import split_codes
from xlcollab.model import ProjectData
from xlcollab.model.data import is_missing
from xlcollab.model.frames import index_rows
from xlcollab.packs.fingerprint import fingerprint, records, row_ids
from xlcollab.schema import PACK_FORMAT, PACK_RULES, SHEETS, Kind

__all__ = [
    "PackPlan",
    "person_departments",
    "row_departments",
    "project_id",
    "master_version",
    "pack_departments",
    "split_plan",
    "pack_filename",
]


@dataclass
class PackPlan:
    department: str
    data: ProjectData  # the pack's own project: filtered tables, renumbered rows
    ids: dict[str, list[str]] = field(default_factory=dict)  # sheet -> id per pack record
    own: dict[str, list[bool]] = field(default_factory=dict)  # sheet -> own per pack record
    base: dict[str, dict[str, dict]] = field(default_factory=dict)  # sheet -> id -> record
    identity: dict[str, str] = field(default_factory=dict)


def _text(v) -> str | None:
    return None if is_missing(v) else str(v).strip() or None


def person_departments(data: ProjectData) -> dict[str, str]:
    """Person -> department, from 组织架构."""
    team = data.tables.get("team")
    if team is None or not len(team):
        return {}
    out = {}
    for name, dept in zip(team["name"], team["department"], strict=True):
        if _text(name) and _text(dept):
            out.setdefault(_text(name), _text(dept))
    return out


def row_departments(data: ProjectData, sheet: str, frame: pd.DataFrame) -> pd.Series:
    """The department each row of a PACK_RULES sheet belongs to (None when
    nobody's)."""
    rule = PACK_RULES[sheet]
    values = frame[rule.owner_column] if rule.owner_column in frame.columns else []
    if rule.owner_is_person:
        people = person_departments(data)
        depts = [people.get(_text(v)) if _text(v) else None for v in values]
    else:
        depts = [_text(v) for v in values]
    return pd.Series(depts, index=frame.index, dtype=object)


def project_id(data: ProjectData) -> str:
    """A project's identity: its name and start date."""
    start = data.overview.get("start_date")
    start = None if is_missing(start) else pd.Timestamp(start).date().isoformat()
    return fingerprint({"name": _text(data.overview.get("name")), "start": start})


def master_version(data: ProjectData) -> str:
    """The fingerprint of every row a pack can carry, as the master holds them."""
    parts = {}
    for sheet in PACK_RULES:
        frame = data.tables.get(sheet)
        if frame is not None:
            parts[sheet] = [fingerprint(r) for r in records(sheet, frame).values()]
    return fingerprint(parts)


def pack_departments(data: ProjectData) -> list[str]:
    """Departments that own at least one row of a pack sheet, in the order of
    the 部门 sheet (then any others, sorted)."""
    owning: set[str] = set()
    for sheet in PACK_RULES:
        frame = data.tables.get(sheet)
        if frame is not None and len(frame):
            owning |= {d for d in row_departments(data, sheet, frame) if d}
    listed = (
        [_text(d) for d in data.tables["departments"]["name"]]
        if "departments" in data.tables
        else []
    )
    order = [d for d in listed if d in owning]
    return order + sorted(owning - set(order))


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _task_rows(tasks: pd.DataFrame, own: pd.Series) -> pd.Series:
    """Which task rows the pack shows: own, their predecessors and
    successors, and the summary rows above any of these."""
    codes = [_text(v) for v in tasks["wbs"]]
    own_codes = {c for c, o in zip(codes, own, strict=True) if o and c}
    shown = set(own_codes)
    for code, preds in zip(codes, tasks["predecessors"], strict=True):
        p = set(split_codes(preds))
        if code in own_codes:
            shown |= p
        elif code and p & own_codes:
            shown.add(code)
    for code in list(shown):
        shown |= set(_ancestors(code))
    return pd.Series(
        [bool(o) or c in shown for c, o in zip(codes, own, strict=True)], index=tasks.index
    )


def _renumber(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.index = index_rows(len(out))
    return out


def _by_department(frame: pd.DataFrame, department: str) -> pd.DataFrame:
    if "department" not in frame.columns:
        return frame.iloc[0:0]
    return frame[[_text(v) == department for v in frame["department"]]]


def split_plan(data: ProjectData, department: str, split_at: str) -> PackPlan:
    """The pack of ``department``, split at ``split_at`` (ISO date-time)."""
    tables: dict[str, pd.DataFrame] = {}
    plan = PackPlan(department, ProjectData())
    for sheet in PACK_RULES:
        frame = data.tables[sheet]
        depts = row_departments(data, sheet, frame)
        own = depts == department
        keep = _task_rows(frame, own) if sheet == "tasks" else own
        kept = frame[keep.to_numpy(dtype=bool)]
        ids = row_ids(sheet, frame)
        recs = records(sheet, kept)
        plan.ids[sheet] = [ids[int(r)] for r in kept.index]
        plan.own[sheet] = [bool(o) for o in own[keep.to_numpy(dtype=bool)]]
        plan.base[sheet] = {ids[int(r)]: recs[int(r)] for r in kept.index}
        tables[sheet] = _renumber(kept)
    own_tasks = set(
        _text(w) for w, o in zip(tables["tasks"]["wbs"], plan.own["tasks"], strict=True) if o
    )
    shown_tasks = {_text(w) for w in tables["tasks"]["wbs"]}
    for sheet in SHEETS.values():
        if sheet.kind is not Kind.TABLE or sheet.key in tables:
            continue
        frame = data.tables.get(sheet.key)
        if frame is None:
            continue
        if sheet.key in ("team", "departments", "holidays"):
            tables[sheet.key] = frame.copy()
        elif sheet.key in ("budget", "resources", "deliverables"):
            tables[sheet.key] = _renumber(_by_department(frame, department))
        elif sheet.key == "milestones":
            touch = [bool(set(split_codes(v)) & shown_tasks) for v in frame["tasks"]]
            tables[sheet.key] = _renumber(frame[touch])
        elif sheet.key == "escalations":
            tables[sheet.key] = _renumber(frame[[_text(v) in own_tasks for v in frame["task"]]])
        else:
            tables[sheet.key] = _renumber(frame.iloc[0:0])
    plan.data = ProjectData(
        tables=tables,
        overview=dict(data.overview),
        settings=dict(data.settings),
        lists={k: list(v) for k, v in data.lists.items()},
        lang=data.lang,
    )
    plan.identity = {
        "format": PACK_FORMAT,
        "project_id": project_id(data),
        "project": _text(data.overview.get("name")) or "",
        "department": department,
        "split_at": split_at,
        "version": master_version(data),
    }
    return plan


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def pack_filename(project: str, department: str, day) -> str:
    """``<项目>_<部门>_<日期>.xlsx``, with characters a file name cannot hold
    replaced."""
    parts = [_UNSAFE.sub("-", p).strip("-") or "-" for p in (project or "project", department)]
    return f"{parts[0]}_{parts[1]}_{day.isoformat()}.xlsx"
