"""A drawing surface for the charts: Pillow, at print resolution, measured
in points.

A chart is laid out before it is drawn: the text it will show is measured
first (:func:`text_width`, :func:`line_height`), so that the plot area leaves
room for every label and nothing is cut off; then a :class:`Canvas` of
exactly that size is drawn once. Sizes are in points (1/72 inch) and
positions in pixels at ``DPI``. Axis ticks come from :func:`nice_ticks`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

from xlcollab.reports.fonts import font

__all__ = [
    "DPI",
    "Canvas",
    "px",
    "text_width",
    "line_height",
    "blend",
    "nice_ticks",
    "fit_text",
    "png_bytes",
]

DPI = 200
WHITE = (255, 255, 255)
_SMOOTH = 4  # supersampling of the shapes drawn at a slant (diamonds)


def px(points: float) -> int:
    """Points as whole pixels at ``DPI`` (at least one)."""
    return max(1, round(points * DPI / 72))


def text_width(text: str, size_pt: float) -> int:
    """The width in pixels of ``text`` at ``size_pt``."""
    return math.ceil(font(px(size_pt)).getlength(text)) if text else 0


def line_height(size_pt: float) -> int:
    """The height in pixels of a line of text at ``size_pt``."""
    return math.ceil(px(size_pt) * 1.25)


def fit_text(text: str, size_pt: float, width: int) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` pixels."""
    if text_width(text, size_pt) <= width:
        return text
    while text and text_width(text + "…", size_pt) > width:
        text = text[:-1]
    return text + "…"


def blend(color: str, alpha: float) -> tuple[int, int, int]:
    """``color`` (#RRGGBB) at ``alpha`` over white."""
    rgb = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(round(c * alpha + 255 * (1 - alpha)) for c in rgb)  # type: ignore[return-value]


def nice_ticks(lo: float, hi: float, most: int = 8, integer: bool = False) -> list[float]:
    """Round tick values covering [lo, hi]: at most ``most`` steps of 1, 2,
    2.5 or 5 times a power of ten (whole numbers when ``integer``)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / most
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(s * power for s in steps if s * power >= raw)
    if integer:
        step = max(1, round(step))
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    return [i * step for i in range(first, last + 1)]


def png_bytes(image: Image.Image) -> bytes:
    """PNG bytes of ``image``, by Pillow at zlib's fastest level (a chart's
    flat areas compress well even so), marked ``DPI`` dots per inch, with no
    time or software name, so the same picture gives the same bytes."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1, dpi=(DPI, DPI))
    return buf.getvalue()


class Canvas:
    """A white picture ``width`` × ``height`` pixels to draw a chart on."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.image = Image.new("RGB", (width, height), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        size_pt: float,
        color: str | tuple[int, int, int] = "#000000",
        anchor: str = "la",
        angle: float = 0,
    ) -> None:
        """``text`` at ``xy``, placed by Pillow's ``anchor`` (``"rm"``: its
        right end, middle height there), turned ``angle`` degrees
        anticlockwise about that point."""
        if not text:
            return
        f = font(px(size_pt))
        if not angle:
            self.draw.text(xy, text, fill=color, font=f, anchor=anchor)
            return
        left, top, right, bottom = f.getbbox(text, anchor=anchor)
        pad = 2
        tile = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
        ImageDraw.Draw(tile).text((pad - left, pad - top), text, fill=255, font=f, anchor=anchor)
        turned = tile.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, center=None)
        # where the anchor point went: rotate its offset from the tile's centre
        cx, cy = tile.width / 2, tile.height / 2
        ax, ay = pad - left - cx, pad - top - cy
        a = math.radians(angle)
        rx = ax * math.cos(a) + ay * math.sin(a)
        ry = -ax * math.sin(a) + ay * math.cos(a)
        x0 = round(xy[0] - (turned.width / 2 + rx))
        y0 = round(xy[1] - (turned.height / 2 + ry))
        self.image.paste(Image.new("RGB", turned.size, color), (x0, y0), turned)

    def rect(
        self,
        box: tuple[float, float, float, float],
        fill: str | tuple[int, int, int],
        outline: str | tuple[int, int, int] | None = None,
    ) -> None:
        """A rectangle (x0, y0, x1, y1), corners in any order, covering the
        pixels between them (none when it is less than half a pixel)."""
        left, right = sorted((round(box[0]), round(box[2])))
        top, bottom = sorted((round(box[1]), round(box[3])))
        if right > left and bottom > top:
            self.draw.rectangle((left, top, right - 1, bottom - 1), fill=fill, outline=outline)

    def line(
        self,
        start: tuple[float, float],
        end: tuple[float, float],
        color: str | tuple[int, int, int],
        width_pt: float = 0.8,
        dash: tuple[float, float] | None = None,
    ) -> None:
        """A straight line; ``dash``: (on, off) lengths in points."""
        w = px(width_pt)
        if not dash:
            self.draw.line((start, end), fill=color, width=w)
            return
        (x0, y0), (x1, y1) = start, end
        length = math.hypot(x1 - x0, y1 - y0)
        on, off = px(dash[0]), px(dash[1])
        pos = 0.0
        while pos < length:
            a, b = pos / length, min(pos + on, length) / length
            seg = (
                (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
            )
            self.draw.line(seg, fill=color, width=w)
            pos += on + off

    def diamond(self, center: tuple[float, float], size_pt: float, color: str) -> None:
        """A diamond ``size_pt`` across, drawn smooth (supersampled)."""
        r = px(size_pt) / 2
        k = _SMOOTH
        side = math.ceil(2 * r) + 2
        mask = Image.new("L", (side * k, side * k), 0)
        c = side * k / 2
        ImageDraw.Draw(mask).polygon(
            [(c, c - r * k), (c + r * k, c), (c, c + r * k), (c - r * k, c)], fill=255
        )
        mask = mask.resize((side, side), Image.Resampling.LANCZOS)
        x0, y0 = round(center[0] - side / 2), round(center[1] - side / 2)
        self.image.paste(Image.new("RGB", (side, side), color), (x0, y0), mask)

    def legend(self, x: float, y: float, items: Sequence[tuple[str, str]], size_pt: float) -> None:
        """Colour swatches and their labels in a row from (x, y), the row's
        vertical middle at ``y``."""
        em = px(size_pt)
        for label, color in items:
            self.rect((x, y - em * 0.35, x + 2 * em, y + em * 0.35), fill=color)
            x += 2.6 * em
            self.text((x, y), label, size_pt, anchor="lm")
            x += text_width(label, size_pt) + 1.6 * em

    def png(self) -> bytes:
        return png_bytes(self.image)
