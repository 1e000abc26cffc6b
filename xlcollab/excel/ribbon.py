"""What a ribbon button does: ``dispatch(tag)``.

The add-in's one VBA callback runs::

    RunPython "import xlcollab.excel.ribbon; xlcollab.excel.ribbon.dispatch('<tag>')"

``dispatch`` gets the workbook through an adapter (the calling Excel book
via :class:`~xlcollab.excel.adapter.XlwingsAdapter`, or a file via
:class:`~xlcollab.excel.adapter.FileAdapter`), reads it into ProjectData,
runs the command on the same core the command line uses, writes results
back through the adapter, saves documents in a ``reports`` folder next to
the workbook, and tells the user what it did (status bar and a message).
An unknown tag or any failure becomes a clear message
(:meth:`adapter.alert <xlcollab.excel.adapter.WorkbookAdapter.alert>`),
never a Python traceback in a console window.

:data:`COMMANDS` and :data:`xlcollab.excel.buttons.COMMAND_BUTTONS` name the same
tags (a test holds them together).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlcollab import __version__
from xlcollab.excel.adapter import FileAdapter, WorkbookAdapter
from xlcollab.schema import TASKS
from xlcollab.schema.lang import tr

__all__ = ["dispatch", "COMMANDS", "DispatchResult", "REPORTS_DIR", "REPORT_TAGS", "baseline_name"]

REPORTS_DIR = "reports"
REPORT_TAGS = (
    "charter",
    "roles",
    "checklist",
    "weekly",
    "quality",
    "delivery",
    "summary",
    "briefing",
)


@dataclass
class DispatchResult:
    tag: str
    ok: bool
    message: str
    files: list[Path] = field(default_factory=list)


@dataclass
class _Run:
    """One button press: the adapter, the workbook read, the day and the
    language of the messages."""

    tag: str
    adapter: WorkbookAdapter
    as_of: dt.date | None
    _data: object = None

    @property
    def data(self):
        if self._data is None:
            self.adapter.status(tr(self.lang, "正在读取工作簿…", "Reading the workbook…"))
            self._data = self.adapter.read()
        return self._data

    @property
    def lang(self) -> str:
        return self._data.lang if self._data is not None else "zh"

    def day(self) -> dt.date:
        if self.as_of is not None:
            return self.as_of
        from xlcollab.model.dates import to_date

        status = to_date(self.data.overview.get("status_date"), strict=False)
        return status or self.clock().date()

    def clock(self) -> dt.datetime:
        """The button press is the edge: the one place the ribbon reads the clock."""
        return dt.datetime.now().replace(microsecond=0)

    def report_lang(self) -> str:
        setting = self.data.setting("report_lang")
        return setting if setting in ("zh", "en") else self.data.lang

    def out_dir(self) -> Path:
        path = self.adapter.path
        if path is None:
            raise _UserError(
                "请先保存工作簿：报告保存在工作簿旁的 reports 文件夹",
                "Save the workbook first: documents go to a reports folder beside it",
            )
        folder = path.parent / REPORTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def calendar(self):
        from xlcollab.core.calendar import WorkCalendar

        return WorkCalendar.from_holidays(self.data.tables["holidays"])


class _UserError(Exception):
    """A problem the user can fix; its text is the message."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.zh, self.en = zh, en

    def text(self, lang: str) -> str:
        return tr(lang, self.zh, self.en)


# ------------------------------------------------------------- commands ---
def _validate(run: _Run) -> DispatchResult:
    from xlcollab.check import check
    from xlcollab.io.plan import write_edits
    from xlcollab.schema import SEVERITY

    data = run.data
    run.adapter.status(tr(run.lang, "正在检查…", "Checking…"))
    report = check(data, run.day(), data.lang)
    edits, notes = write_edits(data, report)
    keep = data.setting("backup_keep")
    note = run.adapter.apply(
        edits, lang=data.lang, keep=int(keep) if isinstance(keep, int) and keep > 0 else 10
    )
    sev = report.stats["by_severity"]
    counts = tr(data.lang, "，", ", ").join(f"{SEVERITY.label(k, data.lang)} {sev[k]}" for k in sev)
    msg = tr(
        run.lang,
        f"检查完成（{report.as_of}）：{counts}。问题清单已写入“{data.sheet_name('findings')}”表。",
        f"Check done ({report.as_of}): {counts}. The findings are on the "
        f"'{data.sheet_name('findings')}' sheet.",
    )
    extra = list(notes) + ([note] if note else [])
    return DispatchResult(run.tag, True, "\n".join([msg, *extra]))


