"""A block of columns written by ColumnSheet is the file xlsxwriter writes
cell by cell: every part of the package byte for byte (cells, shared
strings, styles, spans, dimension), with text that stays text, blanks,
numbers of every kind and a header row above the block."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest
import xlsxwriter

from xlcollab.finance.sheetdata import MAX_TEXT, BlockColumn, ColumnSheet


def _columns(n: int, seed: int) -> list[list]:
    rnd = random.Random(seed)
    words = ["差旅", "设备", "=1+1", "+SUM(A1)", "a & b <c>", " lead", "x\x01y", "差旅"]
    return [
        [rnd.choice([None, rnd.randint(1, 10**6), 2**60]) for _ in range(n)],
        [rnd.choice([None, rnd.random() * 1e6, 1e-9, -0.5, 1.0, True]) for _ in range(n)],
        [rnd.choice([None, *words]) for _ in range(n)],
        [rnd.choice(words) for _ in range(n - 3)],  # shorter: blanks below
        [None] * n,
    ]


def _book(sheet_class, n: int, seed: int, long_text: bool = False) -> dict[str, bytes]:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2026, 3, 31)})
    other = book.add_worksheet("前")
    other.write_string(0, 0, "差旅", book.add_format({"bold": True}))
    ws = book.add_worksheet("明细", sheet_class)
    fmts = [book.add_format({"valign": "top", "num_format": f}) for f in ("0", "0.00", "@", "@")]
    fmts.append(book.add_format({"valign": "top", "locked": False}))
    quoted = [book.add_format({"valign": "top", "quote_prefix": True}) for _ in fmts]
    header = book.add_format({"bold": True})
    ws.set_row(0, 30)
    for j in range(len(fmts)):
        ws.write_string(0, j, f"列{j}", header)
        ws.set_column_pixels(j, j, 80)
    columns = _columns(n, seed)
    if long_text:
        columns[2][0] = "长" * (MAX_TEXT + 10)
    block = []
    for j, values in enumerate(columns):
        marks = [i for i, v in enumerate(values) if isinstance(v, str) and v[0] in "=+"]
        if isinstance(ws, ColumnSheet):
            block.append(BlockColumn(values, fmts[j], quoted[j], marks))
            continue
        for i, v in enumerate(values + [None] * (n - len(values)), start=1):
            if v is None:
                ws.write_blank(i, j, None, fmts[j])
            elif isinstance(v, str):
                ws.write_string(i, j, v, quoted[j] if i - 1 in marks else fmts[j])
            else:
                ws.write_number(i, j, v, fmts[j])
    if isinstance(ws, ColumnSheet):
        ws.write_columns(1, 0, block)
    ws.add_table(0, 0, n, len(fmts) - 1, {"columns": [{"header": f"列{j}"} for j in range(5)]})
    ws.freeze_panes(1, 0)
    book.close()
    z = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize(("n", "seed"), [(1, 1), (15, 2), (16, 3), (17, 4), (400, 5)])
def test_a_block_is_the_file_written_cell_by_cell(n, seed):
    cells = _book(None, n, seed)
    block = _book(ColumnSheet, n, seed)
    assert block.keys() == cells.keys()
    for name in cells:
        assert block[name] == cells[name], name


def test_text_longer_than_a_cell_is_cut_as_xlsxwriter_cuts_it():
    assert _book(ColumnSheet, 20, 6, long_text=True) == _book(None, 20, 6, long_text=True)


def test_a_block_without_a_header_starts_the_sheet():
    def book(cls):
        out = io.BytesIO()
        wb = xlsxwriter.Workbook(out, {"in_memory": True})
        wb.set_properties({"created": dt.datetime(2026, 3, 31)})
        ws = wb.add_worksheet("s", cls)
        fmt = wb.add_format({"bold": True})
        if cls is ColumnSheet:
            ws.write_columns(3, 2, [BlockColumn([1.5, "a", None], fmt)])
        else:
            ws.write_number(3, 2, 1.5, fmt)
            ws.write_string(4, 2, "a", fmt)
            ws.write_blank(5, 2, None, fmt)
        wb.close()
        z = zipfile.ZipFile(io.BytesIO(out.getvalue()))
        return {name: z.read(name) for name in z.namelist()}

    assert book(ColumnSheet) == book(None)


def test_what_a_block_refuses():
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = book.add_worksheet("s", ColumnSheet)
    fmt = book.add_format({"bold": True})
    with pytest.raises(ValueError, match="format"):
        ws.write_columns(1, 0, [BlockColumn([1.0], None)])
    with pytest.raises(TypeError):
        ws.write_columns(1, 0, [BlockColumn([float("nan")], fmt)])
    ws.write_columns(1, 0, [BlockColumn([1.0, 2.0], fmt)])
    with pytest.raises(ValueError, match="one block"):
        ws.write_columns(5, 0, [BlockColumn([1.0], fmt)])
    ws.write_number(9, 0, 1.0)  # below the block
    with pytest.raises(ValueError, match="below"):
        book.close()
