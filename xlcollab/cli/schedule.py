"""baseline and nightly: history, baselines and the nightly job."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from xlcollab.cli.common import (
    AsOfOpt,
    app,
    check_lang,
    console,
    err,
    fail,
    now,
    parse_date,
    read,
    resolve_as_of,
    today,
)
from xlcollab.schema.lang import tr


@app.command()
def baseline(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    name: str | None = typer.Option(
        None, "--name", help="基线名称，如 计划基线1 / The baseline's name."
    ),
    as_of: str | None = AsOfOpt,
    history: Path | None = typer.Option(
        None, "--history", help="历史数据库路径 / The history database."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="覆盖同名基线 / Replace a baseline of that name."
    ),
    list_: bool = typer.Option(False, "--list", help="列出已有基线 / List the baselines."),
):
    """冻结计划基线（计划日期与预算）/ Freeze the planned dates and budget as a named baseline.

    之后用 xlcollab check PATH --baseline 名称 查看进度偏差。"""
    from xlcollab.history import BaselineError, History, freeze, history_path, names

    parse_date(as_of)
    data = read(path, None, findings_rows=False)
    hfile = history_path(path, data.setting("history_path"), history)
    with History.open(hfile) as h:
        if list_ or not name:
            rows = names(h)
            if not rows:
                console.print(tr(data.lang, "还没有基线", "No baselines yet"))
            for n, d in rows:
                console.print(f"{n}\t{d}")
            if not name:
                return
        try:
            b = freeze(
                h, name, data, resolve_as_of(as_of, data), workbook=path.name, replace=replace
            )
        except BaselineError as exc:
            fail(str(exc))
            return
    console.print(
        tr(
            data.lang,
            f"已冻结基线“{b.name}”（{b.as_of}）：任务 {len(b.tasks)} 项，预算 {len(b.budget)} 行；"
            f"历史数据库 {hfile}",
            f"Baseline {b.name} ({b.as_of}) frozen: {len(b.tasks)} tasks, "
            f"{len(b.budget)} budget lines; history {hfile}",
        )
    )


@app.command()
def nightly(
    paths: list[Path] = typer.Argument(
        ...,
        help="一个或多个主工作簿，或包含它们的文件夹 / "
        "One or more master workbooks, or folders of them.",
    ),
    at: str | None = typer.Option(
        None,
        "--at",
        help="每天运行的时间 HH:MM（常驻进程）/ Run every day at HH:MM (a long-running process).",
    ),
    once: bool = typer.Option(
        False,
        "--once",
        help="运行一次后退出（供 cron、任务计划程序、systemd 定时器调用）/ Run once and exit.",
    ),
    as_of: str | None = AsOfOpt,
    history: Path | None = typer.Option(
        None,
        "--history",
        help="历史数据库路径（多个工作簿时为目录）"
        "/ The history database (a folder for several workbooks).",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
):
    """夜间一致性检查：历史、变更记录、问题升级、通知 / The nightly consistency check with memory.

    退出码 / exit code（--once）: 0 已记录 recorded,
    2 有工作簿无法读取 a workbook was unreadable."""
    if at and once:
        raise typer.BadParameter("--at | --once")
    lang = lang and check_lang(lang)
    paths = workbooks_in(paths)
    pinned = parse_date(as_of)
    if at:
        _nightly_serve(paths, at, history, lang)
        return
    code = _nightly_once(paths, pinned or today(), history, lang)
    raise typer.Exit(code)


def workbooks_in(paths: list[Path]) -> list[Path]:
    """The workbooks given: files as they are, a folder as the .xlsx/.xlsm
    files in it (not Excel's ~$ owner files), by name."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f
                for f in p.iterdir()
                if f.is_file()
                and f.suffix.lower() in (".xlsx", ".xlsm")
                and not f.name.startswith(("~$", "."))
            )
        else:
            out.append(p)
    return out


