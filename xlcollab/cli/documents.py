"""report: the documents the procedure names."""

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
    parse_date,
    progress_bar,
    read,
    resolve_as_of,
)
from xlcollab.schema.lang import tr

REPORT_KINDS = (
    "charter",
    "roles",
    "checklist",
    "weekly",
    "quality",
    "delivery",
    "summary",
    "briefing",
)


@app.command()
def report(
    kind: str = typer.Argument(
        ...,
        help="charter 项目章程 | roles 职责分工说明书 | checklist 任务协作清单"
        " | weekly 周例会进度报告 | quality 质量评估意见 | delivery 交付确认书"
        " | summary 总结报告 | briefing 月度高层简报(.pptx) | all 全部",
    ),
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    as_of: str | None = AsOfOpt,
    week: int | None = typer.Option(
        None,
        "--week",
        min=1,
        help="周报：项目第N周（以该周周一为报告日期）"
        "/ Weekly report: project week N (as of its Monday).",
    ),
    month: str | None = typer.Option(
        None, "--month", help="月度简报的月份 / The briefing's month (YYYY-MM)."
    ),
    milestone: str | None = typer.Option(
        None,
        "--milestone",
        help="质量评估意见的里程碑（默认最近已到期的）"
        "/ The quality report's milestone (default: the latest passed).",
    ),
    out: Path = typer.Option(
        Path("."),
        "-o",
        "--out",
        help="输出目录（默认当前目录）/ Output folder (default: the current one).",
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="zh | en（默认：参数表的报告语言 / default: the Settings sheet's report language).",
    ),
    templates: Path | None = typer.Option(
        None,
        "--templates",
        help="报告模板目录（覆盖参数表设置）"
        "/ Report templates folder (overrides the Settings sheet).",
    ),
    baseline: str | None = typer.Option(
        None,
        "--baseline",
        help="周报：与指定基线比较进度偏差（见 xlcollab baseline）"
        "/ Weekly report: slippage against this named baseline.",
    ),
    history: Path | None = typer.Option(
        None,
        "--history",
        help="历史数据库路径 / The history database"
        " (default: .xlcollab/history.sqlite beside the workbook).",
    ),
    annex: bool = typer.Option(
        False,
        "--annex",
        help="周报：附上完整任务清单（各表只列最紧急的若干项）"
        "/ Weekly report: add the full task list as an annex (tables list the most urgent).",
    ),
):
    """生成文档 / Write a document of the pack, or all of them.

    文件名：<文档名>_<项目>_<日期>.docx。周报的“基线偏差”一节需要 --baseline
    （其他文档忽略它）/ the weekly report's slippage section needs --baseline
    (other documents ignore it). 周报和简报的每张表最多列出参数表“报告每表最多行数”项
    （最紧急的），--annex 给周报附上完整清单 / the weekly report's and the briefing's
    tables list the most urgent rows only (the Settings sheet's "Rows per report table");
    --annex adds the full list to the weekly report.
    退出码 / exit code: 0 已生成 written, 2 无法读取、模板错误或无法写入
    unreadable workbook, template problem or unwritable folder."""
    kinds = REPORT_KINDS if kind == "all" else (kind,)
    if kind != "all" and kind not in REPORT_KINDS:
        raise typer.BadParameter(f"KIND: {' | '.join(REPORT_KINDS)} | all")
    if week is not None and month is not None:
        raise typer.BadParameter("--week | --month")
    lang = lang and check_lang(lang)
    parse_date(as_of)
    data = read(path, None, findings_rows=False)
    if lang is None:
        setting = data.setting("report_lang")
        lang = setting if setting in ("zh", "en") else data.lang
    day = resolve_as_of(as_of, data)
    findings = findings_for(data, day, lang) if "quality" in kinds else None
    slip = None
    if baseline and "weekly" in kinds:
        from xlcollab.history import BaselineError, workbook_slippage

        try:
            slip = workbook_slippage(path, data, baseline, override=history)
        except BaselineError as exc:
            fail(str(exc))
    write_pack(
        data,
        day,
        lang,
        out,
        kinds,
        templates=templates,
        base_dir=path.parent,
        findings=findings,
        week=week,
        month=month,
        milestone=milestone,
        slip=slip,
        annex=annex,
    )


def findings_for(data, day: date, lang: str) -> list:
    """The check's findings for the quality report (the reader's when the
    check cannot run)."""
    try:
        from xlcollab.check import check as run_check

        return list(run_check(data, day, lang).findings)
    except Exception:  # noqa: BLE001 - the report still shows what reading found
        return list(data.findings)


def write_pack(
    data,
    day: date,
    lang: str,
    out: Path,
    kinds,
    *,
    templates=None,
    base_dir=None,
    findings=None,
    week=None,
    month=None,
    milestone=None,
    slip=None,
    annex=False,
) -> list[Path]:
    """Write the documents ``kinds`` with a progress bar; exit 2 on a
    template problem or an unwritable folder."""
    import os

    from xlcollab.cli.collector import loading
    from xlcollab.core.calendar import WorkCalendar

    with loading():
        from xlcollab.reports import ReportError, generate

    options = {
        "weekly": {"week": week, "slip": slip, "annex": annex or None},
        "briefing": {"month": month},
        "quality": {"milestone": milestone},
    }
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        with progress_bar(err) as progress:
            bar = progress.add_task(tr(lang, "文档 / documents", "documents"), total=len(kinds))
            for k in kinds:
                progress.update(bar, description=k)
                written.append(
                    generate(
                        k,
                        data,
                        out,
                        as_of=day,
                        lang=lang,
                        cal=cal,
                        templates_dir=templates,
                        base_dir=base_dir,
                        findings=findings,
                        **{key: v for key, v in options.get(k, {}).items() if v is not None},
                    )
                )
                progress.advance(bar)
    except ReportError as exc:
        fail(exc.text(lang))
    except OSError as exc:
        fail(tr(lang, f"无法写入 {out}：", f"Cannot write to {out}: ") + str(exc.strerror or exc))
    except Exception as exc:
        if os.environ.get("XLCOLLAB_DEBUG") == "1":
            raise
        fail(
            tr(
                lang,
                "文档未能生成（内部错误）：",
                "The document could not be made (internal error): ",
            )
            + f"{type(exc).__name__}: {exc}"
        )
    for p in written:
        console.print(tr(lang, "已生成：", "Written: ") + str(p))
    return written
