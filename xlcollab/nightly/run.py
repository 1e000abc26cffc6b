"""The nightly consistency check: one run per workbook, and the scheduler.

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

Scheduling (:class:`NightlyScheduler`): the ``schedule`` library runs the
daily job at ``--at``; which extra jobs a day brings (the weekly report on
Monday, the fund report on the month's first working day, the risk-review
reminder every N weeks) is decided by :func:`jobs_for_day`, pure; the
scheduler's clock is a parameter, so its timing is tested without waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import signal
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from xlcollab.core.calendar import WorkCalendar, to_date
from xlcollab.core.figures import int_setting
from xlcollab.io.ooxml import table_body
from xlcollab.packs.apply import merge_log_rows
from xlcollab.schema import ESCALATION, ESCALATIONS, SHEETS, Column

__all__ = [
    "run_once",
    "NightlyResult",
    "NightlyScheduler",
    "jobs_for_day",
    "changelog_rows",
    "escalation_rows",
    "side_dir",
]

LOG_NAME = "findings.jsonl"
CHANGELOG_ROWS = 500  # newest changes kept on the 变更记录 sheet
_CHANGE_LABEL = {
    "added": ("新增", "Added"),
    "removed": ("删除", "Removed"),
    "changed": ("修改", "Changed"),
}


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


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
        }


def side_dir(history_file: Path) -> Path:
    """Where the side outputs go: the history database's folder."""
    return Path(history_file).parent


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


def _display(sheet: str, key: str | None, value, lang: str) -> str | None:
    """A stored value as the workbook would show it."""
    if value is None:
        return None
    if isinstance(value, dict):  # a whole row (added/removed): its name
        for k in ("name", "description"):
            if value.get(k):
                return str(value[k])
        return None
    col: Column | None = None
    try:
        col = SHEETS[sheet].col(key) if key else None
    except KeyError:
        col = None
    if col is not None and col.choice_list is not None and col.type.value == "enum":
        try:
            return col.choice_list.label(str(value), lang)
        except KeyError:
            return str(value)
    if isinstance(value, bool):
        return _zh(lang, "是" if value else "否", "Yes" if value else "No")
    return str(value)


def changelog_rows(changes: Iterable, lang: str, sheet_names: dict[str, str]) -> list[dict]:
    """Rows of the 变更记录 sheet, in the order given."""
    rows = []
    for c in changes:
        field_header = None
        if c.field:
            try:
                field_header = SHEETS[c.sheet].col(c.field).header(lang)
            except KeyError:
                field_header = c.field
        rows.append(
            {
                "date": c.as_of,
                "sheet": sheet_names.get(c.sheet, SHEETS[c.sheet].name(lang)),
                "record": c.key,
                "change": _CHANGE_LABEL[c.kind][0 if lang == "zh" else 1],
                "field": field_header,
                "old": _display(c.sheet, c.field, c.old, lang),
                "new": _display(c.sheet, c.field, c.new, lang),
                "modified_by": c.modified_by,
            }
        )
    return rows


def _issue(wbs: str, name: str | None, since: dt.date, level: str, lang: str) -> str:
    label = ESCALATION.label(level, lang)
    return (
        f"任务 {wbs}{' ' + name if name else ''} 自 {since.isoformat()} 起阻塞，升级至“{label}”"
        if lang == "zh"
        else f"Task {wbs}{' ' + name if name else ''} blocked since {since.isoformat()}: "
        f"escalated to '{label}'"
    )


