"""fix: write each tolerated entry as the value it was read as."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from xlcollab.cli.common import (
    AsOfOpt,
    app,
    busy,
    check_lang,
    console,
    fail,
    read,
    resolve_as_of,
)
from xlcollab.schema.lang import tr


@app.command()
def fix(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="只列出将要做的修改，不写入 / List every change and write nothing.",
    ),
    as_of: str | None = AsOfOpt,
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
):
    """整理数据：把按宽容方式读取的单元格改成真正的值 / Tidy the workbook's entries.

    文本日期改为日期（列的日期格式），文本数字和全角数字改为数字，状态同义词改为标准选项，
    多了空格的人名改为组织架构中的名称；无法理解的值列出但不修改。写入经安全写回（Excel
    打开时拒绝、保留备份、原子替换、只改这些单元格），并记入变更记录。再次运行不再修改。

    A text date becomes a real date (with the column's date format), a text or
    full-width number a number, a status synonym the canonical status, a name
    with a stray space the exact name from the team sheet. What cannot be
    understood is listed and left alone. Written through the safe writer and
    recorded on the change log; a second run changes nothing.

    退出码 / exit code: 0 完成 done, 2 无法读取或写入 could not read or write."""
    from xlcollab.io import tidy
    from xlcollab.io.writeback import WriteBackError, file_signature

    lang = lang and check_lang(lang)
    signature = file_signature(path) if path.is_file() and not dry_run else None
    data = read(path, lang)
    lang = lang or data.lang
    day = resolve_as_of(as_of, data)
    todo = tidy.plan(data)
    _print_plan(todo, lang)
    if dry_run or todo.empty:
        if todo.empty:
            console.print(tr(lang, "没有需要整理的单元格", "Nothing to tidy"))
        else:
            console.print(
                tr(
                    lang,
                    f"试运行：{len(todo.changes)} 处修改，未写入",
                    f"Dry run: {len(todo.changes)} changes, nothing written",
                )
            )
        raise typer.Exit(0)
    keep = data.setting("backup_keep")
    try:
        with busy("正在写回 / writing …"):
            backup = tidy.apply(
                path,
                data,
                todo,
                as_of=day,
                read_signature=signature,
                lang=lang,
                keep=int(keep) if isinstance(keep, int) and keep > 0 else 10,
            )
    except WriteBackError as exc:
        fail(str(exc))
        return
    console.print(
        tr(
            lang,
            f"已整理 {path.name}：{len(todo.changes)} 处修改，已记入变更记录；备份：{backup}",
            f"Tidied {path.name}: {len(todo.changes)} changes, on the change log; backup: {backup}",
        )
    )
    raise typer.Exit(0)


def _print_plan(todo, lang: str) -> None:
    from xlcollab.schema import SHEETS

    if todo.changes:
        table = Table(title=tr(lang, "整理 / Changes", "Changes"))
        found, log = SHEETS["findings"], SHEETS["changelog"]
        for col in (
            found.col("sheet"),
            found.col("cell"),
            found.col("column"),
            log.col("old"),
            log.col("new"),
        ):
            table.add_column(col.header(lang))
        for c in todo.changes:
            table.add_row(c.sheet_name, c.cell, c.header, c.before, c.after_text)
        console.print(table)
    if todo.left:
        console.print(
            tr(
                lang,
                f"[yellow]无法理解、未修改（{len(todo.left)}）：[/]",
                f"[yellow]Not understood, left alone ({len(todo.left)}):[/]",
            )
        )
        for f in todo.left:
            console.print(f"  {f}", markup=False, highlight=False)
