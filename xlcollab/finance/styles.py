"""The finance workbook's cell formats for xlsxwriter, from the same schema
styles, colours and number formats the master workbook's builder uses
(:mod:`xlcollab.workbook.formats`), and the page setup of its sheets.

A format is made once per distinct set of properties and shared by every
cell that has them (:class:`Formats`).
"""

from __future__ import annotations

from xlcollab.schema import HEADER_ROW, NUMBER_FORMATS, STYLES, T
from xlcollab.workbook import formats

__all__ = [
    "Formats",
    "MONEY",
    "PERCENT",
    "DIGIT_PX",
    "set_width",
    "chart_columns",
    "print_setup",
    "style",
    "HEADER",
    "BOLD",
    "TITLE",
    "TOTAL",
]

MONEY = NUMBER_FORMATS[T.MONEY]
PERCENT = "0.0%"
# xlsxwriter's default maximum digit width: a column width in characters
# times this is the width in pixels it writes back as exactly that width
DIGIT_PX = 7
EXCEL_COLUMN_PX = 64  # Excel's default column width (8.43 characters)
CHART_COLUMNS = 16  # enough default columns for the widest chart


def _rgb(colour: str) -> str:
    return f"#{colour}"


def style(name: str) -> dict:
    """The fill and font colour of the schema style ``name``."""
    fill, text = STYLES[name]
    props: dict = {}
    if fill:
        props.update(pattern=1, bg_color=_rgb(fill))
    if text:
        props["font_color"] = _rgb(text)
    return props


HEADER = {
    **style("header"),
    "bold": True,
    "text_wrap": True,
    "align": "center",
    "valign": "vcenter",
}
BOLD = {"bold": True}
TITLE = {"bold": True, "font_size": 14}
TOTAL = {"bold": True, "border": 1, "border_color": _rgb(formats.GRID_COLOUR)}


class Formats:
    """Formats of one xlsxwriter workbook, made on first use."""

    def __init__(self, book) -> None:
        self._book = book
        self._made: dict[tuple, object] = {}

    def __call__(self, *parts: dict | None, **props):
        """The format with the properties of ``parts`` and ``props`` (later
        ones win); None for no properties at all (the default format)."""
        merged: dict = {}
        for p in parts:
            merged.update(p or {})
        merged.update(props)
        if not merged:
            return None
        key = tuple(sorted(merged.items()))
        fmt = self._made.get(key)
        if fmt is None:
            fmt = self._made[key] = self._book.add_format(merged)
        return fmt


def set_width(ws, index: int, width: float) -> None:
    """Column ``index`` (0-based) ``width`` characters wide."""
    ws.set_column_pixels(index, index, width * DIGIT_PX)


def chart_columns(ws, first: int, count: int = CHART_COLUMNS) -> None:
    """Columns ``first`` (0-based) onwards that a chart covers, at Excel's
    default width written out: a chart is anchored to cells, and LibreOffice
    takes a column without a width for wider than Excel does, which would
    stretch the chart and shrink the printed page."""
    ws.set_column_pixels(first, first + count - 1, EXCEL_COLUMN_PX)


def print_setup(ws, title_rows: int = HEADER_ROW) -> None:
    """A4 landscape, fit to one page wide, the header rows repeated on every
    printed page (as :func:`xlcollab.workbook.formats.print_setup`)."""
    ws.set_paper(9)
    ws.set_landscape()
    # one page wide; the width given as text so that xlsxwriter writes the
    # attribute (it leaves out a 1, Excel's default, which readers such as
    # openpyxl then do not see)
    ws.fit_to_pages("1", 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if title_rows:
        ws.repeat_rows(0, title_rows - 1)