def _tidy(run: _Run) -> DispatchResult:
    """``xlcollab fix PATH``: the same :mod:`xlcollab.io.tidy` plan and edits."""
    from xlcollab.io import tidy

    data = run.data
    todo = tidy.plan(data)
    left = "\n".join(str(f) for f in todo.left[:10])
    left_note = (
        tr(
            run.lang,
            f"\n无法理解、未修改（{len(todo.left)}）：\n{left}",
            f"\nNot understood, left alone ({len(todo.left)}):\n{left}",
        )
        if todo.left
        else ""
    )
    if todo.empty:
        return DispatchResult(
            run.tag, True, tr(run.lang, "没有需要整理的单元格", "Nothing to tidy") + left_note
        )
    run.adapter.status(tr(run.lang, "正在整理…", "Tidying…"))
    keep = data.setting("backup_keep")
    note = run.adapter.apply(
        tidy.edits(data, todo, run.day(), data.lang),
        lang=data.lang,
        keep=int(keep) if isinstance(keep, int) and keep > 0 else 10,
    )
    shown = "\n".join(
        f"{c.sheet_name}!{c.cell}：{c.before} → {c.after_text}" for c in todo.changes[:15]
    )
    msg = tr(
        run.lang,
        f"已整理 {len(todo.changes)} 个单元格，已记入“{data.sheet_name('changelog')}”：\n{shown}",
        f"Tidied {len(todo.changes)} cells, recorded on '{data.sheet_name('changelog')}':\n{shown}",
    )
    return DispatchResult(run.tag, True, msg + left_note + (f"\n{note}" if note else ""))


def _refresh_flags(run: _Run) -> DispatchResult:
    from xlcollab.check import check
    from xlcollab.io.writeback import SheetEdit
    from xlcollab.schema import ESCALATION, SHEETS

    data = run.data
    if "tasks" not in data.layout:
        raise _UserError(f"工作簿没有“{TASKS.zh}”表", f"The workbook has no {TASKS.en} sheet")
    run.adapter.status(tr(run.lang, "正在计算标记…", "Computing flags…"))
    report = check(data, run.day(), data.lang, run_rules=False)
    edit = SheetEdit.for_sheet(data, "tasks")
    written = []
    for key in ("blocked_since", "escalation"):
        if key not in data.layout["tasks"].columns:
            continue
        col = report.columns[key]
        if key == "escalation":
            values = {
                int(r): (ESCALATION.label(v, data.lang) if v else None) for r, v in col.items()
            }
        else:
            values = {int(r): (None if v is None or v != v else v.date()) for r, v in col.items()}
        edit.set_column(key, values)
        written.append(SHEETS["tasks"].col(key).header(data.lang))
    note = run.adapter.apply([edit], lang=data.lang) if edit.cells else None
    fig = report.figures
    levels = "，".join(f"{ESCALATION.label(k, 'zh')} {fig.escalations[k]}" for k in ESCALATION.keys)
    levels_en = ", ".join(
        f"{ESCALATION.label(k, 'en')} {fig.escalations[k]}" for k in ESCALATION.keys
    )
    msg = tr(
        run.lang,
        f"已刷新 {len(report.columns)} 行任务清单的{'、'.join(written)}（{report.as_of}）；"
        f"任务 {fig.total} 项，阻塞 {fig.blocked} 项，逾期 {fig.overdue} 项；升级：{levels}。",
        f"Refreshed {', '.join(written)} of {len(report.columns)} task rows "
        f"({report.as_of}); {fig.total} tasks, {fig.blocked} blocked, {fig.overdue} overdue; "
        f"escalations: {levels_en}.",
    )
    return DispatchResult(run.tag, True, msg + (f"\n{note}" if note else ""))


def _report(kind: str) -> Callable[[_Run], DispatchResult]:
    def command(run: _Run) -> DispatchResult:
        from xlcollab.reports import KINDS, ReportError, generate

        if kind not in KINDS:
            raise _UserError(f"“{kind}”报告尚未提供", f"The '{kind}' document is not available yet")
        data = run.data
        lang = run.report_lang()
        out = run.out_dir()
        findings = None
        if kind == "quality":
            from xlcollab.check import check

            findings = list(check(data, run.day(), lang).findings)
        run.adapter.status(tr(run.lang, "正在生成文档…", "Writing the document…"))
        try:
            path = generate(
                kind,
                data,
                out,
                as_of=run.day(),
                lang=lang,
                cal=run.calendar(),
                base_dir=run.adapter.path.parent,
                findings=findings,
            )
        except ReportError as exc:
            raise _UserError(exc.text("zh"), exc.text("en")) from None
        return DispatchResult(
            run.tag, True, tr(run.lang, f"已生成：{path}", f"Written: {path}"), [path]
        )

    return command


