"""The nightly consistency check: one run of one workbook.

One run (:func:`run_once`), for one workbook and one ``as_of``:

1. read the workbook's bytes once (the write-back signature is taken from
   the same bytes); a workbook that cannot be read (mid-save, corrupt) ends
   the run here: the history is not touched (yesterday's state stays), the
   error goes to the findings log, the result file and the notifications;
2. check it (:func:`xlcollab.check.pipeline.check`);
3. in ONE history transaction: the snapshot and the changes since the
   previous run, blocked-since dates from the history (so escalation
   levels count from the first night a task was seen blocked, across days
   with no run), the escalation levels reached (recorded once each), the
   findings (to tell new ones). A run killed before the commit leaves the
   previous state;
4. write back through the safe writer (:func:`xlcollab.io.writeback.write_back`):
   the check's columns and findings (blocked since and level from the
   history), the 变更记录 sheet (the latest changes, newest first) and the
   escalations not yet in the 问题升级 sheet, appended into the table's
   empty rows. When Excel has the file open (or it changed meanwhile)
   nothing is written: the run says so, the history remembers that a
   write-back is owed, and the next run writes it (the escalations are
   kept as "not yet written" until a write-back succeeds; a row already in
   the sheet is never added twice);
5. side outputs beside the history: the findings log
   (``findings.jsonl``, JSON lines: one ``run`` line, then ``change``,
   ``finding`` (new ones), ``escalation`` and ``error`` lines), the run's
   result as JSON (``<stem>.nightly.json``, replaced atomically) and the
   notifications (:mod:`xlcollab.nightly.notify`).

The sheet rows and side files are made in :mod:`xlcollab.nightly.outputs`;
scheduling is :mod:`xlcollab.nightly.scheduler`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlcollab.core.calendar import WorkCalendar
from xlcollab.model.dates import to_date
from xlcollab.nightly.outputs import (
    CHANGELOG_ROWS,
    LOG_NAME,
    append_log,
    changelog_rows,
    escalation_issue,
    escalation_rows,
    side_dir,
    write_text_atomic,
)
from xlcollab.packs.apply import merge_log_rows
from xlcollab.schema.lang import tr

__all__ = ["run_once", "NightlyResult"]


# ------------------------------------------------------------- result ---
@dataclass
class NightlyResult:
    workbook: str
    as_of: dt.date
    ok: bool = True  # False: the workbook could not be read, nothing recorded
    error: str | None = None
    run_id: int | None = None
    project: str | None = None
    lang: str = "zh"
    changes: list = field(default_factory=list)
    new_findings: list = field(default_factory=list)
    findings: int = 0
    errors: int = 0
    new_escalations: list = field(default_factory=list)
    overdue_by_department: dict[str, list[str]] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)  # wbs -> blocked since (ISO)
    # the project's figures (core.figures): tasks, done, blocked, overdue, and
    # open problems per escalation level
    figures: dict[str, Any] = field(default_factory=dict)
    written: bool = False
    write_note: str | None = None  # why the write-back did not happen
    notes: list[str] = field(default_factory=list)
    history: str | None = None
    page: str | None = None  # the status page written by the run
    page_url: str | None = None  # where it is published (参数 页面地址)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "xlcollab.nightly/1",
            "workbook": self.workbook,
            "as_of": self.as_of.isoformat(),
            "ok": self.ok,
            "error": self.error,
            "run_id": self.run_id,
            "project": self.project,
            "history": self.history,
            "changes": [c.to_dict() for c in self.changes],
            "findings": self.findings,
            "errors": self.errors,
            "new_findings": [f.to_dict() | {"location": f.location} for f in self.new_findings],
            "new_escalations": [
                {
                    "task": e.task,
                    "level": e.level,
                    "reached_on": e.reached_on.isoformat(),
                    "since": e.since.isoformat(),
                    "goes_to": e.goes_to,
                    "issue": e.issue,
                }
                for e in self.new_escalations
            ],
            "overdue_by_department": self.overdue_by_department,
            "blocked": self.blocked,
            "figures": self.figures,
            "written": self.written,
            "write_note": self.write_note,
            "notes": self.notes,
            "page": self.page,
            "page_url": self.page_url,
        }


# ------------------------------------------------------------ helpers ---
def _modified_by(raw: bytes) -> str | None:
    """docProps/core.xml lastModifiedBy: who last saved the workbook (the
    finest "who" a workbook file records)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            xml = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    m = re.search(r"<(?:\w+:)?lastModifiedBy>([^<]*)</", xml)
    return m.group(1).strip() or None if m else None


