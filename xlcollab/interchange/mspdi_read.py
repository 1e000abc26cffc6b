"""Read an MSPDI plan (MS Project / ProjectLibre "XML format") into plain rows.

Any MSPDI file works: one exported by :mod:`xlcollab.interchange.mspdi`
carries every task field in its custom fields; one saved by MS Project from
a department's own plan carries WBS codes, names, dates, % complete, links,
notes and resource assignments, and the rest is left as the workbook has it.

The file is parsed with ``defusedxml`` (no entity expansion, no external
references). A file this tool wrote holds every task
field, so a field it leaves out of a task is empty (``None`` in
:attr:`PlanTask.fields`); in a file from another tool, a field it does not
mention is absent from the dict, so a merge leaves the workbook's value
alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from xlcollab.interchange.mspdi import CUSTOM_FIELDS, LINK_FS, NS
from xlcollab.schema import MILESTONES, PHASE, STATUS, YES_NO, sheet_by_name
from xlcollab.schema.lang import tr

MAX_BYTES = 64 * 1024 * 1024  # a plan bigger than this is refused
_LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
_TENTHS_PER_DAY = 8 * 60 * 10


class PlanError(ValueError):
    """The file is not a readable MSPDI plan; the message is for the user."""


@dataclass
class PlanLink:
    predecessor: str  # the predecessor's WBS code
    type: str = "FS"
    lag_days: float = 0.0


@dataclass
class PlanTask:
    uid: int
    wbs: str | None
    name: str
    sheet: str = "tasks"  # "tasks" or "milestones"
    summary: bool = False
    milestone: bool = False
    outline_level: int | None = None
    fields: dict = field(default_factory=dict)  # schema column key -> value
    links: list[PlanLink] = field(default_factory=list)


@dataclass
class Plan:
    title: str = ""
    tasks: list[PlanTask] = field(default_factory=list)

    @property
    def task_rows(self) -> list[PlanTask]:
        return [t for t in self.tasks if t.sheet == "tasks"]

    @property
    def milestone_rows(self) -> list[PlanTask]:
        return [t for t in self.tasks if t.sheet == "milestones"]


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(el, tag: str) -> str | None:
    child = el.find(_q(tag))
    if child is None or child.text is None:
        return None
    return child.text.strip()


def _int(el, tag: str) -> int | None:
    t = _text(el, tag)
    try:
        return int(float(t)) if t not in (None, "") else None
    except ValueError:
        return None


def _bool(el, tag: str) -> bool:
    return _text(el, tag) in ("1", "true")


def _date(el, tag: str) -> dt.date | None:
    t = _text(el, tag)
    if not t:
        return None
    try:
        return dt.datetime.fromisoformat(t).date()
    except ValueError:
        return None


def read_plan(xml: bytes, lang: str = "zh") -> Plan:
    """The plan in ``xml`` (the bytes of an MSPDI file)."""
    if len(xml) > MAX_BYTES:
        raise PlanError(
            tr(
                lang,
                f"文件过大（{len(xml) // 1024 // 1024} MB），不是可导入的计划",
                f"The file is too large ({len(xml) // 1024 // 1024} MB) to be a plan",
            )
        )
    try:
        root = SafeET.fromstring(xml)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise PlanError(
            tr(lang, f"不是有效的 XML 文件：{exc}", f"Not a valid XML file: {exc}")
        ) from None
    if root.tag != _q("Project"):
        raise PlanError(
            tr(
                lang,
                "不是 MS Project XML（MSPDI）文件：根元素不是 Project",
                "Not an MS Project XML (MSPDI) file: the root element is not Project",
            )
        )
    plan = Plan(title=_text(root, "Title") or _text(root, "Name") or "")

    resources: dict[int, str] = {}
    res_el = root.find(_q("Resources"))
    for r in res_el.findall(_q("Resource")) if res_el is not None else []:
        uid, name = _int(r, "UID"), _text(r, "Name")
        if uid is not None and name:
            resources[uid] = name
    owners: dict[int, str] = {}  # task UID -> the resource with the most units
    best: dict[int, float] = {}
    asg_el = root.find(_q("Assignments"))
    for a in asg_el.findall(_q("Assignment")) if asg_el is not None else []:
        task, res = _int(a, "TaskUID"), _int(a, "ResourceUID")
        if task is None or res not in resources:
            continue
        try:
            units = float(_text(a, "Units") or 1)
        except ValueError:
            units = 1.0
        if units > best.get(task, -1.0):
            best[task], owners[task] = units, resources[res]

    by_id = {fid: key for key, (fid, _) in CUSTOM_FIELDS.items()}
    declared = set()
    ext_el = root.find(_q("ExtendedAttributes"))
    for ea in ext_el.findall(_q("ExtendedAttribute")) if ext_el is not None else []:
        if _int(ea, "FieldID") in by_id:
            declared.add(by_id[_int(ea, "FieldID")])
    # a file this tool wrote holds every field: what it leaves out is empty
    ours = "sheet" in declared
    tasks_el = root.find(_q("Tasks"))
    raw = []
    for t in tasks_el.findall(_q("Task")) if tasks_el is not None else []:
        uid = _int(t, "UID")
        name = _text(t, "Name")
        if uid is None or uid == 0 or not name or _bool(t, "IsNull"):
            continue  # the project summary task and blank rows
        custom: dict[str, str] = {}
        for ea in t.findall(_q("ExtendedAttribute")):
            fid = _int(ea, "FieldID")
            if fid in by_id:
                custom[by_id[fid]] = _text(ea, "Value") or ""
        raw.append((uid, name, t, custom))
    wbs_of = {uid: (_text(t, "WBS") or _text(t, "OutlineNumber")) for uid, _, t, _ in raw}

    for uid, name, t, custom in raw:
        sheet = sheet_by_name(custom.get("sheet", "")) if custom.get("sheet") else None
        is_ms_row = sheet is MILESTONES
        task = PlanTask(
            uid=uid,
            wbs=wbs_of[uid],
            name=name,
            sheet="milestones" if is_ms_row else "tasks",
            summary=_bool(t, "Summary"),
            milestone=_bool(t, "Milestone"),
            outline_level=_int(t, "OutlineLevel"),
        )
        for link in t.findall(_q("PredecessorLink")):
            pred = _int(link, "PredecessorUID")
            if pred not in wbs_of or not wbs_of[pred]:
                continue
            kind = _LINK_TYPES.get(
                _int(link, "Type") if _int(link, "Type") is not None else LINK_FS
            )
            lag = (_int(link, "LinkLag") or 0) / _TENTHS_PER_DAY
            task.links.append(PlanLink(wbs_of[pred], kind or "FS", lag))
        f = task.fields
        f["name"] = name
        if is_ms_row:
            f["planned_date"] = _date(t, "Finish") or _date(t, "Start")
            f["actual_date"] = _date(t, "ActualFinish")
            f["tasks"] = ",".join(link.predecessor for link in task.links) or None
            if _text(t, "Notes") is not None:
                f["opinion"] = _text(t, "Notes") or None
            plan.tasks.append(task)
            continue
        f["planned_start"] = _date(t, "Start")
        f["planned_finish"] = _date(t, "Finish")
        for key, tag in (("actual_start", "ActualStart"), ("actual_finish", "ActualFinish")):
            if ours or _date(t, tag) is not None:
                f[key] = _date(t, tag)
        pct = _int(t, "PercentComplete")
        if pct is not None:
            f["progress"] = pct / 100
        f["predecessors"] = ",".join(link.predecessor for link in task.links) or None
        owner = owners.get(uid) or _text(t, "Contact")
        if owner or ours:
            f["owner"] = owner or None
        notes = _text(t, "Notes")
        if notes is not None or ours:
            f["notes"] = notes or None
        for key in declared - {"sheet"}:
            if key in custom or ours:
                f[key] = _custom_value(key, custom.get(key, ""))
        plan.tasks.append(task)
    return plan


def _custom_value(key: str, text: str):
    """A custom field's text as the workbook's typed value."""
    text = text.strip()
    if not text:
        return None
    if key == "phase":
        return PHASE.parse(text) or text
    if key == "status":
        return STATUS.parse(text) or text
    if key == "approved":
        parsed = YES_NO.parse(text)
        return None if parsed is None else parsed == "yes"
    return text


__all__ = ["Plan", "PlanError", "PlanLink", "PlanTask", "read_plan"]
