"""Charts as PNG bytes (matplotlib's object API: a ``Figure`` drawn by
``FigureCanvasAgg``, never pyplot; a CJK font).

General helpers, usable by any report (the finance summaries too):

- :func:`cjk_font` finds a font with Chinese glyphs: Noto Sans CJK (Linux),
  Microsoft YaHei / SimHei / DengXian (Windows), PingFang / Heiti (macOS),
  through matplotlib's font manager and, failing that, fontconfig.
- :func:`gantt` draws tasks as bars coloured by status, with a "today" line
  and milestone diamonds.
- :func:`stacked_bars` draws counts by category and series (tasks by status
  per department).
- :func:`grouped_bars` draws values side by side per category (budget
  against actual per department).

Each returns PNG bytes without a timestamp in its metadata, so the same
input gives the same picture, at ``DPI`` (200) for the size it is drawn at,
which is no smaller than the size it is placed at: print resolution.

The CJK font is looked up once per process in matplotlib's font list (its
cache on disk is built once per installation, never per run); only when
matplotlib does not know one is fontconfig asked, and that font is added
to this process's list alone.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache

import matplotlib
import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["cjk_font", "gantt", "stacked_bars", "grouped_bars", "GanttBar", "STATUS_COLORS"]

# the same colours as the workbook's Gantt (schema.STYLES)
STATUS_COLORS = {
    "not_started": "#5B9BD5",
    "in_progress": "#2E75B6",
    "done": "#70AD47",
    "blocked": "#C00000",
    "overdue": "#ED7D31",
}
_PREFERRED = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "PingFang SC",
    "Heiti SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Serif CJK SC",
    "SimSun",
    "Arial Unicode MS",
)
DPI = 200
_MARGIN_IN = 1.0  # room drawn around a figure, for what reaches beyond it (labels, legend)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs (None when
    there is none; Chinese then shows as boxes)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in _PREFERRED:
        if name in names:
            return name
    if shutil.which("fc-match"):  # fontconfig knows fonts matplotlib has not indexed
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{file}", ":lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            try:
                font_manager.fontManager.addfont(out)
                return font_manager.FontProperties(fname=out).get_name()
            except (OSError, RuntimeError, ValueError):
                pass
    return None


def _style(scale: float = 1.0) -> dict:
    font = cjk_font()
    rc = {"font.size": 8 * scale, "axes.unicode_minus": False, "svg.hashsalt": "xlcollab"}
    if font:
        rc["font.family"] = "sans-serif"
        rc["font.sans-serif"] = [font, "DejaVu Sans"]
    return rc


def _figure(width_in: float, height_in: float) -> tuple[Figure, object]:
    """A figure on its own Agg canvas (no pyplot state) and its one axes."""
    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _png(fig: Figure) -> bytes:
    """The figure (made by :func:`_figure`) as PNG bytes at ``DPI``, cut to
    what is drawn plus ``savefig.pad_inches``: the picture of
    ``savefig(bbox_inches="tight")``, drawn once where savefig draws twice
    (once to measure, once to save). The figure is widened by a margin on
    every side, its axes kept where they are in inches, drawn, measured
    with the renderer that drew it and cut out of the canvas; a margin too
    narrow for what is drawn is widened and the figure drawn again. The
    figure is left changed: it is drawn for this picture only."""
    width, height = (float(v) for v in fig.get_size_inches())
    sp = fig.subplotpars
    left, right, bottom, top = sp.left, sp.right, sp.bottom, sp.top
    pad = matplotlib.rcParams["savefig.pad_inches"]
    fig.set_dpi(DPI)
    margin = _MARGIN_IN
    while True:
        # whole pixels, so that the canvas is exactly the size it is drawn at
        w, h = (math.ceil((v + 2 * margin) * DPI) / DPI for v in (width, height))
        mx, my = (w - width) / 2, (h - height) / 2
        fig.set_size_inches(w, h)
        fig.subplots_adjust(
            left=(left * width + mx) / w,
            right=(right * width + mx) / w,
            bottom=(bottom * height + my) / h,
            top=(top * height + my) / h,
        )
        canvas = fig.canvas
        canvas.draw()
        box = fig.get_tightbbox(canvas.get_renderer()).padded(pad)
        over = max(-box.x0, -box.y0, box.x1 - w, box.y1 - h)
        if over <= 0:
            break
        margin += over + _MARGIN_IN
    # savefig's canvas is int(box size) pixels and draws box.p0 at its
    # bottom left corner: the same pixels, within half a pixel
    cols, rows = int(box.width * DPI), int(box.height * DPI)
    x0 = round(box.x0 * DPI)
    y0 = round((h - box.y0) * DPI) - rows
    pixels = np.asarray(canvas.buffer_rgba())[y0 : y0 + rows, x0 : x0 + cols]
    return png_bytes(pixels)


def png_bytes(rgba) -> bytes:
    """PNG bytes of an RGBA pixel array (top row first), by Pillow at zlib's
    fastest level (a chart's flat areas compress well even so): RGB when
    every pixel is opaque, marked ``DPI`` dots per inch, with no time or
    software name, so the same pixels give the same bytes."""
    opaque = bool((rgba[..., 3] == 255).all())
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3] if opaque else rgba))
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1, dpi=(DPI, DPI))
    return buf.getvalue()


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
    darker), a dashed red "today" line and milestone diamonds on top.
    ``legend`` maps status keys to the labels to show."""
    with matplotlib.rc_context(_style()):
        n = max(len(bars), 1)
        fig, ax = _figure(width_in, min(0.22 * n + 1.4, 40))
        if bars:
            _gantt_bars(ax, bars)
        ax.set_yticks(range(len(bars)), [b.label for b in bars])
        ax.set_ylim(n - 0.5, -1.3 if milestones else -0.5)
        locator, fmt = _date_ticks([d for b in bars for d in (b.start, b.finish)])
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        for label, day in milestones:
            x = mdates.date2num(day)
            ax.plot(x, -0.9, marker="D", color="#7030A0", markersize=6, clip_on=False)
            ax.axvline(x, color="#7030A0", linewidth=0.5, alpha=0.4)
            ax.annotate(
                label,
                (x, -0.9),
                xytext=(4, 0),
                textcoords="offset points",
                fontsize=6.5,
                va="center",
                color="#7030A0",
            )
        if today is not None:
            x = mdates.date2num(today) + 0.5
            ax.axvline(x, color="#C00000", linestyle="--", linewidth=1.2)
            ax.annotate(
                f"{today_label} {today.isoformat()}",
                (x, n - 0.5),
                xytext=(3, 3),
                textcoords="offset points",
                color="#C00000",
                fontsize=7,
            )
        if legend:
            from matplotlib.patches import Patch

            ax.legend(
                handles=[Patch(color=STATUS_COLORS[k], label=v) for k, v in legend.items()],
                loc="lower left",
                bbox_to_anchor=(0, 1.0),
                ncol=len(legend),
                fontsize=7,
                frameon=False,
            )
        if title:
            ax.set_title(title, loc="right", fontsize=9)
        ax.tick_params(axis="y", labelsize=6.5 if n > 40 else 7.5)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _png(fig)


def _gantt_bars(ax, bars: Sequence[GanttBar]) -> None:
    """Every bar in one call, then every done share in one (rows never
    overlap, so the picture is that of drawing them bar by bar)."""
    starts = [mdates.date2num(b.start) for b in bars]
    lengths = [
        max(mdates.date2num(b.finish) - s + 1, 0.6) for b, s in zip(bars, starts, strict=True)
    ]
    colors = [STATUS_COLORS.get(b.status, "#5B9BD5") for b in bars]
    ax.barh(
        range(len(bars)),
        lengths,
        left=starts,
        height=0.6,
        color=colors,
        alpha=0.45,
        edgecolor=colors,
    )
    done = [i for i, b in enumerate(bars) if b.progress]
    if done:
        ax.barh(
            done,
            [lengths[i] * min(max(bars[i].progress, 0), 1) for i in done],
            left=[starts[i] for i in done],
            height=0.6,
            color=[colors[i] for i in done],
        )


def _date_ticks(days: Sequence[dt.date]) -> tuple[mdates.DateLocator, str]:
    """Ticks a reader can tell apart, whatever the span: every Monday up to
    about four months, else every month (every quarter beyond two years)."""
    span = (max(days) - min(days)).days if days else 0
    if span <= 120:
        return mdates.WeekdayLocator(byweekday=mdates.MO), "%m-%d"
    if span <= 730:
        return mdates.MonthLocator(), "%Y-%m"
    return mdates.MonthLocator(bymonth=(1, 4, 7, 10)), "%Y-%m"


def stacked_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    colors: dict[str, str] | None = None,
    title: str = "",
    xlabel: str = "",
    horizontal: bool = True,
    width_in: float = 8.0,
    font_scale: float = 1.0,
    height_in: float | None = None,
) -> bytes:
    """Stacked bars: one bar per category, one segment per series (in the
    order given), segment counts written inside. ``font_scale`` enlarges
    every text (a chart shown small on a slide)."""
    k = font_scale
    with matplotlib.rc_context(_style(k)):
        n = max(len(categories), 1)
        height = height_in or ((0.38 * n + 1.3) * k if horizontal else 4 * k)
        fig, ax = _figure(width_in, height)
        base = [0.0] * len(categories)
        for name, values in series.items():
            color = (colors or {}).get(name)
            if horizontal:
                bars = ax.barh(categories, values, left=base, color=color, label=name, height=0.6)
            else:
                bars = ax.bar(categories, values, bottom=base, color=color, label=name)
            for rect, v in zip(bars, values, strict=False):
                if v:
                    cx = rect.get_x() + rect.get_width() / 2
                    cy = rect.get_y() + rect.get_height() / 2
                    ax.text(
                        cx, cy, f"{v:g}", ha="center", va="center", color="white", fontsize=7 * k
                    )
            base = [b + v for b, v in zip(base, values, strict=False)]
        if horizontal:
            ax.invert_yaxis()
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(mticker.MaxNLocator(integer=True))
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncol=max(len(series), 1),
            frameon=False,
            fontsize=7 * k,
        )
        if title:
            ax.set_title(title, loc="right", fontsize=9 * k)
        if xlabel:
            (ax.set_xlabel if horizontal else ax.set_ylabel)(xlabel)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _png(fig)


