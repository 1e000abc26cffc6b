"""export mspdi|ics|csv: the workbook for MS Project, calendars and other systems."""

from __future__ import annotations

from pathlib import Path

import typer

from xlcollab.cli.common import AsOfOpt, app, check_lang, console, err, fail, parse_date, read
from xlcollab.schema.lang import tr

export_app = typer.Typer(
    help="导出到其他工具 / Export to MS Project (MSPDI), calendars (.ics) and CSV.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")

PathArg = typer.Argument(..., help="主工作簿 / The master workbook.")
BookLangOpt = typer.Option(
    None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
)


def _load(path: Path, lang: str | None, as_of: str | None):
    from xlcollab.cli.common import resolve_as_of
    from xlcollab.core.calendar import WorkCalendar

    lang = lang and check_lang(lang)
    parse_date(as_of)  # a bad --as-of is a usage error before any reading
    data = read(path, lang)
    lang = lang or data.lang
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    return data, lang, cal, resolve_as_of(as_of, data)


def _write(path: Path, content: bytes, lang: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        fail(
            tr(
                lang,
                f"无法写入 {path}：{exc.strerror or exc}",
                f"Cannot write {path}: {exc.strerror or exc}",
            )
        )


def _warn(lines: list[str]) -> None:
    for line in lines:
        err.print(f"[yellow]{line}[/]")


@export_app.command("mspdi")
def export_mspdi(
    path: Path = PathArg,
    output: Path = typer.Option(
        ..., "-o", "--output", help="要写入的 MS Project XML 文件 / The MSPDI file to write (.xml)."
    ),
    lang: str | None = BookLangOpt,
    as_of: str | None = AsOfOpt,
):
    """导出 MS Project XML（MSPDI）/ The plan as MS Project XML (MS Project, ProjectLibre)."""
    from xlcollab.interchange.mspdi import write_mspdi

    data, lang, cal, _ = _load(path, lang, as_of)
    result = write_mspdi(data, cal, lang=lang)
    _write(output, result.xml, lang)
    _warn(result.warnings + cal.coverage_warnings(lang=lang))
    console.print(
        tr(
            lang,
            f"已写入 {output}：{result.tasks} 项任务（含汇总行）、{result.milestones} 个里程碑、"
            f"{result.links} 个前置关联、{result.resources} 名责任人、{result.exceptions} "
            "段日历例外",
            f"Wrote {output}: {result.tasks} task rows (summary rows included), "
            f"{result.milestones} milestones, {result.links} links, {result.resources} owners, "
            f"{result.exceptions} calendar exceptions",
        )
    )


@export_app.command("ics")
def export_ics(
    path: Path = PathArg,
    output: Path = typer.Option(
        ..., "-o", "--output", help="存放 .ics 文件的文件夹 / The folder for the .ics files."
    ),
    lang: str | None = BookLangOpt,
    as_of: str | None = AsOfOpt,
):
    """导出日历：周例会、里程碑、各责任人截止日期 / Meeting, milestone and deadline calendars."""
    from xlcollab.interchange.ics import CalendarExportError, project_calendars

    data, lang, cal, day = _load(path, lang, as_of)
    try:
        files = project_calendars(data, cal, day, lang)
    except CalendarExportError as exc:
        fail(str(exc))
        return
    for name, content in files.items():
        _write(output / name, content, lang)
    _warn(cal.coverage_warnings(lang=lang))
    console.print(
        tr(
            lang,
            f"已在 {output} 写入 {len(files)} 个日历文件：" + "、".join(files),
            f"Wrote {len(files)} calendar files to {output}: " + ", ".join(files),
        )
    )


@export_app.command("csv")
def export_csv(
    path: Path = PathArg,
    sheet: str = typer.Argument(
        ...,
        help="工作表：中文名、英文名或键，如 任务清单、Tasks、tasks / The sheet: its Chinese or "
        "English name or its key.",
    ),
    output: Path | None = typer.Option(
        None,
        "-o",
        "--output",
        help="CSV 文件（默认：<工作表>.csv）/ The CSV file (default: <sheet>.csv).",
    ),
    encoding: str = typer.Option(
        "utf-8",
        "--encoding",
        help="utf-8（带 BOM，Excel 直接打开）或 gbk / utf-8 (with a BOM, for Excel) or gbk.",
    ),
    lang: str | None = BookLangOpt,
    as_of: str | None = AsOfOpt,
):
    """导出一张工作表为 CSV（防公式注入）/ One sheet as CSV, with formula injection neutralised."""
    from xlcollab.interchange.csv import CsvExportError, resolve_sheet, sheet_csv

    data, lang, cal, day = _load(path, lang, as_of)
    try:
        target = resolve_sheet(sheet, lang)
        content = sheet_csv(data, sheet, as_of=day, cal=cal, encoding=encoding, lang=lang)
    except CsvExportError as exc:
        fail(str(exc))
        return
    output = output or Path(f"{target.name(lang)}.csv")
    _write(output, content, lang)
    frame = data.tables.get(target.key)
    rows = len(frame) if frame is not None else len(target.columns)
    console.print(
        tr(
            lang,
            f"已写入 {output}：{target.name(lang)}，{rows} 行（{encoding}）",
            f"Wrote {output}: {target.name(lang)}, {rows} rows ({encoding})",
        )
    )
