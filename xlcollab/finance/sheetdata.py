"""An xlsxwriter worksheet that takes a block of whole columns.

xlsxwriter stores every cell as an object and writes its XML one call at a
time, a few microseconds a cell: on a month of 26,000 expense lines that is
most of the finance command. :class:`ColumnSheet` takes the table's body as
columns (:meth:`ColumnSheet.write_columns`) and writes their ``<row>`` and
``<c>`` elements itself when the workbook is closed: the same XML, byte for
byte, as writing each cell with ``write_number`` / ``write_string`` /
``write_blank`` (shared strings registered in the same order, formats
numbered on first use, row by row, the same ``spans``), which
``tests/test_finance_sheetdata.py`` checks against xlsxwriter itself.
An Excel table whose body is the block (:meth:`ColumnSheet.add_table`) is
not registered cell by cell either.

The block's cells are numbers, text (shared strings, the quoted format for
the positions given) and blanks that keep the column's format; every
cell of the block has a format, so a row of the block covers all its
columns. Rows of the block take no row format or height of their own.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from xlsxwriter.exceptions import OverlappingRange
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet

__all__ = ["ColumnSheet", "BlockColumn", "MAX_TEXT"]

MAX_TEXT = 32767  # UTF-16 units in a cell, as xlsxwriter's write_string truncates
SPAN_ROWS = 16  # the <row spans> attribute is the same for each block of 16 rows
NUMBER, TEXT, QUOTED, BLANK = "n", "s", "q", "b"


@dataclass
class BlockColumn:
    """One column of a block: its values (numbers, text, None for a blank),
    the body format and the format of the text at the ``quoted`` positions
    (text that must stay text)."""

    values: Sequence  # float, int, str or None
    fmt: object
    quoted_fmt: object = None
    quoted: Collection[int] = ()


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two (first row, first col, last row, last col) ranges meet."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _kind(v) -> str:
    """A cell's kind: NUMBER, TEXT or BLANK (None)."""
    if v is None:
        return BLANK
    if v.__class__ is str:
        return TEXT
    if not math.isfinite(v):
        raise TypeError("NAN/INF not supported in write_number()")
    return NUMBER


def _truncate(text: str) -> str:
    """``text`` cut to :data:`MAX_TEXT` UTF-16 units, as write_string does."""
    if len(text) <= MAX_TEXT // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_TEXT:
        return text
    return text.encode("utf-16-le")[: MAX_TEXT * 2].decode("utf-16-le", "ignore")


