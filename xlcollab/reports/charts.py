"""Charts as PNG bytes, drawn with Pillow on a :class:`~.canvas.Canvas` in a
font with Chinese glyphs (:mod:`.fonts`).

General helpers, usable by any report (the finance summaries too):

- :func:`gantt` draws tasks as bars coloured by status, with a "today" line
  and milestone diamonds;
- :func:`stacked_bars` draws counts by category and series (tasks by status
  per department);
- :func:`grouped_bars` draws values side by side per category (budget
  against actual per department).

Each chart is laid out before it is drawn: its labels are measured, the plot
area takes what they leave, a label too long for its place is shortened
with an ellipsis, and milestone names that would overlap go on rows of their
own. The picture is exactly ``width_in`` wide at ``DPI`` (200), print
resolution for the size it is placed at, and the same input gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from xlcollab.reports.canvas import (
    DPI,
    Canvas,
    blend,
    fit_text,
    line_height,
    nice_ticks,
    png_bytes,
    px,
    text_width,
)

__all__ = [
    "gantt",
    "stacked_bars",
    "grouped_bars",
    "GanttBar",
    "STATUS_COLORS",
    "DPI",
    "png_bytes",
]

# the same colours as the workbook's Gantt (schema.STYLES)
STATUS_COLORS = {
    "not_started": "#5B9BD5",
    "in_progress": "#2E75B6",
    "done": "#70AD47",
    "blocked": "#C00000",
    "overdue": "#ED7D31",
}
#: series colours when none is given (Office's)
PALETTE = ("#5B9BD5", "#ED7D31", "#A5A5A5", "#FFC000", "#4472C4", "#70AD47")
AXIS = "#000000"
GRID = "#DDDDDD"
TODAY = "#C00000"
MILESTONE = "#7030A0"
PAD_PT = 7.2  # white border around a chart (0.1 in)
TICK_PT = 3.5  # tick marks, and the gap between a tick and its label
LABEL_SHARE = 0.4  # of the width, at most, for the category labels


class GanttBar:
    """One row of a Gantt chart."""

    __slots__ = ("label", "start", "finish", "status", "progress", "group")

    def __init__(
        self,
        label: str,
        start: dt.date,
        finish: dt.date,
        status: str = "not_started",
        progress: float = 0.0,
        group: str = "",
    ):
        self.label, self.start, self.finish = label, start, finish
        self.status, self.progress, self.group = status, progress, group


class _Frame:
    """The boxes of a chart with a legend row on top, category labels on
    the left and tick labels below: where each part goes, in pixels."""

    def __init__(
        self,
        width_in: float,
        scale: float,
        left_labels: int,
        header: bool,
        bottom_extra: int = 0,
        right_extra: int = 0,
    ):
        self.scale = scale
        self.pad, self.tick = px(PAD_PT), px(TICK_PT * scale)
        self.width = round(width_in * DPI)
        self.header = line_height(9 * scale) + px(7 * scale) if header else 0
        self.x0 = self.pad + left_labels + 2 * self.tick
        self.x1 = self.width - self.pad - right_extra
        self.bottom = 2 * self.tick + line_height(8 * scale) + bottom_extra + self.pad

    def head(self, canvas: Canvas, legend: Sequence[tuple[str, str]], title: str) -> None:
        """The legend, left, and the title, right, in the header row."""
        y = self.pad + self.header / 2
        s = self.scale
        if legend:
            canvas.legend(self.pad, y, legend, 7 * s)
        if title:
            canvas.text((self.width - self.pad, y), title, 9 * s, anchor="rm")

    def spines(self, canvas: Canvas, top: float, bottom: float) -> None:
        """The left and bottom axis lines."""
        canvas.line((self.x0, top), (self.x0, bottom), AXIS, 0.8 * self.scale)
        canvas.line((self.x0, bottom), (self.x1, bottom), AXIS, 0.8 * self.scale)

    def left_label(self, canvas: Canvas, y: float, label: str, size_pt: float) -> None:
        """A category label and its tick at height ``y``."""
        canvas.line((self.x0 - self.tick, y), (self.x0, y), AXIS, 0.8 * self.scale)
        canvas.text((self.x0 - 2 * self.tick, y), label, size_pt, anchor="rm")

    def bottom_label(self, canvas: Canvas, x: float, y: float, label: str) -> None:
        """A value label and its tick at ``x`` below the axis at ``y``."""
        canvas.line((x, y), (x, y + self.tick), AXIS, 0.8 * self.scale)
        canvas.text((x, y + 2 * self.tick), label, 8 * self.scale, anchor="mt")


def _left_labels(labels: Sequence[str], size_pt: float, width_in: float) -> tuple[list[str], int]:
    """The labels, shortened to fit their share of the width, and the width
    they take."""
    room = round(width_in * DPI * LABEL_SHARE)
    fitted = [fit_text(s, size_pt, room) for s in labels]
    return fitted, max((text_width(s, size_pt) for s in fitted), default=0)


# ----------------------------------------------------------------- gantt ---
def _date_ticks(lo: dt.date, hi: dt.date) -> tuple[list[dt.date], str]:
    """Ticks a reader can tell apart, whatever the span: every Monday up to
    about four months, else every month (every quarter beyond two years);
    the first at or before ``lo``, the last at or after ``hi``."""
    span = (hi - lo).days
    if span <= 120:
        d = lo - dt.timedelta(lo.weekday())
        ticks = [d]
        while ticks[-1] < hi:
            ticks.append(ticks[-1] + dt.timedelta(7))
        return ticks, "%m-%d"
    every = 1 if span <= 730 else 3
    d = dt.date(lo.year, (lo.month - 1) // every * every + 1, 1)
    ticks = [d]
    while ticks[-1] < hi:
        m = ticks[-1].month - 1 + every
        ticks.append(dt.date(ticks[-1].year + m // 12, m % 12 + 1, 1))
    return ticks, "%Y-%m"


def _lanes(spans: Sequence[tuple[float, float]], gap: float) -> list[int]:
    """A row for each span (x0, x1) so that spans on one row do not overlap:
    each takes the lowest row it fits on."""
    ends: list[float] = []
    out = []
    for x0, x1 in spans:
        lane = next((i for i, end in enumerate(ends) if x0 >= end + gap), len(ends))
        if lane == len(ends):
            ends.append(x1)
        else:
            ends[lane] = x1
        out.append(lane)
    return out


def gantt(
    bars: Sequence[GanttBar],
    today: dt.date | None = None,
    milestones: Sequence[tuple[str, dt.date]] = (),
    *,
    title: str = "",
    today_label: str = "今天",
    legend: dict[str, str] | None = None,
    width_in: float = 9.5,
) -> bytes:
    """A Gantt chart: one bar per item (status colours, the done share
    darker), a dashed red "today" line and milestone diamonds on top, their
    names on as many rows as they need not to overlap. ``legend`` maps
    status keys to the labels to show."""
    n = len(bars)
    label_pt = 6.5 if n > 40 else 7.5
    labels, label_w = _left_labels([b.label for b in bars], label_pt, width_in)
    days = [d for b in bars for d in (b.start, b.finish + dt.timedelta(1))]
    days += [d for _, d in milestones]
    lo = min(days, default=today or dt.date(2000, 1, 3))
    hi = max(days, default=lo + dt.timedelta(7))
    ticks, fmt = _date_ticks(lo, hi)
    tick_labels = [t.strftime(fmt) for t in ticks]
    half_tick = (text_width(tick_labels[-1], 8) + 1) // 2
    label_w = max(label_w, (text_width(tick_labels[0], 8) + 1) // 2 - 2 * px(TICK_PT))
    # today's date is written under the axis, below its line
    shown_today = today is not None and ticks[0] <= today <= ticks[-1]
    frame = _Frame(
        width_in,
        1.0,
        label_w,
        bool(legend or title),
        bottom_extra=line_height(7) + px(2) if shown_today else 0,
        right_extra=half_tick,
    )
    span = max((ticks[-1] - ticks[0]).days, 1)

    def x_of(day: dt.date | float) -> float:
        ordinal = day if isinstance(day, float) else float(day.toordinal())
        return frame.x0 + (ordinal - ticks[0].toordinal()) / span * (frame.x1 - frame.x0)

    # milestones: a diamond and its name (right of it, else left, else
    # shortened to the wider side), on the first row where it fits
    ms_pt, diamond = 6.5, px(6)
    spans, right_side, names = [], [], []
    gap = diamond // 2 + px(2)
    for name, day in milestones:
        x = x_of(day)
        room_right, room_left = frame.width - frame.pad - x - gap, x - gap - frame.pad
        width = text_width(name, ms_pt)
        right = width <= room_right or (width > room_left and room_right >= room_left)
        name = fit_text(name, ms_pt, int(room_right if right else room_left))
        w = text_width(name, ms_pt) + gap
        names.append(name)
        right_side.append(right)
        spans.append((x - diamond / 2, x + w) if right else (x - w, x + diamond / 2))
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    lanes = [0] * len(spans)
    for i, lane in zip(order, _lanes([spans[i] for i in order], px(3)), strict=True):
        lanes[i] = lane
    lane_h = max(line_height(ms_pt), diamond) + px(2)
    band = (max(lanes) + 1) * lane_h + px(3) if milestones else 0

    pitch = px(17 if n <= 20 else 14)
    least = 0.6 / span * (frame.x1 - frame.x0)  # a bar's least length: 0.6 day
    top = frame.pad + frame.header
    plot_top = top + band
    plot_bottom = plot_top + round((n + 0.4) * pitch)
    canvas = Canvas(frame.width, plot_bottom + frame.bottom)
    frame.head(canvas, [(v, STATUS_COLORS[k]) for k, v in (legend or {}).items()], title)
    for t in ticks:
        canvas.line((x_of(t), top), (x_of(t), plot_bottom), GRID, 0.6)
    today_x = x_of(today.toordinal() + 0.5) if today is not None and shown_today else None
    if today_x is not None and plot_top > top:  # under the milestones' names
        canvas.line((today_x, top), (today_x, plot_top), TODAY, 1.2, dash=(3.7, 1.6))
    for i, (name, (_, day)) in enumerate(zip(names, milestones, strict=True)):
        x = x_of(day)
        y = plot_top - px(3) - (lanes[i] + 0.5) * lane_h
        canvas.line((x, y), (x, plot_bottom), blend(MILESTONE, 0.4), 0.5)
        canvas.diamond((x, y), 6, MILESTONE)
        if right_side[i]:
            canvas.text((x + diamond / 2 + px(2), y), name, ms_pt, MILESTONE, anchor="lm")
        else:
            canvas.text((x - diamond / 2 - px(2), y), name, ms_pt, MILESTONE, anchor="rm")
    for i, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        y = plot_top + (i + 0.7) * pitch
        color = STATUS_COLORS.get(bar.status, STATUS_COLORS["not_started"])
        x0 = x_of(bar.start)
        x1 = max(x_of(bar.finish + dt.timedelta(1)), x0 + least)
        half = 0.3 * pitch
        canvas.rect((x0, y - half, x1, y + half), blend(color, 0.45), blend(color, 0.7))
        share = min(max(bar.progress or 0.0, 0.0), 1.0)
        if share:
            canvas.rect((x0, y - half, x0 + (x1 - x0) * share, y + half), color)
        frame.left_label(canvas, y, label, label_pt)
    if today is not None and today_x is not None:  # over the bars
        x = today_x
        canvas.line((x, plot_top), (x, plot_bottom), TODAY, 1.2, dash=(3.7, 1.6))
        words = f"{today_label} {today.isoformat()}"
        half = text_width(words, 7) / 2
        centre = min(max(x, frame.pad + half), frame.width - frame.pad - half)
        y = plot_bottom + 2 * frame.tick + line_height(8) + px(2)
        canvas.text((centre, y), words, 7, TODAY, anchor="mt")
    frame.spines(canvas, top, plot_bottom)
    for t, label in zip(ticks, _thinned(tick_labels, x_of, ticks), strict=True):
        if label:
            frame.bottom_label(canvas, x_of(t), plot_bottom, label)
    return canvas.png()


def _thinned(labels: list[str], x_of, ticks: list[dt.date]) -> list[str]:
    """The tick labels, every k-th kept (k as small as keeps them apart)."""
    if len(ticks) < 2:
        return labels
    room = x_of(ticks[1]) - x_of(ticks[0])
    widest = max(text_width(s, 8) for s in labels) + px(6)
    k = max(1, -(-widest // max(int(room), 1)))
    return [s if i % k == 0 else "" for i, s in enumerate(labels)]


# ------------------------------------------------------------ bar charts ---
def _palette(series: dict, colors: dict[str, str]) -> list[tuple[str, str]]:
    """Each series' name and colour (``colors``, else Office's in turn)."""
    return [(name, colors.get(name, PALETTE[j % len(PALETTE)])) for j, name in enumerate(series)]


def stacked_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    colors: dict[str, str] | None = None,
    title: str = "",
    xlabel: str = "",
    width_in: float = 7.2,
    font_scale: float = 1.0,
    height_in: float | None = None,
) -> bytes:
    """Horizontal stacked bars: one bar per category, one segment per series
    (in the order given), each segment's count written inside when it fits.
    ``font_scale`` enlarges every text (a chart shown small on a slide)."""
    k = font_scale
    colors = colors or {}
    label_pt = 8 * k
    labels, label_w = _left_labels(list(categories), label_pt, width_in)
    totals = [sum(v[i] for v in series.values()) for i in range(len(categories))]
    ticks = nice_ticks(0, 1.05 * max(totals, default=0) or 1, 10, integer=True)
    tick_labels = [f"{t:g}" for t in ticks]
    frame = _Frame(
        width_in,
        k,
        label_w,
        True,
        bottom_extra=line_height(8 * k) + px(2 * k) if xlabel else 0,
        right_extra=(text_width(tick_labels[-1], 8 * k) + 1) // 2,
    )
    n = max(len(categories), 1)
    top = frame.pad + frame.header
    if height_in:
        height = round(height_in * DPI)
        pitch = (height - top - frame.bottom) / (n + 0.4)
    else:
        pitch = px(27.4 * k)
        height = top + round((n + 0.4) * pitch) + frame.bottom
    plot_bottom = height - frame.bottom
    scale = (frame.x1 - frame.x0) / ticks[-1]
    canvas = Canvas(frame.width, height)
    palette = _palette(series, colors)
    frame.head(canvas, palette, title)
    value_pt = 7 * k
    for i, label in enumerate(labels):
        y = top + (i + 0.7) * pitch
        half = 0.3 * pitch
        x = float(frame.x0)
        for (_, color), values in zip(palette, series.values(), strict=True):
            v = values[i]
            if not v:
                continue
            w = v * scale
            canvas.rect((x, y - half, x + w, y + half), color)
            words = f"{v:g}"
            if text_width(words, value_pt) + px(2) <= w:
                canvas.text((x + w / 2, y), words, value_pt, "#FFFFFF", anchor="mm")
            x += w
        frame.left_label(canvas, y, label, label_pt)
    frame.spines(canvas, top, plot_bottom)
    for t, words in zip(ticks, tick_labels, strict=True):
        frame.bottom_label(canvas, frame.x0 + t * scale, plot_bottom, words)
    if xlabel:
        y = plot_bottom + 2 * frame.tick + line_height(8 * k) + px(2 * k)
        canvas.text(((frame.x0 + frame.x1) / 2, y), xlabel, 8 * k, anchor="mt")
    return canvas.png()


def grouped_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    colors: dict[str, str] | None = None,
    title: str = "",
    ylabel: str = "",
    value_format: str = "{:,.0f}",
    width_in: float = 7.6,
    font_scale: float = 1.0,
    height_in: float | None = None,
) -> bytes:
    """Grouped vertical bars (e.g. budget and actual per department), each
    value written above its bar (left out when ``font_scale`` enlarges the
    text and the bars are too many for them to be legible); category names
    slant when there are more than five."""
    k = font_scale
    colors = colors or {}
    cats = list(categories)
    n = max(len(cats), 1)
    values_shown = k == 1.0 or len(cats) <= 5
    upright = len(cats) > 6  # values written upwards, to fit narrow bars
    slant = (45 if len(series) > 1 else 30) if len(cats) > 5 else 0
    value_pt, tick_pt = 5.5 * k, 8 * k
    everything = [v for vs in series.values() for v in vs]
    lo, vmax = min(0.0, *everything), max(0.0, *everything)
    words = {v: value_format.format(v) for v in everything} if values_shown else {}
    room = max(
        (text_width(w, value_pt) if upright else line_height(value_pt) for w in words.values()),
        default=0,
    )
    # the slanted names reach below the axis by their length times sin(angle)
    sin, cos = math.sin(math.radians(slant)), math.cos(math.radians(slant))
    drop = max((text_width(c, tick_pt) * sin + line_height(tick_pt) * cos for c in cats), default=0)
    frame = _Frame(width_in, k, 0, True, bottom_extra=round(drop) - line_height(tick_pt))
    height = round((height_in or 3.8 * k) * DPI)
    top = frame.pad + frame.header
    plot_bottom = height - frame.bottom
    plot_h = plot_bottom - top
    # room above the tallest bar for its value and 18% more
    share = min((room + px(3)) / plot_h, 0.5)
    hi = max(vmax * 1.18, (vmax - share * lo) / (1 - share)) or 1.0
    # the axis from the lowest value (zero or below) to the last tick
    ticks = [t for t in nice_ticks(lo, hi, 6) if t >= lo]
    tick_labels = [f"{t:,.0f}" for t in ticks]
    left = max(text_width(s, tick_pt) for s in tick_labels)
    if ylabel:
        left += line_height(8 * k) + px(3 * k)
    frame.x0 += left
    if slant:  # the first name reaches left of its bar
        first = text_width(cats[0], tick_pt) * cos if cats else 0
        frame.x0 = max(frame.x0, round(first - (frame.x1 - frame.x0) / (2 * n)) + frame.pad)
    y_range = ticks[-1] - lo

    def y_of(v: float) -> float:
        return plot_bottom - (v - lo) / y_range * plot_h

    canvas = Canvas(frame.width, height)
    palette = _palette(series, colors)
    frame.head(canvas, palette, title)
    slot = (frame.x1 - frame.x0) / n
    width = 0.8 * slot / max(len(series), 1)
    for j, ((_, color), values) in enumerate(zip(palette, series.values(), strict=True)):
        for i, v in enumerate(values):
            x = frame.x0 + slot * (i + 0.1) + width * j
            canvas.rect((x, y_of(0), x + width, y_of(v)), color)
            if v in words:
                at = (x + width / 2, min(y_of(v), y_of(0)) - px(2))
                if upright:
                    canvas.text(at, words[v], value_pt, anchor="lm", angle=90)
                else:
                    canvas.text(at, words[v], value_pt, anchor="md")
    frame.spines(canvas, top, plot_bottom)
    for t, label in zip(ticks, tick_labels, strict=True):
        y = y_of(t)
        canvas.line((frame.x0 - frame.tick, y), (frame.x0, y), AXIS, 0.8 * k)
        canvas.text((frame.x0 - 2 * frame.tick, y), label, tick_pt, anchor="rm")
    for i, name in enumerate(cats):
        x = frame.x0 + slot * (i + 0.5)
        canvas.line((x, plot_bottom), (x, plot_bottom + frame.tick), AXIS, 0.8 * k)
        at = (x, plot_bottom + 2 * frame.tick)
        if slant:
            canvas.text(at, name, tick_pt, anchor="rt", angle=slant)
        else:
            canvas.text(at, name, tick_pt, anchor="mt")
    if ylabel:
        canvas.text((frame.pad, (top + plot_bottom) / 2), ylabel, 8 * k, anchor="mt", angle=90)
    return canvas.png()
