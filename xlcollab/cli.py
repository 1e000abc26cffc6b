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
    """生成演示项目（九周跨部门项目）/ Write a filled demo project and show its summary."""
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
