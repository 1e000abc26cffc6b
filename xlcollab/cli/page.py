"""page and portfolio: the status page of a project, the portfolio of many."""

from __future__ import annotations

from pathlib import Path

import typer

from xlcollab.cli.common import (
    AsOfOpt,
    app,
    check_lang,
    console,
    fail,
    now,
    parse_date,
    progress_bar,
    read,
    resolve_as_of,
    today,
)
from xlcollab.schema.lang import tr

PAGE_FOLDER = {"zh": "状态页面", "en": "status-page"}  # the demo's page folder
PageLangOpt = typer.Option(
    None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
)


def write_status_page(path: Path, data, day, lang: str, out: Path, history: Path | None) -> Path:
    """The page of one read workbook into ``out`` (history beside the
    workbook, or ``history``, when there is one)."""
    from xlcollab.history import history_path
    from xlcollab.page import PageOptions, history_inputs, write_page

    options = PageOptions(
        lang=lang,
        generated_at=now(),
        show_email=bool(data.setting("page_show_email")),
        **history_inputs(
            history_path(path, data.setting("history_path"), history), data.tables["tasks"]
        ),
    )
    target, _ = write_page(data, out, day, options)
    return target


@app.command()
def page(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook."),
    out: Path = typer.Option(
        ..., "-o", "--out", help="输出目录（写入 index.html）/ Output folder (index.html)."
    ),
    lang: str | None = PageLangOpt,
    as_of: str | None = AsOfOpt,
    history: Path | None = typer.Option(
        None,
        "--history",
        help="历史数据库（默认工作簿旁的 .xlcollab/history.sqlite）/ "
        "History database (default: .xlcollab/history.sqlite beside the workbook).",
    ),
):
    """项目状态页面（单个 HTML 文件，离线、手机可读）/ The project's status page: one
    self-contained HTML file, readable offline and on a phone."""
    parse_date(as_of)
    data = read(path, lang and check_lang(lang), findings_rows=False)
    lang = lang or data.lang
    day = resolve_as_of(as_of, data)
    target = write_status_page(path, data, day, lang, out, history)
    console.print(tr(lang, "已生成状态页面：", "Status page written: ") + str(target))


@app.command()
def portfolio(
    sources: list[Path] = typer.Argument(
        ...,
        help="文件夹、工作簿或列表文件（.txt，每行一个路径）/ "
        "Folders, workbooks or list files (.txt, one path a line).",
    ),
    out: Path = typer.Option(..., "-o", "--out", help="输出目录 / Output folder."),
    lang: str = typer.Option("zh", "--lang", help="zh（中文，默认）或 en (English)."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="所有项目按此日期 / Take this date as today for every project "
        "(default: each workbook's status date, else today).",
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="并行进程数（默认 CPU 核数）/ Processes (default: CPU count)."
    ),
):
    """项目组合：每个项目一行，链接到各自的状态页面，并生成组合工作簿 / The portfolio:
    one row per project linking to its status page, and a portfolio workbook."""
    from xlcollab.page.portfolio import build_portfolio, find_workbooks, write_portfolio

    lang = check_lang(lang)
    day = parse_date(as_of)
    paths = find_workbooks(sources)
    if not paths:
        fail("没有找到工作簿 / no workbooks found")
    moment = now()
    with progress_bar(console) as progress:
        task = progress.add_task("项目组合 / portfolio", total=len(paths))
        rows = build_portfolio(
            paths,
            out,
            as_of=day,
            lang=lang,
            generated_at=moment,
            workers=workers,
            advance=lambda _row: progress.advance(task),
            fallback=today(),
        )
    html, xlsx = write_portfolio(rows, out, lang, as_of=day, generated_at=moment)
    bad = [r for r in rows if not r["ok"]]
    console.print(
        tr(
            lang,
            f"项目组合：{len(rows)} 个项目，{html}；工作簿 {xlsx}",
            f"Portfolio: {len(rows)} projects, {html}; workbook {xlsx}",
        )
    )
    for r in bad:
        console.print(f"[yellow]{tr(lang, '无法读取', 'Unreadable')}[/] {r['file']}：{r['error']}")
    if bad:
        raise typer.Exit(2 if len(bad) == len(rows) else 1)
