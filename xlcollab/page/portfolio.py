"""Many projects at once: one status page each, one portfolio page and one
portfolio workbook (项目组合_<date>.xlsx) with the same table.

Projects are read in parallel, a process per core
(:class:`concurrent.futures.ProcessPoolExecutor` sized to
``os.cpu_count()``); each worker reads one workbook, writes its page into
its own folder and returns its row as plain values. A workbook that cannot
be read gives a row with the reason (its file name only, never a path) and
the others go on. The figures are :func:`xlcollab.core.figures.page_figures`;
the traffic light's rule is :data:`xlcollab.page.view.LIGHT_RULE`.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from xlcollab.core.figures import LEVELS
from xlcollab.model.dates import iso_date
from xlcollab.page.view import LIGHT_RULE, LIGHTS, REASONS, PageOptions
from xlcollab.reports.common import fmt_money, fmt_pct, phase_label
from xlcollab.reports.names import safe_component
from xlcollab.schema import ESCALATION, NUMBER_FORMATS, PORTFOLIO
from xlcollab.schema.lang import tr

__all__ = ["project_row", "build_portfolio", "portfolio_workbook", "slugs", "find_workbooks"]

_ORDER = {"red": 0, "yellow": 1, "green": 2, None: 3}


def find_workbooks(sources: Iterable[Path]) -> list[Path]:
    """The workbooks named: a folder gives its .xlsx/.xlsm files (not
    Excel's ``~$`` owner files), a .txt file one path per line (relative to
    the list), anything else is taken as a workbook."""
    out: list[Path] = []
    for src in sources:
        src = Path(src)
        if src.is_dir():
            out += sorted(
                p
                for p in src.iterdir()
                if p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith("~$")
            )
        elif src.suffix.lower() == ".txt" and src.is_file():
            for line in src.read_text("utf-8-sig").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    p = Path(line.strip())
                    out.append(p if p.is_absolute() else src.parent / p)
        else:
            out.append(src)
    return out


def slugs(paths: list[Path]) -> list[str]:
    """A folder name per workbook, safe on every system and unique."""
    seen: dict[str, int] = {}
    out = []
    for p in paths:
        base = safe_component(p.stem, "project")
        n = seen.get(base.casefold(), 0) + 1
        seen[base.casefold()] = n
        out.append(base if n == 1 else f"{base}-{n}")
    return out


def _public_error(message: str, path: Path) -> str:
    for text in (str(path.resolve()), str(path), str(path.parent.resolve()), str(path.parent)):
        if text and text != ".":
            message = message.replace(text, path.name if text.endswith(path.name) else "")
    return message


def project_row(
    path: str,
    out_dir: str,
    slug: str,
    as_of: dt.date | None,
    lang: str | None,
    generated_at: dt.datetime | None,
    fallback: dt.date | None = None,
) -> dict:
    """Read one workbook, write its page to ``out_dir/slug/index.html`` and
    return its portfolio row (plain values; runs in a worker process). The
    project is taken at ``as_of``, else its status date, else ``fallback``."""
    from xlcollab.core.calendar import WorkCalendar
    from xlcollab.history import history_path
    from xlcollab.io import COMMAND_SHEETS, WorkbookError, read_workbook
    from xlcollab.model.dates import to_date
    from xlcollab.page import history_inputs, write_page

    p = Path(path)
    row: dict = {"file": p.name, "slug": slug, "ok": False}
    try:
        data = read_workbook(p, lang=lang, sheets=COMMAND_SHEETS)
        day = (
            as_of
            or (
                to_date(data.overview.get("status_date"))
                if data.overview.get("status_date") is not None
                else None
            )
            or fallback
        )
        if day is None:
            raise ValueError(
                tr(
                    lang or data.lang,
                    "没有状态日期，请用 --as-of 指定",
                    "no status date: give --as-of",
                )
            )
        cal = WorkCalendar.from_holidays(data.tables.get("holidays"))
        options = PageOptions(
            lang=lang or data.lang,
            generated_at=generated_at,
            show_email=bool(data.setting("page_show_email")),
            portfolio_link="../index.html",
            **history_inputs(history_path(p, data.setting("history_path")), data.tables["tasks"]),
        )
        _, ctx = write_page(data, Path(out_dir) / slug, day, options, cal)
    except (WorkbookError, OSError, ValueError, KeyError) as exc:
        message = str(getattr(exc, "finding", None) or exc)
        row["error"] = _public_error(message, p) or type(exc).__name__
        return row
    fig = ctx["figures"]
    row.update(
        ok=True,
        project=ctx["project"],
        as_of=day,
        phase=fig.phase,
        progress=fig.progress,
        tasks=fig.tasks,
        done=fig.done,
        overdue=fig.overdue,
        **{f"at_{lv}": fig.blocked_at[lv] for lv in LEVELS},
        budget=fig.budget,
        spent=fig.spent,
        spent_pct=fig.spent_pct,
        next_milestone=fig.next_milestone,
        next_date=fig.next_milestone_date,
        light=fig.light,
        reasons=list(fig.light_reasons),
        page=f"{slug}/index.html",
    )
    return row


def build_portfolio(
    paths: list[Path],
    out_dir: Path,
    *,
    as_of: dt.date | None = None,
    lang: str | None = None,
    generated_at: dt.datetime | None = None,
    workers: int | None = None,
    advance: Callable[[dict], None] | None = None,
    fallback: dt.date | None = None,
) -> list[dict]:
    """Every project's page and row (see :func:`project_row`), in parallel;
    rows sorted red, yellow, green, unreadable, then by name."""
    names = slugs(paths)
    jobs = [
        (str(p), str(out_dir), s, as_of, lang, generated_at, fallback)
        for p, s in zip(paths, names, strict=True)
    ]
    rows: list[dict] = []
    n = min(workers or os.cpu_count() or 1, max(len(jobs), 1))
    if n <= 1:
        for job in jobs:
            rows.append(project_row(*job))
            if advance:
                advance(rows[-1])
    else:
        # spawn, as on Windows: what is tested here is what runs there, and no
        # worker inherits a lock held by a thread of this process (progress bars)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            futures = {pool.submit(project_row, *job): job for job in jobs}
            for fut in as_completed(futures):
                try:
                    row = fut.result()
                except Exception as exc:  # noqa: BLE001 - one project never stops the others
                    job = futures[fut]
                    row = {
                        "file": Path(job[0]).name,
                        "slug": job[2],
                        "ok": False,
                        "error": f"{type(exc).__name__}: {exc}",
                    }
                rows.append(row)
                if advance:
                    advance(row)
    rows.sort(key=lambda r: (_ORDER.get(r.get("light")), r.get("project") or r["file"]))
    return rows


def table_rows(rows: list[dict], lang: str) -> list[dict]:
    """The rows formatted for the portfolio page."""
    out = []
    for r in rows:
        if not r["ok"]:
            out.append({"ok": False, "file": r["file"], "error": r["error"]})
            continue
        out.append(
            {
                "ok": True,
                "project": r["project"],
                "page": r["page"],
                "light": r["light"],
                "light_label": tr(lang, *LIGHTS[r["light"]]),
                "light_rank": _ORDER[r["light"]],
                "reasons": tr(lang, "；", "; ").join(tr(lang, *REASONS[k]) for k in r["reasons"]),
                "over_budget": "over_budget" in r["reasons"],
                "phase": phase_label(r["phase"], lang),
                "progress": fmt_pct(r["progress"]),
                "progress_value": round(r["progress"], 4),
                "tasks": r["tasks"],
                "overdue": r["overdue"],
                **{f"at_{lv}": r[f"at_{lv}"] for lv in LEVELS},
                "budget": fmt_money(r["budget"]),
                "spent": fmt_money(r["spent"]),
                "spent_pct": fmt_pct(r["spent_pct"]) if r["spent_pct"] is not None else "",
                "next": r["next_milestone"] or "",
                "next_date": iso_date(r["next_date"]),
                "as_of": iso_date(r["as_of"]),
            }
        )
    return out


def portfolio_context(
    rows: list[dict], lang: str, as_of: dt.date | None, generated_at: dt.datetime | None
) -> dict:
    ok = [r for r in rows if r["ok"]]
    return {
        "lang": lang,
        "html_lang": tr(lang, "zh-CN", "en"),
        "rows": table_rows(rows, lang),
        "count": len(rows),
        "counts": {k: sum(1 for r in ok if r["light"] == k) for k in ("red", "yellow", "green")},
        "unreadable": len(rows) - len(ok),
        "levels": [(lv, ESCALATION.label(lv, lang)) for lv in LEVELS],
        "rule": LIGHT_RULE[lang],
        "as_of": as_of.isoformat() if as_of else "",
        "generated": generated_at.strftime("%Y-%m-%d %H:%M") if generated_at else "",
        "headers": {c.key: c.header(lang) for c in PORTFOLIO.columns},
    }


def portfolio_workbook(rows: list[dict], lang: str):
    """The portfolio table as an openpyxl workbook (one sheet, a filterable
    table, money and percentages as numbers, a link to each page)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    fills = {"red": "F4B6B6", "yellow": "FFE699", "green": "C6EFCE"}
    wb = Workbook()
    ws = wb.active
    ws.title = PORTFOLIO.name(lang)
    cols = PORTFOLIO.columns
    ws.append([c.header(lang) for c in cols])
    for r in rows:
        values = {
            "project": r.get("project") or r["file"],
            "light": tr(lang, *LIGHTS[r["light"]]) if r["ok"] else "",
            "phase": phase_label(r.get("phase"), lang) if r["ok"] else "",
            "progress": r.get("progress"),
            "tasks": r.get("tasks"),
            "overdue": r.get("overdue"),
            **{f"at_{lv}": r.get(f"at_{lv}") for lv in LEVELS},
            "budget": r.get("budget"),
            "spent": r.get("spent"),
            "spent_pct": r.get("spent_pct"),
            "next_milestone": r.get("next_milestone"),
            "next_date": r.get("next_date"),
            "as_of": r.get("as_of"),
            "page": r.get("page"),
            "error": r.get("error"),
        }
        ws.append([values[c.key] for c in cols])
        row = ws.max_row
        for i, c in enumerate(cols, start=1):
            cell = ws.cell(row, i)
            if c.type in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[c.type]
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                cell.data_type = "s"  # text, never a formula
        if r["ok"]:
            light = ws.cell(row, [c.key for c in cols].index("light") + 1)
            light.fill = PatternFill("solid", fgColor=fills[r["light"]])
            link = ws.cell(row, [c.key for c in cols].index("page") + 1)
            link.hyperlink = r["page"]
            link.font = Font(color="0563C1", underline="single")
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width or 12
    ws.freeze_panes = "B2"
    if rows:
        ref = f"A1:{get_column_letter(len(cols))}{len(rows) + 1}"
        table = Table(displayName="tblPortfolio", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(table)
    return wb


def write_portfolio(
    rows: list[dict],
    out_dir: Path,
    lang: str,
    *,
    as_of: dt.date | None = None,
    generated_at: dt.datetime | None = None,
) -> tuple[Path, Path]:
    """``out_dir/index.html`` and the portfolio workbook; returns both paths."""
    from xlcollab.io.save import save_new_workbook
    from xlcollab.page.html import render, write_html

    out_dir = Path(out_dir)
    html = write_html(
        render("portfolio.html.j2", portfolio_context(rows, lang, as_of, generated_at)),
        out_dir / "index.html",
    )
    day = as_of or (generated_at.date() if generated_at else None)
    name = PORTFOLIO.name(lang) + (f"_{day.isoformat()}" if day else "") + ".xlsx"
    xlsx = save_new_workbook(portfolio_workbook(rows, lang), out_dir / name, overwrite=True)
    return html, xlsx