def escalation_rows(
    data, raw: bytes, pending: list, lang: str
) -> tuple[dict[int, dict], list[int], list[int], str | None]:
    """Where the pending escalations go on 问题升级: (row -> values, ids
    written now, ids already in the sheet, a note when some do not fit).

    An escalation whose (task, level, raised on) row is already in the sheet
    (a previous write-back whose bookkeeping was interrupted) is not added
    again. New rows go into the table's empty rows after its last used row."""
    frame = data.tables.get("escalations")
    layout = data.layout.get("escalations")
    if frame is None or layout is None:
        return (
            {},
            [],
            [],
            _zh(
                lang,
                f"工作簿没有“{ESCALATIONS.zh}”工作表，升级记录未写入",
                f"The workbook has no {ESCALATIONS.en} sheet; escalations not written",
            ),
        )
    present = set()
    for t, lv, on in zip(frame["task"], frame["level"], frame["raised_on"], strict=False):
        d = to_date(on) if on is not None and not pd.isna(on) else None
        present.add((str(t).strip() if t is not None else None, lv, d))
    already = [e.id for e in pending if (e.task, e.level, e.reached_on) in present]
    todo = [e for e in pending if e.id not in already]
    if not todo:
        return {}, [], already, None
    body = table_body(raw, layout.name)
    used = max([int(i) for i in frame.index] or [0])
    free = [] if body is None else list(range(max(body[0], used + 1), body[1] + 1))
    rows, ids = {}, []
    for row, e in zip(free, todo, strict=False):
        rows[row] = {
            "issue": e.issue,
            "task": e.task,
            "level": ESCALATION.label(e.level, data.lang),
            "raised_on": e.reached_on,
            "goes_to": e.goes_to,
        }
        ids.append(e.id)
    note = None
    if len(todo) > len(free):
        note = _zh(
            lang,
            f"“{ESCALATIONS.zh}”表格已无空行，还有 {len(todo) - len(free)} 条升级记录待写入；"
            "请在表格末尾插入空行",
            f"The {ESCALATIONS.en} table has no empty rows left; {len(todo) - len(free)} "
            "escalations wait to be written. Add empty rows at the table's end",
        )
    return rows, ids, already, note


