"""A block of columns written by ColumnSheet is the file xlsxwriter writes
cell by cell: every part of the package byte for byte (cells, shared
strings, styles, spans, dimension), with text that stays text, blanks,
numbers of every kind and a header row above the block. The table over the
block and the shared strings ColumnBook writes in bulk are xlsxwriter's
too."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest
import xlsxwriter
from xlsxwriter.exceptions import OverlappingRange

from xlcollab.finance.book import ColumnBook
from xlcollab.finance.sheetdata import MAX_TEXT, BlockColumn, ColumnSheet

# texts xlsxwriter escapes or marks in the shared strings part
ODD_TEXTS = [
    "a & b <c>",
    " lead",
    "trail ",
    "trail\n",
    "\tlead",
    "x\x01y",
    "_x0041_",
    "_X00zz_",
    "\ufffe\uffff",
    "<r><t>rich</t></r>",
    'say "so"',
    "line\nbreak",
    "\u3000全角",
    "全角\u3000",
]


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


def _book(
    sheet_class, n: int, seed: int, long_text: bool = False, odd: bool = False
) -> dict[str, bytes]:
    out = io.BytesIO()
    book = (ColumnBook if sheet_class else xlsxwriter.Workbook)(out, {"in_memory": True})
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
    if odd:
        columns[3] = [ODD_TEXTS[i % len(ODD_TEXTS)] + str(i // 3) for i in range(n)]
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


def test_texts_xlsxwriter_escapes_are_its_shared_strings_byte_for_byte():
    cells = _book(None, 60, 7, odd=True)
    assert _book(ColumnSheet, 60, 7, odd=True) == cells
    assert b"_x005F_x0041_" in cells["xl/sharedStrings.xml"]  # the odd texts are there


def test_a_table_that_is_not_over_the_whole_block_is_xlsxwriter_s_own():
    def book(cls, last_row):
        out = io.BytesIO()
        wb = xlsxwriter.Workbook(out, {"in_memory": True})
        wb.set_properties({"created": dt.datetime(2026, 3, 31)})
        ws = wb.add_worksheet("s", cls)
        fmt = wb.add_format({"bold": True})
        ws.write_string(0, 0, "h", fmt)
        if cls is ColumnSheet:
            ws.write_columns(1, 0, [BlockColumn([1.0, 2.0, 3.0], fmt)])
        else:
            for i in range(3):
                ws.write_number(1 + i, 0, 1.0 + i, fmt)
        ws.add_table(0, 0, last_row, 0, {"columns": [{"header": "h"}]})
        wb.close()
        z = zipfile.ZipFile(io.BytesIO(out.getvalue()))
        return {name: z.read(name) for name in z.namelist()}

    for last_row in (2, 3):
        assert book(ColumnSheet, last_row) == book(None, last_row)


def test_a_table_over_the_block_still_refuses_an_overlap():
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = book.add_worksheet("s", ColumnSheet)
    fmt = book.add_format({"bold": True})
    ws.write_columns(1, 0, [BlockColumn([1.0] * 50, fmt), BlockColumn(["a"] * 50, fmt)])
    ws.add_table(0, 0, 50, 1)
    with pytest.raises(OverlappingRange):
        ws.add_table(30, 1, 60, 3)


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
