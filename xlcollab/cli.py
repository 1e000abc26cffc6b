"""The command line: thin over the library.

Each command parses its options, calls the library, prints with rich and
exits with a code that says whether the input was usable. The clock is read
here and only here (``--as-of`` overrides it everywhere).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__

app = typer.Typer(
    name="xlcollab",
    help="跨部门协同项目工作方案 in Excel — 主工作簿、检查、标记与文档。\n\n"
         "The cross-department project procedure in Excel: the master workbook, "
         "checks, flags and documents.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Console()
err = Console(stderr=True)

LangOpt = typer.Option("zh", "--lang", help="zh（中文，默认）或 en (English).")
AsOfOpt = typer.Option(None, "--as-of", help="把这一天当作“今天” / Take this date as today (YYYY-MM-DD).")


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"不是有效日期 / not a date: {text!r} (YYYY-MM-DD)")


def _check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang: zh | en")
    return lang


def _today() -> date:
    return date.today()  # the one place the clock is read


def _as_of(option: str | None, data=None) -> date:
    """--as-of, else the workbook's status date, else today."""
    pinned = _parse_date(option)
    if pinned:
        return pinned
    if data is not None:
        from .summary import _as_date

        status = _as_date(data.overview.get("status_date"))
        if status:
            return status
    return _today()


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]{message}[/]")
    raise typer.Exit(code)


def _read(path: Path, lang: str | None):
    from .io import WorkbookError, read_workbook

    try:
        return read_workbook(path, lang=lang)
    except WorkbookError as exc:
        _fail(str(exc.finding) if getattr(exc, "finding", None) else str(exc))


def _save(wb, path: Path, force: bool) -> None:
    from .io.save import SaveError, save_new_workbook

    try:
        save_new_workbook(wb, path, overwrite=force)
    except SaveError as exc:
        _fail(str(exc))


@app.callback(invoke_without_command=True)
def _main(version: bool = typer.Option(False, "--version", help="显示版本 / Show the version.")):
    if version:
        console.print(f"xlcollab {__version__}")
        raise typer.Exit()


@app.command()
def init(
    path: Path = typer.Argument(..., help="新主工作簿的路径 / Where to write the new master workbook (.xlsx)."),
    lang: str = LangOpt,
    start: Optional[str] = typer.Option(None, "--start", help="项目开始日期 / Project start date (YYYY-MM-DD)."),
    as_of: Optional[str] = AsOfOpt,
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件（会先备份）/ Overwrite an existing file (a backup is kept)."),
):
    """创建空白主工作簿 / Create an empty master workbook from the schema."""
    from .blank import blank_project
    from .build import build_workbook

    lang = _check_lang(lang)
    begin = _parse_date(start)
    today = _as_of(as_of)
    first_year = (begin or today).year
    data = blank_project(lang=lang, start=begin, years=range(first_year, first_year + 2))
    _save(build_workbook(data, lang), path, force)
    console.print(("已创建主工作簿：" if lang == "zh" else "Master workbook written: ") + str(path))


@app.command()
def demo(
    directory: Path = typer.Argument(Path("xlcollab-demo"), help="输出目录 / Output folder."),
    lang: str = LangOpt,
    as_of: Optional[str] = AsOfOpt,
    force: bool = typer.Option(True, "--force/--no-force", help="覆盖上次的演示文件 / Overwrite the previous demo files."),
):
    """生成演示项目（九周跨部门项目）及全套文档 / Write a filled demo project, its summary and its document pack."""
    from rich.progress import Progress

    from .build import build_workbook
    from .demo import demo_filename, demo_project

    lang = _check_lang(lang)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / demo_filename(lang)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("演示项目 / demo" if lang == "zh" else "demo", total=3)
        data = demo_project(lang=lang)
        progress.advance(task)
        wb = build_workbook(data, lang)
        progress.advance(task)
        _save(wb, target, force)
        progress.advance(task)
    console.print(("已生成演示工作簿：" if lang == "zh" else "Demo workbook written: ") + str(target))
    _show(target, lang, as_of)
    data = _read(target, lang)
    day = _as_of(as_of, data)
    _write_pack(data, day, lang, directory, _REPORT_KINDS, base_dir=directory,
                findings=_findings_for(data, day, lang))


