"""finance: the monthly finance workbook and 《项目资金使用报告》."""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path

import typer
from rich.table import Table

from xlcollab.cli.common import (
    AsOfOpt,
    app,
    busy,
    check_lang,
    console,
    err,
    fail,
    parse_date,
    read,
    resolve_as_of,
    save,
)
from xlcollab.schema.lang import tr


@app.command()
def finance(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    month: str = typer.Option(..., "--month", help="报告月份 / The month (YYYY-MM)."),
    out: Path = typer.Option(
        Path("."),
        "-o",
        "--out",
        help="输出目录（默认当前目录）/ Output folder (default: the current one).",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
    as_of: str | None = AsOfOpt,
    docx: bool = typer.Option(
        True,
        "--docx/--no-docx",
        help="同时生成 Word《项目资金使用报告》/ Also write the Word report.",
    ),
    force: bool = typer.Option(
        True,
        "--force/--no-force",
        help="覆盖同名报告（会先备份）/ Overwrite a previous report (a backup is kept).",
    ),
):
    """月度资金使用报告：预算执行汇总、月度趋势、明细和异常
    / The monthly fund usage workbook (and Word report).

    写出 项目资金使用报告_<项目>_<YYYY-MM>.xlsx（及 .docx）。
    退出码 / exit code: 0 已生成 written, 2 无法读取或写入 unreadable or unwritable."""
    import os

    from xlcollab.core.money import month_period
    from xlcollab.finance.pipeline import SHEETS_USED

    lang = lang and check_lang(lang)
    parse_date(as_of)
    try:
        period = month_period(month)
    except ValueError:
        raise typer.BadParameter(f"--month: {month!r} (YYYY-MM)") from None
    data = read(path, lang, SHEETS_USED, meanwhile=_imports(docx))
    lang = lang or data.lang
    day = resolve_as_of(as_of, data)
    try:
        from xlcollab.core.calendar import WorkCalendar
        from xlcollab.finance.pipeline import monthly_finance

        with busy("正在汇总 / summarising …"):
            cal = WorkCalendar.from_holidays(data.tables["holidays"])
            mf = monthly_finance(data, period, day, cal, lang)
            wb = mf.workbook()
    except Exception as exc:
        if os.environ.get("XLCOLLAB_DEBUG") == "1":
            raise
        fail(
            tr(
                lang,
                "资金报告未能生成（内部错误）：",
                "The fund report could not be made (internal error): ",
            )
            + f"{type(exc).__name__}: {exc}"
        )
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(
            tr(lang, f"无法创建输出目录 {out}：", f"Cannot create the folder {out}: ")
            + str(exc.strerror or exc)
        )
    try:
        written = _write(wb, mf, data, day, out, force, docx)
    except OSError as exc:
        fail(tr(lang, f"无法写入 {out}：", f"Cannot write to {out}: ") + str(exc.strerror or exc))
    _print_finance(mf)
    for p in written:
        console.print(tr(lang, "已生成：", "Written: ") + str(p))


def _imports(docx: bool) -> list:
    """What the command uses once the workbook is read, a module at a time,
    the longest first: the Word report's charts and renderer, the workbook
    writer, the checks (imported while the reader waits for its sheets)."""
    names = ["xlcollab.reports.pack", "xlcollab.finance.report"] if docx else []
    names += ["xlcollab.finance.workbook", "xlcollab.finance.book", "xlcollab.check.rules"]
    return [partial(_load, name) for name in [*names, "xlcollab.io.save"]]


def _load(name: str) -> None:
    """Import ``name`` (a missing report machinery is said where it is used)."""
    from importlib import import_module

    from xlcollab.cli.collector import loading

    with loading(), contextlib.suppress(ImportError):
        import_module(name)


def _write(wb, mf, data, day, out: Path, force: bool, docx: bool) -> list[Path]:
    """The workbook, then the Word report next to it (without it, with a
    note, while the report machinery is not installed). The workbook is
    saved on a thread of its own while the report is rendered: compressing,
    verifying and syncing the file hardly need the interpreter. The report
    is written only once the workbook is, and a failure is reported as if
    one were made after the other."""
    from concurrent.futures import ThreadPoolExecutor

    written = [out / mf.filename("xlsx")]
    render, missing = None, False
    if docx:
        try:
            from xlcollab.finance.report import render_fund_report as render
        except ImportError:
            missing = True
    with ThreadPoolExecutor(1, thread_name_prefix="xlcollab-save") as pool:
        saving = pool.submit(save, wb, written[0], force)
        try:
            report = _render(render, mf, data, day) if render else None
        except BaseException:
            saving.result()  # the workbook's own failure comes first
            raise
        saving.result()
    if missing:
        err.print("[yellow]Word 报告暂不可用 / the Word report is not available yet[/]")
    if isinstance(report, str):
        fail(report)
    if report is not None:
        from xlcollab.finance.report import save_fund_report
        from xlcollab.io.save import SaveError

        try:
            written.append(
                save_fund_report(report, out / mf.filename("docx"), mf.lang, overwrite=force)
            )
        except SaveError as exc:
            fail(str(exc))
    return written


def _render(render, mf, data, day) -> bytes | str:
    """The Word report's bytes, or what is wrong with its template."""
    from xlcollab.reports.render import ReportError

    try:
        return render(mf, data, day)
    except ReportError as exc:
        return str(exc)


def _print_finance(mf) -> None:
    from xlcollab.schema import FIN_SUMMARY, finance_label

    lang = mf.lang
    sm = mf.summary
    head = Table(show_header=False, box=None)
    head.add_row(finance_label("project", lang), f"[bold]{mf.project}[/]")
    head.add_row(
        finance_label("month", lang),
        tr(lang, f"{sm.month}（{sm.n_month} 笔）", f"{sm.month} ({sm.n_month} lines)"),
    )
    pct = "—" if sm.used_pct is None else f"{sm.used_pct:.1%}"
    for key, value in (
        ("budget", sm.budget),
        ("month", sm.spent_month),
        ("to_date", sm.spent_to_date),
        ("remaining", sm.remaining),
    ):
        head.add_row(FIN_SUMMARY.col(key).header(lang), f"¥{value:,.2f}")
    head.add_row(FIN_SUMMARY.col("used_pct").header(lang), pct)
    console.print(head)
    table = Table(title=finance_label("by_department", lang))
    for key in ("department", "budget", "month", "to_date", "remaining", "used_pct", "remark"):
        table.add_column(
            FIN_SUMMARY.col(key).header(lang),
            justify="left" if key in ("department", "remark") else "right",
        )
    for r in sm.by_department.to_dict("records"):
        remark = [finance_label("no_budget", lang)] if not r["budgeted"] else []
        remark += [finance_label("over_budget", lang)] if r["over"] else []
        style = "red" if r["over"] else ("yellow" if not r["budgeted"] else "")
        table.add_row(
            str(r["department"]),
            *(f"¥{r[k]:,.2f}" for k in ("budget", "month", "to_date", "remaining")),
            "—" if r["used_pct"] is None else f"{r['used_pct']:.1%}",
            tr(lang, "、".join(remark), ", ".join(remark)),
            style=style,
        )
    console.print(table)
    n = len(mf.anomalies)
    if n:
        console.print(
            tr(
                lang,
                f"[yellow]本月费用异常 {n} 条（见“异常”工作表）[/]",
                f"[yellow]{n} anomalies in the month's expenses (see the Anomalies sheet)[/]",
            )
        )
    else:
        console.print(finance_label("no_anomalies", lang))