# ---------------------------------------------------------------- run ---
def run_once(
    path: str | Path,
    as_of: dt.date,
    *,
    history: str | Path | None = None,
    lang: str | None = None,
    shared: bool = False,
    notify=None,
    write: bool = True,
    stop: threading.Event | None = None,
    generated_at: dt.datetime | None = None,
) -> NightlyResult:
    """One nightly run of the workbook at ``path`` as of ``as_of`` (see the
    module docstring). Never raises for a bad workbook: the result says
    what happened. ``notify``: a :class:`xlcollab.nightly.notify.NotifyConfig`
    (None: log file only). ``stop``: when set before the write-back, the run
    ends after its history commit (a clean abandon on shutdown).
    ``generated_at``: the moment the status page says it was made."""
    from xlcollab.check import check
    from xlcollab.history import History, history_path, ladder, task_escalations
    from xlcollab.io import COMMAND_SHEETS, WorkbookError, read_workbook
    from xlcollab.io.plan import write_edits
    from xlcollab.io.tidy import tidied_rows
    from xlcollab.io.writeback import FileSignature, SheetEdit, WriteBackError, write_back
    from xlcollab.model.findings import ERROR
    from xlcollab.nightly.notify import NotifyConfig, notify_result

    path = Path(path)
    as_of = to_date(as_of)
    ui = lang or "zh"
    result = NightlyResult(workbook=str(path), as_of=as_of, lang=ui)
    # read the bytes once: the signature and the data come from the same bytes
    try:
        st = path.stat()
        raw = path.read_bytes()
        data = read_workbook(io.BytesIO(raw), lang=lang, sheets=COMMAND_SHEETS)
    except (WorkbookError, OSError) as exc:
        msg = str(getattr(exc, "finding", None) or exc)
        hfile = history_path(path, None, history, shared=shared)
        result.ok, result.error = (
            False,
            tr(
                ui,
                f"无法读取 {path.name}（可能正在保存或已损坏），"
                f"本次未记录，历史保持上次状态：{msg}",
                f"Cannot read {path.name} (being saved or damaged); nothing recorded, the history "
                f"keeps the previous state: {msg}",
            ),
        )
        result.history = str(hfile)
        append_log(
            side_dir(hfile) / LOG_NAME,
            [
                {
                    "type": "error",
                    "workbook": path.name,
                    "as_of": as_of.isoformat(),
                    "message": result.error,
                }
            ],
        )
        _finish(result, hfile, path, notify or NotifyConfig(), notify_result)
        return result
    sig = FileSignature(len(raw), st.st_mtime_ns, hashlib.sha256(raw).hexdigest())
    lang = lang or data.lang
    result.lang = lang
    result.project = data.overview.get("name")
    hfile = history_path(path, data.setting("history_path"), history, shared=shared)
    result.history = str(hfile)
    cal = WorkCalendar.from_holidays(data.tables.get("holidays"))
    pm_days = data.int_setting("escalation_pm_days")
    lead_days = data.int_setting("escalation_lead_days")
    report = check(
        data,
        as_of,
        lang,
        cal=cal,
        rules_off=[r for r in str(data.setting("rules_off") or "").split(",")],
    )
    tasks = data.tables["tasks"]

    # tracked sheets the reader actually found (a missing sheet is not "all rows removed")
    tracked = {
        k: data.tables[k]
        for k in ("tasks", "risks", "expenses")
        if k in data.layout and k in data.tables
    }

    with History.open(hfile) as h:
        for key in list(tracked):
            before = len(h.snapshot(key)) if h.last_run() else 0
            if before >= 5 and len(tracked[key]) == 0:
                tracked.pop(key)  # a sheet emptied at once: far likelier a bad save
                result.notes.append(
                    tr(
                        lang,
                        f"“{data.sheet_name(key)}”为空（上次 {before} 行），本次未记录该表",
                        f"{data.sheet_name(key)} is empty (last run: {before} rows); not recorded",
                    )
                )
        with h.run(as_of, workbook=path.name, modified_by=_modified_by(raw)) as run:
            result.run_id = run.id
            previous = run.previous_run()
            result.changes = run.snapshot(tracked)
            since = run.blocked_since(tasks)
            esc = task_escalations(
                tasks,
                since,
                as_of,
                cal,
                pm_days,
                lead_days,
                days_late=report.task_flags["days_late"],
            )
            names = dict(zip(tasks["wbs"].astype(object), tasks["name"], strict=False))
            depts = dict(zip(tasks["wbs"].astype(object), tasks["department"], strict=False))
            entries = []
            for e in ladder.due_escalations(since, as_of, cal, pm_days, lead_days):
                entries.append(
                    ladder.Escalation(
                        e.task,
                        e.since,
                        e.level,
                        e.reached_on,
                        ladder.goes_to(data, e.level, depts.get(e.task)),
                        escalation_issue(e.task, names.get(e.task), e.since, e.level, data.lang),
                    )
                )
            result.new_escalations = ladder.record(h.conn, run.id, entries)
            result.new_findings = run.store_findings(report.findings)
            pending = ladder.unwritten(h.conn)
        result.blocked = {k: v.isoformat() for k, v in sorted(since.items())}
        result.findings = len(report.findings)
        result.errors = sum(1 for f in report.findings if f.severity == ERROR)
        fig = report.figures
        result.figures = {
            "tasks": fig.total,
            "done": fig.done,
            "blocked": fig.blocked,
            "overdue": fig.overdue,
            "escalation": dict(fig.escalations),
        }
        overdue = fig.flagged("overdue")  # tasks, summary rows aside
        for wbs, dept in zip(overdue["wbs"], overdue["department"], strict=False):
            result.overdue_by_department.setdefault(str(dept or "—"), []).append(str(wbs))

        # ---- write-back (after the history commit; see the module docstring)
        if write and not (stop is not None and stop.is_set()):
            report.columns["blocked_since"] = esc["blocked_since"]
            report.columns["escalation"] = esc["escalation"]
            report.escalation = esc
            edits, notes = write_edits(data, report)
            result.notes += notes
            if "changelog" in data.layout:
                recent = h.changes(limit=CHANGELOG_ROWS, newest_first=True)
                sheet_names = {k: data.sheet_name(k) for k in ("tasks", "risks", "expenses")}
                SheetEdit_ = SheetEdit.for_sheet(data, "changelog")
                rows = changelog_rows(recent, data.lang, sheet_names) + tidied_rows(data)
                rows += merge_log_rows(data)  # department packs merged
                rows.sort(key=lambda r: r["date"] or dt.date.min, reverse=True)  # stable
                SheetEdit_.replace_table(rows[:CHANGELOG_ROWS])
                edits.append(SheetEdit_)
            esc_rows, esc_ids, already, note = escalation_rows(data, raw, pending, lang)
            if note:
                result.notes.append(note)
            if already:
                ladder.mark_written(h.conn, already, run.id)
            if esc_rows:
                e_edit = SheetEdit.for_sheet(data, "escalations")
                for row, values in esc_rows.items():
                    for k, v in values.items():
                        if k in data.layout["escalations"].columns:
                            e_edit.set(row, k, v)
                edits.append(e_edit)
            keep = data.setting("backup_keep")
            try:
                write_back(
                    path,
                    edits,
                    read_signature=sig,
                    lang=lang,
                    keep=int(keep) if isinstance(keep, int) and keep > 0 else 10,
                )
            except WriteBackError as exc:
                result.write_note = tr(
                    lang,
                    f"结果未写回工作簿（{exc}）；已写入旁路输出，下次运行时重试",
                    f"Results not written to the workbook ({exc}); they are in the side "
                    "outputs and the next run retries",
                )
                h.set_pending(path.name, run.id, str(exc))
            else:
                result.written = True
                ladder.mark_written(h.conn, esc_ids, run.id)
                h.set_pending(path.name, run.id, None)
        elif write:
            result.write_note = tr(
                lang,
                "收到停止信号，本次未写回工作簿；下次运行时写回",
                "Stopping: not written back this time; the next run will",
            )
            h.set_pending(path.name, run.id, "stopped")
    if not (stop is not None and stop.is_set()):
        write_run_page(result, data, path, hfile, since, cal, generated_at, shared, previous)
    _finish(
        result, hfile, path, notify or NotifyConfig.from_env(settings=data.settings), notify_result
    )
    return result