def _history_for(paths: list[Path], history: Path | None, path: Path) -> tuple[Path | None, bool]:
    """(--history for this workbook, shared default naming)."""
    if history is not None and len(paths) > 1:
        return history / f"{path.stem}.history.sqlite", False
    folders = [p.resolve().parent for p in paths]
    return history, folders.count(path.resolve().parent) > 1


def _nightly_once(
    paths: list[Path], day: date, history: Path | None, lang: str | None, stop=None
) -> int:
    import threading

    from xlcollab.nightly.run import run_once
    from xlcollab.nightly.signals import stop_on_signals

    stop = stop or threading.Event()
    code = 0
    try:
        with stop_on_signals(stop):  # first signal: finish the run; second: abandon it
            for path in paths:
                if stop.is_set():
                    break
                hist, shared = _history_for(paths, history, path)
                r = run_once(
                    path, day, history=hist, lang=lang, shared=shared, stop=stop, generated_at=now()
                )
                _print_nightly(r)
                if not r.ok:
                    code = 2
    except KeyboardInterrupt:
        err.print("已中止：本次运行未记录，历史与工作簿保持原样 / abandoned: nothing recorded")
        return 130
    return code


def _print_nightly(r) -> None:
    if not r.ok:
        err.print(f"[bold red]{r.error}[/]")
        return
    console.print(
        tr(
            r.lang,
            f"{Path(r.workbook).name} {r.as_of}：变更 {len(r.changes)} 处，问题 {r.findings} 条"
            f"（新增 {len(r.new_findings)}），新的升级 {len(r.new_escalations)} 条",
            f"{Path(r.workbook).name} {r.as_of}: {len(r.changes)} changes, {r.findings} "
            f"findings ({len(r.new_findings)} new), {len(r.new_escalations)} new escalations",
        )
    )
    from xlcollab.schema import ESCALATION

    for e in r.new_escalations:
        level = ESCALATION.label(e.level, r.lang) if e.level in ESCALATION.keys else e.level
        when = tr(r.lang, f"（{e.reached_on}）", f" ({e.reached_on}) ")
        console.print(f"  {e.task} → {level}{when}→ {e.goes_to or '—'}")
    if r.write_note:
        console.print(f"[yellow]{r.write_note}[/]")
    for n in r.notes:
        console.print(f"[yellow]{n}[/]")
    console.print(tr(r.lang, "历史数据库：", "History: ") + str(r.history))
    page = getattr(r, "page_url", None) or getattr(r, "page", None)
    if page:
        console.print(tr(r.lang, "状态页面：", "Status page: ") + page)


def _nightly_serve(paths: list[Path], at: str, history: Path | None, lang: str | None) -> None:
    from xlcollab.nightly.scheduler import Book, NightlyScheduler, run_job

    books = []
    for p in paths:
        data = read(p, lang, findings_rows=False)
        from xlcollab.core.calendar import WorkCalendar
        from xlcollab.model.dates import to_date

        wt = str(data.setting("weekly_report_time") or "").strip() or None
        books.append(
            Book(
                p,
                weekly_time=wt,
                finance=bool(data.setting("finance_report_auto")),
                risk_weeks=int(data.setting("risk_reminder_weeks") or 0),
                start=to_date(data.overview.get("start_date"), strict=False),
                cal=WorkCalendar.from_holidays(data.tables["holidays"]),
            )
        )
    try:
        sched = NightlyScheduler(
            books,
            at,
            lambda job, book, day: run_job(
                job,
                book,
                day,
                history=_history_for(paths, history, book.path),
                lang=lang,
                echo=_print_nightly,
                generated_at=sched.started and sched.started.replace(second=0, microsecond=0),
            ),
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    console.print(
        f"xlcollab nightly: {len(books)} 个工作簿，每天 {at} 运行；Ctrl-C 停止 / "
        f"{len(books)} workbook(s) daily at {at}; Ctrl-C stops"
    )
    sched.serve()
    console.print("已停止 / stopped")