def grouped_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    colors: dict[str, str] | None = None,
    title: str = "",
    ylabel: str = "",
    value_format: str = "{:,.0f}",
    width_in: float = 8.5,
    font_scale: float = 1.0,
    height_in: float | None = None,
) -> bytes:
    """Grouped vertical bars (e.g. budget and actual per department),
    values written above the bars (left out when ``font_scale`` enlarges
    the text and the bars are too many for them to be legible)."""
    k = font_scale
    with matplotlib.rc_context(_style(k)):
        fig, ax = _figure(width_in, height_in or 3.8 * k)
        values_shown = k == 1.0 or len(categories) <= 5
        k = max(len(series), 1)
        width = 0.8 / k
        xs = range(len(categories))
        for j, (name, values) in enumerate(series.items()):
            pos = [x - 0.4 + width * (j + 0.5) for x in xs]
            bars = ax.bar(pos, values, width=width, label=name, color=(colors or {}).get(name))
            for rect, v in zip(bars, values, strict=False):
                if not values_shown:
                    break
                ax.annotate(
                    value_format.format(v),
                    (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    fontsize=5.5,
                    rotation=90 if len(categories) > 6 else 0,
                    va="bottom",
                )
        ax.set_xticks(
            list(xs),
            list(categories),
            rotation=(45 if k > 1 else 30) if len(categories) > 5 else 0,
            ha="right" if len(categories) > 5 else "center",
        )
        ax.legend(frameon=False, fontsize=7 * k)
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.margins(y=0.18)
        if title:
            ax.set_title(title, loc="right", fontsize=9 * k)
        if ylabel:
            ax.set_ylabel(ylabel)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _png(fig)
