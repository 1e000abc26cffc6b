"""init, demo and show: a new workbook, the demo project, the key figures."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from xlcollab.cli.common import (
    AsOfOpt,
    LangOpt,
    app,
    check_lang,
    console,
    parse_date,
    progress_bar,
    read,
    resolve_as_of,
    save,
)
from xlcollab.cli.documents import REPORT_KINDS, findings_for, write_pack
from xlcollab.cli.page import PAGE_FOLDER, write_status_page
from xlcollab.model import messages
from xlcollab.schema.lang import tr


@app.command()
def init(
    path: Path = typer.Argument(
        ..., help="新主工作簿的路径 / Where to write the new master workbook (.xlsx)."
    ),
    lang: str = LangOpt,
    start: str | None = typer.Option(
        None, "--start", help="项目开始日期 / Project start date (YYYY-MM-DD)."
    ),
    as_of: str | None = AsOfOpt,
    force: bool = typer.Option(
        False,
        "--force",
        help="覆盖已存在的文件（会先备份）/ Overwrite an existing file (a backup is kept).",
    ),
):
    """创建空白主工作簿 / Create an empty master workbook from the schema."""
    from xlcollab.workbook import build_workbook
    from xlcollab.workbook.blank import blank_project

    lang = check_lang(lang)
    begin = parse_date(start)
    day = resolve_as_of(as_of)
    first_year = (begin or day).year
    data = blank_project(lang=lang, start=begin, years=range(first_year, first_year + 2))
    save(build_workbook(data, lang), path, force)
    console.print(tr(lang, "已创建主工作簿：", "Master workbook written: ") + str(path))


@app.command()
def demo(
    directory: Path = typer.Argument(Path("xlcollab-demo"), help="输出目录 / Output folder."),
    lang: str = LangOpt,
    as_of: str | None = AsOfOpt,
    force: bool = typer.Option(
        True, "--force/--no-force", help="覆盖上次的演示文件 / Overwrite the previous demo files."
    ),
):
    """生成演示项目（九周跨部门项目）、全套文档及状态页面
    / Write a filled demo project, its summary, its document pack and its status page."""
    from xlcollab.workbook import build_workbook
    from xlcollab.workbook.demo import demo_filename, demo_project

    lang = check_lang(lang)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / demo_filename(lang)
    with progress_bar(console) as progress:
        task = progress.add_task(tr(lang, "演示项目 / demo", "demo"), total=3)
        data = demo_project(lang=lang)
        progress.advance(task)
        wb = build_workbook(data, lang)
        progress.advance(task)
        save(wb, target, force)
        progress.advance(task)
    console.print(tr(lang, "已生成演示工作簿：", "Demo workbook written: ") + str(target))
    _show(target, lang, as_of)
    data = read(target, lang, findings_rows=False)
    day = resolve_as_of(as_of, data)
    write_pack(
        data,
        day,
        lang,
        directory,
        REPORT_KINDS,
        base_dir=directory,
        findings=findings_for(data, day, lang),
    )
    from xlcollab.cli.common import now
    from xlcollab.cli.packs import write_packs
    from xlcollab.workbook.demo import DEMO_PACK_DEPARTMENTS

    for p in write_packs(data, directory / "packs", DEMO_PACK_DEPARTMENTS, day, now(day)):
        console.print(tr(lang, "已生成部门文件：", "Pack written: ") + str(p))
    page = write_status_page(target, data, day, lang, directory / PAGE_FOLDER[lang], None)
    console.print(tr(lang, "已生成状态页面：", "Status page written: ") + str(page))


@app.command()
def show(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook."),
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
    as_of: str | None = AsOfOpt,
):
    """项目概览：按部门和状态统计任务 / The project at a glance: tasks by status and department."""
    _show(path, lang and check_lang(lang), as_of)


def _show(path: Path, lang: str | None, as_of: str | None) -> None:
    from xlcollab.core.calendar import WorkCalendar
    from xlcollab.core.figures import figures, status_by_department
    from xlcollab.model.dates import to_date
    from xlcollab.schema import ESCALATION, OVERVIEW, PHASE, RISK_LEVEL, SHEETS

    parse_date(as_of)  # a bad --as-of is a usage error before any reading
    data = read(path, lang, findings_rows=False)
    lang = lang or data.lang
    day = resolve_as_of(as_of, data)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    fig = figures(data, day, cal)
    sep = tr(lang, "，", ", ")

    head = Table(show_header=False, box=None)
    head.add_row(tr(lang, "项目", "Project"), f"[bold]{data.overview.get('name') or ''}[/]")
    start = to_date(data.overview.get("start_date"), strict=False)
    end = to_date(data.overview.get("end_date"), strict=False)
    head.add_row(tr(lang, "周期", "Period"), f"{start or ''} — {end or ''}")
    head.add_row(messages.label("as_of_status", lang), str(day))
    if fig.phase:
        head.add_row(OVERVIEW.col("current_phase").header(lang), PHASE.label(fig.phase, lang))
    head.add_row(
        messages.label("task_count", lang),
        tr(
            lang,
            f"{fig.total} 项，已完成 {fig.done}（{fig.done_pct:.0%}），进行中 {fig.in_progress}，"
            f"未开始 {fig.not_started}，阻塞 {fig.blocked}",
            f"{fig.total}, done {fig.done} ({fig.done_pct:.0%}), in progress {fig.in_progress}, "
            f"not started {fig.not_started}, blocked {fig.blocked}",
        ),
    )
    head.add_row(
        tr(lang, "进度", "Schedule"),
        tr(
            lang,
            f"逾期 {fig.overdue}，即将到期 {fig.due_soon}",
            f"overdue {fig.overdue}, due soon {fig.due_soon}",
        ),
    )
    head.add_row(
        SHEETS["escalations"].name(lang),
        sep.join(f"{ESCALATION.label(k, lang)} {fig.escalations[k]}" for k in ESCALATION.keys),
    )
    head.add_row(
        SHEETS["risks"].name(lang),
        sep.join(f"{RISK_LEVEL.label(k, lang)} {fig.risks[k]}" for k in ("high", "medium", "low"))
        + sep
        + tr(
            lang,
            f"复核逾期 {fig.risks['review_overdue']}",
            f"review overdue {fig.risks['review_overdue']}",
        ),
    )
    unbudgeted = (
        tr(
            lang,
            f"（含预算外 ¥{fig.unbudgeted:,.2f}）",
            f" (incl. unbudgeted ¥{fig.unbudgeted:,.2f})",
        )
        if fig.unbudgeted
        else ""
    )
    head.add_row(
        tr(lang, "预算 / 已支出", "Budget / spent"),
        f"¥{fig.budget:,.2f} / ¥{fig.spent:,.2f}" + unbudgeted,
    )
    head.add_row(tr(lang, "本月支出", "Spent this month"), f"¥{fig.money.spent_month:,.2f}")
    console.print(head)

    table = status_by_department(fig, lang)
    rich_table = Table(title=tr(lang, "任务状态（按部门）", "Tasks by department and status"))
    rich_table.add_column(table.index.name or "")
    for col in table.columns:
        rich_table.add_column(str(col), justify="right")
    for idx, row in table.iterrows():
        rich_table.add_row(str(idx), *[str(v) if v else "·" for v in row])
    console.print(rich_table)

    problems = [f for f in data.findings if f.severity == "error"]
    if problems:
        console.print(
            tr(
                lang,
                "[yellow]读取时发现 {n} 个错误，例如：[/]",
                "[yellow]{n} errors while reading, e.g.:[/]",
            ).format(n=len(problems))
        )
        for f in problems[:5]:
            console.print(f"  {f}")