def _finance(run: _Run) -> DispatchResult:
    from xlcollab.finance.pipeline import monthly_finance
    from xlcollab.io.save import SaveError, save_new_workbook

    data = run.data
    out = run.out_dir()
    day = run.day()
    month = f"{day.year:04d}-{day.month:02d}"
    run.adapter.status(tr(run.lang, f"正在汇总 {month} 资金…", f"Summarising {month}…"))
    mf = monthly_finance(data, month, day, run.calendar(), data.lang)
    files = [out / mf.filename("xlsx")]
    try:
        save_new_workbook(mf.workbook(), files[0], overwrite=True, lang=data.lang)
        try:
            from xlcollab.finance.report import write_fund_report
        except ImportError:
            write_fund_report = None
        if write_fund_report is not None:
            files.append(
                write_fund_report(mf, data, day, out / mf.filename("docx"), overwrite=True)
            )
    except SaveError as exc:
        raise _UserError(str(exc), str(exc)) from None
    shown = "\n".join(str(f) for f in files)
    return DispatchResult(
        run.tag,
        True,
        tr(
            run.lang,
            f"{month} 资金使用报告已生成：\n{shown}",
            f"The {month} fund report is written:\n{shown}",
        ),
        files,
    )


def baseline_name(taken, day: dt.date, lang: str = "zh") -> str:
    """The automatic name of a baseline frozen from the ribbon: ``基线 <day>``
    (``Baseline <day>`` in English), with ``-2``, ``-3`` … when ``taken``
    (the names already in the history) has it."""
    stem = f"{tr(lang, '基线', 'Baseline')} {day.isoformat()}"
    taken = set(taken)
    if stem not in taken:
        return stem
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def _baseline(run: _Run) -> DispatchResult:
    """``xlcollab baseline PATH --name <automatic name>``: the same
    :func:`xlcollab.history.freeze` into the same history database."""
    from xlcollab.history import BaselineError, History, HistoryError, freeze, history_path, names
    from xlcollab.history.migrations import HistoryVersionError

    path = run.adapter.path
    if path is None:
        raise _UserError(
            "请先保存工作簿：基线保存在工作簿旁的历史数据库中",
            "Save the workbook first: baselines go to the history database beside it",
        )
    data = run.data
    day = run.day()
    hfile = history_path(path, data.setting("history_path"))
    run.adapter.status(tr(run.lang, "正在冻结基线…", "Freezing the baseline…"))
    try:
        with History.open(hfile) as h:
            name = baseline_name((n for n, _ in names(h)), day, data.lang)
            b = freeze(h, name, data, day, workbook=path.name)
    except (BaselineError, HistoryError, HistoryVersionError) as exc:
        raise _UserError(str(exc), str(exc)) from None
    msg = tr(
        run.lang,
        f"已冻结基线“{b.name}”（{b.as_of}）：任务 {len(b.tasks)} 项，"
        f"预算 {len(b.budget)} 行；历史数据库 {hfile}",
        f"Frozen '{b.name}' ({b.as_of}): {len(b.tasks)} tasks, "
        f"{len(b.budget)} budget lines; history {hfile}",
    )
    return DispatchResult(run.tag, True, msg)


def _merge_packs(run: _Run) -> DispatchResult:
    """``xlcollab merge PATH PACK...`` on the packs in the 部门回传 folder
    beside the workbook; the accepted cells go through the adapter (the
    open Excel book, or the safe writer for a file)."""
    from xlcollab.packs.apply import merge_edits, merged_splits
    from xlcollab.packs.merge import merge_plan
    from xlcollab.packs.read import PackError, read_pack
    from xlcollab.schema import PACK_INBOX

    path = run.adapter.path
    if path is None:
        raise _UserError("请先保存工作簿", "Save the workbook first")
    folder = path.parent / PACK_INBOX[run.data.lang]
    packs = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    if not packs:
        folder.mkdir(parents=True, exist_ok=True)
        raise _UserError(
            f"“{folder}”中没有部门回传文件：请把各部门发回的文件放到这里再合并",
            f"No packs in {folder}: put the returned department packs there and merge again",
        )
    lines, cells, conflicts = [], 0, 0
    for pack_path in packs:
        data = run.adapter.read()
        raw = path.read_bytes()
        try:
            pack = read_pack(pack_path, data.lang)
        except PackError as exc:
            lines.append(str(exc))
            continue
        plan = merge_plan(data, pack, merged_splits(data))
        placed = merge_edits(
            data,
            raw,
            plan,
            pack_file=pack_path.name,
            split_at=pack.identity.get("split_at", ""),
            when=dt.datetime.combine(run.day(), run.clock().time()),
        )
        if placed.edits:
            run.adapter.apply(placed.edits, lang=data.lang)
        k = len(plan.conflicts) + len(placed.conflicts)
        cells += len(placed.cells)
        conflicts += k
        lines.append(
            tr(
                run.lang,
                f"{pack_path.name}：写入 {len(placed.cells)} 个单元格，冲突 {k} 项",
                f"{pack_path.name}: {len(placed.cells)} cells written, {k} conflicts",
            )
        )
        lines += [f"  · {c.message(data.lang)}" for c in plan.conflicts + placed.conflicts]
    head = tr(
        run.lang,
        f"已合并 {len(packs)} 个部门文件：写入 {cells} 个单元格，冲突 {conflicts} 项（未应用）",
        f"Merged {len(packs)} packs: {cells} cells written, {conflicts} conflicts (not applied)",
    )
    return DispatchResult(run.tag, True, "\n".join([head, *lines]))