class ColumnSheet(Worksheet):
    """A worksheet whose table body is written a column at a time
    (``book.add_worksheet(name, worksheet_class=ColumnSheet)``)."""

    def __init__(self) -> None:
        super().__init__()
        self.block: tuple[int, int, list[tuple[str, list, object, object]]] | None = None
        self.block_table: tuple[int, int, int, int] | None = None  # a table over the block

    def write_columns(self, first_row: int, first_col: int, columns: list[BlockColumn]) -> None:
        """The block of ``columns`` from the 0-based ``first_row``,
        ``first_col``: as writing each cell in turn, column after column
        (a number with ``write_number``, text with ``write_string``, None
        with ``write_blank``), nothing written below the block afterwards."""
        if self.block is not None:
            raise ValueError("a worksheet takes one block of columns")
        n = max((len(c.values) for c in columns), default=0)
        if not columns or n == 0:
            return
        for c in columns:
            if c.fmt is None or (c.quoted and c.quoted_fmt is None):
                raise ValueError("every cell of a block has a format")
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(
            first_row + n - 1, first_col + len(columns) - 1
        ):
            raise ValueError("the block does not fit in a worksheet")
        index = self.str_table._get_shared_string_index
        stored = []
        for c in columns:
            values = list(c.values) + [None] * (n - len(c.values))
            classes = set(map(type, values))
            if classes <= {str}:  # text only: no test per cell
                if max(map(len, values)) > MAX_TEXT // 2:
                    values = list(map(_truncate, values))
                values = list(map(index, values))
                kinds = [TEXT] * n
            elif classes <= {float, int}:  # numbers only
                if not all(map(math.isfinite, values)):
                    raise TypeError("NAN/INF not supported in write_number()")
                kinds = [NUMBER] * n
            else:
                kinds = [_kind(v) for v in values]
                values = [
                    index(_truncate(v)) if k == TEXT else v
                    for k, v in zip(kinds, values, strict=True)
                ]
            for i in c.quoted:
                if kinds[i] == TEXT:
                    kinds[i] = QUOTED
            stored.append(("".join(kinds), values, c.fmt, c.quoted_fmt))
        self.block = (first_row, first_col, stored)

    def add_table(self, first_row, first_col, last_row, last_col, options=None):  # type: ignore[override]
        """xlsxwriter's ``add_table`` (0-based cell numbers only). A table whose
        header row sits right above the block and whose body is the block's
        rows and columns, with no cells of its own (no data, formulas or total
        row), is the same table; xlsxwriter's check that no other table or
        merged range overlaps it, one cell at a time, is made on the header
        row and against the block as a whole."""
        area = (first_row, first_col, last_row, last_col)
        if self.block_table is not None and _overlap(area, self.block_table):
            raise OverlappingRange(
                f"Table range '{xl_range(*area)}' overlaps previous "
                f"table range '{xl_range(*self.block_table)}'."
            )
        if not self._over_block(area, options or {}):
            return super().add_table(first_row, first_col, last_row, last_col, options)
        if self._check_dimensions(last_row, last_col, True, True):
            return -1
        # the header row and the block's first row, then the whole range
        done = super().add_table(first_row, first_col, first_row + 1, last_col, options)
        if done == 0:
            table = self.tables[-1]
            table["range"] = table["a_range"] = xl_range(*area)
            if "autofilter" in table:
                table["autofilter"] = table["a_range"]
            self.block_table = area
        return done

    def _over_block(self, area: tuple[int, int, int, int], options: dict) -> bool:
        """Whether ``area`` is a table (header row and body) over the whole
        block that writes no cell of its own and meets no other table or
        merged range."""
        if self.block is None or self.tables or self.merged_cells:
            return False
        first_row, first_col, stored = self.block
        last_row = first_row + len(stored[0][1]) - 1
        own = ("data", "total_row")
        cells = ("formula", "total_function", "total_string")
        return (
            area == (first_row - 1, first_col, last_row, first_col + len(stored) - 1)
            and last_row > first_row - 1
            and options.get("header_row", True)
            and not any(options.get(k) for k in own)
            and not any(c and c.get(k) for c in options.get("columns", []) for k in cells)
        )

    def free(self) -> None:
        """Drop the cells and the per-cell bookkeeping once the workbook is
        closed: an xlsxwriter workbook sits in a reference cycle, so only the
        cyclic collector would free them, walking every cell's entry."""
        self.block = None
        self.table.clear()
        self.table_cells.clear()

    # ------------------------------------------------------- the XML ---
    def _write_sheet_data(self) -> None:
        """``<sheetData>``: xlsxwriter's rows above the block, then the block."""
        if self.block is None:  # as xlsxwriter's own
            if self.dim_rowmin is None:
                self._xml_empty_tag("sheetData")
            else:
                self._xml_start_tag("sheetData")
                self._write_rows()
                self._xml_end_tag("sheetData")
            return
        first_row, first_col, stored = self.block
        last_row = first_row + len(stored[0][1]) - 1
        if any(r >= first_row for r, cells in self.table.items() if cells) or any(
            r >= first_row for r in self.comments
        ):
            raise ValueError("cells below a block of columns")
        if any(first_row <= r <= last_row for r in self.row_info) or self.excel_version == 2010:
            raise ValueError("rows of a block take no format of their own")
        if self.default_row_height != self.original_row_height:
            raise ValueError("rows of a block take no height of their own")
        self._xml_start_tag("sheetData")
        self.row_spans = {}
        if self.dim_rowmin < first_row:  # the rows above (the header)
            dim_rowmax, self.dim_rowmax = self.dim_rowmax, first_row - 1
            try:
                self._write_rows()
            finally:
                self.dim_rowmax = dim_rowmax
        self._write_block(first_row, first_col, stored)
        self._xml_end_tag("sheetData")

    def block_spans(self, first_row: int, first_col: int, stored) -> dict[int, str]:
        """The ``spans`` of the block's rows: its columns, with those of the
        rows above in the same 16 rows."""
        last_row, last_col = first_row + len(stored[0][1]) - 1, first_col + len(stored) - 1
        spans = {}
        for span in range(first_row // SPAN_ROWS, last_row // SPAN_ROWS + 1):
            lo, hi = first_col + 1, last_col + 1
            if span in self.row_spans:
                a, b = map(int, self.row_spans[span].split(":"))
                lo, hi = min(lo, a), max(hi, b)
            spans[span] = f"{lo}:{hi}"
        return spans

    def _write_block(self, first_row: int, first_col: int, stored) -> None:
        xf = {}
        # formats numbered where a cell-by-cell writer meets them first: row by row
        firsts = []
        for j, (kinds, _, fmt, quoted_fmt) in enumerate(stored):
            plain = len(kinds) - len(kinds.lstrip(QUOTED))
            if plain < len(kinds):
                firsts.append((plain, j, fmt))
            if QUOTED in kinds:
                firsts.append((kinds.index(QUOTED), j, quoted_fmt))
        for _, _, fmt in sorted(firsts, key=lambda t: t[:2]):
            xf[id(fmt)] = fmt._get_xf_index()
        cells = []
        for j, (kinds, values, fmt, quoted_fmt) in enumerate(stored):
            cells.append(
                _cells(
                    xl_col_to_name(first_col + j),
                    first_row + 1,
                    kinds,
                    values,
                    xf.get(id(fmt)),
                    xf.get(id(quoted_fmt)),
                )
            )
        spans = self.block_spans(first_row, first_col, stored)
        write = self.fh.write
        row = first_row
        for chunk in range(0, len(cells[0]), 4096):
            parts = []
            for row_cells in zip(*(c[chunk : chunk + 4096] for c in cells), strict=True):
                parts.append(f'<row r="{row + 1}" spans="{spans[row // SPAN_ROWS]}">')
                parts.extend(row_cells)
                parts.append("</row>")
                row += 1
            write("".join(parts))


def _cells(letter: str, first: int, kinds: str, values: list, s, q) -> list[str]:
    """The ``<c>`` elements of one column from the 1-based row ``first``:
    style ``s`` (``q`` for quoted text)."""
    rows = range(first, first + len(kinds))
    if kinds == TEXT * len(kinds):
        return [
            f'<c r="{letter}{r}" s="{s}" t="s"><v>{v}</v></c>'
            for r, v in zip(rows, values, strict=True)
        ]
    if kinds == NUMBER * len(kinds):
        return [
            f'<c r="{letter}{r}" s="{s}"><v>{v:.16G}</v></c>'
            for r, v in zip(rows, values, strict=True)
        ]
    out = []
    add = out.append
    for r, k, v in zip(rows, kinds, values, strict=True):
        if k == NUMBER:
            add(f'<c r="{letter}{r}" s="{s}"><v>{v:.16G}</v></c>')
        elif k == TEXT:
            add(f'<c r="{letter}{r}" s="{s}" t="s"><v>{v}</v></c>')
        elif k == BLANK:
            add(f'<c r="{letter}{r}" s="{s}"/>')
        else:
            add(f'<c r="{letter}{r}" s="{q}" t="s"><v>{v}</v></c>')
    return out
