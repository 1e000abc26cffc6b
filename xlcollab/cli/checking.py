"""check: validate a workbook, print or write the findings and flags."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from xlcollab.cli.collector import loading
from xlcollab.cli.common import (
    AsOfOpt,
    app,
    busy,
    check_lang,
    console,
    err,
    fail,
    read,
    resolve_as_of,
)
from xlcollab.model import messages
from xlcollab.schema.lang import tr

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@app.command()
def check(
    path: Path = typer.Argument(..., help="主工作簿 / The master workbook (.xlsx/.xlsm)."),
    as_of: str | None = AsOfOpt,
    fmt: str = typer.Option(
        "table", "--format", help="table（默认）或 json / table (default) or json."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="zh | en（默认跟随工作簿 / default: the workbook's)."
    ),
    write: bool = typer.Option(
        False,
        "--write",
        help="把检查结果、阻塞开始日期、升级层级和延误工作日写回工作簿"
        " / Write findings and computed columns back.",
    ),
    rules_off: str | None = typer.Option(
        None,
        "--rules-off",
        help="关闭的规则编号，逗号分隔（如 finance 或 tasks.cycle）"
        "/ Rule ids to switch off, comma separated.",
    ),
    limit: int = typer.Option(
        30, "--limit", min=0, help="最多列出的问题条数 / At most this many findings in the table."
    ),
    baseline: str | None = typer.Option(
        None,
        "--baseline",
        help="与指定基线比较进度偏差（见 xlcollab baseline）"
        "/ Show slippage against this named baseline.",
    ),
    history: Path | None = typer.Option(
        None,
        "--history",
        help="历史数据库路径 / The history database"
        " (default: .xlcollab/history.sqlite beside the workbook).",
    ),
):
    """检查主工作簿：校验、逾期与升级标记、关键路径 / Validate the workbook and compute flags.

    退出码 / exit code: 0 无错误 no errors, 1 有错误 errors found,
    2 无法读取或写入 the workbook could not be read or written."""
    import os
    import sys

    if fmt not in ("table", "json"):
        raise typer.BadParameter("--format: table | json")
    lang = lang and check_lang(lang)
    off = [r for r in (rules_off or "").split(",") if r.strip()]
    signature = None
    if write and path.is_file():
        from xlcollab.io.writeback import file_signature

        signature = file_signature(path)  # before reading: refuse if it changes meanwhile
    try:
        with busy("正在读取 / reading …"):
            data = read(path, lang, findings_rows=False)
        day = resolve_as_of(as_of, data)
        with busy("正在检查 / checking …"):
            with loading():
                from xlcollab.check import check as run_check
            report = run_check(data, day, lang, rules_off=off)
    except typer.Exit:
        raise
    except Exception as exc:
        if os.environ.get("XLCOLLAB_DEBUG") == "1":
            raise
        fail(
            tr(lang, "检查未能完成（内部错误）：", "The check could not finish (internal error): ")
            + f"{type(exc).__name__}: {exc}"
        )
        return
    lang = report.lang
    slip = _slippage(path, data, day, baseline, history, lang) if baseline else None
    if fmt == "json":
        extra = {"baseline": slip} if slip is not None else None
        sys.stdout.write(report.to_json(extra))  # tens of MB: not copied to add the newline
        sys.stdout.write("\n")
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

    from xlcollab.history import BaselineError, workbook_slippage

    try:
        slip = workbook_slippage(path, data, name, override=history)
    except BaselineError as exc:
        fail(str(exc))

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

    return {
        "name": slip.name,
        "as_of": slip.as_of.isoformat(),
        "tasks": records(slip.tasks),
        "departments": records(slip.departments),
    }


def _print_slippage(slip: dict, lang: str) -> None:
    table = Table(
        title=tr(
            lang,
            f"与基线“{slip['name']}”（{slip['as_of']}）相比的进度偏差（工作日）",
            f"Slippage against baseline {slip['name']} ({slip['as_of']}), working days",
        )
    )
    heads = (
        (messages.label("department", lang), "left"),
        (messages.label("task_count", lang), "right"),
        (tr(lang, "延后", "Slipped"), "right"),
        (tr(lang, "合计", "Total"), "right"),
        (tr(lang, "最大", "Largest"), "right"),
    )
    for head, justify in heads:
        table.add_column(head, justify=justify)
    for d in slip["departments"]:
        table.add_row(
            str(d["department"]),
            str(d["tasks"]),
            str(d["slipped"]),
            str(d["total_slip"]),
            str(d["max_slip"]),
            style="red" if d["slipped"] else "",
        )
    console.print(table)
    late = sorted(
        (t for t in slip["tasks"] if (t["finish_slip"] or 0) > 0), key=lambda t: -t["finish_slip"]
    )
    for t in late[:15]:
        console.print(
            tr(
                lang,
                f"  {t['wbs']} {t['name']}：完成日期 {t['baseline_finish']} → "
                f"{t['planned_finish']}，延后 {t['finish_slip']} 个工作日",
                f"  {t['wbs']} {t['name']}: finish {t['baseline_finish']} → "
                f"{t['planned_finish']}, {t['finish_slip']} working days later",
            )
        )


def _print_report(report, limit: int) -> None:
    from xlcollab.schema import ESCALATION, FINDINGS, SEVERITY

    st = report.stats
    head = Table(show_header=False, box=None)
    if report.project.get("name"):
        head.add_row(tr(report.lang, "项目", "Project"), f"[bold]{report.project['name']}[/]")
    head.add_row(messages.label("as_of_checked", report.lang), st["as_of"])
    head.add_row(
        tr(report.lang, "数据", "Data"),
        tr(
            report.lang,
            f"任务 {st['tasks']} 项，风险 {st['risks']} 项，费用 {st['expenses']} 笔",
            f"{st['tasks']} tasks, {st['risks']} risks, {st['expenses']} expense lines",
        ),
    )
    sev = st["by_severity"]
    head.add_row(
        messages.label("findings", report.lang),
        "  ".join(
            f"[{SEVERITY_STYLE[k]}]{SEVERITY.label(k, report.lang)} {sev[k]}[/]" for k in sev
        ),
    )
    fig = report.figures
    head.add_row(
        tr(report.lang, "任务标记", "Task flags"),
        tr(
            report.lang,
            f"任务 {fig.total}，阻塞 {fig.blocked}，逾期 {fig.overdue}，"
            f"即将到期 {fig.due_soon}；升级：",
            f"tasks {fig.total}, blocked {fig.blocked}, overdue {fig.overdue}, due soon "
            f"{fig.due_soon}; escalation: ",
        )
        + tr(report.lang, "，", ", ").join(
            f"{ESCALATION.label(k, report.lang)} {fig.escalations[k]}" for k in ESCALATION.keys
        ),
    )
    sc = report.schedule
    if sc.planned_finish:
        slip = sc.slip_days or 0
        head.add_row(
            tr(report.lang, "进度", "Schedule"),
            tr(
                report.lang,
                f"计划完成 {sc.planned_finish}，预测完成 {sc.forecast_finish}"
                + (f"（延后 {slip} 个工作日）" if slip > 0 else ""),
                f"planned finish {sc.planned_finish}, forecast {sc.forecast_finish}"
                + (f" ({slip} working days late)" if slip > 0 else ""),
            ),
        )
        if sc.critical_path:
            cp = sc.critical_path
            text = " → ".join(cp[:12]) + (" …" if len(cp) > 12 else "")
            head.add_row(tr(report.lang, "关键路径", "Critical path"), text)
    if sc.cycle_tasks:
        head.add_row(
            tr(report.lang, "[red]循环依赖[/]", "[red]Cycle[/]"), "、".join(sc.cycle_tasks[:10])
        )
    for w in report.calendar_warnings:
        head.add_row(tr(report.lang, "[yellow]日历[/]", "[yellow]Calendar[/]"), w)
    console.print(head)

    if st["by_department"]:
        dept = Table(
            title=tr(report.lang, "任务问题（按部门）", "Task findings by department"), min_width=30
        )
        dept.add_column(messages.label("department", report.lang))
        dept.add_column(messages.label("finding_count", report.lang), justify="right")
        for k, v in sorted(st["by_department"].items(), key=lambda kv: (-kv[1], kv[0])):
            dept.add_row(k, str(v))
        console.print(dept)

    findings = report.findings
    if findings and limit:
        table = Table(
            title=tr(report.lang, "问题清单（最严重的在前）", "Findings, worst first"),
            show_lines=False,
        )
        table.add_column(FINDINGS.col("severity").header(report.lang), no_wrap=True)
        table.add_column(tr(report.lang, "位置", "Location"), no_wrap=True)
        table.add_column(messages.label("problem", report.lang), overflow="fold")
        table.add_column(messages.label("what_to_do", report.lang), overflow="fold")
        for f in findings[:limit]:
            table.add_row(
                f"[{SEVERITY_STYLE.get(f.severity, '')}]{f.severity_label(report.lang)}[/]",
                f.location,
                f.message,
                f.hint,
            )
        console.print(table)
    rest = len(findings) - min(limit, len(findings))
    if rest > 0:
        console.print(tr(report.lang, f"… 另有 {rest} 条", f"… and {rest} more"))
    if report.valid:
        console.print(tr(report.lang, "[green]检查通过：没有错误。[/]", "[green]No errors.[/]"))
    else:
        n = st["by_severity"]["error"]
        console.print(
            tr(report.lang, f"[bold red]发现 {n} 个错误。[/]", f"[bold red]{n} errors found.[/]")
        )


def _write_back(path: Path, data, report, signature=None, quiet: bool = False) -> None:
    """``check --write``: the findings into 检查结果, blocked since and the
    escalation level into 任务清单, and a red/yellow mark on every cell a
    finding names, all through the safe writer (exit 2 when it refuses).

    延误工作日 (days late) is a native formula column in the master
    workbook (the formula and Python agree, a test proves it), and the
    writer never overwrites formulas, so it is not written here."""
    from xlcollab.io.plan import write_edits
    from xlcollab.io.writeback import WriteBackError, write_back

    try:
        with busy("正在写回 / writing …"):
            edits, notes = write_edits(data, report)
            keep = data.setting("backup_keep")
            backup = write_back(
                path,
                edits,
                read_signature=signature,
                lang=report.lang,
                keep=int(keep) if isinstance(keep, int) and keep > 0 else 10,
            )
    except WriteBackError as exc:
        fail(str(exc))
        return
    out = err if quiet else console
    for note in notes:
        out.print(f"[yellow]{note}[/]")
    out.print(
        tr(
            report.lang,
            f"已写回 {path.name}：检查结果 {len(report.findings)} 条；备份：{backup}",
            f"Written back to {path.name}: {len(report.findings)} findings; backup: {backup}",
        )
    )
