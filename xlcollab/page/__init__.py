"""The status page and the portfolio: self-contained HTML for people who
never open the workbook (see README, *The status page*).

- :mod:`xlcollab.page.view`: the figures of :mod:`xlcollab.core.figures`
  formatted for the page;
- :mod:`xlcollab.page.svg_gantt`: the Gantt chart as SVG;
- :mod:`xlcollab.page.html`: rendering (sandboxed, autoescaped Jinja);
- :mod:`xlcollab.page.portfolio`: many projects, one table, one workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData
from xlcollab.page.view import PageOptions, page_context

__all__ = ["PageOptions", "write_page", "history_inputs", "PAGE_NAME"]

PAGE_NAME = "index.html"


def write_page(
    data: ProjectData,
    out_dir: Path,
    as_of: dt.date,
    options: PageOptions,
    cal: WorkCalendar | None = None,
) -> tuple[Path, dict]:
    """Write ``out_dir/index.html``; returns its path and the page's context
    (its ``figures`` are the :class:`xlcollab.core.figures.StatusFigures`)."""
    from xlcollab.page.html import render, write_html

    cal = cal or WorkCalendar.from_holidays(data.tables.get("holidays"))
    ctx = page_context(data, as_of, cal, options)
    return write_html(render("page.html.j2", ctx), Path(out_dir) / PAGE_NAME), ctx


def history_inputs(history_file: Path, tasks) -> dict:
    """What the page takes from a history database, as :class:`PageOptions`
    fields: ``blocked_since`` (WBS code -> date), ``changes`` (the last run's),
    ``run_date`` and ``previous_run`` (the dates of the last run and of the
    one before it); empty when there is no history yet (never creates one)."""
    from xlcollab.history import History

    if not Path(history_file).is_file():
        return {}
    with History.open(history_file) as h:
        runs = h.runs()
        if not runs:
            return {}
        return {
            "blocked_since": h.blocked_since(tasks),
            "changes": h.changes(run=runs[-1].id),
            "run_date": runs[-1].as_of,
            "previous_run": runs[-2].as_of if len(runs) > 1 else None,
        }
