"""The status page's Gantt chart: an SVG drawn from the task rows.

One row per WBS row in WBS order: a leaf task is a bar coloured by its
status (an overdue task gets a red outline), a summary row is a bracket
spanning its children, a milestone a diamond on the top row; a dashed line
marks the status date and the weeks are ruled from Monday. Every text is
escaped here (the SVG is inserted into the page as it is). Pure: rows in,
SVG text out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

__all__ = ["GanttRow", "gantt_svg", "MAX_ROWS"]

MAX_ROWS = 150  # more rows make an unreadable page; the rest are counted
LABEL_W = 210
CHART_W = 560
ROW_H = 18
HEAD_H = 34
COLOURS = {
    "done": "#7fb77e",
    "in_progress": "#3b82c4",
    "blocked": "#d9534f",
    "not_started": "#c8ccd2",
}


@dataclass(frozen=True)
class GanttRow:
    wbs: str
    name: str
    start: dt.date | None
    finish: dt.date | None
    status: str | None
    summary: bool
    overdue: bool = False
    depth: int = 0


def _x(day: dt.date, first: dt.date, span: int) -> float:
    return LABEL_W + CHART_W * (day - first).days / span


def gantt_svg(
    rows: list[GanttRow],
    milestones: list[tuple[str, dt.date]],
    today: dt.date,
    *,
    title: str,
    today_label: str,
    more_label: str | None = None,
) -> str:
    """The chart as an ``<svg>`` element (scales to its container's width)."""
    dates = [d for r in rows for d in (r.start, r.finish) if d] + [d for _, d in milestones]
    if not dates:
        return ""
    first = min([*dates, today])
    last = max([*dates, today])
    first -= dt.timedelta(days=first.weekday())
    last += dt.timedelta(days=7 - last.weekday())
    span = max((last - first).days, 1)
    shown = rows[:MAX_ROWS]
    height = HEAD_H + ROW_H * (len(shown) + 1) + (ROW_H if more_label else 0) + 6
    width = LABEL_W + CHART_W + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="gantt">',
        f"<title>{escape(title)}</title>",
    ]
    # week rules and labels
    day = first
    while day <= last:
        x = _x(day, first, span)
        out.append(
            f'<line x1="{x:.1f}" y1="{HEAD_H - 6}" x2="{x:.1f}" y2="{height}" class="g-rule"/>'
        )
        if (day - first).days % 14 == 0:
            out.append(
                f'<text x="{x + 2:.1f}" y="{HEAD_H - 10}" class="g-week">'
                f"{day.month}/{day.day}</text>"
            )
        day += dt.timedelta(days=7)
    # milestones on the top row
    y0 = HEAD_H
    for name, d in milestones:
        x = _x(d, first, span)
        cy = y0 + ROW_H / 2
        out.append(
            f'<path d="M{x:.1f} {cy - 6:.1f} l6 6 l-6 6 l-6 -6 z" class="g-ms">'
            f"<title>{escape(name)} {d.isoformat()}</title></path>"
        )
    # task rows
    for i, r in enumerate(shown, start=1):
        y = y0 + i * ROW_H
        label = f"{r.wbs} {r.name}"
        if len(label) > 18:
            label = label[:17] + "…"
        cls = "g-label g-sum" if r.summary else "g-label"
        out.append(
            f'<text x="{4 + 8 * r.depth}" y="{y + 13}" class="{cls}">{escape(label)}'
            f"<title>{escape(r.wbs)} {escape(r.name)}</title></text>"
        )
        if not (r.start and r.finish):
            continue
        x1 = _x(r.start, first, span)
        x2 = max(_x(r.finish + dt.timedelta(days=1), first, span), x1 + 2)
        tip = f"<title>{escape(r.wbs)} {escape(r.name)}: {r.start} – {r.finish}</title>"
        if r.summary:
            out.append(
                f'<path d="M{x1:.1f} {y + 13} v-8 h{x2 - x1:.1f} v8" class="g-bracket">{tip}</path>'
            )
        else:
            colour = COLOURS.get(r.status or "", COLOURS["not_started"])
            extra = ' class="g-late"' if r.overdue else ""
            out.append(
                f'<rect x="{x1:.1f}" y="{y + 4}" width="{x2 - x1:.1f}" height="{ROW_H - 8}" '
                f'rx="2" fill="{colour}"{extra}>{tip}</rect>'
            )
    if more_label:
        y = y0 + (len(shown) + 1) * ROW_H
        out.append(f'<text x="4" y="{y + 13}" class="g-label">{escape(more_label)}</text>')
    # today
    x = _x(today, first, span)
    out.append(
        f'<line x1="{x:.1f}" y1="{HEAD_H - 4}" x2="{x:.1f}" y2="{height}" class="g-today"/>'
        f'<text x="{x + 3:.1f}" y="{HEAD_H - 22}" class="g-today-label">'
        f"{escape(today_label)}</text>"
    )
    out.append("</svg>")
    return "".join(out)
