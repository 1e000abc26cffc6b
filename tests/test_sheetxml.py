"""Patching a worksheet's XML: what a rewritten cell looks like, whichever
way the patcher finds it, the style a cell new to an old row takes, and how
much of a patched worksheet the well-formedness check parses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlcollab.io.ooxml import PackageError, changed_tail, check_well_formed
from xlcollab.io.sheetxml import Rendered, SheetPatchError, SheetXml
from xlcollab.model.a1 import cell_ref

HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"


def sheet_of(rows: list[bytes]) -> SheetXml:
    return SheetXml(HEAD + b"".join(rows) + TAIL)


def body(sheet: SheetXml) -> bytes:
    assert sheet.xml.startswith(HEAD) and sheet.xml.endswith(TAIL)
    return sheet.xml[len(HEAD) : -len(TAIL)]


def cell(ref: str, s: int | None, t: bytes | None, inner: bytes) -> bytes:
    attrs = f' r="{ref}"'.encode()
    if s is not None:
        attrs += f' s="{s}"'.encode()
    if t is not None:
        attrs += b' t="' + t + b'"'
    return b"<c" + attrs + (b">" + inner + b"</c>" if inner else b"/>")


old_cells = st.fixed_dictionaries(
    {
        "s": st.one_of(st.none(), st.integers(0, 30)),
        "t": st.sampled_from([None, b"s", b"str", b"inlineStr", b"b"]),
        "inner": st.sampled_from([b"", b"<v>3</v>", "<is><t>旧</t></is>".encode()]),
    }
)
renders = st.builds(
    Rendered,
    st.sampled_from([None, b"inlineStr", b"b", b"str"]),
    st.sampled_from([b"", b"<v>12.5</v>", '<is><t xml:space="preserve">新 x</t></is>'.encode()]),
    st.one_of(st.none(), st.integers(0, 30)),
)


@settings(max_examples=200, deadline=None)
@given(
    row=st.integers(1, 5000),
    cols=st.lists(st.integers(1, 40), min_size=1, max_size=12, unique=True).map(sorted),
    data=st.data(),
)
def test_a_rewritten_cell_keeps_its_place_and_style_and_takes_its_new_type(row, cols, data):
    """Whatever the number of edits in the row (one search per cell, one
    pass over the row's cells, or the whole row rewritten): the cell keeps
    its position first and its style unless the value brings one (0 drops
    it); its old type goes, the new one follows; every other cell is left
    byte for byte."""
    old = {c: data.draw(old_cells) for c in cols}
    # every cell of the row (rewritten in one pass), or some of them
    edited = data.draw(st.just(cols) | st.lists(st.sampled_from(cols), min_size=1, unique=True))
    new = {c: data.draw(renders) for c in edited}
    row_xml = lambda cells: f'<row r="{row}">'.encode() + b"".join(cells) + b"</row>"  # noqa: E731
    sheet = sheet_of([row_xml(cell(cell_ref(row, c), **old[c]) for c in cols)])
    sheet.set_cells({row: {c: c for c in edited}}, lambda value, old_s: new[value])

    expected = []
    for c in cols:
        if c not in new:
            expected.append(cell(cell_ref(row, c), **old[c]))
            continue
        r = new[c]
        s = old[c]["s"] if r.s is None else (r.s or None)
        expected.append(cell(cell_ref(row, c), s, r.t, r.inner))
    assert body(sheet) == row_xml(expected)


def test_the_old_style_is_what_the_value_is_rendered_against():
    sheet = sheet_of(
        [b'<row r="2">' + b"".join(cell(f"{c}2", 7, b"s", b"<v>0</v>") for c in "ABCD") + b"</row>"]
    )
    seen = []

    def render(value, old_s):
        seen.append(old_s)
        return Rendered(None, b"<v>1</v>")

    sheet.set_cells({2: {1: 1, 2: 2, 3: 3, 4: 4}}, render)
    assert seen == [7, 7, 7, 7]


def test_a_cell_an_old_row_lacks_takes_the_style_given_for_its_column():
    """A table's body row that lacks a cell of the template's column gets
    that column's style from ``new_cell_styles``; without one, the column's
    own (``<col style>``), as before."""
    rows = [
        b'<row r="2">'
        + cell("A2", 5, None, b"<v>1</v>")
        + cell("B2", 9, None, b"<v>2</v>")
        + b"</row>",
        b'<row r="3">' + cell("A3", 5, None, b"<v>1</v>") + b"</row>",
        b'<row r="4">'
        + cell("A4", 5, None, b"<v>1</v>")
        + cell("C4", 4, None, b"<v>1</v>")
        + b"</row>",
    ]
    value = Rendered(None, b"<v>8</v>")
    sheet = sheet_of(rows)
    sheet.set_cells(
        {3: {1: 0, 2: 0}, 4: {2: 0}},
        lambda v, s: value,
        new_cell_styles={3: {2: 9}, 4: {2: 9}},
    )
    assert b'<c r="B3" s="9"><v>8</v></c>' in sheet.xml
    assert b'<c r="A4" s="5"><v>1</v></c><c r="B4" s="9"><v>8</v></c><c r="C4" s="4">' in sheet.xml
    # the cell it has keeps its own style
    assert b'<c r="A3" s="5"><v>8</v></c>' in sheet.xml

    plain = sheet_of(rows)
    plain.set_cells({3: {2: 0}}, lambda v, s: value)
    assert b'<c r="B3"><v>8</v></c>' in plain.xml


# ------------------------------------------------- well-formedness check ---
CELLS = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
OLD = HEAD[: -len(b"<sheetData>")] + CELLS + b"<pageMargins/></worksheet>"


def test_a_patch_after_the_cells_is_checked_from_the_cells_end():
    root = HEAD[: -len(b"<sheetData>")]
    marks = b'<conditionalFormatting sqref="A1"><cfRule type="expression"/></conditionalFormatting>'
    new = root + CELLS + marks + b"<pageMargins/></worksheet>"
    assert changed_tail(new, OLD) == root + marks + b"<pageMargins/></worksheet>"
    check_well_formed("sheet", new, OLD)
    broken = root + CELLS + marks[:-1] + b"<pageMargins/></worksheet>"
    with pytest.raises(PackageError, match="not well-formed"):
        check_well_formed("sheet", broken, OLD)


def test_a_patch_among_the_cells_is_checked_whole():
    root = HEAD[: -len(b"<sheetData>")]
    new = OLD.replace(b"<v>1</v>", b"<v>2</v>")
    assert changed_tail(new, OLD) is None
    broken = OLD.replace(b"<v>1</v>", b"<v>2</x>")
    with pytest.raises(PackageError, match="not well-formed"):
        check_well_formed("sheet", broken, OLD)
    # bytes before the cells' end that could hide it: the whole is parsed
    hidden = root + b"<!-- </sheetData> -->" + CELLS + b"</worksheet>"
    assert changed_tail(hidden + b"", hidden) is None
    assert (
        changed_tail(root + b"<sheetData/></worksheet>", root + b"<sheetData/></worksheet>") is None
    )


@pytest.mark.parametrize("n", [1, 4])
def test_a_formula_among_the_cells_rewritten_is_refused_unless_asked(n):
    """However many cells of the row are rewritten, a formula cell among
    them is refused, or overwritten (and remembered) when asked."""
    cells = [cell(f"{c}2", 3, None, b"<v>1</v>") for c in "ABD"]
    formula = b'<c r="C2" s="3"><f>A2+B2</f><v>2</v></c>'
    row = [b'<row r="2">' + cells[0] + cells[1] + formula + cells[2] + b"</row>"]
    edits = {2: {c: c for c in ([3] if n == 1 else [1, 2, 3, 4])}}
    value = Rendered(None, b"<v>9</v>")
    with pytest.raises(SheetPatchError) as refused:
        sheet_of(row).set_cells(edits, lambda v, s: value)
    assert refused.value.kind == "formula" and refused.value.cells == ["C2"]
    sheet = sheet_of(row)
    sheet.set_cells(edits, lambda v, s: value, overwrite_formulas=True)
    assert b'<c r="C2" s="3"><v>9</v></c>' in sheet.xml and sheet.removed_formulas == ["C2"]


def test_a_row_whose_cells_are_written_unusually_is_patched_cell_by_cell():
    """A cell whose position is not its first attribute, or a position
    written twice (invalid, but seen): the first cell of that position in
    the row is the one rewritten, however many cells the row has edited."""
    value = Rendered(None, b"<v>8</v>")
    late = sheet_of(
        [b'<row r="2"><c s="1" r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="C2"/></row>']
    )
    late.set_cells({2: {1: 0, 2: 0, 3: 0}}, lambda v, s: value)
    assert body(late).count(b'r="A2"') == 1 and b"<v>1</v>" not in late.xml
    assert body(late).count(b"<v>8</v>") == 3
    for first in (b'<c r="A2"><v>1</v></c>', b'<c s="1" r="A2"><v>1</v></c>'):
        twice = sheet_of(
            [b'<row r="2">' + first + b'<c r="A2"><v>9</v></c><c r="B2"/><c r="C2"/></row>']
        )
        twice.set_cells({2: {1: 0, 2: 0, 3: 0}}, lambda v, s: value)
        assert b"<v>1</v>" not in twice.xml and b'<c r="A2"><v>9</v></c>' in twice.xml
        assert body(twice).count(b"<v>8</v>") == 3