def _atomic_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def append_log(path: Path, records: list[dict]) -> None:
    """Append JSON lines in one write (a reader skips a torn last line)."""
    if not records:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def read_log(path: Path) -> list[dict]:
    out = []
    if not Path(path).exists():
        return out
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue  # a line torn by a crash
    return out


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
) -> NightlyResult:
    """One nightly run of the workbook at ``path`` as of ``as_of`` (see the
    module docstring). Never raises for a bad workbook: the result says
    what happened. ``notify``: a :class:`xlcollab.nightly.notify.NotifyConfig`
    (None: log file only). ``stop``: when set before the write-back, the run
    ends after its history commit (a clean abandon on shutdown)."""
    from xlcollab.check import check
    from xlcollab.history import History, history_path, ladder, task_escalations
    from xlcollab.io import WorkbookError, read_workbook
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
        data = read_workbook(io.BytesIO(raw), lang=lang)
    except (WorkbookError, OSError) as exc:
        msg = str(getattr(exc, "finding", None) or exc)
        hfile = history_path(path, None, history, shared=shared)
        result.ok, result.error = (
            False,
            _zh(
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
    pm_days = int_setting(data, "escalation_pm_days")
    lead_days = int_setting(data, "escalation_lead_days")
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
                    _zh(
                        lang,
                        f"“{data.sheet_name(key)}”为空（上次 {before} 行），本次未记录该表",
                        f"{data.sheet_name(key)} is empty (last run: {before} rows); not recorded",
                    )
                )
        with h.run(as_of, workbook=path.name, modified_by=_modified_by(raw)) as run:
            result.run_id = run.id
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
                        _issue(e.task, names.get(e.task), e.since, e.level, data.lang),
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
                result.write_note = _zh(
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
            result.write_note = _zh(
                lang,
                "收到停止信号，本次未写回工作簿；下次运行时写回",
                "Stopping: not written back this time; the next run will",
            )
            h.set_pending(path.name, run.id, "stopped")
    _finish(
        result, hfile, path, notify or NotifyConfig.from_env(settings=data.settings), notify_result
    )
    return result


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
    _atomic_text(
        folder / f"{path.stem}.nightly.json",
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str),
    )
    if cfg is not None and cfg.log_path is None:
        cfg.log_path = folder / "notify.log"
    result.notes += notify_result(result, cfg)


# ----------------------------------------------------------- schedule ---
DAILY, WEEKLY, FINANCE, RISK = "nightly", "weekly_report", "finance_report", "risk_reminder"


def jobs_for_day(
    day: dt.date,
    cal: WorkCalendar,
    *,
    weekly: bool = True,
    finance: bool = True,
    risk_weeks: int = 2,
    project_start: dt.date | None = None,
) -> list[str]:
    """The jobs a day brings besides the nightly check (pure):

    - the weekly report on the week's first working day, the day of the
      weekly meeting (Monday; Tuesday 2026-04-07 after Qingming), at the
      参数 time, before the 10:00 meeting;
    - the fund report on the first working day of the month (2026-05-06
      after Labour Day, for example);
    - the risk-review reminder on the first working day of every
      ``risk_weeks``-th week counted from the project's first week (0: never)."""
    jobs = [DAILY]
    meeting_day = cal.week_first_workday(day) == day
    if weekly and meeting_day:
        jobs.append(WEEKLY)
    if (
        finance
        and cal.is_workday(day)
        and not cal.workdays_in(day.replace(day=1), day - dt.timedelta(days=1))
    ):
        jobs.append(FINANCE)
    if risk_weeks and meeting_day:
        start = project_start or day
        week0 = start - dt.timedelta(days=start.weekday())
        weeks = (day - week0).days // 7
        if weeks >= 0 and weeks % risk_weeks == 0:
            jobs.append(RISK)
    return jobs


class _Clock:
    """A stand-in for the ``datetime`` module inside ``schedule``, whose
    ``datetime.now()`` returns the injected time."""

    def __init__(self, now: dt.datetime):
        real = dt

        class _DT(real.datetime):
            @classmethod
            def now(cls, tz=None):  # the injected clock
                return now

        self.datetime = _DT
        self.timedelta = real.timedelta
        self.time = real.time
        self.date = real.date
        self.timezone = real.timezone
        self.tzinfo = real.tzinfo


_CLOCK_LOCK = threading.Lock()


@contextlib.contextmanager
def _clock(now: dt.datetime | None):
    import schedule

    if now is None:
        yield
        return
    with _CLOCK_LOCK:
        real = schedule.datetime
        schedule.datetime = _Clock(now)
        try:
            yield
        finally:
            schedule.datetime = real


@dataclass
class Book:
    path: Path
    weekly_time: str | None = "08:00"
    finance: bool = True
    risk_weeks: int = 2
    start: dt.date | None = None
    cal: WorkCalendar | None = None


class NightlyScheduler:
    """Several workbooks in one process, on the ``schedule`` library.

    ``runner(job, book, day)`` does the work (the nightly run, a report, a
    reminder). Every method that consults time takes ``now``: the real
    loop passes the clock, tests pass any time they like."""

    def __init__(
        self,
        books: list[Book],
        at: str,
        runner: Callable[[str, Book, dt.date], Any],
        now: dt.datetime | None = None,
    ):
        import schedule

        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
            raise ValueError(f"--at: HH:MM, not {at!r}")
        self.books, self.at, self.runner = books, at, runner
        self.scheduler = schedule.Scheduler()
        self.stop = threading.Event()
        self.ran: list[tuple[dt.datetime, str, str]] = []
        with _clock(now):
            self.scheduler.every().day.at(at).do(self._daily)
            for b in books:
                if b.weekly_time:  # daily; runs on the week's meeting day only
                    self.scheduler.every().day.at(b.weekly_time).do(self._weekly, b)
        self._now: dt.datetime | None = now

    def now(self) -> dt.datetime:
        """The scheduler's clock: the time a test injected, else the machine's. The one place
        the nightly scheduler reads the clock (the ``schedule`` library reads it too, through
        the same injection: :func:`_clock`)."""
        return self._now or dt.datetime.now()

    def _call(self, job: str, book: Book, day: dt.date):
        if self.stop.is_set():
            return
        self.ran.append((self.now(), job, str(book.path)))
        self.runner(job, book, day)

    def _daily(self):
        day = self.now().date()
        for b in self.books:
            cal = b.cal or WorkCalendar()
            for job in jobs_for_day(
                day,
                cal,
                weekly=False,
                finance=b.finance,
                risk_weeks=b.risk_weeks,
                project_start=b.start,
            ):
                self._call(job, b, day)

    def _weekly(self, book: Book):
        now = self.now()
        due = dt.time.fromisoformat(book.weekly_time)
        # a run the scheduler catches up on after midnight is not today's
        if now.time() >= due and WEEKLY in jobs_for_day(
            now.date(), book.cal or WorkCalendar(), finance=False, risk_weeks=0
        ):
            self._call(WEEKLY, book, now.date())

    def run_pending(self, now: dt.datetime | None = None) -> None:
        self._now = now
        with _clock(now):
            self.scheduler.run_pending()

    def next_run(self, now: dt.datetime | None = None) -> dt.datetime | None:
        with _clock(now):
            return self.scheduler.next_run

    def idle_seconds(self, now: dt.datetime | None = None) -> float | None:
        with _clock(now):
            return self.scheduler.idle_seconds

    def serve(self, poll: float = 30.0) -> None:
        """Run until SIGTERM/SIGINT. A job in progress finishes (its history
        transaction commits, its write-back is atomic); then the loop ends.
        A second signal abandons the run cleanly: the history transaction
        rolls back and the workbook is left as it was."""

        def handler(signum, frame):
            if self.stop.is_set():
                raise KeyboardInterrupt
            self.stop.set()

        old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not self.stop.is_set():
                self.run_pending()
                wait = self.idle_seconds()
                self.stop.wait(min(poll, max(1.0, wait if wait is not None else poll)))
        finally:
            for s, h in old.items():
                signal.signal(s, h)


_EVERY_WEEKS = {1: "每周", 2: "每两周", 3: "每三周", 4: "每四周"}


def _latest_slippage(path: Path, data, hist, shared: bool, cal: WorkCalendar):
    """The workbook against its most recent baseline, for the weekly report;
    None when there is none or the history cannot be read (the report is
    still written, its slippage section then says no baseline was chosen)."""
    import sqlite3

    from xlcollab.history import HistoryError, workbook_slippage

    try:
        return workbook_slippage(path, data, None, override=hist, shared=shared, cal=cal)
    except (sqlite3.DatabaseError, HistoryError):
        return None


def run_job(
    job: str,
    book: Book,
    day: dt.date,
    *,
    history=(None, False),
    lang: str | None = None,
    echo: Callable | None = None,
    out: Path | None = None,
):
    """One scheduled job for one workbook: the nightly run, the weekly
    report as of ``day`` (against the most recent baseline, when there is
    one), the fund report of the month before ``day``'s (run on a month's
    first working day, it covers the month just ended) or the risk-review
    reminder (to the notification log). Returns the result, the file
    written or the reminder's text.

    A job that fails is reported, never raised, so one workbook cannot stop
    the others: ``echo`` gets a failed :class:`NightlyResult` and an
    ``error`` line goes to the findings log beside the history (an
    unattended scheduler leaves a trace); the job returns None."""
    hist, shared = history
    out = out or book.path.parent / "reports"
    try:
        if job == DAILY:
            r = run_once(book.path, day, history=hist, lang=lang, shared=shared)
            if echo:
                echo(r)
            return r
        from xlcollab.io import read_workbook

        data = read_workbook(book.path, lang=lang)
        lg = lang or data.lang
        cal = WorkCalendar.from_holidays(data.tables.get("holidays"))
        if job == WEEKLY:
            from xlcollab.reports import generate

            out.mkdir(parents=True, exist_ok=True)
            return generate(
                "weekly",
                data,
                out,
                as_of=day,
                lang=lg,
                cal=cal,
                base_dir=book.path.parent,
                slip=_latest_slippage(book.path, data, hist, shared, cal),
            )
        if job == FINANCE:
            from xlcollab.core.money import month_period
            from xlcollab.finance.pipeline import monthly_finance
            from xlcollab.io.save import save_new_workbook

            last = day.replace(day=1) - dt.timedelta(days=1)
            mf = monthly_finance(data, month_period(f"{last:%Y-%m}"), day, cal, lg)
            out.mkdir(parents=True, exist_ok=True)
            target = out / mf.filename("xlsx")
            save_new_workbook(mf.workbook(), target, overwrite=True)
            return target
        if job == RISK:
            from xlcollab.history import history_path
            from xlcollab.nightly.notify import NotifyConfig, log_note

            hfile = history_path(book.path, data.setting("history_path"), hist, shared=shared)
            cfg = NotifyConfig.from_env(
                settings=data.settings, log_path=side_dir(hfile) / "notify.log"
            )
            n = book.risk_weeks
            text = _zh(
                lg,
                f"【xlcollab】{data.overview.get('name') or book.path.name}：{day} "
                f"请复核《项目风险登记册》（{_EVERY_WEEKS.get(n, f'每{n}周')}一次）",
                f"[xlcollab] {data.overview.get('name') or book.path.name}: {day} "
                f"review the risk register ({'every week' if n == 1 else f'every {n} weeks'})",
            )
            log_note(cfg, text)
            return text
    except Exception as exc:  # noqa: BLE001 - one failing job never stops the scheduler
        from xlcollab.history import history_path

        error = f"{job}: {type(exc).__name__}: {exc}"
        with contextlib.suppress(OSError):
            append_log(
                side_dir(history_path(book.path, None, hist, shared=shared)) / LOG_NAME,
                [
                    {
                        "type": "error",
                        "workbook": book.path.name,
                        "as_of": day.isoformat(),
                        "job": job,
                        "message": error,
                    }
                ],
            )
        if echo:
            echo(NightlyResult(workbook=str(book.path), as_of=day, ok=False, error=error))
    return None