@app.command()
def show(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook."),
    lang: Optional[str] = typer.Option(None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."),
    as_of: Optional[str] = AsOfOpt,
):
    """项目概览：按部门和状态统计任务 / The project at a glance: tasks by status and department."""
    _show(path, lang and _check_lang(lang), as_of)


def _show(path: Path, lang: str | None, as_of: str | None) -> None:
    from .calendar import WorkCalendar
    from .summary import key_figures, status_by_department

    _parse_date(as_of)  # a bad --as-of is a usage error before any reading
    data = _read(path, lang)
    lang = lang or data.lang
    zh = lang == "zh"
    day = _as_of(as_of, data)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    kf = key_figures(data, day, cal)

    head = Table(show_header=False, box=None)
    head.add_row("项目" if zh else "Project", f"[bold]{kf.name}[/]")
    head.add_row("周期" if zh else "Period", f"{kf.start} — {kf.end}")
    head.add_row("状态日期" if zh else "As of", str(kf.as_of))
    head.add_row("任务" if zh else "Tasks",
                 (f"{kf.tasks} 项，已完成 {kf.done}（{kf.done_pct:.0%}），阻塞 {kf.blocked}，"
                  f"逾期 {kf.overdue}，即将到期 {kf.due_soon}") if zh else
                 (f"{kf.tasks}, done {kf.done} ({kf.done_pct:.0%}), blocked {kf.blocked}, "
                  f"overdue {kf.overdue}, due soon {kf.due_soon}"))
    head.add_row("高风险" if zh else "High risks", str(kf.risks_high))
    head.add_row("预算 / 已支出" if zh else "Budget / spent", f"¥{kf.budget:,.2f} / ¥{kf.spent:,.2f}")
    console.print(head)

    table = status_by_department(data.tables["tasks"], lang)
    rich_table = Table(title="任务状态（按部门）" if zh else "Tasks by department and status")
    rich_table.add_column(table.index.name or "")
    for col in table.columns:
        rich_table.add_column(str(col), justify="right")
    for idx, row in table.iterrows():
        rich_table.add_row(str(idx), *[str(v) if v else "·" for v in row])
    console.print(rich_table)

    problems = [f for f in data.findings if f.severity == "error"]
    if problems:
        console.print(("[yellow]读取时发现 {n} 个错误，例如：[/]" if zh else
                       "[yellow]{n} errors while reading, e.g.:[/]").format(n=len(problems)))
        for f in problems[:5]:
            console.print(f"  {f}")


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@app.command()
def check(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    as_of: Optional[str] = AsOfOpt,
    fmt: str = typer.Option("table", "--format", help="table（默认）或 json / table (default) or json."),
    lang: Optional[str] = typer.Option(None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."),
    write: bool = typer.Option(False, "--write", help="把检查结果、阻塞开始日期、升级层级和延误工作日写回工作簿 / Write findings and computed columns back."),
    rules_off: Optional[str] = typer.Option(None, "--rules-off", help="关闭的规则编号，逗号分隔（如 finance 或 tasks.cycle）/ Rule ids to switch off, comma separated."),
    limit: int = typer.Option(30, "--limit", min=0, help="最多列出的问题条数 / At most this many findings in the table."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="与指定基线比较进度偏差（见 xlcollab baseline）/ Show slippage against this named baseline."),
    history: Optional[Path] = typer.Option(None, "--history", help="历史数据库路径 / The history database (default: .xlcollab/history.sqlite beside the workbook)."),
):
    """检查主工作簿：校验、逾期与升级标记、关键路径 / Validate the workbook and compute flags.

    退出码 / exit code: 0 无错误 no errors, 1 有错误 errors found,
    2 无法读取或写入 the workbook could not be read or written."""
    import json
    import os
    import sys

    if fmt not in ("table", "json"):
        raise typer.BadParameter("--format: table | json")
    lang = lang and _check_lang(lang)
    off = [r for r in (rules_off or "").split(",") if r.strip()]
    signature = None
    if write and path.is_file():
        from .io.writeback import file_signature

        signature = file_signature(path)  # before reading: refuse if it changes meanwhile
    try:
        with err.status("正在读取 / reading …"):
            data = _read(path, lang)
        day = _as_of(as_of, data)
        with err.status("正在检查 / checking …"):
            from .check import check as run_check

            report = run_check(data, day, lang, rules_off=off)
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - a user sees a sentence, not a traceback
        if os.environ.get("XLCOLLAB_DEBUG") == "1":
            raise
        _fail(("检查未能完成（内部错误）：" if (lang or "zh") == "zh" else
               "The check could not finish (internal error): ") + f"{type(exc).__name__}: {exc}")
        return
    lang = report.lang
    slip = _slippage(path, data, day, baseline, history, lang) if baseline else None
    if fmt == "json":
        out = report.to_dict()
        if slip is not None:
            out["baseline"] = slip
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(report, limit)
        if slip is not None:
            _print_slippage(slip, lang)
    if write:
        _write_back(path, data, report, signature, quiet=fmt == "json")
    raise typer.Exit(0 if report.valid else 1)


def _slippage(path: Path, data, day: date, name: str, history: Path | None, lang: str) -> dict:
    """Slippage against a named baseline as plain JSON values (exit 2 when
    the history or the baseline is missing)."""
    import pandas as pd

    from .history import BaselineError, workbook_slippage

    try:
        slip = workbook_slippage(path, data, name, override=history)
    except BaselineError as exc:
        _fail(str(exc))

    def val(v):
        if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
            return None
        if hasattr(v, "date") and callable(v.date):
            return v.date().isoformat()
        if hasattr(v, "item"):
            return v.item()
        return str(v) if not isinstance(v, (int, float, str)) else v

    def records(frame) -> list[dict]:
        return [{k: val(v) for k, v in r.items()} for r in frame.to_dict("records")]

    return {"name": slip.name, "as_of": slip.as_of.isoformat(),
            "tasks": records(slip.tasks), "departments": records(slip.departments)}


def _print_slippage(slip: dict, lang: str) -> None:
    zh = lang == "zh"
    table = Table(title=(f"与基线“{slip['name']}”（{slip['as_of']}）相比的进度偏差（工作日）" if zh else
                         f"Slippage against baseline {slip['name']} ({slip['as_of']}), working days"))
    for h in (("部门", "Department"), ("任务", "Tasks"), ("延后", "Slipped"),
              ("合计", "Total"), ("最大", "Largest")):
        table.add_column(h[0] if zh else h[1], justify="left" if h[1] == "Department" else "right")
    for d in slip["departments"]:
        table.add_row(str(d["department"]), str(d["tasks"]), str(d["slipped"]),
                      str(d["total_slip"]), str(d["max_slip"]),
                      style="red" if d["slipped"] else "")
    console.print(table)
    late = sorted((t for t in slip["tasks"] if (t["finish_slip"] or 0) > 0),
                  key=lambda t: -t["finish_slip"])
    for t in late[:15]:
        console.print((f"  {t['wbs']} {t['name']}：完成日期 {t['baseline_finish']} → "
                       f"{t['planned_finish']}，延后 {t['finish_slip']} 个工作日") if zh else
                      (f"  {t['wbs']} {t['name']}: finish {t['baseline_finish']} → "
                       f"{t['planned_finish']}, {t['finish_slip']} working days later"))


def _print_report(report, limit: int) -> None:
    from .schema import ESCALATION, SEVERITY

    zh = report.lang == "zh"
    st = report.stats
    head = Table(show_header=False, box=None)
    if report.project.get("name"):
        head.add_row("项目" if zh else "Project", f"[bold]{report.project['name']}[/]")
    head.add_row("检查日期" if zh else "As of", st["as_of"])
    head.add_row("数据" if zh else "Data",
                 (f"任务 {st['tasks']} 项，风险 {st['risks']} 项，费用 {st['expenses']} 笔") if zh
                 else f"{st['tasks']} tasks, {st['risks']} risks, {st['expenses']} expense lines")
    sev = st["by_severity"]
    head.add_row("问题" if zh else "Findings", "  ".join(
        f"[{_SEVERITY_STYLE[k]}]{SEVERITY.label(k, report.lang)} {sev[k]}[/]" for k in sev))
    esc = report.escalation["escalation"].value_counts()
    tf = report.task_flags
    head.add_row("任务标记" if zh else "Task flags",
                 (f"逾期 {int(tf['overdue'].fillna(False).sum())}，即将到期 "
                  f"{int(tf['due_soon'].fillna(False).sum())}；升级：" if zh else
                  f"overdue {int(tf['overdue'].fillna(False).sum())}, due soon "
                  f"{int(tf['due_soon'].fillna(False).sum())}; escalation: ")
                 + ("，" if zh else ", ").join(
                     f"{ESCALATION.label(k, report.lang)} {int(esc.get(k, 0))}"
                     for k in ESCALATION.keys))
    sc = report.schedule
    if sc.planned_finish:
        slip = sc.slip_days or 0
        head.add_row("进度" if zh else "Schedule",
                     (f"计划完成 {sc.planned_finish}，预测完成 {sc.forecast_finish}"
                      + (f"（延后 {slip} 个工作日）" if slip > 0 else "")) if zh else
                     (f"planned finish {sc.planned_finish}, forecast {sc.forecast_finish}"
                      + (f" ({slip} working days late)" if slip > 0 else "")))
        if sc.critical_path:
            cp = sc.critical_path
            text = " → ".join(cp[:12]) + (" …" if len(cp) > 12 else "")
            head.add_row("关键路径" if zh else "Critical path", text)
    if sc.cycle_tasks:
        head.add_row("[red]循环依赖[/]" if zh else "[red]Cycle[/]", "、".join(sc.cycle_tasks[:10]))
    for w in report.calendar_warnings:
        head.add_row("[yellow]日历[/]" if zh else "[yellow]Calendar[/]", w)
    console.print(head)

    if st["by_department"]:
        dept = Table(title="任务问题（按部门）" if zh else "Task findings by department",
                     min_width=30)
        dept.add_column("部门" if zh else "Department")
        dept.add_column("条数" if zh else "Findings", justify="right")
        for k, v in sorted(st["by_department"].items(), key=lambda kv: (-kv[1], kv[0])):
            dept.add_row(k, str(v))
        console.print(dept)

    findings = report.findings
    if findings and limit:
        table = Table(title="问题清单（最严重的在前）" if zh else "Findings, worst first",
                      show_lines=False)
        table.add_column("严重程度" if zh else "Severity", no_wrap=True)
        table.add_column("位置" if zh else "Location", no_wrap=True)
        table.add_column("问题" if zh else "Problem", overflow="fold")
        table.add_column("处理建议" if zh else "What to do", overflow="fold")
        for f in findings[:limit]:
            table.add_row(f"[{_SEVERITY_STYLE.get(f.severity, '')}]"
                          f"{f.severity_label(report.lang)}[/]", f.location, f.message, f.hint)
        console.print(table)
    rest = len(findings) - min(limit, len(findings))
    if rest > 0:
        console.print(f"… 另有 {rest} 条" if zh else f"… and {rest} more")
    if report.valid:
        console.print("[green]检查通过：没有错误。[/]" if zh else "[green]No errors.[/]")
    else:
        n = st["by_severity"]["error"]
        console.print(f"[bold red]发现 {n} 个错误。[/]" if zh else f"[bold red]{n} errors found.[/]")


def _write_back(path: Path, data, report, signature=None, quiet: bool = False) -> None:
    """``check --write``: the findings into 检查结果, blocked since and the
    escalation level into 任务清单, and a red/yellow mark on every cell a
    finding names, all through the safe writer (exit 2 when it refuses).

    延误工作日 (days late) is a native formula column in the master
    workbook (the formula and Python agree, a test proves it), and the
    writer never overwrites formulas, so it is not written here."""
    from .check import write_edits
    from .io.writeback import WriteBackError, write_back

    zh = report.lang == "zh"
    try:
        with err.status("正在写回 / writing …"):
            edits, notes = write_edits(data, report)
            keep = data.setting("backup_keep")
            backup = write_back(path, edits, read_signature=signature, lang=report.lang,
                                keep=int(keep) if isinstance(keep, int) and keep > 0 else 10)
    except WriteBackError as exc:
        _fail(str(exc))
        return
    out = err if quiet else console
    for note in notes:
        out.print(f"[yellow]{note}[/]")
    out.print((f"已写回 {path.name}：检查结果 {len(report.findings)} 条；备份：{backup}") if zh else
              (f"Written back to {path.name}: {len(report.findings)} findings; backup: {backup}"))


@app.command()
def finance(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    month: str = typer.Option(..., "--month", help="报告月份 / The month (YYYY-MM)."),
    out: Path = typer.Option(Path("."), "-o", "--out", help="输出目录（默认当前目录）/ Output folder (default: the current one)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."),
    as_of: Optional[str] = AsOfOpt,
    docx: bool = typer.Option(True, "--docx/--no-docx", help="同时生成 Word《项目资金使用报告》/ Also write the Word report."),
    force: bool = typer.Option(True, "--force/--no-force", help="覆盖同名报告（会先备份）/ Overwrite a previous report (a backup is kept)."),
):
    """月度资金使用报告：预算执行汇总、月度趋势、明细和异常 / The monthly fund usage workbook (and Word report).

    写出 项目资金使用报告_<项目>_<YYYY-MM>.xlsx（及 .docx）。
    退出码 / exit code: 0 已生成 written, 2 无法读取或写入 unreadable or unwritable."""
    import os

    from .finance.money import month_period

    lang = lang and _check_lang(lang)
    _parse_date(as_of)
    try:
        period = month_period(month)
    except ValueError:
        raise typer.BadParameter(f"--month: {month!r} (YYYY-MM)")
    data = _read(path, lang)
    lang = lang or data.lang
    zh = lang == "zh"
    day = _as_of(as_of, data)
    try:
        from .calendar import WorkCalendar
        from .finance.pipeline import monthly_finance

        with err.status("正在汇总 / summarising …"):
            cal = WorkCalendar.from_holidays(data.tables["holidays"])
            mf = monthly_finance(data, period, day, cal, lang)
            wb = mf.workbook()
    except Exception as exc:  # noqa: BLE001 - a user sees a sentence, not a traceback
        if os.environ.get("XLCOLLAB_DEBUG") == "1":
            raise
        _fail(("资金报告未能生成（内部错误）：" if zh else
               "The fund report could not be made (internal error): ")
              + f"{type(exc).__name__}: {exc}")
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail((f"无法创建输出目录 {out}：" if zh else f"Cannot create the folder {out}: ")
              + str(exc.strerror or exc))
    written = [out / mf.filename("xlsx")]
    try:
        _save(wb, written[0], force)
        if docx:
            doc = _finance_docx(mf, data, day, out, force)
            if doc is not None:
                written.append(doc)
    except OSError as exc:
        _fail((f"无法写入 {out}：" if zh else f"Cannot write to {out}: ") + str(exc.strerror or exc))
    _print_finance(mf)
    for p in written:
        console.print(("已生成：" if zh else "Written: ") + str(p))


def _finance_docx(mf, data, day, out: Path, force: bool):
    """The Word report next to the workbook; None (with a note) while the
    report machinery is not installed."""
    try:
        from .finance.report import write_fund_report
    except ImportError:
        err.print("[yellow]Word 报告暂不可用 / the Word report is not available yet[/]")
        return None
    from .io.save import SaveError
    from .reports.render import ReportError

    try:
        return write_fund_report(mf, data, day, out / mf.filename("docx"), overwrite=force)
    except (SaveError, ReportError) as exc:
        _fail(str(exc))


def _print_finance(mf) -> None:
    from .schema import FIN_SUMMARY, finance_label

    lang = mf.lang
    zh = lang == "zh"
    sm = mf.summary
    head = Table(show_header=False, box=None)
    head.add_row(finance_label("project", lang), f"[bold]{mf.project}[/]")
    head.add_row(finance_label("month", lang), f"{sm.month}（{sm.n_month} 笔）" if zh
                 else f"{sm.month} ({sm.n_month} lines)")
    pct = "—" if sm.used_pct is None else f"{sm.used_pct:.1%}"
    for key, value in (("budget", sm.budget), ("month", sm.spent_month),
                       ("to_date", sm.spent_to_date), ("remaining", sm.remaining)):
        head.add_row(FIN_SUMMARY.col(key).header(lang), f"¥{value:,.2f}")
    head.add_row(FIN_SUMMARY.col("used_pct").header(lang), pct)
    console.print(head)
    table = Table(title=finance_label("by_department", lang))
    for key in ("department", "budget", "month", "to_date", "remaining", "used_pct", "remark"):
        table.add_column(FIN_SUMMARY.col(key).header(lang),
                         justify="left" if key in ("department", "remark") else "right")
    for r in sm.by_department.to_dict("records"):
        remark = [finance_label("no_budget", lang)] if not r["budgeted"] else []
        remark += [finance_label("over_budget", lang)] if r["over"] else []
        style = "red" if r["over"] else ("yellow" if not r["budgeted"] else "")
        table.add_row(str(r["department"]), *(f"¥{r[k]:,.2f}" for k in
                                               ("budget", "month", "to_date", "remaining")),
                      "—" if r["used_pct"] is None else f"{r['used_pct']:.1%}",
                      "、".join(remark) if zh else ", ".join(remark), style=style)
    console.print(table)
    n = len(mf.anomalies)
    if n:
        console.print(f"[yellow]本月费用异常 {n} 条（见“异常”工作表）[/]" if zh else
                      f"[yellow]{n} anomalies in the month's expenses (see the Anomalies sheet)[/]")
    else:
        console.print(finance_label("no_anomalies", lang))


_REPORT_KINDS = ("charter", "roles", "checklist", "weekly", "quality", "delivery", "summary",
                 "briefing")


@app.command()
def report(
    kind: str = typer.Argument(..., help="charter 项目章程 | roles 职责分工说明书 | checklist 任务协作清单 | weekly 周例会进度报告 | quality 质量评估意见 | delivery 交付确认书 | summary 总结报告 | briefing 月度高层简报(.pptx) | all 全部"),
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    as_of: Optional[str] = AsOfOpt,
    week: Optional[int] = typer.Option(None, "--week", min=1, help="周报：项目第N周（以该周周一为报告日期）/ Weekly report: project week N (as of its Monday)."),
    month: Optional[str] = typer.Option(None, "--month", help="月度简报的月份 / The briefing's month (YYYY-MM)."),
    milestone: Optional[str] = typer.Option(None, "--milestone", help="质量评估意见的里程碑（默认最近已到期的）/ The quality report's milestone (default: the latest passed)."),
    out: Path = typer.Option(Path("."), "-o", "--out", help="输出目录（默认当前目录）/ Output folder (default: the current one)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="zh | en（默认：参数表的报告语言 / default: the Settings sheet's report language)."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="报告模板目录（覆盖参数表设置）/ Report templates folder (overrides the Settings sheet)."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="周报：与指定基线比较进度偏差（见 xlcollab baseline）/ Weekly report: slippage against this named baseline."),
    history: Optional[Path] = typer.Option(None, "--history", help="历史数据库路径 / The history database (default: .xlcollab/history.sqlite beside the workbook)."),
):
    """生成文档 / Write a document of the pack, or all of them.

    文件名：<文档名>_<项目>_<日期>.docx。周报的“基线偏差”一节需要 --baseline
    （其他文档忽略它）/ the weekly report's slippage section needs --baseline
    (other documents ignore it).
    退出码 / exit code: 0 已生成 written, 2 无法读取、模板错误或无法写入
    unreadable workbook, template problem or unwritable folder."""
    kinds = _REPORT_KINDS if kind == "all" else (kind,)
    if kind != "all" and kind not in _REPORT_KINDS:
        raise typer.BadParameter(f"KIND: {' | '.join(_REPORT_KINDS)} | all")
    if week is not None and month is not None:
        raise typer.BadParameter("--week | --month")
    lang = lang and _check_lang(lang)
    _parse_date(as_of)
    data = _read(path, None)
    if lang is None:
        setting = data.setting("report_lang")
        lang = setting if setting in ("zh", "en") else data.lang
    day = _as_of(as_of, data)
    findings = _findings_for(data, day, lang) if "quality" in kinds else None
    slip = None
    if baseline and "weekly" in kinds:
        from .history import BaselineError, workbook_slippage

        try:
            slip = workbook_slippage(path, data, baseline, override=history)
        except BaselineError as exc:
            _fail(str(exc))
    _write_pack(data, day, lang, out, kinds, templates=templates, base_dir=path.parent,
                findings=findings, week=week, month=month, milestone=milestone, slip=slip)


def _findings_for(data, day: date, lang: str) -> list:
    """The check's findings for the quality report (the reader's when the
    check cannot run)."""
    try:
        from .check import check as run_check

        return list(run_check(data, day, lang).findings)
    except Exception:  # noqa: BLE001 - the report still shows what reading found
        return list(data.findings)


def _write_pack(data, day: date, lang: str, out: Path, kinds, *, templates=None, base_dir=None,
                findings=None, week=None, month=None, milestone=None, slip=None) -> list[Path]:
    """Write the documents ``kinds`` with a progress bar; exit 2 on a
    template problem or an unwritable folder."""
    import os

    from rich.progress import Progress

    from .reports import ReportError, generate
    from .calendar import WorkCalendar

    zh = lang == "zh"
    options = {"weekly": {"week": week, "slip": slip}, "briefing": {"month": month},
               "quality": {"milestone": milestone}}
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        with Progress(console=err, transient=True) as progress:
            bar = progress.add_task("文档 / documents" if zh else "documents", total=len(kinds))
            for k in kinds:
                progress.update(bar, description=k)
                written.append(generate(k, data, out, as_of=day, lang=lang, cal=cal,
                                        templates_dir=templates, base_dir=base_dir,
                                        findings=findings, **{key: v for key, v in
                                                              options.get(k, {}).items()
                                                              if v is not None}))
                progress.advance(bar)
    except ReportError as exc:
        _fail(exc.text(lang))
    except OSError as exc:
        _fail((f"无法写入 {out}：" if zh else f"Cannot write to {out}: ") + str(exc.strerror or exc))
    except Exception as exc:  # noqa: BLE001 - a user sees a sentence, not a traceback
        if os.environ.get("XLCOLLAB_DEBUG") == "1":
            raise
        _fail(("文档未能生成（内部错误）：" if zh else "The document could not be made (internal error): ")
              + f"{type(exc).__name__}: {exc}")
    for p in written:
        console.print(("已生成：" if zh else "Written: ") + str(p))
    return written


@app.command()
def baseline(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    name: Optional[str] = typer.Option(None, "--name", help="基线名称，如 计划基线1 / The baseline's name."),
    as_of: Optional[str] = AsOfOpt,
    history: Optional[Path] = typer.Option(None, "--history", help="历史数据库路径 / The history database."),
    replace: bool = typer.Option(False, "--replace", help="覆盖同名基线 / Replace a baseline of that name."),
    list_: bool = typer.Option(False, "--list", help="列出已有基线 / List the baselines."),
):
    """冻结计划基线（计划日期与预算）/ Freeze the planned dates and budget as a named baseline.

    之后用 xlcollab check PATH --baseline 名称 查看进度偏差。"""
    from .history import BaselineError, History, freeze, history_path, names

    _parse_date(as_of)
    data = _read(path, None)
    zh = data.lang == "zh"
    hfile = history_path(path, data.setting("history_path"), history)
    with History.open(hfile) as h:
        if list_ or not name:
            rows = names(h)
            if not rows:
                console.print("还没有基线" if zh else "No baselines yet")
            for n, d in rows:
                console.print(f"{n}\t{d}")
            if not name:
                return
        try:
            b = freeze(h, name, data, _as_of(as_of, data), workbook=path.name, replace=replace)
        except BaselineError as exc:
            _fail(str(exc))
            return
    console.print((f"已冻结基线“{b.name}”（{b.as_of}）：任务 {len(b.tasks)} 项，预算 {len(b.budget)} 行；"
                   f"历史数据库 {hfile}") if zh else
                  (f"Baseline {b.name} ({b.as_of}) frozen: {len(b.tasks)} tasks, "
                   f"{len(b.budget)} budget lines; history {hfile}"))


@app.command()
def nightly(
    paths: list[Path] = typer.Argument(..., help="一个或多个主工作簿 / One or more master workbooks."),
    at: Optional[str] = typer.Option(None, "--at", help="每天运行的时间 HH:MM（常驻进程）/ Run every day at HH:MM (a long-running process)."),
    once: bool = typer.Option(False, "--once", help="运行一次后退出（供 cron、任务计划程序、systemd 定时器调用）/ Run once and exit."),
    as_of: Optional[str] = AsOfOpt,
    history: Optional[Path] = typer.Option(None, "--history", help="历史数据库路径（多个工作簿时为目录）/ The history database (a folder for several workbooks)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."),
):
    """夜间一致性检查：历史、变更记录、问题升级、通知 / The nightly consistency check with memory.

    退出码 / exit code（--once）: 0 已记录 recorded, 2 有工作簿无法读取 a workbook was unreadable."""
    if at and once:
        raise typer.BadParameter("--at | --once")
    lang = lang and _check_lang(lang)
    pinned = _parse_date(as_of)
    if at:
        _nightly_serve(paths, at, history, lang)
        return
    code = _nightly_once(paths, pinned or _today(), history, lang)
    raise typer.Exit(code)


def _history_for(paths: list[Path], history: Path | None, path: Path) -> tuple[Path | None, bool]:
    """(--history for this workbook, shared default naming)."""
    if history is not None and len(paths) > 1:
        return history / f"{path.stem}.history.sqlite", False
    folders = [p.resolve().parent for p in paths]
    return history, folders.count(path.resolve().parent) > 1


def _nightly_once(paths: list[Path], day: date, history: Path | None, lang: str | None,
                  stop=None) -> int:
    import signal
    import threading

    from .nightly import run_once

    stop = stop or threading.Event()

    def handler(signum, frame):  # first signal: finish the run; second: abandon it
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    code = 0
    try:
        for path in paths:
            if stop.is_set():
                break
            hist, shared = _history_for(paths, history, path)
            r = run_once(path, day, history=hist, lang=lang, shared=shared, stop=stop)
            _print_nightly(r)
            if not r.ok:
                code = 2
    except KeyboardInterrupt:
        err.print("已中止：本次运行未记录，历史与工作簿保持原样 / abandoned: nothing recorded")
        return 130
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    return code


def _print_nightly(r) -> None:
    zh = r.lang == "zh"
    if not r.ok:
        err.print(f"[bold red]{r.error}[/]")
        return
    console.print((f"{Path(r.workbook).name} {r.as_of}：变更 {len(r.changes)} 处，问题 {r.findings} 条"
                   f"（新增 {len(r.new_findings)}），新的升级 {len(r.new_escalations)} 条") if zh else
                  (f"{Path(r.workbook).name} {r.as_of}: {len(r.changes)} changes, {r.findings} "
                   f"findings ({len(r.new_findings)} new), {len(r.new_escalations)} new escalations"))
    for e in r.new_escalations:
        console.print(f"  {e.task} → {e.level} ({e.reached_on}) → {e.goes_to or '—'}")
    if r.write_note:
        console.print(f"[yellow]{r.write_note}[/]")
    for n in r.notes:
        console.print(f"[yellow]{n}[/]")
    console.print(("历史数据库：" if zh else "History: ") + str(r.history))


def _nightly_serve(paths: list[Path], at: str, history: Path | None, lang: str | None) -> None:
    from .nightly import Book, NightlyScheduler, run_job

    books = []
    for p in paths:
        data = _read(p, lang)
        from .calendar import WorkCalendar
        from .summary import _as_date

        wt = str(data.setting("weekly_report_time") or "").strip() or None
        books.append(Book(p, weekly_time=wt, finance=bool(data.setting("finance_report_auto")),
                          risk_weeks=int(data.setting("risk_reminder_weeks") or 0),
                          start=_as_date(data.overview.get("start_date")),
                          cal=WorkCalendar.from_holidays(data.tables["holidays"])))
    try:
        sched = NightlyScheduler(books, at, lambda job, book, day: run_job(
            job, book, day, history=_history_for(paths, history, book.path), lang=lang,
            echo=_print_nightly))
    except ValueError as exc:
        raise typer.BadParameter(str(exc))
    console.print(f"xlcollab nightly: {len(books)} 个工作簿，每天 {at} 运行；Ctrl-C 停止 / "
                  f"{len(books)} workbook(s) daily at {at}; Ctrl-C stops")
    sched.serve()
    console.print("已停止 / stopped")


addin_app = typer.Typer(help="Excel 功能区加载项 / The Excel ribbon add-in (xlcollab.xlam).",
                        no_args_is_help=True)
app.add_typer(addin_app, name="addin")


@addin_app.command("build")
def addin_build(
    output: Path = typer.Option(Path("workbooks/xlcollab.xlam"), "-o", "--output", help="加载项路径 / Where to write the add-in."),
    lang: str = typer.Option("zh", "--lang", help="功能区语言 / Ribbon labels: zh | en."),
):
    """由 xlwings 模板生成加载项 / Build the add-in from xlwings' ribbon template."""
    from .excel.addin import AddinError, build_addin

    lang = _check_lang(lang)
    try:
        path = build_addin(output, lang)
    except (AddinError, OSError) as exc:
        _fail(("无法生成加载项：" if lang == "zh" else "Could not build the add-in: ") + str(exc))
        return
    console.print(("已生成加载项：" if lang == "zh" else "Add-in written: ") + str(path))


@addin_app.command("install")
def addin_install(
    source: Path = typer.Option(Path("workbooks/xlcollab.xlam"), "--source", help="要安装的加载项 / The add-in to install."),
    target: Optional[Path] = typer.Option(None, "--to", help="目标文件夹（默认 Excel 的 XLSTART）/ Target folder (default: Excel's XLSTART)."),
):
    """把加载项复制到 Excel 的启动文件夹 / Copy the add-in to Excel's XLSTART folder (Windows)."""
    from .excel.addin import AddinError, install_addin

    try:
        path, copied = install_addin(source, target)
    except (AddinError, OSError) as exc:
        _fail(f"无法安装加载项 / could not install the add-in: {exc}")
        return
    if copied:
        console.print(f"已安装 / installed: {path}\n"
                      "重新启动 Excel 后出现“协同项目”选项卡 / restart Excel to see the xlcollab tab.")
    else:
        console.print(f"这里不是 Windows，未复制任何文件。在 Windows 上会把 {source} 复制到 {path}\n"
                      f"Not on Windows: nothing copied. On Windows this copies {source} to {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
