"""The charts, drawn with Pillow: read back as pixels. Each is exactly as wide
as asked at print resolution, nothing reaches its border (nothing is cut
off), the same input gives the same bytes, and the bars are where their
dates and values put them."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageFont

from xlcollab.reports import charts
from xlcollab.reports.canvas import DPI, blend, fit_text, nice_ticks, png_bytes, text_width
from xlcollab.reports.fonts import cjk_font_file, font

D0 = dt.date(2026, 1, 5)  # a Monday


def pixels(data: bytes) -> np.ndarray:
    img = Image.open(io.BytesIO(data))
    assert img.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)
    return np.asarray(img.convert("RGB"))


def rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def runs(row: np.ndarray, color: tuple[int, int, int]) -> list[tuple[int, int]]:
    """The [start, end) pixel runs of ``color`` along ``row``."""
    hit = np.all(row == color, axis=-1).astype(int)
    edges = np.flatnonzero(np.diff(np.r_[0, hit, 0]))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def rows_with(img: np.ndarray, color: tuple[int, int, int]) -> np.ndarray:
    return np.flatnonzero(np.all(img == color, axis=-1).any(axis=1))


def assert_nothing_cut_off(img: np.ndarray) -> None:
    white = 255
    assert (img[0] == white).all() and (img[-1] == white).all()
    assert (img[:, 0] == white).all() and (img[:, -1] == white).all()


def long_gantt() -> list[charts.GanttBar]:
    return [
        charts.GanttBar(
            "很长的任务名称" * (i % 5 + 1) + str(i),  # labels longer than their room
            D0 + dt.timedelta(i),
            D0 + dt.timedelta(i + 20),
            "in_progress",
            0.3,
        )
        for i in range(30)
    ]


CHARTS = {
    "gantt": lambda: charts.gantt(
        long_gantt(),
        D0 + dt.timedelta(30),
        [("里程碑", D0 + dt.timedelta(40)), ("项目验收与收尾", D0 + dt.timedelta(50))],
        legend={"done": "已完成", "in_progress": "进行中"},
        title="甘特图",
        width_in=7.0,
    ),
    "stacked": lambda: charts.stacked_bars(
        ["市场部", "信息技术部"],
        {"已完成": [3, 1], "进行中": [2, 4]},
        title="任务",
        xlabel="任务数",
    ),
    "grouped": lambda: charts.grouped_bars(
        [f"部门{i}" for i in range(8)],
        {"预算": [1e5 * i for i in range(8)], "实际": [4e4 * i for i in range(8)]},
        ylabel="元",
        font_scale=1.6,
    ),
    "slide": lambda: charts.stacked_bars(
        ["市场部"], {"进行中": [40]}, font_scale=2.0, width_in=8.4, height_in=7.6
    ),
}
WIDTHS = {"gantt": 7.0, "stacked": 7.2, "grouped": 7.6, "slide": 8.4}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_is_as_wide_as_asked_whole_and_the_same_each_time(name):
    data = CHARTS[name]()
    img = pixels(data)
    assert img.shape[1] == round(WIDTHS[name] * DPI)
    assert_nothing_cut_off(img)
    assert (img != 255).any(axis=-1).mean() > 0.02  # something is drawn
    assert CHARTS[name]() == data
    if name == "slide":
        assert img.shape[0] == round(7.6 * DPI)


def test_gantt_bars_sit_on_their_dates_and_show_the_done_share():
    week = [
        charts.GanttBar("甲", D0, D0 + dt.timedelta(6), "done", 1.0),
        charts.GanttBar("乙", D0 + dt.timedelta(7), D0 + dt.timedelta(20), "in_progress", 0.5),
    ]
    img = pixels(charts.gantt(week, width_in=6.0))
    done, busy = rgb(charts.STATUS_COLORS["done"]), rgb(charts.STATUS_COLORS["in_progress"])
    light = blend(charts.STATUS_COLORS["in_progress"], 0.45)
    y_done, y_busy = rows_with(img, done), rows_with(img, busy)
    assert y_done.max() < y_busy.min()  # the first bar above the second
    ((a0, a1),) = runs(img[y_done[len(y_done) // 2]], done)
    mid = img[y_busy[len(y_busy) // 2]]
    ((b0, b1),) = runs(mid, busy)
    ((_, c1),) = runs(mid, light)
    length = c1 + 1 - b0  # the light part ends inside a one-pixel outline
    assert b0 == pytest.approx(a1, abs=1)  # the second starts the day the first ends
    assert a1 - a0 == pytest.approx(length / 2, abs=3)  # one week against two (the axis
    # line covers the first bar's first pixels)
    assert b1 - b0 == pytest.approx(length / 2, abs=2)  # half done


def test_gantt_today_line_and_milestones_close_together_do_not_overlap():
    bars = [charts.GanttBar("甲", D0, D0 + dt.timedelta(30), "in_progress", 0.2)]
    one = pixels(charts.gantt(bars, D0 + dt.timedelta(10), [("上线", D0 + dt.timedelta(12))]))
    two = pixels(
        charts.gantt(
            bars,
            D0 + dt.timedelta(10),
            [("系统开发完成", D0 + dt.timedelta(12)), ("测试通过", D0 + dt.timedelta(13))],
        )
    )
    assert two.shape[0] > one.shape[0]  # the second name went on a row of its own
    purple = rgb(charts.MILESTONE)
    assert len(rows_with(two, purple)) > len(rows_with(one, purple))
    red = rgb(charts.TODAY)
    assert len(rows_with(one, red)) > one.shape[0] / 3  # the dashed today line runs down


def test_a_long_milestone_name_is_shortened_to_fit_not_cut_off():
    bars = [charts.GanttBar("甲", D0, D0 + dt.timedelta(30), "in_progress", 0.2)]
    for day in (D0, D0 + dt.timedelta(15), D0 + dt.timedelta(31)):  # left, middle, right end
        long = [("跨部门协同项目工作方案评审会议纪要" * 4, day)]
        img = pixels(charts.gantt(bars, None, long, width_in=5.0))
        assert_nothing_cut_off(img)


def test_stacked_segments_are_as_long_as_their_counts():
    img = pixels(
        charts.stacked_bars(
            ["市场部"],
            {"已完成": [3], "进行中": [1]},
            colors={"已完成": "#70AD47", "进行中": "#2E75B6"},
        )
    )
    green, blue = rgb("#70AD47"), rgb("#2E75B6")
    row = img[rows_with(img, blue)[-1]]  # below the legend's swatch
    ((g0, g1),) = runs(row, green)
    ((b0, b1),) = runs(row, blue)
    assert b0 == g1
    assert (g1 - g0) == pytest.approx(3 * (b1 - b0), abs=4)  # the axis line covers 2 px


def test_grouped_bars_are_as_tall_as_their_values():
    colors = {"预算": "#9DC3E6", "实际": "#C55A11"}
    img = pixels(
        charts.grouped_bars(["甲", "乙"], {"预算": [400, 100], "实际": [200, 0]}, colors=colors)
    )
    col_heights = {}
    for name, color in colors.items():
        hit = np.all(img == rgb(color), axis=-1)
        heights = hit.sum(axis=0)
        bars = [h for h in heights if h > 30]  # columns of bars, not the legend swatch
        col_heights[name] = sorted(set(bars))
    budget = col_heights["预算"]
    assert budget[-1] == pytest.approx(4 * budget[0], abs=3)
    assert col_heights["实际"][-1] == pytest.approx(budget[-1] / 2, abs=3)


def test_the_cjk_font_draws_chinese():
    found = cjk_font_file()
    assert found is not None
    path, index = found
    assert ImageFont.truetype(path, 12, index=index).getname()[0] == "Noto Sans CJK SC"
    f = font(40)

    def glyph(ch: str) -> bytes:
        img = Image.new("L", (60, 60), 0)
        from PIL import ImageDraw

        ImageDraw.Draw(img).text((5, 5), ch, fill=255, font=f)
        return img.tobytes()

    assert glyph("项") != glyph("目")  # real glyphs, not the same empty box
    assert text_width("项目", 10) == pytest.approx(2 * text_width("项", 10), abs=1)


def test_a_label_too_long_is_shortened_with_an_ellipsis():
    long = "跨部门协同项目工作方案" * 4
    short = fit_text(long, 8, 300)
    assert short.endswith("…") and long.startswith(short[:-1])
    assert text_width(short, 8) <= 300 < text_width(long, 8)
    assert fit_text("短", 8, 300) == "短"


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-3, 1e9, allow_nan=False),
    st.integers(2, 12),
    st.booleans(),
)
def test_nice_ticks_cover_the_range_in_round_equal_steps(lo, width, most, integer):
    hi = lo + width
    ticks = nice_ticks(lo, hi, most, integer)
    steps = np.diff(ticks)
    slack = 1e-6 * steps[0]  # what float rounding may take off the ends
    assert ticks[0] <= lo + slack and ticks[-1] >= hi - slack
    assert 2 <= len(ticks) <= most + 3
    assert np.allclose(steps, steps[0])
    mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]))
    assert any(np.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))  # 10: 0.0999…
    if integer:
        assert all(float(t).is_integer() for t in ticks)


def test_png_bytes_are_rgb_at_print_resolution_and_repeatable():
    img = Image.new("RGB", (31, 20), (10, 200, 30))
    data = png_bytes(img)
    back = Image.open(io.BytesIO(data))
    assert back.mode == "RGB" and back.size == (31, 20)
    assert back.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)
    assert np.array_equal(np.asarray(back), np.asarray(img))
    assert data == png_bytes(img.copy())
