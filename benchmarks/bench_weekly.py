"""How long does the weekly report take for a 20,000-task workbook?

Uses the synthetic master workbook of ``bench_read.py`` (20,000 tasks by
default, generated once and reused), then prints, measured in the same run:

- python-calamine reading every sheet (``to_python``),
- ``read_workbook`` (the whole ProjectData),
- the project's figures (flags, roll-ups, escalations, money),
- the weekly report given ProjectData and those Figures: its context
  (sections, risks, decisions), its charts and the rendered .docx, as of a
  date in the middle of the project; this part is bounded by the rows the
  report shows (参数 报告每表最多行数), not by the project's size;
- the same with the annex (every task of the sections, ``--annex``).

    python benchmarks/bench_weekly.py [--tasks N] [--risks N] [--expenses N]
                                      [--as-of 2026-04-01] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import python_calamine as calamine

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_read import generate, workbook_path

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import figures
from xlcollab.io import read_workbook
from xlcollab.reports import build_context
from xlcollab.reports import generate as write_report
from xlcollab.reports.pack import charts_for


def _timed(fn):
    t = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--risks", type=int, default=2_000)
    ap.add_argument("--expenses", type=int, default=100_000)
    ap.add_argument("--as-of", default="2026-04-01")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    day = dt.date.fromisoformat(args.as_of)

    path = workbook_path(args.tasks, args.risks, args.expenses, "zh")
    if not path.exists():
        _, t = _timed(lambda: generate(path, args.tasks, args.risks, args.expenses, "zh"))
        print(f"generated {path} in {t:.1f} s")

    def raw():
        wb = calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        wb.close()

    _, t_raw = _timed(raw)
    data, t_read = _timed(lambda: read_workbook(path))
    cal = WorkCalendar.from_holidays(data.tables["holidays"])

    def all_figures():
        fig = figures(data, day, cal)
        for name in ("task_table", "departments", "money", "risk_table", "escalations", "phase"):
            getattr(fig, name)
        return fig

    fig, t_fig = _timed(all_figures)
    ctx, t_ctx = _timed(lambda: build_context("weekly", data, day, cal, "zh", fig=fig))
    _, t_charts = _timed(lambda: charts_for("weekly", data, dict(ctx), day, cal, "zh", fig))
    out = args.out or Path(tempfile.mkdtemp(prefix="xlcollab-weekly-"))
    doc, t_all = _timed(lambda: write_report("weekly", data, out, as_of=day, cal=cal, fig=fig))
    annex_dir = out / "annex"
    annexed, t_annex = _timed(
        lambda: write_report("weekly", data, annex_dir, as_of=day, cal=cal, fig=fig, annex=True)
    )
    rows = sum(
        len(d[k])
        for d in ctx["departments"]
        for k in ("done_recent", "due_week", "in_progress", "blocked", "overdue")
    )
    print(
        f"workbook: {path.name}: {len(data.tables['tasks'])} tasks, "
        f"{len(data.tables['risks'])} risks, {len(data.tables['expenses'])} expenses"
    )
    print(f"python-calamine to_python(), all sheets: {t_raw:6.2f} s")
    print(f"xlcollab read_workbook():              {t_read:6.2f} s")
    print(f"figures (flags, roll-ups, money):       {t_fig:6.2f} s")
    print(f"weekly report context, given figures:  {t_ctx:6.2f} s ({rows} task rows in sections)")
    print(f"weekly report charts, given figures:   {t_charts:6.2f} s")
    print(
        f"weekly report, context+charts+docx:    {t_all:6.2f} s -> {doc} "
        f"({doc.stat().st_size / 1e6:.1f} MB)"
    )
    print(
        f"the same with the annex ({ctx_annex_rows(data, day, cal, fig)} rows):"
        f"{t_annex:6.2f} s ({annexed.stat().st_size / 1e6:.1f} MB)"
    )


def ctx_annex_rows(data, day, cal, fig) -> int:
    return build_context("weekly", data, day, cal, "zh", fig=fig, annex=True)["annex_count"]


if __name__ == "__main__":
    main()