def _open_folder(run: _Run) -> DispatchResult:
    path = run.adapter.path
    if path is None:
        raise _UserError("请先保存工作簿", "Save the workbook first")
    folder = path.parent / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    run.adapter.open_folder(folder)
    return DispatchResult(run.tag, True, str(folder))


def _about(run: _Run) -> DispatchResult:
    try:
        from importlib.metadata import version

        xw = version("xlwings")
    except Exception:  # noqa: BLE001
        xw = "?"
    text = (
        f"xlcollab {__version__}\nxlwings {xw}\nPython {platform.python_version()}"
        f"\n{Path(__file__).resolve().parents[1]}"
    )
    return DispatchResult(run.tag, True, text)


COMMANDS: dict[str, Callable[[_Run], DispatchResult]] = {
    "validate": _validate,
    "tidy": _tidy,
    "refresh_flags": _refresh_flags,
    **{kind: _report(kind) for kind in REPORT_TAGS},
    "finance": _finance,
    "baseline": _baseline,
    "merge_packs": _merge_packs,
    "open_folder": _open_folder,
    "about": _about,
}
_QUIET = ("open_folder",)  # the folder opening is the answer


# ------------------------------------------------------------- dispatch ---
def dispatch(tag: str, book=None, *, as_of: dt.date | None = None) -> DispatchResult:
    """Run ribbon command ``tag`` on ``book``: None means the Excel book the
    button was clicked in (``xw.Book.caller()``); a path means that file;
    an adapter is used as given. Never raises: problems become a message
    to the user (and ``ok=False``). ``XLCOLLAB_DEBUG=1`` re-raises."""
    adapter = _adapter(book)
    if adapter is None:
        return DispatchResult(tag, False, "没有可用的工作簿 / no workbook")
    run = _Run(tag, adapter, as_of)
    command = COMMANDS.get(tag)
    if command is None:
        msg = (
            f"未知的按钮命令“{tag}”：加载项与已安装的 xlcollab 版本不一致，"
            f"请重新运行 xlcollab addin install。\n"
            f"Unknown button command '{tag}': the add-in does not match the installed "
            f"xlcollab; run `xlcollab addin install` again."
        )
        adapter.alert(msg, "xlcollab")
        return DispatchResult(tag, False, msg)
    try:
        result = command(run)
    except _UserError as exc:
        result = DispatchResult(tag, False, exc.text(run.lang))
    except Exception as exc:
        if os.environ.get("XLCOLLAB_DEBUG") == "1":
            raise
        result = DispatchResult(tag, False, _failure(run, exc))
    title = "xlcollab" if result.ok else tr(run.lang, "xlcollab：未完成", "xlcollab: not done")
    adapter.status(result.message.splitlines()[0] if result.message else "")
    if not (result.ok and tag in _QUIET):
        adapter.alert(result.message, title)
    return result


def _adapter(book) -> WorkbookAdapter | None:
    if book is None:
        from xlcollab.excel.adapter import XlwingsAdapter

        return XlwingsAdapter.caller()
    if isinstance(book, (str, os.PathLike)):
        return FileAdapter(book)
    if isinstance(book, WorkbookAdapter):
        return book
    from xlcollab.excel.adapter import XlwingsAdapter  # an xlwings Book

    return XlwingsAdapter(book)


def _failure(run: _Run, exc: Exception) -> str:
    """The message for an unexpected failure; the traceback goes to a log
    file beside the reports, not to the user's screen."""
    from xlcollab.io.errors import WorkbookError
    from xlcollab.io.safety import SaveError

    if isinstance(exc, WorkbookError):
        finding = getattr(exc, "finding", None)
        return str(finding) if finding else str(exc)
    if isinstance(exc, SaveError):
        return str(exc)
    log = None
    try:
        path = run.adapter.path
        if path is not None:
            folder = path.parent / REPORTS_DIR
            folder.mkdir(parents=True, exist_ok=True)
            log = folder / "xlcollab-error.log"
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"--- {run.tag}\n{traceback.format_exc()}\n")
    except OSError:
        log = None
    head = tr(
        run.lang, "操作未能完成（内部错误）：", "The command could not finish (internal error): "
    )
    tail = (
        tr(run.lang, f"\n详细信息已记录在 {log}", f"\nDetails were logged to {log}") if log else ""
    )
    return f"{head}{type(exc).__name__}: {exc}{tail}"