def page_folder(path: Path, data, hfile: Path, shared: bool) -> Path:
    """Where the nightly run writes the status page: the 参数 setting
    页面输出目录 (relative to the workbook's folder), else ``page`` beside the
    history (``<stem>.page`` when several workbooks share the folder)."""
    setting = str(data.setting("page_dir") or "").strip()
    if setting:
        p = Path(setting)
        return p if p.is_absolute() else path.parent / p
    return side_dir(hfile) / (f"{path.stem}.page" if shared else "page")


def write_run_page(
    result: NightlyResult,
    data,
    path: Path,
    hfile: Path,
    since: dict,
    cal: WorkCalendar,
    generated_at: dt.datetime | None,
    shared: bool,
    previous=None,
) -> None:
    """The status page of this run (its changes against ``previous``, the
    run before it; the history's blocked-since dates); a page that cannot be
    written is a note, never a failed run."""
    from xlcollab.page import PageOptions, write_page

    options = PageOptions(
        lang=result.lang,
        generated_at=generated_at,
        blocked_since=since,
        changes=result.changes,
        show_email=bool(data.setting("page_show_email")),
        run_date=result.as_of,
        previous_run=previous.as_of if previous else None,
    )
    try:
        target, _ = write_page(
            data, page_folder(path, data, hfile, shared), result.as_of, options, cal
        )
    except OSError as exc:
        result.notes.append(
            tr(result.lang, f"状态页面未能写出：{exc}", f"The status page was not written: {exc}")
        )
        return
    result.page = str(target)
    result.page_url = str(data.setting("page_url") or "").strip() or None


