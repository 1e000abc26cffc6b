"""Charts as PNG: the encoding (Pillow) gives back the pixels it was given, and a chart
drawn once and cut to what is drawn is the picture matplotlib's
``savefig(bbox_inches="tight")`` makes (same size, the same pixels within
half a pixel's shift), also when labels reach far beyond the figure."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from PIL import Image

from xlcollab.reports import charts
from xlcollab.reports.charts import png_bytes


def decoded(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_png_bytes_round_trip_with_alpha():
    rng = np.random.default_rng(7)
    rgba = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    img = decoded(png_bytes(rgba))
    assert img.mode == "RGBA" and img.size == (53, 37)
    assert np.array_equal(np.asarray(img), rgba)
    assert img.info["dpi"] == pytest.approx((200, 200), abs=0.01)


def test_png_bytes_opaque_is_rgb_and_the_same_bytes_each_time():
    rng = np.random.default_rng(8)
    rgba = rng.integers(0, 256, size=(20, 31, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    data = png_bytes(rgba[2:, 3:])  # a cut-out view, as a chart's crop is
    img = decoded(data)
    assert img.mode == "RGB" and img.size == (28, 18)
    assert np.array_equal(np.asarray(img), rgba[2:, 3:, :3])
    assert data == png_bytes(rgba[2:, 3:].copy())


def _savefig_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=charts.DPI, bbox_inches="tight")
    return buf.getvalue()


def _charts():
    d0 = dt.date(2026, 1, 5)
    bars = [
        charts.GanttBar(
            "很长的任务名称" * (i % 5 + 1) + str(i),  # labels reach well past the margin
            d0 + dt.timedelta(i),
            d0 + dt.timedelta(i + 20),
            "in_progress",
            0.3,
        )
        for i in range(30)
    ]
    return {
        "gantt": lambda: charts.gantt(
            bars,
            d0 + dt.timedelta(30),
            [("里程碑", d0 + dt.timedelta(40))],
            legend={"done": "已完成"},
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
    }


@pytest.mark.parametrize("name", ["gantt", "stacked", "grouped"])
def test_chart_is_the_tight_savefig_picture(name, monkeypatch):
    make = _charts()[name]
    ours = decoded(make())
    monkeypatch.setattr(charts, "_png", _savefig_png)
    theirs = decoded(make())
    assert ours.size == theirs.size
    a = np.asarray(ours.convert("RGB"), dtype=float)
    b = np.asarray(theirs.convert("RGB"), dtype=float)
    assert np.abs(a - b).mean() < 5  # antialiased edges differ by a sub-pixel shift only
    # nothing clipped: the outermost rows and columns are background on both
    for img in (a, b):
        assert (img[0] == 255).all() and (img[-1] == 255).all()
        assert (img[:, 0] == 255).all() and (img[:, -1] == 255).all()