def _finish(result: NightlyResult, hfile: Path, path: Path, cfg, notify_result) -> None:
    folder = side_dir(hfile)
    lines = [
        {
            "type": "run",
            "workbook": path.name,
            "as_of": result.as_of.isoformat(),
            "run_id": result.run_id,
            "ok": result.ok,
            "findings": result.findings,
            "errors": result.errors,
            "written": result.written,
            "write_note": result.write_note,
        }
    ]
    lines += [{"type": "change", "run_id": result.run_id, **c.to_dict()} for c in result.changes]
    lines += [
        {
            "type": "finding",
            "run_id": result.run_id,
            "as_of": result.as_of.isoformat(),
            **f.to_dict(),
            "location": f.location,
        }
        for f in result.new_findings
    ]
    lines += [
        {
            "type": "escalation",
            "run_id": result.run_id,
            "task": e.task,
            "level": e.level,
            "reached_on": e.reached_on.isoformat(),
            "goes_to": e.goes_to,
        }
        for e in result.new_escalations
    ]
    if result.ok:
        append_log(folder / LOG_NAME, lines)
    write_text_atomic(
        folder / f"{path.stem}.nightly.json",
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str),
    )
    if cfg is not None and cfg.log_path is None:
        cfg.log_path = folder / "notify.log"
    result.notes += notify_result(result, cfg)
